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


def test_exportmaps_from_the_command_line_on_two_processes(repo_root, sample_gpkg, tmp_path):
    """The batch from qgis_process, pages shared between two worker processes; it runs
    the evacuation analysis itself (no results given)."""
    layers = ("townships", "settlements", "shelters", "roads", "rivers", "flood_zones", "depots", "hazard_sites")
    params = [f"{name.upper()}={sample_gpkg}|layername={name}" for name in layers]
    out = tmp_path / "maps"
    result = run_wrapper(repo_root, "run", "hunchunrisk:exportmaps", "--", *params, "KINDS=2", "SCALES=1",
                         "ONLY_TOWNSHIPS=新安街道,河南街道,靖和街道", "DPI=60", "WORKERS=2", "MAP_DATE=2026-01-01",
                         f"OUTPUT_FOLDER={out}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "2 process(es)" in result.stdout
    pdfs = sorted(p.name for p in (out / "townships_1-50000").glob("*.pdf"))
    assert pdfs == sorted(f"{name}_应急疏散路线图_1-50000.pdf" for name in ("新安街道", "河南街道", "靖和街道"))
    assert (out / "analysis" / "evacuation" / "evacuation_routes.gpkg").exists()
    assert not list(out.glob(".hunchun-staging-*"))  # the staging folder is gone
    record = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert record["tool"] == "hunchunrisk:exportmaps" and record["pages"] == 3
