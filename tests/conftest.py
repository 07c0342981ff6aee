"""Shared fixtures. pytest-qgis provides qgis_app, qgis_iface, qgis_processing…"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", f"/tmp/runtime-{os.getuid()}")
Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, exist_ok=True)
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SAMPLE_GPKG = ROOT / "layers" / "hunchun_sample.gpkg"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def sample_gpkg() -> Path:
    if not SAMPLE_GPKG.exists():
        pytest.fail(f"sample data missing: {SAMPLE_GPKG} (run make sample-data)")
    return SAMPLE_GPKG


@pytest.fixture()
def hunchun_provider(qgis_processing):
    """The plugin's provider registered in the test QGIS (as initProcessing does).

    Looked up anew for every test: the plugin load/unload tests remove it."""
    from qgis.core import QgsApplication

    from hunchun_risk_plugin.processing_provider.provider import HunchunRiskProvider

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("hunchunrisk")
    if provider is None:
        provider = HunchunRiskProvider()
        registry.addProvider(provider)
        _LIVE_PROVIDERS.append(provider)  # Python owns it: keep it alive while registered
    return provider


_LIVE_PROVIDERS: list = []
_CANVAS_FOLLOWS_REMOVALS: list = []  # the connected slot, kept alive (connected once)


@pytest.fixture(autouse=True)
def _canvas_drops_removed_layers(request):
    """pytest-qgis's iface puts every layer added to the project on its map canvas and
    never takes a removed one off (QGIS's own layer tree bridge does), so its canvas could
    still be drawing a layer the project had just deleted: one full run crashed in
    pytest-qgis's event processing right after a test removed its result layers. Here
    the canvas stops drawing and drops the layers before the project deletes them."""
    if "qgis.core" in sys.modules and not _CANVAS_FOLLOWS_REMOVALS:
        from qgis.core import QgsProject
        from qgis.PyQt import sip

        canvas = request.getfixturevalue("qgis_iface").mapCanvas()

        def drop(layer_ids) -> None:
            if sip.isdeleted(canvas):
                return
            canvas.stopRendering()
            gone = set(layer_ids)
            canvas.setLayers([layer for layer in canvas.layers() if layer.id() not in gone])

        QgsProject.instance().layersWillBeRemoved.connect(drop)
        _CANVAS_FOLLOWS_REMOVALS.append(drop)
    yield


@pytest.fixture(autouse=True)
def _no_task_outlives_its_test():
    """A test that starts QgsTasks (the dock, background runs) leaves none running into
    the next test or into QGIS's exit, where a still-running thread can crash it."""
    yield
    if "qgis.core" not in sys.modules:  # core tests run without QGIS
        return
    import time

    from qgis.core import QgsApplication

    app = QgsApplication.instance()
    manager = QgsApplication.taskManager() if app is not None else None
    deadline = time.time() + 60
    while manager is not None and manager.countActiveTasks() and time.time() < deadline:
        app.processEvents()
        time.sleep(0.05)
