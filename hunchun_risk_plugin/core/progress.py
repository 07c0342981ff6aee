"""Progress and cancellation for long work, without any QGIS dependency.

Engines take a ``Progress`` and call ``step`` between blocks; the Processing
algorithms pass one bound to ``QgsProcessingFeedback``, the dock one bound to a
``QgsTask``, tests a silent one.
"""
from __future__ import annotations

from typing import Callable

from .errors import Cancelled


class Progress:
    """Reports a fraction 0..1 of a (sub)task and raises ``Cancelled`` on request."""

    def __init__(
        self,
        report: Callable[[float], None] | None = None,
        is_canceled: Callable[[], bool] | None = None,
        log: Callable[[str], None] | None = None,
        start: float = 0.0,
        end: float = 1.0,
        language: str = "en",
    ) -> None:
        self._report = report
        self._is_canceled = is_canceled
        self._log = log
        self._start = start
        self._end = end
        self.language = language  # "zh" or "en": the engines' log lines follow the user's language

    def step(self, fraction: float) -> None:
        """Report progress within this (sub)range; raise ``Cancelled`` if asked to stop,
        before the report and after it: a cancel pressed while the last report is shown
        still stops the files from moving into place."""
        self._raise_if_cancelled()
        if self._report is not None:
            clamped = min(max(fraction, 0.0), 1.0)
            self._report(self._start + (self._end - self._start) * clamped)
            self._raise_if_cancelled()

    def _raise_if_cancelled(self) -> None:
        if self._is_canceled is not None and self._is_canceled():
            raise Cancelled()

    def cancelled(self) -> bool:
        """Whether the user asked to stop (for loops that must clean up before raising)."""
        return self._is_canceled is not None and bool(self._is_canceled())

    def info(self, message: str) -> None:
        if self._log is not None:
            self._log(message)

    def say(self, en: str, zh: str) -> None:
        """Log a bilingual line in this reporter's language."""
        self.info(zh if self.language.startswith("zh") else en)

    def sub(self, start: float, end: float) -> Progress:
        """A child reporter covering [start, end] of this one's range."""
        span = self._end - self._start
        return Progress(
            self._report,
            self._is_canceled,
            self._log,
            self._start + span * start,
            self._start + span * end,
            self.language,
        )


SILENT = Progress()
