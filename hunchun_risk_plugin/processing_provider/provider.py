"""The ``hunchunrisk`` Processing provider."""
from __future__ import annotations

from qgis.core import QgsProcessingProvider
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
