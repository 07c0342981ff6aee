"""Factor sources: how each factor's raw values are made on any (sub-)grid from the
inputs. ``build_source`` prepares one per model factor (filters, weights, global
travel-time grids); ``FactorSource.block`` then gives the raw values of one block,
computing a halo around it where neighbourhoods matter (distance, slope, rivers).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import rasterio
from rasterio import features
from rasterio.enums import Resampling
from rasterio.vrt import WarpedVRT
from rasterio.windows import Window
from scipy import ndimage

from ..definitions import domain, road_classes
from ..errors import InputError
from ..progress import Progress
from . import surfaces
from .grid import Grid, grid_for_bounds
from .model import FactorSpec

HOLE_FILL_M = 1000.0  # raster no-data holes up to this size (m) across are filled


@dataclass
class RiskInputs:
    """Input layers already in the target CRS (None = not given) and raster file paths."""

    vectors: dict[str, gpd.GeoDataFrame | None]
    rasters: dict[str, str | None]
    uris: dict[str, str | None] = field(default_factory=dict)

    def vector(self, name: str) -> gpd.GeoDataFrame | None:
        return self.vectors.get(name)

    def has(self, name: str) -> bool:
        return self.vectors.get(name) is not None or bool(self.rasters.get(name))


class FactorSource:
    """Raw values of one factor on a grid; ``halo_m`` says how far beyond a block the
    computation must look for exact results inside it."""

    halo_m: float = 0.0

    def values(self, grid: Grid) -> np.ndarray:
        raise NotImplementedError

    def block(self, grid: Grid, window: Window) -> np.ndarray:
        halo = grid.cells_for(self.halo_m) if self.halo_m else 0
        values = self.values(grid.sub(window, halo))
        return values[halo:values.shape[0] - halo, halo:values.shape[1] - halo] if halo else values


def read_on_grid(path: str, grid: Grid, resampling: str = "bilinear", fill_holes: bool = True) -> np.ndarray:
    """A raster warped onto ``grid`` (float32, NaN = no data). Reprojection and
    resampling are GDAL's (bilinear by default). No-data cells within HOLE_FILL_M / 2
    of valid data take the value of the nearest valid cell, so holes up to 1 km across
    are filled and one missing cell does not blank its neighbourhood."""
    with rasterio.open(path) as src, WarpedVRT(
        src, crs=grid.crs_wkt, transform=grid.transform, width=grid.width, height=grid.height,
        resampling=Resampling[resampling], nodata=np.nan, dtype="float32",
    ) as vrt:
        data = vrt.read(1)
    valid = np.isfinite(data)
    if fill_holes and not valid.all() and valid.any():
        distance, (rows, cols) = ndimage.distance_transform_edt(~valid, sampling=grid.cell, return_indices=True)
        near = ~valid & (distance <= HOLE_FILL_M / 2)
        data[near] = data[rows[near], cols[near]]
    return data


class RasterSource(FactorSource):
    def __init__(self, path: str, resampling: str) -> None:
        self.path, self.resampling = path, resampling

    def values(self, grid: Grid) -> np.ndarray:
        return read_on_grid(self.path, grid, self.resampling)


class SlopeSource(FactorSource):
    def __init__(self, dem: str, cell: float) -> None:
        self.dem = dem
        self.halo_m = cell  # one cell: Horn's 3×3 window

    def values(self, grid: Grid) -> np.ndarray:
        return surfaces.slope_degrees(read_on_grid(self.dem, grid), grid.cell)


class HeightAboveRiverSource(FactorSource):
    def __init__(self, dem: str, rivers: gpd.GeoDataFrame, search_m: float) -> None:
        self.dem, self.rivers, self.search, self.halo_m = dem, rivers, search_m, search_m

    def values(self, grid: Grid) -> np.ndarray:
        river = burn(self.rivers, grid, all_touched=True)
        return surfaces.height_above_river(read_on_grid(self.dem, grid), river, grid.cell, self.search)


class PolygonFieldSource(FactorSource):
    """A polygon attribute burnt into cells (cell centre inside); where polygons
    overlap, ``aggregate`` = max or min decides; cells in no polygon get ``fill``."""

    def __init__(self, frame: gpd.GeoDataFrame, field_name: str, aggregate: str, fill: float) -> None:
        values = frame[field_name].astype(float)
        keep = values.notna() & frame.geometry.notna()
        ordered = frame[keep].assign(_v=values[keep]).sort_values("_v", ascending=(aggregate != "min"))
        self.shapes = list(zip(ordered.geometry, ordered["_v"]))  # later shapes win
        self.fill = fill

    def values(self, grid: Grid) -> np.ndarray:
        if not self.shapes:
            return np.full(grid.shape, self.fill, dtype=np.float32)
        return features.rasterize(self.shapes, out_shape=grid.shape, transform=grid.transform,
                                  fill=self.fill, dtype="float32")


class DensitySource(FactorSource):
    def __init__(self, x: np.ndarray, y: np.ndarray, weight: np.ndarray, bandwidth: float, kernel: str) -> None:
        self.x, self.y, self.weight, self.bandwidth, self.kernel = x, y, weight, bandwidth, kernel

    def values(self, grid: Grid) -> np.ndarray:
        return surfaces.kernel_density(grid, self.x, self.y, self.weight, self.bandwidth, self.kernel)


class DistanceSource(FactorSource):
    def __init__(self, frame: gpd.GeoDataFrame, max_m: float) -> None:
        self.frame, self.max_m, self.halo_m = frame, max_m, max_m

    def values(self, grid: Grid) -> np.ndarray:
        return surfaces.distance_to_cells(burn(self.frame, grid, all_touched=True), grid.cell, self.max_m)


class TravelTimeSource(FactorSource):
    """Travel minutes, solved once on a coarse grid over roads (speed by road class or
    ``speed_kmh``) and off-road ground, then interpolated bilinearly to each block."""

    def __init__(self, coarse: Grid, minutes: np.ndarray) -> None:
        self.coarse, self.minutes = coarse, minutes

    def values(self, grid: Grid) -> np.ndarray:
        xs, ys = grid.centres()
        left, top, cc = self.coarse.transform.c, self.coarse.transform.f, self.coarse.cell
        cols = (xs - left) / cc - 0.5
        rows = (top - ys) / cc - 0.5
        rr, cc_ = np.meshgrid(rows, cols, indexing="ij")
        return ndimage.map_coordinates(self.minutes, [rr, cc_], order=1, mode="nearest").astype(np.float32)


def burn(frame: gpd.GeoDataFrame, grid: Grid, all_touched: bool) -> np.ndarray:
    """Boolean grid of the cells the geometries touch."""
    left, bottom, right, top = grid.bounds
    geoms = [g for g in frame.geometry.cx[left:right, bottom:top] if g is not None and not g.is_empty]
    if not geoms:
        return np.zeros(grid.shape, dtype=bool)
    return features.rasterize(((g, 1) for g in geoms), out_shape=grid.shape, transform=grid.transform,
                              fill=0, dtype="uint8", all_touched=all_touched).astype(bool)


def filtered(frame: gpd.GeoDataFrame, spec: FactorSpec) -> gpd.GeoDataFrame:
    rule = spec.options.get("filter")
    if not rule:
        return frame
    return frame[frame[rule["field"]].astype(str).isin([str(v) for v in rule["values"]])]


def point_weights(frame: gpd.GeoDataFrame, spec: FactorSpec, layer_label: str) -> np.ndarray:
    """Per-point weight: the class-table weight times the (log-scaled) numeric field."""
    weight = np.ones(len(frame))
    table_rule: Mapping[str, Any] | None = spec.options.get("weight_table")
    if table_rule:
        table = table_rule.get("table") or {k: v["weight"] for k, v in domain()[table_rule["domain"]].items()}
        values = frame[table_rule["field"]].astype(str)
        unknown = sorted(set(values) - set(table))
        if unknown:
            raise InputError(
                f"Layer '{layer_label}', field '{table_rule['field']}': value(s) {', '.join(unknown)} are not in "
                f"the model's weight table ({', '.join(table)}). Correct the values or extend the table.",
                f"图层“{layer_label}”字段“{table_rule['field']}”的取值 {', '.join(unknown)} 不在模型权重表"
                f"（{', '.join(table)}）中。请更正取值或扩充权重表。")
        weight *= values.map(table).astype(float).to_numpy()
    if spec.options.get("weight_field"):
        numbers = frame[spec.options["weight_field"]].astype(float).fillna(0.0).clip(lower=0).to_numpy()
        # weight_log: 1 + log10(1 + n), so a site threatening nobody still counts once and
        # each tenfold more people adds one: 0 → 1, 9 → 2, 99 → 3, 999 → 4.
        weight *= 1.0 + np.log10(1.0 + numbers) if spec.options.get("weight_log") else numbers
    return weight


def point_xy(frame: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    points = frame.geometry.representative_point()
    return points.x.to_numpy(), points.y.to_numpy()


def road_speeds(roads: gpd.GeoDataFrame) -> np.ndarray:
    """Speed of each road: its ``speed_kmh`` or else its class's default (domain.toml)."""
    defaults = {k: float(v["speed_kmh"]) for k, v in road_classes().items()}
    by_class = roads.get("road_class", gpd.pd.Series(index=roads.index, dtype=object)).map(defaults)
    given = roads["speed_kmh"].astype(float) if "speed_kmh" in roads else by_class * np.nan
    speed = given.where(given > 0, by_class).fillna(min(defaults.values()))
    return speed.to_numpy()


