"""The whole risk-zoning run for one scale, written through a ``Stage`` so that a
failure or a cancel leaves nothing behind.

Three block-wise passes over the target grid keep memory bounded whatever the cell
size: (1) raw factor values to scratch rasters, noting each factor's range over the
area; (2) scores, hazards, exposure, vulnerability, capacity and the composite index,
with a histogram of the index for the class breaks; (3) risk classes, prevention
zones and the township tallies. Polygons, statistics, styles and provenance follow.
"""
from __future__ import annotations

import contextlib
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
from pyproj import CRS
from rasterio import features
from rasterio.windows import Window

from ..definitions import prevention_zones as zone_defs
from ..layer_uri import layer_uri, uri_layer, uri_path
from ..definitions import risk_classes
from ..definitions import scale as scale_def
from ..errors import InputError
from ..progress import Progress
from ..provenance import build_record, write_record
from ..staging import Stage, staged_outputs
from ..version import plugin_version
from . import classify
from .checks import Plan, check_rasters, check_townships, plan_run, select_townships
from .combine import combine, renormalised, single_hazard_risk, with_floor
from .grid import Grid, block_count, blocks, grid_for_bounds, metric_crs
from .model import ComponentSpec, Model
from .outputs import CLASS_NODATA, INDEX_NODATA, copy_style, open_raster, write_csv, write_layer, write_mosaic_vrt
from .polygons import class_polygons, sieve_cells
from .prevention import prevention_zones
from .sources import RiskInputs, build_source
from .stats import Tally, township_table
from .transforms import apply_transform

TOOL = "hunchunrisk:riskzoning"
SCALES = ("city", "township")
GPKG = "risk_zoning.gpkg"
# Output key -> layer of GPKG: what the maps and the other algorithms read back.
RESULT_LAYERS = {"RISK_ZONES": "risk_zones", "PREVENTION_ZONES": "prevention_zones", "TOWNSHIP_STATS": "township_stats"}
# GDAL's block cache defaults to 5 % of RAM and fills with the blocks of every raster
# the passes read and write; a fixed cap keeps a run's memory bounded (the passes read
# each block once, so a larger cache would not save work).
RASTER_CACHE_MB = 256


@dataclass
class ZoningRequest:
    """Everything a run needs. ``townships`` (and every vector input) are already in
    ``crs``; ``township`` selects one (name, English name or code) at township scale."""

    model: Model
    inputs: RiskInputs
    scale: str = "city"
    township: str | None = None
    cell: float | None = None
    crs: str = "EPSG:4511"
    extent: tuple[float, float, float, float] | None = None
    block_size: int = 1024
    denominator: int | None = None  # map scale for generalising polygons (default: the scale's)
    # Township scale: classes relative to each township (its own factor ranges and
    # breaks) instead of the city-wide ones, which make a class mean the same everywhere.
    relative_classes: bool = False
    styles: Mapping[str, Path] = field(default_factory=dict)
    parameters: Mapping[str, Any] = field(default_factory=dict)


CITY_WIDE, RELATIVE = "city", "township"  # the class_scale written into the statistics


@dataclass(frozen=True)
class ClassReference:
    """What makes classes comparable between townships: the factor ranges and breaks of
    the whole city, computed at the township cell size."""
    observed: dict[str, tuple[float, float]]
    breaks: list[float]


@dataclass
class AreaResult:
    """The files of one area's run (names relative to the output folder) and its facts."""

    files: dict[str, str]
    breaks: list[float]
    observed: dict[str, tuple[float, float]]
    weights: dict[str, Any]
    notes: list[str]
    stats: gpd.GeoDataFrame
    zones: gpd.GeoDataFrame
    prevention: gpd.GeoDataFrame
    grid: Grid


def run_zoning(request: ZoningRequest, destination: str | Path, progress: Progress) -> dict[str, Any]:
    """Run the model and write every output into ``destination``; returns the output
    paths (keys RISK_INDEX, RISK_CLASS, RISK_ZONES, PREVENTION_ZONES, TOWNSHIP_STATS,
    TOWNSHIP_STATS_CSV, PROVENANCE) and the provenance record."""
    with rasterio.Env(GDAL_CACHEMAX=RASTER_CACHE_MB):
        return _run_zoning(request, destination, progress)


