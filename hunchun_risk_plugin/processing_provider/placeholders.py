"""Stand-ins for the algorithms while Python packages are missing: same ids, titles and
groups (from ``core/data/algorithms.toml``), whose help and run say what is missing and
how to install it, so the toolbox, models and ``qgis_process list`` keep working."""
from __future__ import annotations

from qgis.core import QgsProcessingException

from .base import HunchunAlgorithm
from .catalog import AlgorithmEntry, algorithm_entries


class MissingPackagesAlgorithm(HunchunAlgorithm):
    def __init__(self, algorithm: AlgorithmEntry, message_en: str, message_zh: str) -> None:
        super().__init__()
        self.ALG_ID = algorithm.id
        self._algorithm = algorithm
        self._messages = (message_en, message_zh)
        self.HELP_EN, self.HELP_ZH = message_en, message_zh

    def createInstance(self):
        return MissingPackagesAlgorithm(self._algorithm, *self._messages)

    def initAlgorithm(self, config=None) -> None:
        """No parameters: the real ones need the missing packages to be described."""

    def createCustomParametersWidget(self, parent=None):
        return None  # Processing's plain dialog: nothing to choose

    def canExecute(self):
        return False, self.tr(*self._messages)

    def processAlgorithm(self, parameters, context, feedback):
        raise QgsProcessingException(self.tr(*self._messages))


def placeholder_algorithms(message_en: str, message_zh: str) -> list[MissingPackagesAlgorithm]:
    return [MissingPackagesAlgorithm(algorithm, message_en, message_zh) for algorithm in algorithm_entries()]