def travel_time_grid(spec: FactorSpec, inputs: RiskInputs, grid: Grid, progress: Progress) -> TravelTimeSource:
    targets = filtered(inputs.vector(spec.layer), spec)
    roads = inputs.vector(spec.options["roads"])
    coarse_cell = max(grid.cell, float(spec.options.get("coarse_cell_m", 200.0)))
    left, bottom, right, top = grid.bounds
    if len(targets):
        tl, tb, tr, tt = targets.total_bounds
        left, bottom, right, top = min(left, tl), min(bottom, tb), max(right, tr), max(top, tt)
    margin = 5 * coarse_cell
    coarse = grid_for_bounds((left - margin, bottom - margin, right + margin, top + margin), coarse_cell,
                             _crs(grid))
    speed = np.full(coarse.shape, float(spec.options["offroad_kmh"]), dtype=np.float32)
    if roads is not None and len(roads):
        order = np.argsort(road_speeds(roads))
        shapes = [(g, s) for g, s in zip(roads.geometry.iloc[order], road_speeds(roads)[order]) if g is not None]
        burnt = features.rasterize(shapes, out_shape=coarse.shape, transform=coarse.transform, fill=0,
                                   dtype="float32", all_touched=True)
        speed = np.maximum(speed, burnt)
    x, y = point_xy(targets)
    col = ((x - coarse.transform.c) / coarse_cell).astype(int)
    row = ((coarse.transform.f - y) / coarse_cell).astype(int)
    sources = np.zeros(coarse.shape, dtype=bool)
    sources[row, col] = True
    progress.say(f"travel time to {spec.layer}: {coarse.width}×{coarse.height} cells of {coarse_cell:g} m",
                 f"到 {spec.layer} 的通行时间：{coarse.width}×{coarse.height} 个像元，像元 {coarse_cell:g} 米")
    minutes = surfaces.travel_minutes(speed, coarse_cell, sources)
    cap = float(spec.options.get("max_minutes", 600.0))
    return TravelTimeSource(coarse, np.minimum(minutes, cap))


