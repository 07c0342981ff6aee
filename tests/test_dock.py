"""pytest-qgis drives the 珲春风险制图面板: it finds the sample project's layers, runs a
step as a task and waits for it, the styled results land in their group and the map
zooms to them, cancel leaves nothing, and unload leaves nothing behind."""
from __future__ import annotations

import pytest
from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtWidgets import QAction, QDockWidget

import hunchun_risk_plugin


@pytest.fixture
def plugin(qgis_iface, qgis_new_project, sample_gpkg, monkeypatch):
    from qgis.gui import QgsBrowserGuiModel

    from hunchun_risk_plugin.mapping.sample_project import load_sample_data

    model = QgsBrowserGuiModel()
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: model, raising=False)
    registry = QgsApplication.processingRegistry()
    if registry.providerById("hunchunrisk") is not None:  # another test's fixture
        registry.removeProvider(registry.providerById("hunchunrisk"))
    load_sample_data(QgsProject.instance(), "en")
    instance = hunchun_risk_plugin.classFactory(qgis_iface)
    instance.initGui()
    yield instance
    instance.unload()


def open_dock(plugin, qgis_iface):
    action = qgis_iface.mainWindow().findChild(QAction, "hunchunrisk_dock_action")
    assert action is not None and action in plugin.toolbar.actions()
    action.trigger()
    dock = qgis_iface.mainWindow().findChild(QDockWidget, "HunchunRiskDock")
    assert dock is not None and not dock.isHidden()  # the test main window itself is never shown
    return dock


def test_dock_finds_the_sample_layers(plugin, qgis_iface):
    from hunchun_risk_plugin.core.schema import census_inputs

    dock = open_dock(plugin, qgis_iface)
    project = QgsProject.instance()
    for item in census_inputs():
        expected = next((layer for layer in project.mapLayers().values() if layer.shortName() == item.name), None)
        assert dock.layer_boxes[item.name].currentLayer() == expected, item.name
    assert dock.township.count() == 1 + 13  # "all" and the sample's 13 townships
    assert "CR = " in dock.weights.text()


def test_dock_runs_risk_zoning_as_a_task(plugin, qgis_iface, qgis_app, tmp_path):
    from qgis.core import QgsProcessingUtils, QgsRasterLayer

    from hunchun_risk_plugin.gui.workflow import RISK

    dock = open_dock(plugin, qgis_iface)
    dock.folder.setFilePath(str(tmp_path))
    dock.scale.setCurrentIndex(1)  # 1:50000 township
    dock.township.setCurrentIndex(dock.township.findData("新安街道"))
    project = QgsProject.instance()
    before = set(project.mapLayers())
    started = []
    dock.runner.step_started.connect(started.append)
    dock.run_steps([RISK])
    assert dock.runner.running and dock.cancel_button.isEnabled()
    assert dock.runner.wait(qgis_app.processEvents), dock.status.text()
    assert started == [RISK]
    assert (tmp_path / "risk_township" / "risk_class.tif").exists()
    added = [project.mapLayer(i) for i in set(project.mapLayers()) - before]
    assert {layer.name() for layer in added} == {"Risk class", "Risk zones", "Prevention zones", "Township statistics"}
    root = project.layerTreeRoot()
    groups = {root.findLayer(layer.id()).parent() for layer in added}
    assert len(groups) == 1 and groups.pop().name().startswith("Composite risk zoning")
    raster = next(layer for layer in added if isinstance(layer, QgsRasterLayer))
    assert raster.renderer().type() == "paletted"
    # The map shows the results: the canvas extent is the township's, not the whole city's.
    canvas_extent = qgis_iface.mapCanvas().extent()
    assert canvas_extent.contains(raster.extent().buffered(-1.0))
    townships = next(layer for layer in project.mapLayers().values() if layer.shortName() == "townships")
    assert canvas_extent.width() < townships.extent().width() / 2
    assert dock.progress.value() == 100 and not dock.cancel_button.isEnabled()
    assert not str(tmp_path).startswith(QgsProcessingUtils.tempFolder())
    # Settings persist per project.
    value, ok = project.readEntry("hunchun_risk", "dock/output_folder")
    assert ok and value == str(tmp_path)
    assert project.readEntry("hunchun_risk", "dock/scale")[0] == "township"


