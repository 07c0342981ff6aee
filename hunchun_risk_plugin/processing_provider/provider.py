"""The ``hunchunrisk`` Processing provider."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from qgis.core import QgsApplication, QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..core.version import plugin_version
from ..paths import PLUGIN_DIR
from .algorithms import algorithm_classes

PROVIDER_ID = "hunchunrisk"


class HunchunRiskProvider(QgsProcessingProvider):
    def id(self) -> str:
        return PROVIDER_ID

    def name(self) -> str:
        return "Hunchun Risk 珲春风险制图"

    def longName(self) -> str:
        return f"Hunchun Risk 珲春风险制图 {plugin_version()}"

    def icon(self) -> QIcon:
        return QIcon(str(PLUGIN_DIR / "icon.svg"))

    def versionInfo(self) -> str:
        return plugin_version()

    def loadAlgorithms(self) -> None:
        for algorithm_class in algorithm_classes():
            self.addAlgorithm(algorithm_class())


@contextmanager
def registered_provider() -> Iterator[HunchunRiskProvider]:
    """The provider registered for the length of a headless session (scripts, demo,
    benchmarks). Python owns the provider: this reference keeps it alive while registered."""
    provider = HunchunRiskProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    try:
        yield provider
    finally:
        QgsApplication.processingRegistry().removeProvider(provider)
