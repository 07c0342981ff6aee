"""Export many pages on every core: pages go, heaviest first, to whichever worker
process (``python -m hunchun_risk_plugin.mapping.worker_process``, each with its own
headless QGIS) has just finished one. A page is one file; workers report each finished file on
stdout, so progress and cancel reach the caller at page granularity."""
from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Callable

from ..core.errors import Cancelled
from ..core.map_pages import PageSpec, page_to_dict, page_weight
from ..core.raster_io import PAM_VARIABLE
from ..interpreter import python_interpreter
from ..paths import PLUGIN_DIR
from .worker_process import REPORT  # workers prefix their report lines; QGIS chatter has none
from .page_exporter import ExportSettings
from .map_project import MapSources
from .page_text import PageText


def worker_environment() -> dict[str, str]:
    env = dict(os.environ)
    env[PAM_VARIABLE] = "NO"  # the workers open the user's rasters: no .aux.xml beside them
    paths = [str(PLUGIN_DIR.parent)] + [p for p in sys.path if p and Path(p).exists()]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


PAGES_IN_HAND = 2  # each worker holds its next page already, so it never waits for the parent


def export_in_processes(pages: Sequence[PageSpec], sources: MapSources, settings: ExportSettings, text: PageText,
                        folder: Path, workers: int, on_page: Callable[[str], None],
                        is_cancelled: Callable[[], bool]) -> list[Path]:
    """Export ``pages`` into ``folder`` with ``workers`` processes; ``on_page`` gets each
    finished file (relative path). Pages go out heaviest first, a page at a time, to
    whichever worker has just finished one (each holds ``PAGES_IN_HAND``), so no
    worker idles while another still has a queue. Raises ``Cancelled`` or ``RuntimeError``; files already written stay
    for the caller's staging to discard."""
    interpreter = python_interpreter()
    if interpreter is None:
        raise RuntimeError("no Python interpreter found to start export workers; set WORKERS to 1")
    waiting = deque(sorted(pages, key=page_weight, reverse=True))
    reports: queue.Queue = queue.Queue()
    with tempfile.TemporaryDirectory(prefix="hunchun-export-") as scratch:
        job_file = Path(scratch) / "job.json"
        job_file.write_text(json.dumps(_job(sources, settings, text, folder), ensure_ascii=False), encoding="utf-8")
        team = [_Worker(n, interpreter, job_file, reports) for n in range(min(workers, len(pages)))]
        try:
            for _ in range(PAGES_IN_HAND):
                for worker in team:
                    worker.give(waiting, settings.file_format)
            _follow(team, waiting, settings.file_format, reports, on_page, is_cancelled)
        finally:
            for worker in team:
                worker.stop()
    return [folder / page.relative_path(settings.file_format) for page in pages]


def _job(sources: MapSources, settings: ExportSettings, text: PageText, folder: Path) -> dict:
    return {"sources": sources.uris, "settings": {**asdict(settings), "template": str(settings.template or "")},
            "text": asdict(text), "folder": str(folder)}


class _Worker:
    """One export process, fed one page at a time on its stdin."""

    def __init__(self, number: int, interpreter: str, job_file: Path, reports: queue.Queue) -> None:
        self.number = number
        self.errors = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [interpreter, "-m", "hunchun_risk_plugin.mapping.worker_process", str(job_file)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors, env=worker_environment(),
            text=True, encoding="utf-8")
        self.pump = threading.Thread(target=self._pump, args=(reports,), daemon=True)
        self.pump.start()

    def give(self, waiting: deque, file_format: str) -> None:
        """The next page, or end of input when none is left (the worker then exits)."""
        try:
            if waiting:
                page = waiting.popleft()
                line = json.dumps({**page_to_dict(page), "path": page.relative_path(file_format)}, ensure_ascii=False)
                self.process.stdin.write(line + "\n")
                self.process.stdin.flush()
            else:
                self.process.stdin.close()
        except (BrokenPipeError, ValueError):
            pass  # the worker has died; its exit status tells what happened

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        # Popen leaves the pipes open and the error file is ours: close them once the pump
        # has read the worker's output to its end (else a ResourceWarning on every run).
        self.pump.join(timeout=10)
        for stream in (self.process.stdin, self.process.stdout, self.errors):
            with contextlib.suppress(OSError):
                stream.close()

    def error_tail(self) -> str:
        self.errors.seek(0)
        return self.errors.read().decode("utf-8", "replace")[-1500:]

    def _pump(self, reports: queue.Queue) -> None:
        for line in self.process.stdout:
            if line.startswith(REPORT):
                reports.put((self, line[len(REPORT):].rstrip("\n").split("\t")))
        reports.put((self, ["exit"]))


def _follow(team: list[_Worker], waiting: deque, file_format: str, reports: queue.Queue, on_page,
            is_cancelled) -> None:
    running = len(team)
    while running:
        if is_cancelled():
            raise Cancelled()
        try:
            worker, report = reports.get(timeout=0.2)
        except queue.Empty:
            continue
        if report[0] == "done":
            worker.give(waiting, file_format)
            on_page(report[1])
        elif report[0] == "error":
            raise RuntimeError(f"export of {report[1]} failed: {report[2] if len(report) > 2 else 'unknown error'}")
        elif report[0] == "exit":
            running -= 1
            if worker.process.wait() != 0:
                raise RuntimeError(f"an export worker stopped with code {worker.process.returncode}: "
                                   f"{worker.error_tail()}")
