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
    return sum(1 for a in menu_bar.actions() for sub in (a.menu().actions() if a.menu() else []) if sub.text()
               == MENU_TITLE)


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
        townships = [layer for layer in layers if layer.shortName() == "townships"][0]
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


def test_missing_packages_load_placeholders_and_an_install_button(qgis_iface, monkeypatch):
    """With a package missing the plugin still loads: the same algorithms (ids, titles,
    groups) explain what is missing, and the message bar offers Install…."""
    from qgis.core import QgsProcessingContext, QgsProcessingException, QgsProcessingFeedback
    from qgis.PyQt.QtWidgets import QPushButton

    from hunchun_risk_plugin import dependencies
    from hunchun_risk_plugin.processing_provider.algorithms import algorithm_classes

    registry = QgsApplication.processingRegistry()
    if registry.providerById("hunchunrisk") is not None:
        registry.removeProvider(registry.providerById("hunchunrisk"))
    shapely = next(r for r in dependencies.REQUIREMENTS if r.distribution == "shapely")
    monkeypatch.setattr(dependencies, "check", lambda: [dependencies.Problem(shapely, dependencies.TOO_OLD, "1.8.5")])
    real = [cls() for cls in algorithm_classes()]
    plugin = hunchun_risk_plugin.classFactory(qgis_iface)
    plugin.initGui()
    try:
        placeholders = registry.providerById("hunchunrisk").algorithms()
        assert sorted((a.id(), a.displayName(), a.group(), a.groupId()) for a in placeholders) == \
            sorted((f"hunchunrisk:{a.name()}", a.displayName(), a.group(), a.groupId()) for a in real)
        algorithm = registry.createAlgorithmById("hunchunrisk:riskzoning")
        assert "shapely ≥ 2.0" in algorithm.shortHelpString() and "1.8.5" in algorithm.shortHelpString()
        assert algorithm.canExecute()[0] is False
        try:
            algorithm.processAlgorithm({}, QgsProcessingContext(), QgsProcessingFeedback())
            raise AssertionError("the placeholder ran")
        except QgsProcessingException as error:
            assert "shapely" in str(error)
        buttons = [b for b in qgis_iface.messageBar().findChildren(QPushButton)
                   if b.objectName() == "hunchunrisk_install_button"]
        assert len(buttons) == 1
        # after an install the provider reloads the real algorithms
        monkeypatch.setattr(dependencies, "check", lambda: [])
        plugin.after_install(restart_needed=False)
        assert plugin.provider.ready
        assert {type(a).__name__ for a in registry.providerById("hunchunrisk").algorithms()} == \
            {type(a).__name__ for a in real}
    finally:
        plugin.unload()


def test_catalog_lists_the_real_algorithms_in_toolbox_order():
    from hunchun_risk_plugin.processing_provider.algorithms import algorithm_classes
    from hunchun_risk_plugin.processing_provider.catalog import CATALOG, algorithm_entries, simple_toml
    import tomllib

    assert [e.id for e in algorithm_entries()] == [cls.ALG_ID for cls in algorithm_classes()]
    text = CATALOG.read_text(encoding="utf-8")
    assert simple_toml(text) == tomllib.loads(text)  # the fallback reader for Python < 3.11 without tomli


def test_every_output_is_declared_once(hunchun_provider):
    """A destination parameter makes its own output: declaring it again makes QGIS refuse
    it and log "Duplicate output … registered" whenever the algorithm is created."""
    logged = []

    def collect(message, *_):
        logged.append(message)

    QgsApplication.messageLog().messageReceived.connect(collect)
    try:
        for algorithm in hunchun_provider.algorithms():
            algorithm.create()  # a fresh instance runs initAlgorithm again
    finally:
        QgsApplication.messageLog().messageReceived.disconnect(collect)
    assert [m for m in logged if "Duplicate output" in m] == []
