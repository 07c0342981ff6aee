"""Batch map export: ours (worker processes on every core) against a serial QGIS atlas
export of the same layouts, side by side in one run.

Pages: the sample data's real batch as planned by ``MapBatch.plan`` — every map kind
(risk, zoning, evacuation, coverage; ``--kinds`` picks fewer), the city at 1:250000 and
all 13 townships at 1:50000 (a township too big for its paper gets one page per
1:50000 sheet), PDF at 300 dpi, the shipped templates. Inputs are the demo outputs in
``output/`` (``make demo``) and the sample layers in ``layers/``.

- Ours: ``run_batch(MapBatch(..., workers=2))`` into a temporary folder, wall time
  including the workers' start-up (Python, QGIS, one project per kind and scale), the
  staging folder, index.csv and provenance.json.
- Serial atlas: what a QGIS user would otherwise do, in this process. For each group of
  pages sharing (kind, scale, paper): the same kind project (``build_kind_project``),
  the same shipped template (``load_template``), filled once with ``fill_page`` for the
  group's first page (legend, scale bar, inset, tables, texts set up exactly like
  ours); then an atlas over a memory point layer (EPSG:4511) holding one feature per
  page at the page's centre (attributes code, sheet, file), the main map atlas-driven
  at a fixed scale (the page's), coverage layer hidden, exported with
  ``QgsLayoutExporter.exportToPdfs`` and the same PDF settings (300 dpi, not
  rasterised, text as text: ``pdf_settings`` mirrors ``map_export.write_layout``).
  Timed as a whole, project and layout set-up included. QGIS itself is already
  running (as it is for the user), so its start-up is not counted.
  The atlas pages repeat the group's first page's texts, tables, sheet clip shape and
  ``@hr_area_code``/``@hr_sheet`` (layout variables are set once), so on other
  townships' pages the veil and outline find no feature and draw nothing; otherwise
  each page draws the same layers over the same extent at the same scale.

Ours runs first, so the atlas side reads files already in the page cache (which, if
anything, favours the atlas). Both sides must write the same number of PDF files. The
table gives each side's CPU seconds too (ours: the workers plus this process; the
atlas: this process, its rendering threads included): wall time says how long the user
waits, CPU time says how much work each side does. A short diagnosis follows: each
worker's share (by ``share_out``) and finish time, a one-page worker run (start-up
cost) and what a page costs in this process, split into template load + fill and PDF
writing. The machine's load average is printed: with other work running on the same
cores the two-process side suffers most, and the ratio is not meaningful.

The last line is ``export_vs_serial_atlas_ratio: X`` (our wall time / the atlas's).
Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_export.py [--kinds risk,zoning]
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from hunchun_risk_plugin.mapping.standalone import qgis_session

SAMPLE = ROOT / "layers" / "hunchun_sample.gpkg"
OUTPUT = ROOT / "output"
RISK_RESULTS = {"city": OUTPUT / "risk" / "city" / "risk_zoning.gpkg",
                "township": OUTPUT / "risk" / "townships" / "risk_zoning.gpkg"}
RESULT_KEYS = ("evacuation_routes", "shelter_load", "unreached", "settlement_times", "drive_time_zones")
INPUT_KEYS = ("townships", "hazard_sites", "settlements", "shelters", "depots", "fire_stations", "roads", "rivers",
              "seismic_zones", "flood_zones")
MAP_DATE = "2026-11-29"


def demo_files() -> list[Path]:
    return [SAMPLE, *RISK_RESULTS.values(), *(OUTPUT / "evacuation" / f"{k}.gpkg" for k in RESULT_KEYS)]


def source_uris() -> dict[str, str]:
    """Layer keys to URIs, as ``hunchunrisk:exportmaps`` resolves them for the demo outputs."""
    from hunchun_risk_plugin.mapping.sources import context_uris

    uris = dict(context_uris())
    uris.update({key: f"{SAMPLE}|layername={key}" for key in INPUT_KEYS})
    for scope, gpkg in RISK_RESULTS.items():
        uris.update({f"{layer}@{scope}": f"{gpkg}|layername={layer}"
                     for layer in ("risk_zones", "prevention_zones", "township_stats")})
    uris.update({key: str(OUTPUT / "evacuation" / f"{key}.gpkg") for key in RESULT_KEYS})
    return uris


def make_batch(kind_keys: list[str], workers: int, dpi: int):
    import geopandas as gpd

    from hunchun_risk_plugin.core.map_specs import map_kinds, maps_config
    from hunchun_risk_plugin.mapping.map_batch import MapBatch
    from hunchun_risk_plugin.mapping.map_export import ExportSettings
    from hunchun_risk_plugin.mapping.map_project import MapSources
    from hunchun_risk_plugin.mapping.page_text import PageText

    notes = maps_config()["notes"]
    text = PageText(notes["compiled_by"], MAP_DATE, f"{notes['sources_sample_zh']} / {notes['sources_sample_en']}", True)
    townships = gpd.read_file(SAMPLE, layer="townships").to_crs(4511)
    kinds = [k for k in map_kinds() if k.key in kind_keys]
    return MapBatch(MapSources(source_uris()), townships, kinds, ["city", "township"], ExportSettings("pdf", dpi),
                    text, workers=workers)


def run_ours(batch, folder: Path) -> tuple[float, dict[str, float]]:
    """Wall time of ``run_batch``, and when (s after the start) each page was reported done."""
    from hunchun_risk_plugin.core.progress import Progress
    from hunchun_risk_plugin.mapping.map_batch import run_batch

    done_at: dict[str, float] = {}
    started = time.perf_counter()

    def log(message: str) -> None:
        if message.startswith("[") and "] " in message:
            done_at[message.split("] ", 1)[1]] = time.perf_counter() - started

    run_batch(batch, folder, Progress(log=log))
    return time.perf_counter() - started, done_at


def pdf_settings(dpi: int):
    """The PDF settings of ``map_export.write_layout`` (kept in step with it by hand)."""
    from qgis.core import QgsLayoutExporter, QgsRenderContext

    options = QgsLayoutExporter.PdfExportSettings()
    options.rasterizeWholeImage = False
    options.textRenderFormat = QgsRenderContext.TextFormatAlwaysText
    options.dpi = dpi
    return options


def cpu_seconds(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def run_atlas(batch, folder: Path) -> tuple[float, dict]:
    """Wall time of the serial atlas export of every (kind, scope, paper) group, and
    the set-up costs of the first page of each group."""
    from qgis.core import QgsFeature, QgsGeometry, QgsLayoutExporter, QgsLayoutItemMap, QgsPointXY, QgsVectorLayer

    from hunchun_risk_plugin.core.map_pages import CITY
    from hunchun_risk_plugin.mapping.map_export import PageExporter
    from hunchun_risk_plugin.mapping.page_layout import PageContext, fill_page, load_template

    setup = {"load": 0.0, "fill": 0.0, "groups": 0, "seconds": {}}
    started = time.perf_counter()
    pages = batch.plan()
    groups: dict[tuple[str, str, str], list] = defaultdict(list)
    for page in pages:
        groups[(page.kind.key, page.scope, page.paper)].append(page)
    # The exporter's caches give the very projects, statistics and extents our pages get.
    exporter = PageExporter(batch.sources, batch.settings, batch.text)
    try:
        for key, group in groups.items():
            group_started = time.perf_counter()
            first = group[0]
            maps = exporter._project(first.kind, first.scope)
            t0 = time.perf_counter()
            layout = load_template(batch.settings.template_for(first.paper), maps)
            t1 = time.perf_counter()
            context = PageContext(maps, exporter._stats_for(first.scope), exporter._extent("townships", first.scope, 0.04),
                                  exporter._extent("context_prefecture", CITY, 0.03), batch.text)
            fill_page(layout, first, context)
            setup["load"] += t1 - t0
            setup["fill"] += time.perf_counter() - t1
            setup["groups"] += 1

            coverage = QgsVectorLayer("Point?crs=EPSG:4511&field=code:string&field=sheet:string&field=file:string",
                                      "atlas pages", "memory")
            features = []
            for page in group:
                feature = QgsFeature(coverage.fields())
                feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(*page.centre)))
                feature.setAttributes([page.area.code, page.sheet or "", page.file_stem()])
                features.append(feature)
            coverage.dataProvider().addFeatures(features)
            maps.project.addMapLayer(coverage, False)

            atlas = layout.atlas()
            atlas.setCoverageLayer(coverage)
            atlas.setHideCoverage(True)
            atlas.setEnabled(True)
            ok, error = atlas.setFilenameExpression('"file"')
            if not ok:
                raise RuntimeError(f"atlas file name expression: {error}")
            main = layout.itemById("main_map")
            main.setAtlasDriven(True)
            main.setAtlasScalingMode(QgsLayoutItemMap.Fixed)

            options = pdf_settings(batch.settings.dpi)
            target = folder / first.folder()
            target.mkdir(parents=True, exist_ok=True)
            # The atlas keeps only the directory of the base path it is given.
            result, error = QgsLayoutExporter.exportToPdfs(atlas, str(target / "atlas.pdf"), options)
            if result != QgsLayoutExporter.Success:
                raise RuntimeError(f"atlas export of {first.kind.key}/{first.scope}/{first.paper} failed: {error}")
            del atlas, layout
            maps.project.removeMapLayer(coverage.id())
            setup["seconds"][key] = time.perf_counter() - group_started
    finally:
        exporter.close()
    return time.perf_counter() - started, setup


def one_page_worker(batch, page, folder: Path) -> float:
    """Wall time of one worker process exporting one page (start-up + one project + the page)."""
    from hunchun_risk_plugin.mapping.batch_export import export_in_processes

    started = time.perf_counter()
    export_in_processes([page], batch.sources, batch.settings, batch.text, folder, 1, lambda _: None, lambda: False)
    return time.perf_counter() - started


def in_process_page(batch, page, folder: Path) -> tuple[float, float]:
    """(template load + fill, PDF writing) of ``page`` here, its project already built."""
    from hunchun_risk_plugin.core.map_pages import CITY
    from hunchun_risk_plugin.mapping.map_export import PageExporter, write_layout
    from hunchun_risk_plugin.mapping.page_layout import PageContext, fill_page, load_template

    exporter = PageExporter(batch.sources, batch.settings, batch.text)
    try:
        exporter.export(page, folder / "warm.pdf")  # builds the project, warms the caches
        maps = exporter._project(page.kind, page.scope)
        t0 = time.perf_counter()
        layout = load_template(batch.settings.template_for(page.paper), maps)
        fill_page(layout, page, PageContext(maps, exporter._stats_for(page.scope),
                                            exporter._extent("townships", page.scope, 0.04),
                                            exporter._extent("context_prefecture", CITY, 0.03), batch.text))
        t1 = time.perf_counter()
        write_layout(layout, folder / "page.pdf", batch.settings)
        return t1 - t0, time.perf_counter() - t1
    finally:
        exporter.close()


def pdfs(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*.pdf")}


def diagnose(batch, pages, done_at: dict[str, float], ours_s: float, atlas_groups: dict, folder: Path) -> None:
    from hunchun_risk_plugin.core.map_pages import page_weight
    from hunchun_risk_plugin.mapping.batch_export import page_path, share_out

    print("diagnosis:")
    # A worker exports its share in order; the time between two of its reports is what
    # the later page cost it (template load and fill included; a kind's project is
    # built on its first page). Its first page also carries the worker's start-up.
    per_page: dict[tuple, list[float]] = defaultdict(list)
    for n, share in enumerate(share_out(pages, batch.workers)):
        times = [done_at.get(page_path(pages[i], "pdf")) for i in share]
        if None in times:
            print(f"  worker {n}: some pages were not reported")
            continue
        for i, before, after in zip(share[1:], times, times[1:]):
            per_page[(pages[i].kind.key, pages[i].scope, pages[i].paper)].append(after - before)
        weight = sum(page_weight(pages[i]) for i in share) / 1e6
        cities = sum(pages[i].scope == "city" for i in share)
        print(f"  worker {n}: {len(share)} pages ({cities} city), weight {weight:.2f} m², "
              f"first page done at {times[0]:.1f} s, last at {times[-1]:.1f} s (batch {ours_s:.1f} s)")
    print(f"  {'s/page by group':42}{'pages':>6}{'worker':>8}{'atlas':>8}")
    for key, seconds in atlas_groups.items():
        count = sum((p.kind.key, p.scope, p.paper) == key for p in pages)
        worker = per_page.get(key)
        mean = f"{sum(worker) / len(worker):>8.3f}" if worker else f"{'-':>8}"
        print(f"  {' / '.join(key):42}{count:>6}{mean}{seconds / count:>8.3f}")
    township = next(p for p in pages if p.scope == "township")
    one = one_page_worker(batch, township, folder / "one")
    load_fill, write = in_process_page(batch, township, folder / "here")
    print(f"  one worker, one page ({township.paper}): {one:.2f} s wall (start-up + project + page); "
          f"the same page here: template load + fill {load_fill:.2f} s, PDF {write:.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kinds", default="risk,zoning,evacuation,coverage", help="map kinds, comma separated")
    parser.add_argument("--workers", type=int, default=2, help="our worker processes")
    parser.add_argument("--dpi", type=int, default=300)
    parser.add_argument("--no-diagnosis", action="store_true", help="skip the per-worker and one-page timings")
    args = parser.parse_args()
    missing = [p for p in demo_files() if not p.exists()]
    if missing:
        print("bench_export needs the demo outputs, missing: " + ", ".join(str(p.relative_to(ROOT)) for p in missing)
              + "\nRun `make demo` first.", file=sys.stderr)
        return 2
    with qgis_session(), tempfile.TemporaryDirectory(prefix="bench_export_") as tmp:
        folder = Path(tmp)
        batch = make_batch(args.kinds.split(","), args.workers, args.dpi)
        pages = batch.plan()
        groups = len({(p.kind.key, p.scope, p.paper) for p in pages})
        print(f"pages: {len(pages)} ({', '.join(k.key for k in batch.kinds)}; city 1:250000 + 13 townships 1:50000), "
              f"{groups} (kind, scale, paper) groups, PDF {args.dpi} dpi, {args.workers} workers, "
              f"{os.cpu_count()} CPUs")
        load_before = os.getloadavg()[0]
        cpu = cpu_seconds(resource.RUSAGE_SELF), cpu_seconds(resource.RUSAGE_CHILDREN)
        ours_s, done_at = run_ours(batch, folder / "ours")
        ours_cpu = cpu_seconds(resource.RUSAGE_SELF) - cpu[0] + cpu_seconds(resource.RUSAGE_CHILDREN) - cpu[1]
        cpu = cpu_seconds(resource.RUSAGE_SELF)
        atlas_s, setup = run_atlas(batch, folder / "atlas")
        atlas_cpu = cpu_seconds(resource.RUSAGE_SELF) - cpu
        load_after = os.getloadavg()[0]
        ours_files, atlas_files = pdfs(folder / "ours"), pdfs(folder / "atlas")
        n = len(pages)
        print(f"{'':24}{'pages':>7}{'wall s':>9}{'s/page':>9}{'CPU s':>9}{'PDF MB':>9}")
        for name, files, wall, used in (("ours (run_batch)", ours_files, ours_s, ours_cpu),
                                        ("serial QGIS atlas", atlas_files, atlas_s, atlas_cpu)):
            print(f"{name:24}{len(files):>7}{wall:>9.1f}{wall / n:>9.3f}{used:>9.1f}{sum(files.values()) / 1e6:>9.1f}")
        print(f"same file count: {len(ours_files) == len(atlas_files) == n}; same names: "
              f"{set(ours_files) == set(atlas_files)}")
        print(f"atlas set-up: {setup['groups']} templates loaded {setup['load']:.2f} s, filled {setup['fill']:.2f} s "
              f"({(setup['load'] + setup['fill']) / max(1, setup['groups']):.2f} s per page when done per page)")
        if not args.no_diagnosis:
            diagnose(batch, pages, done_at, ours_s, setup["seconds"], folder)
        print(f"peak RSS: this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, "
              f"largest worker {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")
        print(f"load average (1 min) before/after: {load_before:.2f}/{load_after:.2f}"
              + ("  (other work was running: times are not clean)" if load_before > 0.7 else ""))
    print(f"export_vs_serial_atlas_ratio: {ours_s / atlas_s:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
