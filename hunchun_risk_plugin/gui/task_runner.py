"""Runs the dock's steps one after another, each as a ``QgsProcessingAlgRunnerTask`` in
QGIS's task manager (the task the Processing dialog itself uses; an algorithm flagged
no-threading runs on the main thread, as in its dialog), and loads each step's
layers into the project the way a dialog run does (styled, in the run's group)."""
from __future__ import annotations

from collections.abc import Callable, Sequence

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsProcessingAlgorithm,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
)
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from .workflow import DockChoices, Step, step_for


class RecordingFeedback(QgsProcessingFeedback):
    """Keeps the errors and warnings a run reports, for the message bar."""

    def __init__(self) -> None:
        super().__init__()
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def reportError(self, error, fatalError=False):  # noqa: N802,N803 (Qt's names)
        self.errors.append(error)
        super().reportError(error, fatalError)

    def pushWarning(self, warning):  # noqa: N802
        self.warnings.append(warning)
        super().pushWarning(warning)


class StepRunner(QObject):
    """``run(keys, choices)`` runs the steps in order; a failure or cancel stops the
    chain (the step's own staging leaves nothing half-written)."""

    progress = pyqtSignal(float)            # 0–100 over the whole chain
    step_started = pyqtSignal(str)          # step key
    step_done = pyqtSignal(str, dict, list)  # step key, results, ids of the layers added
    failed = pyqtSignal(str, str)           # step key, message
    finished = pyqtSignal(bool)             # True when every step succeeded

    # A task starts once the map canvas has not drawn for QUIET_TICKS polls in a row
    # (and after MAX_WAIT_TICKS at the latest): see _start_when_canvas_quiet.
    POLL_MS, QUIET_TICKS, MAX_WAIT_TICKS = 200, 5, 150

    def __init__(self, parent=None, canvas=None) -> None:
        super().__init__(parent)
        self.canvas = canvas
        self.task: QgsProcessingAlgRunnerTask | None = None
        self._waiting: tuple | None = None  # (step, task) while the canvas settles
        self._poll = QTimer(self)
        self._poll.setInterval(self.POLL_MS)
        self._poll.timeout.connect(self._poll_canvas)
        self._quiet = self._waited = 0
        self.results: dict[str, dict] = {}
        self._queue: list[str] = []
        self._total = 0
        self._choices: DockChoices | None = None
        self._keep: tuple = ()  # algorithm, context and feedback must outlive the task
        self.canceled = False
        self.outcome: bool | None = None  # how the last chain ended (None while it runs)
        self.finished.connect(self._remember)

    def _remember(self, ok: bool) -> None:
        self.outcome = ok

    @property
    def running(self) -> bool:
        return self.task is not None or self._waiting is not None

    def run(self, keys: Sequence[str], choices: DockChoices) -> None:
        if self.running:
            return
        self.results, self._queue, self._total = {}, list(keys), len(keys)
        self._choices, self.canceled, self.outcome = choices, False, None
        self._next()

    def cancel(self) -> None:
        self.canceled = True
        self._queue = []
        if self.task is not None:
            self.task.cancel()

    def _next(self) -> None:
        if not self._queue:
            self.task = None
            self.finished.emit(not self.canceled)
            return
        key = self._queue.pop(0)
        self._start(step_for(key, self._choices, self.results))

    def _start(self, step: Step) -> None:
        from processing.tools.dataobjects import createContext

        algorithm = QgsApplication.processingRegistry().createAlgorithmById(step.algorithm)
        feedback = RecordingFeedback()
        # The dialog's own context: its expression context (project scope included) is
        # made here on the main thread; a worker making the project scope itself races
        # the layer tree's legend timer and crashes QGIS 3.22.
        context = createContext(feedback)
        prepare_lazy_state(step.parameters)
        done = self._total - len(self._queue) - 1
        feedback.progressChanged.connect(lambda p, d=done: self.progress.emit(100.0 * (d + p / 100.0) / self._total))
        self.step_started.emit(step.key)
        if algorithm.flags() & QgsProcessingAlgorithm.Flag.FlagNoThreading:
            # As Processing's own dialog does: such an algorithm runs on the main thread.
            self._keep = (algorithm, context, feedback, None)
            results, ok = algorithm.run(step.parameters, context, feedback)
            self._executed(step, ok, results)
            return
        task = QgsProcessingAlgRunnerTask(algorithm, step.parameters, context, feedback)
        task.executed.connect(lambda ok, results, s=step: self._executed(s, ok, results))
        self._keep = (algorithm, context, feedback, task)
        self._start_when_canvas_quiet(step, task)

    def _start_when_canvas_quiet(self, step: Step, task: QgsProcessingAlgRunnerTask) -> None:
        """QGIS 3.22 died (1 run in 10) when a task started while the canvas drew the
        layers just loaded and the layer tree's legend timer rebuilt its icons on the main
        thread; started once the drawing had settled it never did. So a task waits for a
        quiet canvas (a user rarely notices a second; a refresh scheduled but not yet
        begun shows up within one poll)."""
        if self.canvas is None:
            self._add(task)
            return
        self._waiting, self._quiet, self._waited = (step, task), 0, 0
        self._poll.start()

    def _poll_canvas(self) -> None:
        step, task = self._waiting
        if self.canceled:
            self._poll.stop()
            self._waiting = None
            self._executed(step, False, {})
            return
        self._waited += 1
        self._quiet = 0 if self.canvas.isDrawing() else self._quiet + 1
        if self._quiet >= self.QUIET_TICKS or self._waited >= self.MAX_WAIT_TICKS:
            self._poll.stop()
            self._waiting = None
            self._add(task)

    def _add(self, task: QgsProcessingAlgRunnerTask) -> None:
        self.task = task
        QgsApplication.taskManager().addTask(task)

    def _executed(self, step: Step, ok: bool, results: dict) -> None:
        algorithm, context, feedback, _ = self._keep
        if not ok or feedback.isCanceled():
            self.task = None
            self._queue = []
            message = "\n".join(feedback.errors) if not feedback.isCanceled() else ""
            self.failed.emit(step.key, message)
            self.finished.emit(False)
            return
        added = load_results(algorithm, context, feedback)
        self.results[step.key] = dict(results)
        self.step_done.emit(step.key, dict(results), added)
        self._next()

    def wait(self, process_events: Callable[[], None], timeout_s: float = 600) -> bool:
        """Block until the chain ends (tests and scripts); True when it succeeded."""
        import time

        end = time.monotonic() + timeout_s
        while self.outcome is None and time.monotonic() < end:
            process_events()
            time.sleep(0.02)
        return bool(self.outcome)


