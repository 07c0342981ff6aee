"""An export worker process: ``python -m hunchun_risk_plugin.mapping.worker_process
job.json`` opens the job's data with its own headless QGIS, then exports each page
that arrives on stdin and reports each file on stdout (see ``worker_pool``)."""
from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Iterable
from pathlib import Path

REPORT = "HR\t"


def report(*fields: str) -> None:
    print(REPORT + "\t".join(f.replace("\t", " ").replace("\n", " ") for f in fields), flush=True)


def run(job_file: Path) -> int:
    """Export the pages that arrive on stdin, one JSON object per line, until it closes."""
    warnings.filterwarnings("ignore", category=PendingDeprecationWarning)
    job = json.loads(job_file.read_text(encoding="utf-8"))
    from ..headless import qgis_session

    with qgis_session():
        from ..core.map_pages import page_from_dict
        from .page_exporter import ExportSettings, PageExporter
        from .map_project import MapSources
        from .page_text import PageText

        settings = job["settings"]
        exporter = PageExporter(
            MapSources(job["sources"]),
            ExportSettings(settings["file_format"], int(settings["dpi"]),
                           Path(settings["template"]) if settings["template"] else None),
            PageText(**job["text"]))
        try:
            return _export_all(exporter, (json.loads(line) for line in sys.stdin if line.strip()),
                               Path(job["folder"]), page_from_dict)
        finally:
            exporter.close()


def _export_all(exporter, pages: Iterable[dict], folder: Path, page_from_dict) -> int:
    for data in pages:
        try:
            exporter.export(page_from_dict(data), folder / data["path"])
        except Exception as error:  # reported to the parent, which stops the batch
            report("error", data["path"], str(error))
            return 1
        report("done", data["path"])
    return 0


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1])))
