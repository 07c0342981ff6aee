"""Runs inside the real QGIS desktop, started by tests/test_desktop.py as
``qgis --code tests/desktop/in_qgis.py``. Not a test module: QGIS execs it after start-up.

The test passes a JSON file in HUNCHUN_E2E_CONFIG: {"step": "install_zip" | "run_algorithms",
"report": path, "screenshot": path, "timeout_s": n, ...}. The script records what a user
would see (message bar items, any dialog, "Python error" log messages), does the step,
takes a screenshot of the whole screen, writes the report and quits QGIS. QGIS's own
--code runner gives no __file__, so everything it needs is in this one file.
"""
import json
import os
import traceback

from qgis.core import QgsApplication, QgsProject, QgsRasterLayer
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import QAbstractButton, QApplication, QDialog, QMessageBox, QTextBrowser, QTextEdit
from qgis.utils import iface

PLUGIN = "hunchun_risk_plugin"
CONFIG = json.loads(open(os.environ["HUNCHUN_E2E_CONFIG"], encoding="utf-8").read())
REPORT = {"step": CONFIG["step"], "python_errors": [], "dialogs": [], "log": []}


def on_log(message, tag, level):
    REPORT["log"].append({"tag": tag, "level": int(level), "message": message[:4000]})
    if tag == "Python error":
        REPORT["python_errors"].append(message[:4000])


def dialog_text(widget) -> str:
    if isinstance(widget, QMessageBox):
        return widget.text() + "\n" + widget.detailedText()
    texts = [w.toPlainText() for w in widget.findChildren((QTextBrowser, QTextEdit))]
    return "\n".join(texts)


def close_dialogs() -> None:
    """Record and close every visible dialog: a Python error dialog (QgsMessageViewer)
    or any message box would otherwise wait for a click forever."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            REPORT["dialogs"].append({"class": type(widget).__name__, "title": widget.windowTitle(),
                                      "text": dialog_text(widget)[:4000]})
            screenshot(CONFIG["screenshot"] + ".dialog.png")
            widget.reject()


def message_bar_items() -> list:
    items = []
    for item in iface.messageBar().items():
        buttons = [b.text() for b in item.findChildren(QAbstractButton) if b.text()]
        items.append({"title": item.title(), "text": item.text(), "level": int(item.level()), "buttons": buttons})
    return items


def screenshot(path: str) -> None:
    QApplication.processEvents()
    QApplication.primaryScreen().grabWindow(0).save(path)


def plugin_state() -> dict:
    import qgis.utils

    provider = QgsApplication.processingRegistry().providerById("hunchunrisk")
    return {"active": PLUGIN in qgis.utils.active_plugins,
            "algorithms": sorted(a.id() for a in provider.algorithms()) if provider else None,
            "messages": message_bar_items()}


def finish() -> None:
    close_dialogs()
    screenshot(CONFIG["screenshot"])
    REPORT.update(plugin_state())
    write_report()
    # Our outputs live under /tmp, which QGIS counts as temporary layers: closing the
    # project first spares the "temporary layers will be lost" question on exit.
    QgsProject.instance().clear()
    iface.actionExit().trigger()


def write_report() -> None:
    partial = CONFIG["report"] + ".partial"
    with open(partial, "w", encoding="utf-8") as handle:
        json.dump(REPORT, handle, ensure_ascii=False, indent=1)
    os.replace(partial, CONFIG["report"])


def guarded(step):
    def run():
        try:
            step()
        except Exception:  # the test reads it from the report
            REPORT["script_error"] = traceback.format_exc()
            finish()
    return run


def install_zip() -> None:
    """Plugins > Manage and Install Plugins > Install from ZIP, QGIS's own code path."""
    from pyplugin_installer import instance

    instance().installFromZipFile(CONFIG["zip"])
    QTimer.singleShot(3000, guarded(finish))  # let the message bar and any error show


def run_algorithms() -> None:
    import processing

    REPORT["at_start"] = plugin_state()
    gpkg = CONFIG["sample_gpkg"]
    layers = {name.upper(): f"{gpkg}|layername={name}" for name in CONFIG["layers"]}
    rasters = {"DEM": os.path.join(os.path.dirname(gpkg), "dem.tif"),
               "FOREST": os.path.join(os.path.dirname(gpkg), "forest.tif")}
    township = CONFIG["township"]
    risk = processing.run("hunchunrisk:riskzoning", {
        **layers, **rasters, "SCALE": 1, "TOWNSHIP": township, "CELL_SIZE": 50,
        "OUTPUT_FOLDER": os.path.join(CONFIG["output"], "risk")})
    REPORT["riskzoning"] = {k: v for k, v in risk.items() if isinstance(v, (str, int, float))}
    maps = processing.run("hunchunrisk:exportmaps", {
        **layers, **rasters, "RISK_TOWNSHIP": risk["RISK_ZONES"].split("|")[0], "SCALES": [1],
        "ONLY_TOWNSHIPS": township, "DPI": 100, "MAP_DATE": "2026-01-01",
        "OUTPUT_FOLDER": os.path.join(CONFIG["output"], "maps")})
    REPORT["exportmaps"] = {k: v for k, v in maps.items() if isinstance(v, (str, int, float))}
    layer = QgsRasterLayer(risk["RISK_CLASS"], "risk class")
    QgsProject.instance().addMapLayer(layer)
    iface.mapCanvas().setDestinationCrs(layer.crs())
    iface.mapCanvas().setExtent(layer.extent())
    iface.mapCanvas().refresh()
    QTimer.singleShot(3000, guarded(finish))  # let the canvas render


def give_up() -> None:
    REPORT["timeout"] = True
    close_dialogs()
    screenshot(CONFIG["screenshot"])
    write_report()
    os._exit(3)


QgsApplication.messageLog().messageReceived.connect(on_log)
iface.mainWindow().setGeometry(QApplication.primaryScreen().availableGeometry())
watchdog = QTimer()
watchdog.timeout.connect(close_dialogs)
watchdog.start(500)
QTimer.singleShot(int(CONFIG["timeout_s"] * 1000), give_up)
QTimer.singleShot(1000, guarded({"install_zip": install_zip, "run_algorithms": run_algorithms}[CONFIG["step"]]))