def _run_zoning(request: ZoningRequest, destination: str | Path, progress: Progress) -> dict[str, Any]:
    if request.scale not in SCALES:
        raise InputError(f"Scale must be one of {SCALES}, got '{request.scale}'.",
                         f"比例尺须为 {SCALES} 之一，当前为“{request.scale}”。")
    crs = metric_crs(request.crs)
    townships = request.inputs.vector("townships")
    check_townships(townships)
    chosen = select_townships(townships, request.township if request.scale == "township" else None)
    cell = float(request.cell or scale_def(request.scale)["default_cell_m"])
    # Overlap is judged against the whole townships layer: a shelter or depot in the
    # next township still serves (and a hazard site still threatens) this one.
    plan = plan_run(request.model, request.inputs, tuple(townships.total_bounds))
    areas = _areas(chosen, request)
    grids = [_grid_for(area, cell, crs, request.extent) for _, area in areas]
    raster_layers = {request.model.factors[f].layer for f in plan.factors
                     if request.model.factors[f].layer in ("dem", "forest", "population")}
    plan.notes += check_rasters(request.inputs, raster_layers, chosen, grids[0] if len(grids) == 1 else
                                _grid_for(chosen, cell, crs, request.extent))
    progress.say(f"risk zoning: {len(areas)} area(s), cell {cell:g} m, factors {', '.join(plan.factors)}",
                 f"风险区划：{len(areas)} 个区域，像元 {cell:g} 米，因子 {', '.join(plan.factors)}")
    for note in plan.notes:
        progress.info(note)
    with staged_outputs(destination) as stage:
        results = []
        reference, start = None, 0.0
        if request.scale == "township" and not request.relative_classes:
            start = 0.4
            reference = _city_reference(request, plan, townships.reset_index(drop=True), cell, crs, stage,
                                        progress.sub(0.0, start))
            progress.info(f"classes: city-wide breaks {', '.join(f'{b:.4f}' for b in reference.breaks)}")
        for index, ((prefix, area), grid) in enumerate(zip(areas, grids)):
            sub = progress.sub(start + (1 - start) * index / len(areas), start + (1 - start) * (index + 1) / len(areas))
            results.append(_run_area(request, plan, area, grid, stage, prefix, sub, reference))
        files = results[0].files if len(results) == 1 else _merge(results, areas, stage, request)
        record = _provenance(request, plan, cell, crs, results, areas, files)
        files["PROVENANCE"] = "provenance.json"
        write_record(record, stage.path("provenance.json"))
        progress.step(1.0)
        final = {key: layer_uri(stage.final_path(uri_path(name)), uri_layer(name))
                 for key, name in files.items()}
    return {**final, "record": record}


def _areas(chosen: gpd.GeoDataFrame, request: ZoningRequest) -> list[tuple[str, gpd.GeoDataFrame]]:
    """(file prefix, townships) of each run: the city at once, one township, or every
    township in turn (file names then start with the township code)."""
    if request.scale == "city" or len(chosen) == 1:
        return [("", chosen.reset_index(drop=True))]
    return [(f"{row.code}_", chosen.iloc[[i]].reset_index(drop=True)) for i, row in enumerate(chosen.itertuples())]


def _grid_for(area: gpd.GeoDataFrame, cell: float, crs: CRS, extent) -> Grid:
    bounds = tuple(area.total_bounds)
    if extent is not None:
        bounds = (max(bounds[0], extent[0]), max(bounds[1], extent[1]), min(bounds[2], extent[2]),
                  min(bounds[3], extent[3]))
        if bounds[0] >= bounds[2] or bounds[1] >= bounds[3]:
            raise InputError("The extent does not overlap the townships of the study area.",
                             "指定范围与分析区域的乡镇不重叠。")
    return grid_for_bounds(bounds, cell, crs)