def test_dock_runs_the_hazard_ledger_as_its_dialog_would(plugin, qgis_iface, qgis_app, tmp_path):
    """The ledger is a no-threading algorithm (its cards are print layouts): the dock runs
    it on the main thread, as Processing's dialog does, and loads its layers the same way."""
    from hunchun_risk_plugin.gui.workflow import LEDGER

    dock = open_dock(plugin, qgis_iface)
    dock.folder.setFilePath(str(tmp_path))
    project = QgsProject.instance()
    before = set(project.mapLayers())
    started = []
    dock.runner.step_started.connect(started.append)
    dock.ledger_button.click()
    assert dock.runner.wait(qgis_app.processEvents, 600), dock.status.text()
    assert started == [LEDGER]
    added = [project.mapLayer(i) for i in set(project.mapLayers()) - before]
    assert {layer.name() for layer in added} == {"Hazard-site ledger", "Ledger: settlements to shelters",
                                                 "Safety distance of major hazard installations"}
    root = project.layerTreeRoot()
    groups = {root.findLayer(layer.id()).parent() for layer in added}
    assert len(groups) == 1 and groups.pop().name().startswith("Hazard-site ledger and hazard avoidance cards")
    # The cards came with it: one PDF per township that has a site in the ledger.
    ledger = next(layer for layer in added if layer.name() == "Hazard-site ledger")
    assert ledger.featureCount() > 0
    township_field = next(name for name in ledger.fields().names() if "township" in name)
    townships = {f[township_field] for f in ledger.getFeatures()}
    cards = list((tmp_path / "ledger").rglob("*.pdf"))
    assert len(cards) == len(townships) > 0
    assert dock.progress.value() == 100


class DrawingCanvas:
    """A canvas that draws until told to stop: ``isDrawing`` is all the runner asks."""

    def __init__(self) -> None:
        self.drawing = True

    def isDrawing(self) -> bool:  # noqa: N802 (QgsMapCanvas's name)
        return self.drawing


def _process_for(qgis_app, seconds: float) -> None:
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        qgis_app.processEvents()
        time.sleep(0.01)


def test_a_step_waits_for_the_canvas_to_finish_drawing(plugin, qgis_iface, qgis_app, tmp_path):
    """QGIS 3.22 crashed when a task started under the canvas's first drawing of the
    layers just loaded: the step is queued, shown as running, and handed to the task
    manager only once the canvas has been quiet for a second."""
    from hunchun_risk_plugin.gui.workflow import RISK

    dock = open_dock(plugin, qgis_iface)
    dock.folder.setFilePath(str(tmp_path))
    dock.scale.setCurrentIndex(1)
    dock.township.setCurrentIndex(dock.township.findData("新安街道"))
    canvas = dock.runner.canvas = DrawingCanvas()
    dock.run_steps([RISK])
    _process_for(qgis_app, 2.0)
    assert dock.runner.running and dock.runner.task is None and dock.cancel_button.isEnabled()
    assert QgsApplication.taskManager().count() == 0 and not (tmp_path / "risk_township").exists()
    canvas.drawing = False
    quiet = dock.runner.POLL_MS * dock.runner.QUIET_TICKS / 1000
    _process_for(qgis_app, quiet * 0.6)
    assert dock.runner.task is None  # not yet quiet long enough
    assert dock.runner.wait(qgis_app.processEvents), dock.status.text()
    assert (tmp_path / "risk_township" / "risk_class.tif").exists()


def test_cancel_while_waiting_for_the_canvas_runs_nothing(plugin, qgis_iface, qgis_app, tmp_path):
    from hunchun_risk_plugin.gui.workflow import RISK

    dock = open_dock(plugin, qgis_iface)
    dock.folder.setFilePath(str(tmp_path))
    dock.runner.canvas = DrawingCanvas()
    project = QgsProject.instance()
    before = set(project.mapLayers())
    dock.run_steps([RISK])
    _process_for(qgis_app, 0.5)
    dock.runner.cancel()
    assert dock.runner.wait(qgis_app.processEvents, 10) is False
    assert not dock.runner.running and dock.risk_button.isEnabled()
    assert set(project.mapLayers()) == before and list(tmp_path.iterdir()) == []
    assert "Cancel" in dock.status.text()


def test_cancel_mid_task_leaves_nothing(plugin, qgis_iface, qgis_app, tmp_path):
    import time

    from hunchun_risk_plugin.gui.workflow import RISK

    dock = open_dock(plugin, qgis_iface)
    dock.folder.setFilePath(str(tmp_path))
    dock.scale.setCurrentIndex(0)  # the whole city: long enough to cancel half way
    project = QgsProject.instance()
    before = set(project.mapLayers())
    progress = []
    dock.runner.progress.connect(progress.append)
    dock.run_steps([RISK])
    end = time.monotonic() + 120
    while not any(p > 5 for p in progress) and time.monotonic() < end:
        qgis_app.processEvents()
        time.sleep(0.01)
    assert any(p > 5 for p in progress) and max(progress) < 100
    dock.runner.cancel()
    assert dock.runner.wait(qgis_app.processEvents) is False
    assert set(project.mapLayers()) == before
    folder = tmp_path / "risk_city"
    assert not folder.exists() or list(folder.iterdir()) == []
    assert list(tmp_path.iterdir()) in ([], [folder]) and "Cancel" in dock.status.text()


