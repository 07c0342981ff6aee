"""QGIS desktop smoke run of the 珲春风险制图面板, for ``qgis --code`` (under Xvfb in
tests/test_desktop_dock.py): load the sample data, open the dock from its action, run
the city risk zoning from it, take a screenshot of the whole window, write what happened
to ``$HUNCHUN_DESKTOP_OUT/result.json`` and quit QGIS.

    HUNCHUN_DESKTOP_OUT=/tmp/desk xvfb-run -a -s "-screen 0 1600x1000x24" \\
        qgis --profiles-path DIR --nologo --code scripts/desktop_dock_run.py
"""
import json
import os
import traceback
from pathlib import Path

from qgis.core import QgsProject
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QAction, QDockWidget
from qgis.utils import iface, plugins

OUT = Path(os.environ.get("HUNCHUN_DESKTOP_OUT", "/tmp/hunchun_desktop"))
OUT.mkdir(parents=True, exist_ok=True)
state = {"steps": []}


def record(phase: str) -> None:
    """Written at every phase, so that a QGIS that dies says how far it got."""
    state["phase"] = phase
    (OUT / "result.json").write_text(json.dumps(state, ensure_ascii=False, indent=2), encoding="utf-8")


def finish(**extra) -> None:
    state.update(extra)
    record("finished")
    QTimer.singleShot(500, quit_qgis)


def quit_qgis() -> None:
    """The way a user quits (the project emptied first, so QGIS asks nothing)."""
    state["quitting"] = True
    (OUT / "result.json").write_text(json.dumps(state, ensure_ascii=False, indent=2), encoding="utf-8")
    QgsProject.instance().clear()
    iface.actionExit().trigger()


def screenshot_and_quit(ok: bool) -> None:
    def shoot():
        record("taking the screenshot")
        try:
            window = iface.mainWindow()
            window.grab().save(str(OUT / "desktop_dock.png"))
            project = QgsProject.instance()
            root = project.layerTreeRoot()
            groups = [g.name() for g in root.children() if hasattr(g, "findLayerIds")]
            finish(ok=ok, groups=groups, layers=len(project.mapLayers()),
                   extent=iface.mapCanvas().extent().toString(0), status=dock.status.text())
        except Exception:
            finish(ok=False, error=traceback.format_exc())
    canvas = iface.mapCanvas()
    shot = []

    def once():
        if not shot:
            shot.append(True)
            QTimer.singleShot(300, shoot)
    canvas.mapCanvasRefreshed.connect(once)  # the results drawn, then the picture
    canvas.refreshAllLayers()
    QTimer.singleShot(30000, once)


def start() -> None:
    global dock
    try:
        plugin = plugins["hunchun_risk_plugin"]
        record("loading the sample data")
        plugin.load_sample_data()
        record("sample data loaded")
        window = iface.mainWindow()
        window.resize(1600, 1000)
        window.findChild(QAction, "hunchunrisk_dock_action").trigger()
        dock = window.findChild(QDockWidget, "HunchunRiskDock")
        dock.folder.setFilePath(str(OUT / "results"))
        dock.scale.setCurrentIndex(0)  # 1:250000 city
        dock.runner.step_started.connect(lambda key: record(f"step {key} started"))
        dock.runner.step_done.connect(lambda key, results, added: state["steps"].append([key, len(added)]))
        dock.runner.finished.connect(screenshot_and_quit)
        record("running")
        dock.risk_button.click()
        state["running"] = dock.runner.running
    except Exception:
        finish(ok=False, error=traceback.format_exc())


QTimer.singleShot(3000, start)
QTimer.singleShot(600000, lambda: finish(ok=False, error="timed out"))
