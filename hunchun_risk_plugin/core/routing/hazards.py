"""Close or penalise road segments that lie in a hazard.

A segment is *closed* when any part of it touches a hazard polygon (polygon action
"close") or passes through a raster cell whose risk class is at least
``close_from_class``. It is *penalised* (cost multiplied by ``penalty_factor``) when
it touches a polygon with action "penalise" or a cell of class at least
``penalise_from_class`` (0 = never). Penalties change which route is chosen; the
reported distance and time stay the physical ones.

The raster is sampled along each segment every half cell (and at both ends), so a
segment crossing a single high-class cell is caught.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer

from ..affine_ops import apply
from ..errors import InputError
from .metric import to_crs
from .network import RoadNetwork

CLOSE, PENALISE = "close", "penalise"


@dataclass(frozen=True)
class HazardRule:
    close_from_class: int = 4
    penalise_from_class: int = 0
    penalty_factor: float = 3.0
    polygon_action: str = CLOSE

    def check(self) -> None:
        if self.polygon_action not in (CLOSE, PENALISE):
            raise InputError(
                f"Hazard polygon action must be 'close' or 'penalise', got '{self.polygon_action}'.",
                f"危险区处理方式必须为 close（封闭）或 penalise（加权），当前为“{self.polygon_action}”。",
            )
        if self.penalty_factor < 1:
            raise InputError(
                f"Penalty factor must be at least 1, got {self.penalty_factor}.",
                f"惩罚系数必须不小于 1，当前为 {self.penalty_factor}。",
            )
        if self.close_from_class < 1:
            raise InputError(
                f"CLOSE_FROM_CLASS must be a risk class 1–5 (6 = close nothing), got {self.close_from_class}.",
                f"CLOSE_FROM_CLASS 必须为风险等级 1–5（6 表示不封闭），当前为 {self.close_from_class}。",
            )


@dataclass
class ClassRaster:
    """A risk-class raster in memory (0 = no data / outside)."""

    values: np.ndarray
    transform: object  # affine.Affine
    crs: CRS

    def sample(self, xy: np.ndarray, xy_crs: CRS) -> np.ndarray:
        """Class at each point (0 outside the raster or on nodata)."""
        if len(xy) == 0:
            return np.zeros(0, dtype=np.int64)
        x, y = xy[:, 0], xy[:, 1]
        if xy_crs != self.crs:
            x, y = Transformer.from_crs(xy_crs, self.crs, always_xy=True).transform(x, y)
        col, row = apply(~self.transform, np.asarray(x), np.asarray(y))
        row = np.floor(row).astype(np.int64)
        col = np.floor(col).astype(np.int64)
        inside = (row >= 0) & (row < self.values.shape[0]) & (col >= 0) & (col < self.values.shape[1])
        out = np.zeros(len(xy), dtype=np.int64)
        out[inside] = self.values[row[inside], col[inside]]
        return out

    def cell_size_in(self, crs: CRS) -> float:
        """Approximate cell size in the units of ``crs`` (metres for the network)."""
        width = abs(self.transform.a)
        height = abs(self.transform.e)
        if crs == self.crs:
            return min(width, height)
        cx, cy = apply(self.transform, self.values.shape[1] / 2, self.values.shape[0] / 2)
        to_net = Transformer.from_crs(self.crs, crs, always_xy=True)
        x, y = to_net.transform([cx, cx + width, cx], [cy, cy, cy + height])
        return float(min(np.hypot(x[1] - x[0], y[1] - y[0]), np.hypot(x[2] - x[0], y[2] - y[0])))


def read_class_raster(path: str | Path) -> ClassRaster:
    """Read band 1 of a class raster (e.g. hunchunrisk:riskzoning output)."""
    import rasterio

    try:
        with rasterio.open(path) as dataset:
            values = dataset.read(1)
            nodata = dataset.nodata
            transform = dataset.transform
            crs = dataset.crs
    except Exception as exc:  # rasterio raises several error types for unreadable files
        raise InputError(
            f"Hazard raster '{path}' cannot be read: {exc}.",
            f"无法读取危险性栅格“{path}”：{exc}。",
        ) from exc
    if crs is None:
        raise InputError(
            f"Hazard raster '{path}' has no CRS. Assign one (e.g. EPSG:4511) and run again.",
            f"危险性栅格“{path}”没有坐标系。请设置坐标系（如 EPSG:4511）后重试。",
        )
    classes = np.nan_to_num(values.astype(np.float64), nan=0.0)
    if nodata is not None:
        classes[values == nodata] = 0
    return ClassRaster(np.round(classes).astype(np.int64), transform, CRS.from_user_input(crs.to_wkt()))


@dataclass
class SegmentHazard:
    closed: np.ndarray  # (m,) bool
    factor: np.ndarray  # (m,) float, >= 1

    @classmethod
    def none(cls, n_segments: int) -> SegmentHazard:
        return cls(np.zeros(n_segments, dtype=bool), np.ones(n_segments))

    def take(self, parent: np.ndarray) -> SegmentHazard:
        """The hazard state of segments cut from ``parent`` segments."""
        return SegmentHazard(self.closed[parent], self.factor[parent])


def segment_hazard(
    network: RoadNetwork,
    rule: HazardRule,
    polygons: gpd.GeoDataFrame | None = None,
    raster: ClassRaster | None = None,
) -> SegmentHazard:
    """Closed / penalised state of every segment of ``network``."""
    rule.check()
    state = SegmentHazard.none(network.n_segments)
    if polygons is not None and len(polygons):
        hit = _segments_touching(network, polygons)
        _apply(state, hit, rule.polygon_action == CLOSE, rule.penalty_factor)
    if raster is not None:
        classes = _max_class_along(network, raster)
        _apply(state, classes >= rule.close_from_class, True, rule.penalty_factor)
        if rule.penalise_from_class > 0:
            _apply(state, classes >= rule.penalise_from_class, False, rule.penalty_factor)
    return state


def points_in_closed_area(
    xy: np.ndarray,
    crs: CRS,
    rule: HazardRule,
    polygons: gpd.GeoDataFrame | None = None,
    raster: ClassRaster | None = None,
) -> np.ndarray:
    """True where a point lies in a closing hazard (polygon with action close, or class >= threshold)."""
    inside = np.zeros(len(xy), dtype=bool)
    if len(xy) == 0:
        return inside
    if polygons is not None and len(polygons) and rule.polygon_action == CLOSE:
        shapes = _valid_polygons(to_crs(polygons, crs, "hazard polygons"))
        tree = shapely.STRtree(shapes)
        hits = tree.query(shapely.points(xy), predicate="intersects")
        inside[np.unique(hits[0])] = True
    if raster is not None:
        inside |= raster.sample(xy, crs) >= rule.close_from_class
    return inside


def _apply(state: SegmentHazard, hit: np.ndarray, close: bool, factor: float) -> None:
    if close:
        state.closed |= hit
    else:
        state.factor[hit] = np.maximum(state.factor[hit], factor)


def _valid_polygons(polygons: gpd.GeoDataFrame) -> np.ndarray:
    geometries = polygons.geometry.values
    geometries = geometries[~(shapely.is_missing(geometries) | shapely.is_empty(geometries))]
    kinds = set(shapely.get_type_id(geometries)) - {3, 6}
    if kinds:
        raise InputError(
            "Hazard polygon layer must hold polygons.",
            "危险区图层必须是面图层。",
        )
    return shapely.make_valid(geometries)


def _segments_touching(network: RoadNetwork, polygons: gpd.GeoDataFrame) -> np.ndarray:
    shapes = _valid_polygons(to_crs(polygons, network.crs, "hazard polygons"))
    hit = np.zeros(network.n_segments, dtype=bool)
    if len(shapes) == 0:
        return hit
    tree = shapely.STRtree(network.segment_lines())
    _, segments = tree.query(shapes, predicate="intersects")
    hit[segments] = True
    return hit


def _max_class_along(network: RoadNetwork, raster: ClassRaster) -> np.ndarray:
    """Highest class met along each segment (sampled every half cell, ends included)."""
    step = max(raster.cell_size_in(network.crs) / 2.0, 1e-9)
    length = network.seg_length
    samples = np.maximum(2, np.ceil(length / step).astype(np.int64) + 1)
    segment = np.repeat(np.arange(network.n_segments), samples)
    starts = np.cumsum(samples) - samples
    position = (np.arange(len(segment)) - np.repeat(starts, samples)) / np.repeat(samples - 1, samples)
    a = network.node_xy[network.seg_from[segment]]
    b = network.node_xy[network.seg_to[segment]]
    classes = raster.sample(a + position[:, None] * (b - a), network.crs)
    best = np.zeros(network.n_segments, dtype=np.int64)
    np.maximum.at(best, segment, classes)
    return best
