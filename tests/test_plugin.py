"""The plugin loads and unloads cleanly with a QGIS interface."""
from __future__ import annotations

import configparser

from qgis.core import QgsApplication
from qgis.PyQt.QtWidgets import QAction

import hunchun_risk_plugin
from hunchun_risk_plugin.plugin import MENU_TITLE

REQUIRED_METADATA = (
    "name", "qgisMinimumVersion", "description", "about", "version", "author", "email",
    "tags", "category", "hasProcessingProvider", "changelog", "repository", "tracker",
)


def _our_actions(iface) -> list[QAction]:
    return [a for a in iface.mainWindow().findChildren(QAction) if a.objectName().startswith("hunchunrisk_")]


def _plugin_menu_entries(iface) -> int:
    menu_bar = iface.mainWindow().menuBar()
    return sum(1 for a in menu_bar.actions() for sub in (a.menu().actions() if a.menu() else []) if sub.text() == MENU_TITLE)


def test_metadata_is_complete(repo_root):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(repo_root / "hunchun_risk_plugin" / "metadata.txt", encoding="utf-8")
    general = parser["general"]
    missing = [key for key in REQUIRED_METADATA if not general.get(key, "").strip()]
    assert missing == []
    assert general["qgisMinimumVersion"] == "3.22"
    assert general["qgisMaximumVersion"] == "3.40"  # what make test and make test-qgis340 run
    assert general["hasProcessingProvider"] == "yes"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in general["about"]), "about has no Chinese text"


def test_load_and_unload_twice_leaves_nothing(qgis_iface, qgis_app):
    registry = QgsApplication.processingRegistry()
    existing = registry.providerById("hunchunrisk")
    if existing is not None:  # registered by another test's fixture
        registry.removeProvider(existing)
    toolbars_before = len(qgis_iface.mainWindow().findChildren(type(qgis_iface.mainWindow().addToolBar("probe"))))
    for _ in range(2):
        plugin = hunchun_risk_plugin.classFactory(qgis_iface)
        plugin.initProcessing()
        plugin.initGui()
        assert registry.providerById("hunchunrisk") is not None
        assert "hunchunrisk:validateinputs" in [a.id() for a in registry.providerById("hunchunrisk").algorithms()]
        assert len(plugin.actions) >= 1
        assert plugin.toolbar is not None and plugin.toolbar.actions() == plugin.actions
        plugin.unload()
        qgis_app.processEvents()
        assert registry.providerById("hunchunrisk") is None
        assert plugin.actions == [] and plugin.toolbar is None
    qgis_app.sendPostedEvents(None, 0)  # run the deleteLater() calls
    assert _our_actions(qgis_iface) == []
    toolbars_after = len(qgis_iface.mainWindow().findChildren(type(qgis_iface.mainWindow().addToolBar("probe2"))))
    assert toolbars_after == toolbars_before + 1  # only the probe toolbar added just now


def test_load_sample_data_action(qgis_iface, qgis_new_project, sample_gpkg):
    from qgis.core import QgsProject

    plugin = hunchun_risk_plugin.classFactory(qgis_iface)
    plugin.initGui()
    try:
        plugin.actions[0].trigger()
        project = QgsProject.instance()
        assert project.crs().authid() == "EPSG:4511"
        layers = list(project.mapLayers().values())
        assert len(layers) == 12
        assert all(layer.isValid() for layer in layers)
        group = project.layerTreeRoot().children()[0]
        assert len(group.findLayerIds()) == 12
        # every layer carries a style from styles/ (not the default single symbol)
        townships = [l for l in layers if l.shortName() == "townships"][0]
        assert townships.renderer() is not None and townships.labelsEnabled()
        assert "Synthetic" in townships.abstract()
    finally:
        plugin.unload()


def test_export_dialog_gets_the_sample_layers(qgis_iface, sample_gpkg):
    """The export action pre-fills the census layers the project holds (by short name)."""
    from qgis.core import QgsProject

    from hunchun_risk_plugin.mapping.sample_project import load_sample_data
    from hunchun_risk_plugin.plugin import export_parameters_from

    project = QgsProject.instance()
    project.clear()
    load_sample_data(project, "en")
    params = export_parameters_from(project)
    townships = project.mapLayer(params["TOWNSHIPS"])
    assert townships is not None and townships.shortName() == "townships"
    assert {"ROADS", "SETTLEMENTS", "SHELTERS", "DEPOTS", "FLOOD_ZONES", "DEM", "FOREST"} <= set(params)
    project.clear()