def test_unload_leaves_no_dock_action_or_provider(qgis_iface, qgis_app, qgis_new_project):
    registry = QgsApplication.processingRegistry()
    if registry.providerById("hunchunrisk") is not None:
        registry.removeProvider(registry.providerById("hunchunrisk"))
    instance = hunchun_risk_plugin.classFactory(qgis_iface)
    instance.initGui()
    qgis_iface.mainWindow().findChild(QAction, "hunchunrisk_dock_action").trigger()
    assert qgis_iface.mainWindow().findChild(QDockWidget, "HunchunRiskDock") is not None
    instance.unload()
    qgis_app.sendPostedEvents(None, 0)
    assert qgis_iface.mainWindow().findChild(QDockWidget, "HunchunRiskDock") is None
    assert qgis_iface.mainWindow().findChild(QAction, "hunchunrisk_dock_action") is None
    assert registry.providerById("hunchunrisk") is None


@pytest.mark.parametrize("locale, language", [("zh_CN", "zh"), ("en_US", "en")])
def test_dock_renders_in_both_languages(qgis_iface, qgis_new_project, sample_gpkg, tmp_path, locale, language):
    """Offscreen PNGs of the dock (the README's pictures come from the same rendering)."""
    from qgis.PyQt.QtCore import QSettings
    from qgis.PyQt.QtGui import QImage

    from hunchun_risk_plugin.gui.dock import HunchunRiskDock
    from hunchun_risk_plugin.mapping.sample_project import load_sample_data

    settings = QSettings()
    kept = (settings.value("locale/overrideFlag"), settings.value("locale/userLocale"))
    settings.setValue("locale/overrideFlag", True)
    settings.setValue("locale/userLocale", locale)
    try:
        load_sample_data(QgsProject.instance(), language)
        dock = HunchunRiskDock(qgis_iface, lambda: False, lambda: "missing: geopandas", lambda: None)
        dock.resize(400, 1500)
        dock.show()
        png = tmp_path / f"dock_{language}.png"
        assert dock.grab().save(str(png))
        image = QImage(str(png))
        assert image.width() == 400 and image.height() == 1500
        assert dock.windowTitle() == ("珲春风险制图面板" if language == "zh" else "Hunchun Risk panel")
        assert dock.run_all_button.text() == ("全部运行" if language == "zh" else "Run all")
        # Packages missing: the banner says so and offers Install…, the run buttons wait.
        assert not dock.banner.isHidden() and "geopandas" in dock.banner_text.text()
        assert not dock.run_all_button.isEnabled() and dock.install_button.isEnabled()
        dock.deleteLater()
    finally:
        for key, value in zip(("locale/overrideFlag", "locale/userLocale"), kept):
            settings.setValue(key, value) if value is not None else settings.remove(key)


@pytest.mark.slow
def test_run_all_runs_every_step_in_order_and_prints_from_their_results(plugin, qgis_iface, qgis_app, tmp_path):
    import csv

    from hunchun_risk_plugin.gui.workflow import COVERAGE, EVACUATION, LEDGER, MAPS, RISK

    dock = open_dock(plugin, qgis_iface)
    dock.folder.setFilePath(str(tmp_path))
    dock.scale.setCurrentIndex(1)
    dock.township.setCurrentIndex(dock.township.findData("新安街道"))
    for check in dock.kind_boxes:
        check.setChecked(check.property("kind_key") == "risk")  # the risk map only: a short batch
    started = []
    dock.runner.step_started.connect(started.append)
    dock.run_all_button.click()
    assert dock.runner.wait(qgis_app.processEvents, 900), dock.status.text()
    assert started == [RISK, EVACUATION, LEDGER, COVERAGE, MAPS]
    assert not (tmp_path / "maps" / "analysis").exists()  # the maps reused the steps' results
    with open(tmp_path / "maps" / "index.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all("新安街道" in " ".join(row.values()) for row in rows)
    # The evacuation avoided the flood zones and the risk zoning's high classes it had just made.
    import json

    record = json.loads((tmp_path / "evacuation" / "evacuation_routes_provenance.json").read_text(encoding="utf-8"))
    assert record["parameters"]["HAZARD_RASTER"] == str(tmp_path / "risk_township" / "risk_class.tif")
    flood = next(layer for layer in QgsProject.instance().mapLayers().values() if layer.shortName() == "flood_zones")
    assert record["parameters"]["HAZARD_POLYGONS"] == flood.id()


def test_check_inputs_reports_in_the_dock(plugin, qgis_iface, qgis_app):
    """The sample passes the schema check: the dock shows validateinputs' own summary."""
    import processing

    from hunchun_risk_plugin.gui.workflow import CHECK, check_step

    dock = open_dock(plugin, qgis_iface)
    dock.check_button.click()
    assert dock.runner.wait(qgis_app.processEvents), dock.status.text()
    step = check_step(dock.choices())
    assert step.key == CHECK and set(step.parameters) == {
        name.upper() for name in ("townships", "settlements", "shelters", "depots", "hazard_sites", "roads", "rivers",
                                  "fire_stations", "seismic_zones", "flood_zones")}
    expected = processing.run("hunchunrisk:validateinputs", step.parameters)["SUMMARY"]  # the same run, directly
    assert expected in dock.check_result.text() and "0 error" in expected