class _Blocks:
    """The study-area blocks of a grid and, per block, the township id of each cell."""

    def __init__(self, area: gpd.GeoDataFrame, grid: Grid, size: int) -> None:
        self.grid = grid
        self.shapes = [(geom, i + 1) for i, geom in enumerate(area.geometry)]
        self.windows = list(blocks(grid, size))
        self.total = block_count(grid, size)

    def township_ids(self, window: Window) -> np.ndarray:
        sub = self.grid.sub(window)
        return features.rasterize(self.shapes, out_shape=sub.shape, transform=sub.transform, fill=0, dtype="uint16")


@dataclass(frozen=True)
class _Passes:
    """What the index and class passes over one area's blocks share."""
    request: ZoningRequest
    blocks: _Blocks
    active: list                # the windows that hold part of the area
    scratch: Path               # intermediate rasters, deleted after the passes
    stage: Stage
    files: dict[str, str]       # output key -> staged file name
    tag: dict                   # the short provenance written into every raster


def _city_reference(request: ZoningRequest, plan: Plan, townships: gpd.GeoDataFrame, cell: float, crs: CRS,
                    stage: Stage, progress: Progress) -> ClassReference:
    """Passes 1 and 2 over the whole city at the township cell size, into scratch files
    that are deleted: the city's factor ranges and the breaks of its index histogram."""
    model = request.model
    grid = _grid_for(townships, cell, crs, request.extent)
    scratch = stage.root / ".scratch-city-reference"
    scratch.mkdir()
    try:
        area_blocks = _Blocks(townships, grid, request.block_size)
        progress.info(f"city-wide class reference: grid {grid.width}×{grid.height} cells of {grid.cell:g} m")
        sources = {name: build_source(model.factors[name], request.inputs, grid, progress) for name in plan.factors}
        active, observed = _pass_factors(area_blocks, sources, scratch, progress.sub(0.0, 0.5))
        if not active:
            raise InputError("The townships cover no grid cell.", "乡镇边界范围内没有任何像元。")
        files = {key: f"{scratch.name}/{name}" for key, name in (("RISK_INDEX", "risk_index.tif"),
                                                                ("RISK_CLASS", "risk_class.tif"),
                                                                ("PREVENTION_CLASS", "prevention_class.tif"))}
        passes = _Passes(request, area_blocks, active, scratch, stage, files, _short_provenance(request, grid))
        histogram, _ = _pass_index(passes, plan, _effective_weights(model, plan), observed, progress.sub(0.5, 1.0))
        return ClassReference(observed, _breaks(model, histogram))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _run_area(request: ZoningRequest, plan: Plan, area: gpd.GeoDataFrame, grid: Grid, stage: Stage, prefix: str,
              progress: Progress, reference: ClassReference | None = None) -> AreaResult:
    model = request.model
    scratch = stage.root / f".scratch-{prefix or 'area'}"
    scratch.mkdir()
    tag = _short_provenance(request, grid)
    area_blocks = _Blocks(area, grid, request.block_size)
    progress.say(f"{prefix or 'area'}: grid {grid.width}×{grid.height} cells of {grid.cell:g} m",
                 f"{prefix or '区域'}：栅格 {grid.width}×{grid.height} 个像元，像元 {grid.cell:g} 米")
    sources = {name: build_source(model.factors[name], request.inputs, grid, progress) for name in plan.factors}
    progress.step(0.05)
    active, observed = _pass_factors(area_blocks, sources, scratch, progress.sub(0.05, 0.5))
    if not active:
        raise InputError("The study area covers no grid cell. Check the townships layer and the extent.",
                         "分析范围内没有任何像元。请检查乡镇边界图层和范围。")
    if reference is not None:  # the city's ranges: a factor scores the same in every township
        observed = {name: reference.observed.get(name, span) for name, span in observed.items()}
    weights = _effective_weights(model, plan)
    files = {"RISK_INDEX": f"{prefix}risk_index.tif", "RISK_CLASS": f"{prefix}risk_class.tif",
             "PREVENTION_CLASS": f"{prefix}prevention_class.tif"}
    passes = _Passes(request, area_blocks, active, scratch, stage, files, tag)
    histogram, notes = _pass_index(passes, plan, weights, observed, progress.sub(0.5, 0.75))
    breaks = reference.breaks if reference is not None else _breaks(model, histogram)
    tally = _pass_classes(passes, breaks, progress.sub(0.75, 0.85))
    shutil.rmtree(scratch, ignore_errors=True)
    stats = _statistics(request, area, tally, stage, files, grid)
    # which breaks, on every row: the maps say how their classes were drawn
    stats["class_scale"] = RELATIVE if request.scale == "township" and reference is None else CITY_WIDE
    stats["class_breaks"] = ",".join(f"{b:.6g}" for b in breaks)
    progress.step(0.9)
    denominator = request.denominator or int(scale_def(request.scale)["denominator"])
    min_cells = sieve_cells(grid.cell, denominator, model.min_mapping_unit_mm)
    zones = class_polygons(stage.path(files["RISK_CLASS"]), risk_classes(), min_cells)
    prevention = class_polygons(stage.path(files["PREVENTION_CLASS"]), zone_defs(), min_cells)
    progress.step(0.97)
    _write_vectors(request, stage, prefix, zones, prevention, stats, tag, files)
    for key, style in (("RISK_INDEX", "risk_index"), ("RISK_CLASS", "risk_class"),
                       ("PREVENTION_CLASS", "risk_prevention_class")):
        _style_beside(request, stage, files[key], style)
    for hazard in plan.hazards:
        _style_beside(request, stage, f"{prefix}hazard_{hazard}.tif", "risk_index")
    notes.append(f"polygons generalised to a minimum mapping unit of {min_cells} cells "
                 f"({model.min_mapping_unit_mm:g} mm square at 1:{denominator})")
    return AreaResult(files, breaks, observed, weights, notes, stats, zones, prevention, grid)


