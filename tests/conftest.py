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
