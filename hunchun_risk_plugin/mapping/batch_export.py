"""Export many pages on every core: pages are shared out by expected cost between
worker processes (``python -m hunchun_risk_plugin.mapping.export_worker``), each with
its own headless QGIS. A page is one file; workers report each finished file on
stdout, so progress and cancel reach the caller at page granularity."""
from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Callable

from ..core.errors import Cancelled
from ..core.map_pages import PageSpec, page_to_dict, page_weight
from ..paths import PLUGIN_DIR
from .export_worker import REPORT  # workers prefix their report lines; QGIS chatter has none
from .map_export import ExportSettings
from .map_project import MapSources
from .page_text import PageText


def page_path(page: PageSpec, file_format: str) -> str:
    return f"{page.folder()}/{page.file_stem()}.{file_format}"


def share_out(pages: Sequence[PageSpec], workers: int) -> list[list[int]]:
    """Page indexes per worker, heaviest page first to the least loaded worker."""
    loads = [0.0] * workers
    shares: list[list[int]] = [[] for _ in range(workers)]
    for index in sorted(range(len(pages)), key=lambda i: -page_weight(pages[i])):
        lightest = loads.index(min(loads))
        shares[lightest].append(index)
        loads[lightest] += page_weight(pages[index])
    return [sorted(share) for share in shares if share]


def python_interpreter() -> str | None:
    """A Python of this process's version to run workers. Inside QGIS ``sys.executable``
    is QGIS itself (or whatever ``python3`` a shim points at), so each candidate is
    asked for its version first."""
    wanted = f"{sys.version_info[0]}.{sys.version_info[1]}"
    candidates = [sys.executable, getattr(sys, "_base_executable", ""), shutil.which(f"python{wanted}"),
                  f"/usr/bin/python{wanted}", shutil.which("python3")]
    for candidate in dict.fromkeys(c for c in candidates if c):
        if Path(candidate).name.lower().startswith("python") and _version_of(candidate) == wanted:
            return candidate
    return None


def _version_of(interpreter: str) -> str | None:
    try:
        found = subprocess.run([interpreter, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                               capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return found.stdout.strip() if found.returncode == 0 else None


def worker_environment() -> dict[str, str]:
    env = dict(os.environ)
    paths = [str(PLUGIN_DIR.parent)] + [p for p in sys.path if p and Path(p).exists()]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    return env


def export_in_processes(pages: Sequence[PageSpec], sources: MapSources, settings: ExportSettings, text: PageText,
                        folder: Path, workers: int, on_page: Callable[[str], None],
                        is_cancelled: Callable[[], bool]) -> list[Path]:
    """Export ``pages`` into ``folder`` with ``workers`` processes; ``on_page`` gets each
    finished file (relative path). Raises ``Cancelled`` or ``RuntimeError``; files
    already written stay for the caller's staging to discard."""
    interpreter = python_interpreter()
    if interpreter is None:
        raise RuntimeError("no Python interpreter found to start export workers; set WORKERS to 1")
    reports: queue.Queue = queue.Queue()
    with tempfile.TemporaryDirectory(prefix="hunchun-export-") as scratch:
        processes = [_start_worker(interpreter, [pages[i] for i in share], sources, settings, text, folder,
                                   Path(scratch) / f"job{n}.json", reports)
                     for n, share in enumerate(share_out(pages, workers))]
        try:
            _follow(processes, reports, on_page, is_cancelled)
        finally:
            for process, _ in processes:
                if process.poll() is None:
                    process.kill()
                process.wait()
    return [folder / page_path(page, settings.file_format) for page in pages]


def _start_worker(interpreter: str, pages: list[PageSpec], sources: MapSources, settings: ExportSettings,
                  text: PageText, folder: Path, job_file: Path, reports: queue.Queue):
    job = {"sources": sources.uris, "settings": {**asdict(settings), "template": str(settings.template or "")},
           "text": asdict(text), "folder": str(folder),
           "pages": [{**page_to_dict(p), "path": page_path(p, settings.file_format)} for p in pages]}
    job_file.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    errors = tempfile.TemporaryFile()
    process = subprocess.Popen([interpreter, "-m", "hunchun_risk_plugin.mapping.export_worker", str(job_file)],
                               stdout=subprocess.PIPE, stderr=errors, env=worker_environment(), text=True,
                               encoding="utf-8")
    threading.Thread(target=_pump, args=(process, reports), daemon=True).start()
    return process, errors


def _pump(process, reports: queue.Queue) -> None:
    for line in process.stdout:
        if line.startswith(REPORT):
            reports.put(line[len(REPORT):].rstrip("\n").split("\t"))
    reports.put(["exit", str(process.pid)])


def _follow(processes, reports: queue.Queue, on_page, is_cancelled) -> None:
    running = len(processes)
    while running:
        if is_cancelled():
            raise Cancelled()
        try:
            report = reports.get(timeout=0.2)
        except queue.Empty:
            continue
        if report[0] == "done":
            on_page(report[1])
        elif report[0] == "error":
            raise RuntimeError(f"export of {report[1]} failed: {report[2] if len(report) > 2 else 'unknown error'}")
        elif report[0] == "exit":
            running -= 1
    for process, errors in processes:
        if process.wait() != 0:
            errors.seek(0)
            tail = errors.read().decode("utf-8", "replace")[-1500:]
            raise RuntimeError(f"an export worker stopped with code {process.returncode}: {tail}")
