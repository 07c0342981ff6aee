"""The ``hunchunrisk`` Processing provider."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from qgis.core import Qgis, QgsApplication, QgsMessageLog, QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from .. import dependencies
from ..core.version import plugin_version
from ..paths import PLUGIN_DIR
from ..third_party_warnings import quiet_third_party_warnings

PROVIDER_ID = "hunchunrisk"
LOG_TAG = "Hunchun Risk"


class HunchunRiskProvider(QgsProcessingProvider):
    """Loads the real algorithms when every required package is there, else placeholders
    that explain what is missing (``refreshAlgorithms`` after an install swaps them)."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[dependencies.Problem] = []
        self.import_error: str | None = None

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

    @property
    def ready(self) -> bool:
        return not self.problems and self.import_error is None

    def loadAlgorithms(self) -> None:
        quiet_third_party_warnings()
        self.problems = dependencies.check()
        self.import_error = None
        if not self.problems:
            try:
                from .algorithms import algorithm_classes

                classes = algorithm_classes()
            except ImportError as error:  # a broken install the metadata did not reveal
                self.import_error = f"{type(error).__name__}: {error}"
                QgsMessageLog.logMessage(self.import_error, LOG_TAG, Qgis.MessageLevel.Critical)
            else:
                for algorithm_class in classes:
                    self.addAlgorithm(algorithm_class())
                return
        from .placeholders import placeholder_algorithms

        for algorithm in placeholder_algorithms(*self.messages()):
            self.addAlgorithm(algorithm)

    def messages(self) -> tuple[str, str]:
        """What is missing, in English and Chinese."""
        if self.problems:
            return dependencies.describe(self.problems, "en"), dependencies.describe(self.problems, "zh")
        if self.import_error:
            return (f"Hunchun Risk could not import its Python packages ({self.import_error}). "
                    "Reinstall them with Install… or install_dependencies.py.",
                    f"珲春风险制图无法导入所需 Python 包（{self.import_error}）。请用“安装…”或 "
                    "install_dependencies.py 重新安装。")
        return dependencies.describe([], "en"), dependencies.describe([], "zh")


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
