"""Every hunchunrisk algorithm through `qgis_process`, as a user runs them: the plugin as
unpacked from the zip into a clean profile (QGIS_CUSTOM_CONFIG_PATH), on the sample data
shipped in that zip, with QGIS's own Python. Run by scripts/qgis340/run.sh inside the
Debian 13 chroot (QGIS 3.40); usable with any QGIS. Checks each result and fails on a
traceback or a Python warning in the output.

usage: python3 run_algorithms.py PLUGIN_DIR OUTPUT_DIR [--township NAME]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

from osgeo import gdal, ogr

gdal.UseExceptions()
ogr.UseExceptions()
QGIS_PROCESS = os.environ.get("QGIS_PROCESS", "qgis_process")
PROBLEM = re.compile(r"Traceback|\w+Warning:|Error:", re.IGNORECASE)
# A warning raised inside a third-party package (rasterio's own `transform * (x, y)` under
# affine 3) is the package's, not the plugin's: reported, not failed on.
THIRD_PARTY = re.compile(r"/dependencies/hunchun_risk/|/usr/lib/python3/dist-packages/(?!qgis/)")
LAYERS = ("townships", "hazard_sites", "settlements", "shelters", "depots", "fire_stations", "roads", "rivers",
          "seismic_zones", "flood_zones")


def qgis_process(*args: str) -> subprocess.CompletedProcess:
    started = time.monotonic()
    result = subprocess.run([QGIS_PROCESS, *args], capture_output=True, text=True, timeout=1800)
    lines = [line for line in (result.stdout + result.stderr).splitlines() if PROBLEM.search(line)]
    noise = [line for line in lines if not THIRD_PARTY.search(line)]
    for line in sorted(set(lines) - set(noise)):
        print(f"  third-party: {line.strip()}", flush=True)
    print(f"  qgis_process {' '.join(a for a in args[:3] if not a.startswith('--'))}: exit {result.returncode}, "
          f"{time.monotonic() - started:.1f} s", flush=True)
    if result.returncode != 0 or noise:
        sys.exit(f"qgis_process {' '.join(args[:2])} failed or "
                 f"warned:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result


def run(algorithm: str, **params) -> dict:
    args = []
    for key, value in params.items():
        for item in value if isinstance(value, list) else [value]:
            args.append(f"--{key}={item}")
    output = qgis_process("--json", "run", f"hunchunrisk:{algorithm}", *args).stdout
    return json.loads(output[output.index("{"):])["results"]


def feature_count(source: str) -> int:
    path, _, layer = source.partition("|layername=")
    dataset = ogr.Open(path)
    return (dataset.GetLayerByName(layer) if layer else dataset.GetLayer(0)).GetFeatureCount()


def check(condition: bool, what: str) -> None:
    if not condition:
        sys.exit(f"check failed: {what}")
    print(f"  ok: {what}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("plugin_dir", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--township", default="新安街道")
    options = parser.parse_args()
    gpkg = options.plugin_dir / "layers" / "hunchun_sample.gpkg"
    out = options.output
    out.mkdir(parents=True, exist_ok=True)
    layers = {name.upper(): f"{gpkg}|layername={name}" for name in LAYERS}
    rasters = {"DEM": gpkg.parent / "dem.tif", "FOREST": gpkg.parent / "forest.tif"}

    listing = qgis_process("list").stdout
    ids = sorted(set(re.findall(r"hunchunrisk:\w+", listing)))
    print("  algorithms:", " ".join(ids))
    with open(options.plugin_dir / "core" / "data" / "algorithms.toml", "rb") as handle:
        declared = sorted(f"hunchunrisk:{a['id']}" for a in tomllib.load(handle)["algorithms"])
    check(ids == declared, f"qgis_process list shows all {len(declared)} algorithms of algorithms.toml")

    result = run("validateinputs", **layers, **rasters, REPORT=out / "validate.json")
    problems = json.loads((out / "validate.json").read_text(encoding="utf-8"))
    check(result["ERRORS"] == 0 and not [p for p in problems if p["severity"] == "error"],
          "validateinputs: the sample has no errors")

    risk = run("riskzoning", **layers, **rasters, SCALE=1, TOWNSHIP=options.township, CELL_SIZE=50,
               OUTPUT_FOLDER=out / "risk")
    dataset = gdal.Open(risk["RISK_CLASS"])
    low, high = dataset.GetRasterBand(1).ComputeRasterMinMax(False)
    check(1 <= low and high <= 5 and high > low, f"riskzoning: classes {low:.0f}..{high:.0f} within 1..5")

    evacuation = run("evacuationroutes", ROADS=layers["ROADS"], ORIGINS=layers["SETTLEMENTS"],
                     SHELTERS=layers["SHELTERS"], MODE=1, HAZARD_POLYGONS=layers["FLOOD_ZONES"],
                     OUTPUT_FOLDER=out / "evac")
    routes = feature_count(str(out / "evac" / "evacuation_routes.gpkg"))
    check(routes > 0 and evacuation["POPULATION_PLACED"] > 0,
          f"evacuationroutes: {routes} routes, {evacuation['POPULATION_PLACED']} people placed")

    coverage_dir = out / "coverage"
    run("depotcoverage", ROADS=layers["ROADS"], DEPOTS=layers["DEPOTS"], FIRE_STATIONS=layers["FIRE_STATIONS"],
        SETTLEMENTS=layers["SETTLEMENTS"], TOWNSHIPS=layers["TOWNSHIPS"], THRESHOLDS_HOURS="1, 3, 10",
        OUTPUT_FOLDER=coverage_dir)
    settled = feature_count(str(coverage_dir / "settlement_times.gpkg"))
    check(settled == feature_count(layers["SETTLEMENTS"]), f"depotcoverage: a time for each of {settled} settlements")

    ledger = run("hazardledger", HAZARD_SITES=layers["HAZARD_SITES"], SETTLEMENTS=layers["SETTLEMENTS"],
                 SHELTERS=layers["SHELTERS"], ROADS=layers["ROADS"], TOWNSHIPS=layers["TOWNSHIPS"],
                 OUTPUT_FOLDER=out / "ledger")
    cards = sorted((out / "ledger" / "cards").glob("*.pdf"))
    check(int(ledger["SITES"]) > 0 and feature_count(str(out / "ledger" / "hazard_ledger.gpkg")) == int(ledger["SITES"])
          and cards, f"hazardledger: {ledger['SITES']} sites, {len(cards)} card PDFs")

    maps = run("exportmaps", **layers, **rasters, RISK_TOWNSHIP=risk["RISK_ZONES"].split("|")[0], SCALES=1,
               ONLY_TOWNSHIPS=options.township, DPI=72, MAP_DATE="2026-01-01", OUTPUT_FOLDER=out / "maps")
    pdfs = sorted((out / "maps").rglob("*.pdf"))
    pages = sum(int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(p)], capture_output=True, text=True,
                                                                 check=True).stdout).group(1)) for p in pdfs)
    check(len(pdfs) >= 4 and pages == int(maps["PAGES"]), f"exportmaps: {len(pdfs)} PDFs, {pages} pages")


if __name__ == "__main__":
    main()