def _crs(grid: Grid):
    from pyproj import CRS

    return CRS.from_wkt(grid.crs_wkt)


def build_source(spec: FactorSpec, inputs: RiskInputs, grid: Grid, progress: Progress) -> FactorSource:
    """The prepared source of one factor (its inputs were checked before)."""
    o = spec.options
    if spec.source == "raster":
        return RasterSource(inputs.rasters[spec.layer], o.get("resampling", "bilinear"))
    if spec.source == "slope":
        return SlopeSource(inputs.rasters[spec.layer], grid.cell)
    if spec.source == "height_above_river":
        return HeightAboveRiverSource(inputs.rasters[spec.layer], inputs.vector(o["rivers"]), float(o["search_m"]))
    frame = inputs.vector(spec.layer)
    if spec.source == "polygon_field":
        return PolygonFieldSource(frame, o["field"], o.get("aggregate", "max"), float(o.get("fill", 0.0)))
    if spec.source == "kernel_density":
        points = filtered(frame, spec)
        x, y = point_xy(points)
        return DensitySource(x, y, point_weights(points, spec, spec.layer), float(o["bandwidth_m"]),
                             o.get("kernel", "quartic"))
    if spec.source == "distance":
        return DistanceSource(filtered(frame, spec), float(o["max_m"]))
    if spec.source == "travel_time":
        return travel_time_grid(spec, inputs, grid, progress)
    raise ValueError(f"unknown source {spec.source!r}")
