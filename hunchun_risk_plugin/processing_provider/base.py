"""Shared behaviour of every ``hunchunrisk`` algorithm: names, help, language,
progress/cancel bound to the feedback, and bilingual errors."""
from __future__ import annotations

from qgis.core import QgsProcessingAlgorithm, QgsProcessingException, QgsProcessingFeedback

from ..core.errors import HunchunRiskError
from ..core.progress import Progress
from ..i18n import both, tr, user_language
from .catalog import AlgorithmEntry, entry


class HunchunAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set ``ALG_ID`` (its title and group are in ``core/data/algorithms.toml``)
    and the help, and implement ``initAlgorithm`` and ``execute`` (not ``run``:
    QgsProcessingAlgorithm.run is QGIS's own entry point)."""

    ALG_ID = ""
    HELP_EN = ""
    HELP_ZH = ""

    def entry(self) -> AlgorithmEntry:
        return entry(self.ALG_ID)

    def name(self) -> str:
        return self.ALG_ID

    def displayName(self) -> str:
        return both(self.entry().title_en, self.entry().title_zh)

    def group(self) -> str:
        return both(self.entry().group_en, self.entry().group_zh)

    def groupId(self) -> str:
        return self.entry().group_id

    def shortHelpString(self) -> str:
        return f"{self.HELP_ZH}\n\n{self.HELP_EN}" if user_language() == "zh" else f"{self.HELP_EN}\n\n{self.HELP_ZH}"

    def createInstance(self):
        return type(self)()

    def processAlgorithm(self, parameters, context, feedback):
        try:
            return self.execute(parameters, context, feedback, progress_for(feedback))
        except HunchunRiskError as error:
            raise QgsProcessingException(error.message(user_language())) from error

    def execute(self, parameters, context, feedback, progress: Progress) -> dict:
        raise NotImplementedError

    @staticmethod
    def language() -> str:
        return user_language()

    @staticmethod
    def tr(en: str, zh: str) -> str:
        return tr(en, zh)


def progress_for(feedback: QgsProcessingFeedback | None) -> Progress:
    """A core ``Progress`` reporting into a Processing feedback (0..100 %)."""
    if feedback is None:
        return Progress()
    return Progress(
        report=lambda fraction: feedback.setProgress(100.0 * fraction),
        is_canceled=feedback.isCanceled,
        log=feedback.pushInfo,
    )
