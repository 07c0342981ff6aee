"""Risk-zoning benchmarks (run by `make bench`; never part of the test suite).

1. Speed: 8 aligned float32 factor rasters of 2,400 × 2,400 cells combined by weighted
   sum and classed into five classes, by our block-wise code (natural breaks found on
   the index's histogram, then classing) and by gdal_calc.py (the same weighted sum and
   classing with our breaks, as a second band) on the same files, side by side. The
   two results are compared cell by cell.
2. Memory: the whole risk-zoning pipeline over the whole city at 10 m cells (about 51
   million cells inside the city) on the sample data, in a child process so that the
   peak resident memory is that run's own.

The last line is `risk_vs_gdal_calc_ratio: X` (our time / gdal_calc's time).
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import rasterio  # noqa: E402
from rasterio.transform import from_origin  # noqa: E402

SIZE = 2400
WEIGHTS = [0.20, 0.15, 0.15, 0.10, 0.10, 0.10, 0.10, 0.10]
GDAL_CALC = "/usr/bin/gdal_calc.py"
LETTERS = "ABCDEFGH"


def make_factors(folder: Path) -> list[Path]:
    """Eight smooth random 0–1 fields (a few Gaussian bumps each), deterministic."""
    rng = np.random.default_rng(42)
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32) / SIZE
    paths = []
    for i in range(8):
        field = np.zeros((SIZE, SIZE), dtype=np.float32)
        for _ in range(6):
            cx, cy, r = rng.random(), rng.random(), 0.05 + 0.2 * rng.random()
            field += np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r)).astype(np.float32)
        field = (field / field.max()).astype(np.float32)
        path = folder / f"factor_{i}.tif"
        with rasterio.open(path, "w", driver="GTiff", width=SIZE, height=SIZE, count=1, dtype="float32",
                           crs="EPSG:4511", transform=from_origin(400000, 4800000, 10, 10), nodata=-9999) as dst:
            dst.write(field, 1)
        paths.append(path)
    return paths


def run_ours(paths: list[Path], folder: Path) -> tuple[float, list[float]]:
    from hunchun_risk_plugin.core.risk.factor_stack import combine_rasters

    started = time.perf_counter()
    breaks = combine_rasters(paths, WEIGHTS, folder / "ours_index.tif", folder / "ours_class.tif")
    return time.perf_counter() - started, breaks


def run_gdal_calc(paths: list[Path], folder: Path, breaks: list[float]) -> float:
    total = " + ".join(f"{w}*{letter}" for w, letter in zip(WEIGHTS, LETTERS))
    classes = "1 + " + " + ".join(f"(S > {b!r})" for b in breaks)
    command = [sys.executable if not Path(GDAL_CALC).exists() else "/usr/bin/python3", GDAL_CALC]
    for letter, path in zip(LETTERS, paths):
        command += [f"-{letter}", str(path)]
    command += ["--calc", total, "--calc", classes.replace("S", f"({total})"), "--type", "Float32",
                "--NoDataValue", "-9999", "--outfile", str(folder / "gdal_calc.tif"), "--quiet", "--overwrite"]
    started = time.perf_counter()
    subprocess.run(command, check=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return time.perf_counter() - started


def compare(folder: Path) -> tuple[float, float]:
    with rasterio.open(folder / "ours_index.tif") as a, rasterio.open(folder / "ours_class.tif") as b, \
            rasterio.open(folder / "gdal_calc.tif") as c:
        index_diff = float(np.nanmax(np.abs(a.read(1) - c.read(1))))
        class_agree = float((b.read(1) == c.read(2).astype(np.uint8)).mean())
    return index_diff, class_agree


def memory_child(output: Path, cell: float, layers: Path) -> None:
    """Run the pipeline on the sample data at ``cell`` m over the whole city, print
    the peak RSS of this process."""
    import pyogrio

    from hunchun_risk_plugin.core.progress import Progress
    from hunchun_risk_plugin.core.risk.model import load_model
    from hunchun_risk_plugin.core.risk.pipeline import ZoningRequest, run_zoning
    from hunchun_risk_plugin.core.risk.sources import RiskInputs

    gpkg = layers / "hunchun_sample.gpkg"
    names = ["townships", "settlements", "shelters", "depots", "hazard_sites", "roads", "rivers",
             "fire_stations", "seismic_zones", "flood_zones"]
    vectors = {name: pyogrio.read_dataframe(gpkg, layer=name) for name in names}
    rasters = {"dem": str(layers / "dem.tif"), "forest": str(layers / "forest.tif"), "population": None}
    inputs = RiskInputs(vectors, rasters, {**{n: f"{gpkg}|layername={n}" for n in names}, **rasters})
    # The whole city as one grid (the hardest case for memory: one 10 m raster of the
    # city's full extent) with zones generalised for a 1:50000 map.
    request = ZoningRequest(load_model(), inputs, scale="city", cell=cell, denominator=50000)
    started = time.perf_counter()
    run_zoning(request, output, Progress(log=lambda m: print(m, file=sys.stderr)))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"child_seconds: {time.perf_counter() - started:.1f}")
    print(f"child_peak_rss_mb: {peak_mb:.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--memory-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cell", type=float, default=10.0, help="cell size of the memory run (m)")
    parser.add_argument("--skip-memory", action="store_true", help="only the speed comparison")
    parser.add_argument("--layers", type=Path, default=ROOT / "layers", help="folder of the sample data")
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, args.cell, args.layers)
        return 0
    peak = None
    with tempfile.TemporaryDirectory(prefix="bench_risk_") as tmp:
        folder = Path(tmp)
        if not args.skip_memory:
            child = subprocess.run([sys.executable, __file__, "--memory-child", str(folder / "city10m"),
                                    "--cell", str(args.cell), "--layers", str(args.layers)],
                                   capture_output=True, text=True)
            if child.returncode != 0:
                print(child.stderr[-3000:], file=sys.stderr)
                raise SystemExit("memory run failed")
            facts = dict(line.split(": ", 1) for line in child.stdout.splitlines() if ": " in line)
            peak = float(facts["child_peak_rss_mb"])
            print(f"memory run: whole city at {args.cell:g} m, {facts['child_seconds']} s")
        paths = make_factors(folder)
        # Alternate the two, twice each, and keep each side's best: both then read
        # files already in the page cache.
        ours, breaks = run_ours(paths, folder)
        theirs = run_gdal_calc(paths, folder, breaks)
        ours = min(ours, run_ours(paths, folder)[0])
        theirs = min(theirs, run_gdal_calc(paths, folder, breaks))
        index_diff, class_agree = compare(folder)
    print(f"combine+classify 8 x {SIZE}x{SIZE} float32: ours {ours:.2f} s, gdal_calc.py {theirs:.2f} s")
    print(f"breaks: {', '.join(f'{b:.4f}' for b in breaks)}")
    print(f"max |index difference|: {index_diff:.2e}; classes agreeing: {class_agree:.4%}")
    if peak is not None:
        print(f"peak_rss_mb_10m_city: {peak:.0f}")
    print(f"risk_vs_gdal_calc_ratio: {ours / theirs:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
