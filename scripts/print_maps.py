"""Export the plan's printed maps in one batch, without the QGIS desktop.

Runs ``hunchunrisk:exportmaps`` in a headless QGIS: risk, prevention zoning, evacuation
and depot coverage maps, city 1:250000 and townships 1:50000 (``--scales subdistrict``:
the urban subdistricts, 街道, at 1:10000 with street names). Layers come from one
GeoPackage holding the project's layer names (townships, settlements, shelters, …;
default: the synthetic sample). Analyses whose results are not given are run first.

Examples:
  .venv/bin/python scripts/print_maps.py --output output/maps
  .venv/bin/python scripts/print_maps.py --kinds risk zoning --townships 新安街道 春化镇 --dpi 200
  .venv/bin/python scripts/print_maps.py --kinds risk evacuation --scales subdistrict --townships 新安街道
  .venv/bin/python scripts/print_maps.py --template my_bureau.qpt --format png
"""
from __future__ import annotations

import argparse
import os
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
warnings.filterwarnings("ignore", category=PendingDeprecationWarning, module="rasterio")

from hunchun_risk_plugin.core.map_specs import map_kinds  # noqa: E402

KINDS = tuple(kind.key for kind in map_kinds())  # the KINDS parameter takes these keys
SCALES = ("city", "township", "subdistrict")  # exportmaps' SCALES enum, in its order
FORMATS = ("pdf", "png", "svg")


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gpkg", type=Path, default=ROOT / "layers" / "hunchun_sample.gpkg",
                        help="GeoPackage with the input layers by their project names (default: the sample)")
    parser.add_argument("--dem", type=Path, help="DEM GeoTIFF (default: layers/dem.tif beside the sample)")
    parser.add_argument("--forest", type=Path, help="forest cover GeoTIFF (default: layers/forest.tif)")
    parser.add_argument("--model", type=Path, help="risk model TOML (default: the Hunchun default model)")
    parser.add_argument("--risk-city", type=Path, help="risk_zoning.gpkg of an earlier 1:250000 run")
    parser.add_argument("--risk-township", type=Path, help="risk_zoning.gpkg of an earlier 1:50000 run")
    parser.add_argument("--results", type=Path, help="folder holding earlier evacuation/coverage results "
                        "(evacuation_routes.gpkg, shelter_load.gpkg, unreached.gpkg, settlement_times.gpkg, "
                        "drive_time_zones.gpkg)")
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS), help="maps to print (default: all)")
    parser.add_argument("--scales", nargs="+", choices=SCALES, default=["city", "township"],
                        help="city 1:250000, township 1:50000, subdistrict 1:10000 (街道 only; default: city township)")
    parser.add_argument("--townships", nargs="*", default=[], help="names or codes (default: every township)")
    parser.add_argument("--township-pages", choices=("sheets", "smaller-scale"), default="sheets",
                        help="a township too big for the paper at 1:50000: one page per sheet (default) or one page at "
                             "1:100000")
    parser.add_argument("--scenario", default="",
                        help="evacuation scenario for the analyses run here, e.g. flood_100y (default: everyone)")
    parser.add_argument("--format", choices=FORMATS, default="pdf")
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--paper", default="", help="e.g. 'A3 landscape' (default: automatic)")
    parser.add_argument("--template", type=Path, help="your own .qpt (its main map must have the item id main_map)")
    parser.add_argument("--compiled-by", default=None, help="compiling unit printed on the maps")
    parser.add_argument("--date", default="", help="date printed on the maps (default: today)")
    parser.add_argument("--workers", type=int, default=0, help="processes (default 0 = every core)")
    parser.add_argument("--output", type=Path, default=ROOT / "output" / "maps")
    return parser.parse_args(argv)


def parameters(args: argparse.Namespace) -> dict:
    from hunchun_risk_plugin.core.map_specs import paper_names
    from hunchun_risk_plugin.processing_provider.algorithms.export_maps import RESULT_INPUTS
    from hunchun_risk_plugin.core.layer_uri import layer_uri
    from hunchun_risk_plugin.core.schema import census_inputs

    gpkg = args.gpkg.resolve()
    params = {item.parameter: layer_uri(gpkg, item.name) for item in census_inputs() if not item.is_raster}
    rasters = {"DEM": args.dem or gpkg.parent / "dem.tif", "FOREST": args.forest or gpkg.parent / "forest.tif"}
    params.update({name: str(path) for name, path in rasters.items() if Path(path).exists()})
    if args.results:
        params.update({name: str(args.results / f"{base}.gpkg") for name, base, *_ in RESULT_INPUTS
                       if (args.results / f"{base}.gpkg").exists()})
    paper = 0
    if args.paper:
        if args.paper not in paper_names():
            raise SystemExit(f"unknown paper {args.paper!r}; choose one of: {', '.join(paper_names())}")
        paper = paper_names().index(args.paper) + 1
    params.update({
        "MODEL": str(args.model) if args.model else None,
        "RISK_CITY": str(args.risk_city) if args.risk_city else None,
        "RISK_TOWNSHIP": str(args.risk_township) if args.risk_township else None,
        "KINDS": list(args.kinds), "SCALES": [SCALES.index(s) for s in args.scales],
        "ONLY_TOWNSHIPS": ",".join(args.townships), "TOWNSHIP_PAGES": 0 if args.township_pages == "sheets" else 1,
        "FORMAT": FORMATS.index(args.format), "DPI": args.dpi, "PAPER": paper,
        "TEMPLATE": str(args.template) if args.template else None, "MAP_DATE": args.date,
        "WORKERS": args.workers, "OUTPUT_FOLDER": str(args.output.resolve()), "SCENARIO": args.scenario,
    })
    if args.compiled_by is not None:
        params["COMPILED_BY"] = args.compiled_by
    return params


def console_feedback():
    """Processing feedback that prints the algorithm's log lines."""
    from qgis.core import QgsProcessingFeedback

    class ConsoleFeedback(QgsProcessingFeedback):
        def pushInfo(self, info):
            print(info, flush=True)

        def pushWarning(self, warning):
            print(f"warning: {warning}", flush=True)

        def reportError(self, error, fatalError=False):
            print(f"error: {error}", file=sys.stderr, flush=True)

    return ConsoleFeedback()


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    from hunchun_risk_plugin.headless import qgis_session
    from hunchun_risk_plugin.processing_provider.provider import registered_provider

    with qgis_session(processing=True), registered_provider():
        import processing
        from qgis.core import QgsProcessingException

        try:
            result = processing.run("hunchunrisk:exportmaps", parameters(args), feedback=console_feedback())
        except QgsProcessingException as error:
            print(f"print_maps: {error}", file=sys.stderr)
            return 1
    print(f"print_maps: {result['PAGES']} maps -> {result['OUTPUT_FOLDER']} (index: {result['INDEX']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