def _pass_factors(area_blocks: _Blocks, sources, scratch: Path, progress: Progress):
    """Pass 1: raw factor values of every block to scratch rasters; range per factor."""
    grid = area_blocks.grid
    observed = {name: [np.inf, -np.inf] for name in sources}
    active = []
    with contextlib.ExitStack() as stack:
        writers = {name: stack.enter_context(open_raster(scratch / f"{name}.tif", grid, "float32", np.nan, final=False))
                   for name in sources}
        for number, window in enumerate(area_blocks.windows):
            progress.step(number / len(area_blocks.windows))
            inside = area_blocks.township_ids(window) > 0
            if not inside.any():
                continue
            active.append(window)
            for name, source in sources.items():
                raw = source.block(grid, window).astype(np.float32, copy=False)
                raw[~inside] = np.nan
                finite = raw[np.isfinite(raw)]
                if finite.size:
                    observed[name] = [min(observed[name][0], float(finite.min())),
                                      max(observed[name][1], float(finite.max()))]
                writers[name].write(raw, 1, window=window)
    return active, {k: (v[0], v[1]) for k, v in observed.items() if np.isfinite(v[0])}


def _effective_weights(model: Model, plan: Plan) -> dict[str, Any]:
    """The weights actually used: missing factors' and hazards' weights shared out."""
    components = {}
    for name, spec in model.all_components().items():
        present = [f for f in spec.factors if f in plan.factors]
        components[name] = renormalised(dict(zip(spec.factors, spec.weights)), present)
    return {"hazards": renormalised(model.hazard_weights, plan.hazards), "components": components}


def _component(spec: ComponentSpec, scores: dict[str, np.ndarray], weights: dict[str, float], shape) -> np.ndarray:
    if not weights:
        return np.full(shape, spec.missing, dtype=np.float32)
    value = combine([scores[f] for f in weights], list(weights.values()), spec.rule)
    return with_floor(value, spec.floor)