def prepare_lazy_state(parameters: dict) -> None:
    """QGIS 3.22 fills the project's expression scope and a CRS's text forms lazily and
    without a lock, and every CRS of one definition shares one private copy. A worker
    reading them first while the layer tree's legend timer builds them on the main thread
    raced (QGIS died in QgsProject::createExpressionContextScope under load): build them
    here, on the main thread, so that the worker only reads."""
    project = QgsProject.instance()
    crss = [project.crs()]
    for value in parameters.values():
        layer = project.mapLayer(value) if isinstance(value, str) else None
        if layer is not None:
            crss.append(layer.crs())
    for crs in crss:
        crs.authid(), crs.toWkt(QgsCoordinateReferenceSystem.WktVariant.WKT_PREFERRED), crs.toProj()
        crs.ellipsoidAcronym(), crs.description(), crs.mapUnits()
    project.createExpressionContextScope()


def load_results(algorithm, context: QgsProcessingContext, feedback) -> list[str]:
    """Processing's own loading of the run's layers (the algorithms queued them styled,
    with their group); returns the ids of the layers it added."""
    from processing.gui.Postprocessing import handleAlgorithmResults

    project = context.project() or QgsProject.instance()
    before = set(project.mapLayers())
    handleAlgorithmResults(algorithm, context, feedback, False)
    return [layer_id for layer_id in project.mapLayers() if layer_id not in before]
