"""`scripts/qgis_process` (the wrapper around qgis_process.bin) sees the provider."""
from __future__ import annotations

import json
import subprocess


def run_wrapper(repo_root, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(repo_root / "scripts" / "qgis_process"), *args],
                          capture_output=True, text=True, timeout=300)


def test_list_shows_hunchunrisk(repo_root):
    result = run_wrapper(repo_root, "list")
    assert result.returncode == 0, result.stderr
    assert "hunchunrisk:validateinputs" in result.stdout


def test_validateinputs_runs_from_the_command_line(repo_root, sample_gpkg, tmp_path):
    report = tmp_path / "report.json"
    result = run_wrapper(repo_root, "run", "hunchunrisk:validateinputs", "--",
                         f"SETTLEMENTS={sample_gpkg}|layername=settlements", f"REPORT={report}")
    assert result.returncode == 0, result.stderr
    problems = json.loads(report.read_text(encoding="utf-8"))
    # only the layers not given are reported: 3 required ones as errors
    assert {p["layer"] for p in problems if p["severity"] == "error"} == {"townships", "shelters", "roads"}