def _pass_index(passes: _Passes, plan: Plan, weights: dict, observed: dict, progress: Progress):
    """Pass 2: scores → hazards, exposure, vulnerability, capacity → composite index."""
    model, area_blocks, active, scratch = passes.request.model, passes.blocks, passes.active, passes.scratch
    stage, files, tag, grid = passes.stage, passes.files, passes.tag, passes.blocks.grid
    histogram = classify.Histogram()
    holes = 0
    prefix = files["RISK_INDEX"][: -len("risk_index.tif")]
    density = model.prevention.site_density_factor
    with contextlib.ExitStack() as stack:
        readers = {f: stack.enter_context(rasterio.open(scratch / f"{f}.tif")) for f in plan.factors}
        index_out = stack.enter_context(
            open_raster(stage.path(files["RISK_INDEX"]), grid, "float32", INDEX_NODATA, tags=tag))
        hazard_out = {
            h: stack.enter_context(
                open_raster(stage.path(f"{prefix}hazard_{h}.tif"), grid, "float32", INDEX_NODATA, tags=tag))
                      for h in plan.hazards}
        capacity_out = stack.enter_context(open_raster(scratch / "capacity.tif", grid, "float32", np.nan, final=False))
        sites_out = stack.enter_context(open_raster(scratch / "sites.tif", grid, "float32", np.nan, final=False))
        for number, window in enumerate(active):
            progress.step(number / len(active))
            inside = area_blocks.township_ids(window) > 0
            scores = {}
            for name, reader in readers.items():
                spec = model.factors[name]
                score = apply_transform(reader.read(1, window=window), spec.transform, observed.get(name))
                gap = inside & np.isnan(score)
                holes += int(gap.sum())
                score[gap] = 0.0
                scores[name] = score
            shape = inside.shape
            parts = {c: _component(model.components[c], scores, weights["components"][c], shape)
                     for c in ("exposure", "vulnerability", "capacity")}
            risks = []
            for hazard in plan.hazards:
                h = _component(model.hazards[hazard], scores, weights["components"][hazard], shape)
                hazard_out[hazard].write(_nodata(h, inside), 1, window=window)
                risks.append(single_hazard_risk(h, parts["exposure"], parts["vulnerability"], parts["capacity"],
                                                model.capacity_alpha))
            index = combine(risks, [weights["hazards"][h] for h in plan.hazards], model.rule)
            index[~inside] = np.nan
            histogram.add(index[inside])
            index_out.write(_nodata(index, inside), 1, window=window)
            capacity_out.write(parts["capacity"], 1, window=window)
            sites = scores.get(density) if density else None
            sites_out.write(sites if sites is not None else np.zeros(shape, np.float32), 1, window=window)
    notes = [f"{holes} cell(s) inside the area without a factor value were scored 0"] if holes else []
    return histogram, notes


def _nodata(values: np.ndarray, inside: np.ndarray) -> np.ndarray:
    out = np.where(inside, values, INDEX_NODATA).astype(np.float32)
    out[inside & ~np.isfinite(values)] = INDEX_NODATA
    return out


def _breaks(model: Model, histogram: classify.Histogram) -> list[float]:
    count = len(risk_classes())
    method = model.classes.method
    if method == "fixed":
        return list(model.classes.thresholds)
    if histogram.counts.sum() == 0:
        raise InputError("The risk index has no value inside the study area.", "分析范围内风险指数没有任何有效值。")
    found = (classify.histogram_jenks(histogram, count) if method == "natural_breaks"
             else classify.histogram_quantiles(histogram, count))
    while len(found) < count - 1:  # fewer distinct values than classes
        found.append(found[-1] if found else 0.0)
    return classify.strictly_increasing(found)


