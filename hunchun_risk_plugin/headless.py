"""QGIS without its desktop: one headless session for the print workers, scripts, the
demo and the benchmarks. It starts QGIS (and, when asked, QGIS's Processing framework)
and nothing of this plugin: whoever needs the ``hunchunrisk`` provider registers it
(``processing_provider.provider.registered_provider``), so this module imports no
other module of the plugin."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

QGIS_PROCESSING_PLUGINS = "/usr/share/qgis/python/plugins"


@contextmanager
def qgis_session(processing: bool = False) -> Iterator[object]:
    """Start a headless QgsApplication; with ``processing``, also initialise QGIS's
    Processing framework. Exits QGIS on the way out."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    try:
        if processing:
            if QGIS_PROCESSING_PLUGINS not in sys.path and os.path.isdir(QGIS_PROCESSING_PLUGINS):
                sys.path.append(QGIS_PROCESSING_PLUGINS)
            from processing.core.Processing import Processing

            Processing.initialize()
        yield app
    finally:
        app.exitQgis()
