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
    result = run_wrapper(repo_root, "run", "hunchunrisk:exportmaps", "--", *params, "KINDS=evacuation", "SCALES=1",
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


def test_exportmaps_takes_kinds_by_name_and_prints_the_hazard_map(repo_root, sample_gpkg, tmp_path):
    """KINDS=hazards from the command line: the 重大风险隐患分布平面图 of the city and one
    township, with the ledger run for it; the index lists the kind; the city page's
    ledger table sums the geological sites' threatened people (counted here from the layer)."""
    import csv

    import geopandas as gpd

    layers = ("townships", "settlements", "shelters", "roads", "rivers", "hazard_sites")
    params = [f"{name.upper()}={sample_gpkg}|layername={name}" for name in layers]
    out = tmp_path / "maps"
    result = run_wrapper(repo_root, "run", "hunchunrisk:exportmaps", "--", *params, "KINDS=hazards", "SCALES=0,1",
                         "ONLY_TOWNSHIPS=马川子乡", "DPI=50", "WORKERS=2", "MAP_DATE=2026-01-01",
                         f"OUTPUT_FOLDER={out}")
    assert result.returncode == 0, result.stderr[-3000:]
    with open(out / "index.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["kind"] for r in rows} == {"hazards"} and {r["kind_zh"] for r in rows} == {"重大风险隐患分布平面图"}
    assert {r["scope"] for r in rows} == {"city", "township"}
    assert (out / "analysis" / "ledger" / "hazard_ledger.gpkg").exists()
    sites = gpd.read_file(sample_gpkg, layer="hazard_sites")
    geological = sites[sites["kind"].isin(["landslide", "collapse", "debris_flow", "ground_subsidence"])]
    city = next(out / r["file"] for r in rows if r["scope"] == "city")
    text = subprocess.run(["pdftotext", str(city), "-"], capture_output=True, text=True, check=True).stdout
    assert "珲春市重大风险隐患分布平面图" in text and "隐患点台账" in text
    assert f"{int(geological['threatened_people'].sum()):,}" in text and str(len(geological)) in text
    # a bad kind name is refused before any work
    bad = run_wrapper(repo_root, "run", "hunchunrisk:exportmaps", "--", *params, "KINDS=hazard",
                      f"OUTPUT_FOLDER={out}2")
    assert bad.returncode != 0 and not (tmp_path / "maps2" / "index.csv").exists()