def _pass_classes(passes: _Passes, breaks: list[float], progress: Progress) -> Tally:
    """Pass 3: risk classes and prevention zones; township tallies."""
    model, area_blocks, active, scratch = passes.request.model, passes.blocks, passes.active, passes.scratch
    stage, files, tag, grid = passes.stage, passes.files, passes.tag, passes.blocks.grid
    tally = Tally(len(area_blocks.shapes), len(risk_classes()), len(zone_defs()))
    with contextlib.ExitStack() as stack:
        index_in = stack.enter_context(rasterio.open(stage.path(files["RISK_INDEX"])))
        capacity_in = stack.enter_context(rasterio.open(scratch / "capacity.tif"))
        sites_in = stack.enter_context(rasterio.open(scratch / "sites.tif"))
        class_out = stack.enter_context(
            open_raster(stage.path(files["RISK_CLASS"]), grid, "uint8", CLASS_NODATA, tags=tag))
        zone_out = stack.enter_context(
            open_raster(stage.path(files["PREVENTION_CLASS"]), grid, "uint8", CLASS_NODATA, tags=tag))
        for number, window in enumerate(active):
            progress.step(number / len(active))
            ids = area_blocks.township_ids(window)
            index = index_in.read(1, window=window)
            index[index == INDEX_NODATA] = np.nan
            risk_class = classify.classify(index, breaks)
            risk_class[ids == 0] = CLASS_NODATA
            zone = prevention_zones(risk_class, capacity_in.read(1, window=window), sites_in.read(1, window=window),
                                    model.prevention)
            tally.add(ids, risk_class, zone, np.nan_to_num(index))
            class_out.write(risk_class, 1, window=window)
            zone_out.write(zone, 1, window=window)
    return tally


def _statistics(request, area, tally, stage, files, grid) -> gpd.GeoDataFrame:
    settlements = request.inputs.vector("settlements")
    population = pd.DataFrame({"township": pd.Series(dtype=int), "risk_class": pd.Series(dtype=int),
                               "zone": pd.Series(dtype=int), "population": pd.Series(dtype=float)})
    numbered = gpd.GeoDataFrame({"township": np.arange(1, len(area) + 1)}, geometry=area.geometry.values, crs=area.crs)
    if settlements is not None and len(settlements) and "population" in settlements:
        joined = gpd.sjoin(settlements[["population", "geometry"]], numbered, predicate="within")
        if len(joined):
            xy = list(zip(joined.geometry.x, joined.geometry.y))
            classes, zones = (_sample(stage.path(files[key]), xy) for key in ("RISK_CLASS", "PREVENTION_CLASS"))
            population = pd.DataFrame({"township": joined["township"].to_numpy(), "risk_class": classes,
                                       "zone": zones, "population": joined["population"].fillna(0).to_numpy()})
    sites = request.inputs.vector("hazard_sites")
    counts = pd.Series(dtype=int)
    if sites is not None and len(sites):
        counts = gpd.sjoin(sites[["geometry"]], numbered, predicate="within")["township"].value_counts()
    return township_table(area, tally, grid.cell, risk_classes(), zone_defs(), population, counts)


def _sample(raster: Path, xy: list[tuple[float, float]]) -> np.ndarray:
    with rasterio.open(raster) as src:
        return np.array([v[0] for v in src.sample(xy)], dtype=int)


def _short_provenance(request: ZoningRequest, grid: Grid) -> dict[str, str]:
    # No time here: the same inputs must give byte-identical rasters (the time is in provenance.json).
    model = request.model
    text = (f"Hunchun Risk {plugin_version()} {TOOL}; model '{model.name}' sha256 {model.sha256[:16]}; "
            f"scale {request.scale}; cell {grid.cell:g} m; see provenance.json (time, inputs)")
    return {"PROVENANCE": text, "TIFFTAG_SOFTWARE": f"Hunchun Risk {plugin_version()}"}


def _style_beside(request: ZoningRequest, stage: Stage, name: str, style: str) -> None:
    source = request.styles.get(style)
    if source is not None and Path(source).exists():
        copy_style(Path(source), stage.path(str(Path(name).with_suffix(".qml"))))


