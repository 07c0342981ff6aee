"""QGIS outside the desktop, for scripts, the demo and benchmarks."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

QGIS_PROCESSING_PLUGINS = "/usr/share/qgis/python/plugins"


@contextmanager
def qgis_session(processing: bool = False) -> Iterator[object]:
    """Start a headless QgsApplication; with ``processing``, also Processing and the
    ``hunchunrisk`` provider. Exits QGIS on the way out."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    provider = None
    try:
        if processing:
            if QGIS_PROCESSING_PLUGINS not in sys.path:
                sys.path.append(QGIS_PROCESSING_PLUGINS)
            from processing.core.Processing import Processing

            from ..processing_provider.provider import HunchunRiskProvider

            Processing.initialize()
            # Python owns the provider: this reference keeps it alive while registered.
            provider = HunchunRiskProvider()
            QgsApplication.processingRegistry().addProvider(provider)
        yield app
    finally:
        if provider is not None:
            QgsApplication.processingRegistry().removeProvider(provider)
        app.exitQgis()