def _write_vectors(request, stage, prefix, zones, prevention, stats, tag, files) -> None:
    gpkg = stage.path(f"{prefix}{GPKG}")
    description = tag["PROVENANCE"]
    write_layer(zones, gpkg, "risk_zones", description, request.styles.get("risk_zones"))
    write_layer(prevention, gpkg, "prevention_zones", description, request.styles.get("prevention_zones"))
    write_layer(stats, gpkg, "township_stats", description, request.styles.get("risk_township_stats"))
    write_csv(pd.DataFrame(stats.drop(columns="geometry")), stage.path(f"{prefix}township_stats.csv"))
    files.update({key: layer_uri(f"{prefix}{GPKG}", layer) for key, layer in RESULT_LAYERS.items()})
    files["TOWNSHIP_STATS_CSV"] = f"{prefix}township_stats.csv"


def _merge(results: list[AreaResult], areas, stage: Stage, request: ZoningRequest) -> dict[str, str]:
    """Every township in turn: mosaics of the township rasters and merged tables."""
    files = {}
    for key, name, style in (("RISK_INDEX", "risk_index", "risk_index"), ("RISK_CLASS", "risk_class", "risk_class"),
                             ("PREVENTION_CLASS", "prevention_class", "risk_prevention_class")):
        target = stage.path(f"{name}.vrt")
        write_mosaic_vrt(target, [stage.path(r.files[key]) for r in results])
        _style_beside(request, stage, f"{name}.vrt", style)
        files[key] = f"{name}.vrt"
    tag = _short_provenance(request, results[0].grid)

    def stacked(frames, key):
        parts = [f.assign(township_code=a["code"].iloc[0], township_name=a["name"].iloc[0])
                 for f, (_, a) in zip((getattr(r, key) for r in results), areas) if len(f)]
        return gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=parts[0].crs)

    stats = gpd.GeoDataFrame(pd.concat([r.stats for r in results], ignore_index=True), geometry="geometry",
                             crs=results[0].stats.crs)
    _write_vectors(request, stage, "", stacked(results, "zones"), stacked(results, "prevention"), stats, tag, files)
    return files


def _provenance(request, plan, cell, crs, results, areas, files) -> dict[str, Any]:
    model = request.model
    runs = [{"township": (a["code"].iloc[0] if request.scale == "township" else None), "prefix": prefix,
             "grid": {"width": r.grid.width, "height": r.grid.height, "bounds": list(r.grid.bounds)},
             "breaks": r.breaks, "factor_ranges": r.observed, "notes": r.notes, "files": r.files}
            for r, (prefix, a) in zip(results, areas)]
    extra = {
        "model": {"name": model.name, "source": model.source, "sha256": model.sha256, "text": model.text,
                  "rule": model.rule, "capacity_alpha": model.capacity_alpha},
        "weights": results[0].weights,
        "ahp": {"hazards": model.hazard_ahp.as_dict() if model.hazard_ahp else None,
                **{name: c.ahp.as_dict() for name, c in model.all_components().items() if c.ahp}},
        "classes": {"method": model.classes.method, "breaks": results[0].breaks if len(results) == 1 or not (
                        request.scale == "township" and request.relative_classes) else None,
                    "histogram_bins": classify.HISTOGRAM_BINS,
                    "labels": [{"value": c.value, "zh": c.zh, "en": c.en} for c in risk_classes()]},
        "prevention_rule": model.prevention.__dict__,
        "missing": {"factors": plan.missing_factors, "hazards": plan.missing_hazards, "notes": plan.notes},
        "scale": request.scale, "scale_denominator": int(scale_def(request.scale)["denominator"]),
        "township": request.township, "cell_size_m": cell, "crs": crs.to_string(),
        "class_scale": RELATIVE if request.scale == "township" and request.relative_classes else CITY_WIDE,
        "extent": list(request.extent) if request.extent else None,
        "resampling": "inputs reprojected to the target CRS; rasters warped onto the grid with bilinear "
                      "resampling (GDAL), vectors reprojected by QGIS/PROJ then burnt at cell centres",
        "runs": runs,
        "outputs": dict(files),
    }
    return build_record(TOOL, request.parameters, request.inputs.uris, extra)
