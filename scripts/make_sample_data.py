#!/usr/bin/env python3
"""Generate the synthetic Hunchun sample dataset.

    .venv/bin/python scripts/make_sample_data.py [--out layers]

Writes ``hunchun_sample.gpkg`` (every layer of ``core/data/schema.toml`` in EPSG:4511),
``dem.tif`` and ``forest.tif`` into the output folder. Everything is drawn from fixed
seeds, so two runs give the same layer contents.

合成示例数据，非官方边界，不得用于出版 / Synthetic sample data, not official
boundaries, not for publication. The outline, township boundaries, terrain, roads and
every facility are invented to look plausible for Hunchun (珲春市); none of it is survey
data.

Raster conventions (documented here because the analysis code relies on them):

* dem.tif: Float32 metres rounded to 1/8 m, 30 m cells, EPSG:4511, tiled 256x256,
  DEFLATE + floating-point predictor; nodata -9999 outside the city outline buffered by
  1 km (cells along the border keep a value so edge sampling works). Float rather than
  Int16 so gentle slopes do not show 1 m terraces in slope and hillshade.
* forest.tif: Float32 forest-cover share 0-1 rounded to 0.01, 60 m cells aligned with
  the DEM grid (every 2x2 DEM block), nodata -9999 where the DEM is nodata.

Only numpy, scipy, shapely, geopandas, pyogrio, pyproj and rasterio are used (no QGIS).
"""
from __future__ import annotations

import argparse
import math
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import rasterio
import shapely
import shapely.affinity
import shapely.ops
from pyproj import Transformer
from rasterio.features import geometry_mask, rasterize, shapes
from rasterio.transform import Affine, from_origin
from scipy import ndimage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hunchun_risk_plugin.core import definitions as defs  # noqa: E402
from hunchun_risk_plugin.core.schema import layer_specs  # noqa: E402

NOTE = "合成示例数据，非官方边界，不得用于出版 / Synthetic sample data, not official boundaries, not for publication"
GENERATOR = "scripts/make_sample_data.py"
BASE_SEED = 20250521
EPSG = defs.default_epsg()  # 4511, CGCS2000 / Gauss-Kruger CM 129E
GEO_EPSG = 4490  # CGCS2000 geographic
TARGET_AREA_KM2 = 5145.0
CELL = 30.0  # DEM cell (m)
DEM_NODATA = -9999.0
FIXED_DATE = "2025-01-01T00:00:00Z"  # GeoPackage timestamps, for reproducible files

TO_XY = Transformer.from_crs(GEO_EPSG, EPSG, always_xy=True)
TO_LL = Transformer.from_crs(EPSG, GEO_EPSG, always_xy=True)

# ---------------------------------------------------------------------------------
# Hand-drawn facts (lon, lat). Everything else is derived from these and the seeds.
# ---------------------------------------------------------------------------------

CITY_CENTRE = (130.366, 42.863)  # 新安街道
FANGCHUAN = (130.640, 42.430)  # 防川, the far south tip
DEMO_ZONE = (130.428, 42.846)  # 边境经济合作示范区, industrial, east/south-east of the centre

# Clockwise outline: NW border with Wangqing/Dongning, Russia to the east and south-east,
# the long tail to 防川, then back north-west up the Tumen (DPRK on the far bank).
OUTLINE_LONLAT = [
    (130.09, 43.08), (130.15, 43.13), (130.25, 43.17), (130.37, 43.21), (130.49, 43.265),
    (130.61, 43.33), (130.71, 43.41), (130.80, 43.47), (130.86, 43.51), (130.95, 43.47),
    (131.03, 43.40), (131.13, 43.31), (131.24, 43.25), (131.31, 43.20), (131.22, 43.08),
    (131.10, 42.97), (130.98, 42.90), (130.86, 42.845), (130.78, 42.79), (130.72, 42.73),
    (130.685, 42.66), (130.67, 42.58), (130.66, 42.51), (130.65, 42.45), (130.64, 42.42),
    (130.628, 42.432), (130.612, 42.465), (130.595, 42.51), (130.575, 42.56), (130.545, 42.61),
    (130.50, 42.66), (130.44, 42.71), (130.37, 42.76), (130.30, 42.80), (130.24, 42.835),
    (130.18, 42.87), (130.12, 42.91), (130.085, 42.96), (130.07, 43.02),
]
TUMEN_UPSTREAM = (130.07, 43.02)  # where the Tumen starts to form the border
TUMEN_SW_PROBE = (130.44, 42.70)  # a point on the Tumen side, to pick the right arc


@dataclass(frozen=True)
class TownshipFacts:
    seat: tuple[float, float]  # seat (lon, lat), also the partition seed
    area_km2: float  # target area (rescaled so the total matches the outline)
    population: int
    elderly_share: float
    building_vulnerability: float
    villages: int  # number of settlements to place


# Keyed by the Chinese name in domain.toml. Urban subdistricts hold ~150,000 people.
TOWNSHIP_FACTS = {
    "靖和街道": TownshipFacts((130.334, 42.876), 22, 38000, 0.16, 0.30, 13),
    "新安街道": TownshipFacts((130.366, 42.865), 16, 48000, 0.15, 0.26, 15),
    "河南街道": TownshipFacts((130.362, 42.834), 30, 34000, 0.17, 0.34, 12),
    "近海街道": TownshipFacts((130.405, 42.868), 26, 30000, 0.14, 0.28, 11),
    "春化镇": TownshipFacts((130.945, 43.195), 1650, 8500, 0.27, 0.72, 34),
    "敬信镇": TownshipFacts((130.600, 42.575), 620, 10500, 0.28, 0.70, 33),
    "板石镇": TownshipFacts((130.535, 42.885), 460, 14500, 0.23, 0.58, 32),
    "英安镇": TownshipFacts((130.352, 42.985), 480, 14000, 0.22, 0.60, 33),
    "马川子乡": TownshipFacts((130.255, 42.893), 230, 10500, 0.24, 0.62, 27),
    "密江乡": TownshipFacts((130.130, 42.990), 420, 6500, 0.29, 0.76, 24),
    "哈达门乡": TownshipFacts((130.400, 43.105), 560, 7000, 0.28, 0.74, 25),
    "杨泡满族乡": TownshipFacts((130.720, 42.998), 480, 6500, 0.27, 0.73, 24),
    "三家子满族乡": TownshipFacts((130.405, 42.760), 180, 11000, 0.25, 0.64, 26),
}
URBAN_KIND = "街道"
# Extra partition anchors (besides the seat) that pull a unit's territory where it lies.
TOWNSHIP_ANCHORS = {
    "春化镇": [(131.06, 43.33), (131.15, 43.15)],
    "敬信镇": [(130.635, 42.47)],
    "板石镇": [(130.74, 42.81), (130.63, 42.90)],
    "杨泡满族乡": [(130.84, 42.97)],
    "哈达门乡": [(130.50, 43.20), (130.33, 43.14)],
    "英安镇": [(130.44, 42.99)],
    "密江乡": [(130.15, 43.07)],
}


@dataclass(frozen=True)
class RiverDef:
    name: str
    name_en: str
    parent: str | None  # river it flows into (None for the Tumen, built from the border)
    points: tuple[tuple[float, float], ...]  # source -> mouth (lon, lat)
    floor_m: float  # flat valley floor half-width
    wall_m: float  # width over which the valley side rises to the hills
    meander_m: float  # lateral noise amplitude


RIVERS = [
    RiverDef("图们江", "Tumen River", None, (), 700, 3000, 0),
    RiverDef("珲春河", "Hunchun River", "图们江", (
        (131.02, 43.375), (130.99, 43.30), (130.96, 43.24), (130.93, 43.185), (130.88, 43.12),
        (130.82, 43.06), (130.74, 43.01), (130.66, 42.985), (130.58, 42.962), (130.51, 42.948),
        (130.455, 42.91), (130.415, 42.872), (130.37, 42.851), (130.33, 42.846), (130.30, 42.836),
        (130.27, 42.826)), 320, 1800, 180),
    RiverDef("密江", "Mijiang River", "图们江", (
        (130.21, 43.12), (130.18, 43.06), (130.145, 43.01), (130.12, 42.96), (130.105, 42.935)),
        180, 1100, 150),
    RiverDef("英安河", "Ying'an River", "珲春河", (
        (130.43, 43.165), (130.405, 43.09), (130.375, 43.03), (130.37, 42.96), (130.39, 42.90),
        (130.398, 42.866)), 200, 1200, 160),
    RiverDef("草帽顶子河", "Caomaodingzi River", "珲春河", (
        (130.60, 43.25), (130.57, 43.15), (130.545, 43.06), (130.525, 42.99), (130.515, 42.955)),
        150, 1000, 160),
    RiverDef("骆驼河子", "Luotuohezi River", "珲春河", (
        (130.80, 43.42), (130.83, 43.32), (130.845, 43.22), (130.855, 43.15), (130.85, 43.10)),
        150, 1000, 170),
    RiverDef("春化河", "Chunhua River", "珲春河", (
        (131.25, 43.205), (131.16, 43.215), (131.07, 43.21), (130.99, 43.205), (130.945, 43.215)),
        150, 1000, 170),
    RiverDef("板石河", "Banshi River", "珲春河", (
        (130.74, 42.905), (130.66, 42.89), (130.58, 42.875), (130.50, 42.872), (130.44, 42.875),
        (130.425, 42.878)), 180, 900, 140),
    RiverDef("五家山河", "Wujiashan River", "图们江", (
        (130.70, 42.74), (130.67, 42.70), (130.63, 42.66), (130.59, 42.63), (130.55, 42.61)),
        150, 900, 150),
]

# Control points of the broad relief (lon, lat, metres): low Tumen valley and Hunchun
# basin in the south-west, hills rising north and east, 老爷岭 (~1,477 m) in the north-east.
RELIEF_CONTROLS = [
    (130.366, 42.863, 30), (130.25, 42.88, 45), (130.45, 42.875, 60), (130.56, 42.905, 140),
    (130.12, 43.00, 170), (130.15, 43.10, 420), (130.28, 43.04, 320), (130.40, 43.16, 560),
    (130.55, 43.21, 650), (130.70, 43.32, 820), (130.85, 43.46, 900), (130.78, 43.15, 620),
    (131.00, 43.32, 1050), (131.13, 43.29, 1450), (131.26, 43.20, 950), (131.10, 43.05, 760),
    (130.95, 42.93, 480), (130.75, 42.92, 330), (130.68, 43.06, 450), (130.82, 42.79, 300),
    (130.71, 42.68, 240), (130.67, 42.55, 150), (130.56, 42.68, 120), (130.45, 42.77, 55),
    (130.64, 42.45, 40), (130.90, 43.18, 520), (130.48, 43.00, 330), (130.20, 42.94, 110),
]
PEAK_M = 1477.0  # 老爷岭, the highest point
BASIN_CENTRE = (130.345, 42.845)  # the Hunchun basin (plain round the city and the lower river)
BASIN_RADII_M = (9000.0, 6000.0)

# ---------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------


def rng(name: str) -> np.random.Generator:
    """An independent, reproducible random stream per component."""
    return np.random.default_rng([BASE_SEED, zlib.crc32(name.encode("utf-8"))])


def xy(lon: float, lat: float) -> tuple[float, float]:
    x, y = TO_XY.transform(lon, lat)
    return float(x), float(y)


def xy_array(points: Sequence[tuple[float, float]]) -> np.ndarray:
    arr = np.asarray(points, dtype=float)
    x, y = TO_XY.transform(arr[:, 0], arr[:, 1])
    return np.column_stack([x, y])


def smooth1d_noise(r: np.random.Generator, n: int, sigma: float, wrap: bool = False) -> np.ndarray:
    """Unit-variance smooth 1-D noise (sigma in samples)."""
    raw = r.standard_normal(n)
    out = ndimage.gaussian_filter1d(raw, sigma, mode="wrap" if wrap else "reflect")
    return out / (out.std() + 1e-12)


def smooth2d_noise(r: np.random.Generator, shape: tuple[int, int], sigma: float) -> np.ndarray:
    """Unit-variance smooth 2-D noise (sigma in cells)."""
    out = ndimage.gaussian_filter(r.standard_normal(shape).astype(np.float32), sigma, mode="reflect")
    return out / (out.std() + 1e-12)


def smoothstep(t: np.ndarray) -> np.ndarray:
    t = np.clip(t, 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def chaikin(coords: np.ndarray, iterations: int = 3) -> np.ndarray:
    """Corner-cutting smoothing that keeps both end points fixed (junctions stay put)."""
    pts = np.asarray(coords, dtype=float)
    for _ in range(iterations):
        if len(pts) < 3:
            return pts
        a, b = pts[:-1], pts[1:]
        q = 0.75 * a + 0.25 * b
        r = 0.25 * a + 0.75 * b
        mid = np.empty((2 * len(a), 2))
        mid[0::2], mid[1::2] = q, r
        pts = np.vstack([pts[:1], mid[1:-1], pts[-1:]])
    return pts


def meander(line: shapely.LineString, amplitude: float, r: np.random.Generator, step: float = 150.0) -> shapely.LineString:
    """Lateral smooth noise along a line, tapering to zero at both ends (ends stay put)."""
    line = shapely.segmentize(line, step)
    pts = shapely.get_coordinates(line)
    if amplitude <= 0 or len(pts) < 5:
        return line
    tangent = np.gradient(pts, axis=0)
    tangent /= np.linalg.norm(tangent, axis=1, keepdims=True) + 1e-12
    normal = np.column_stack([-tangent[:, 1], tangent[:, 0]])
    s = np.linspace(0.0, 1.0, len(pts))
    taper = np.sin(np.pi * s) ** 0.5
    offset = amplitude * taper * (0.75 * smooth1d_noise(r, len(pts), 8) + 0.25 * smooth1d_noise(r, len(pts), 2.5))
    return shapely.LineString(pts + normal * offset[:, None])


# ---------------------------------------------------------------------------------
# Raster grid
# ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grid:
    x0: float  # left edge
    y1: float  # top edge
    cell: float
    nx: int
    ny: int

    @property
    def shape(self) -> tuple[int, int]:
        return (self.ny, self.nx)

    @property
    def transform(self) -> Affine:
        return from_origin(self.x0, self.y1, self.cell, self.cell)

    def xs(self) -> np.ndarray:
        return self.x0 + (np.arange(self.nx) + 0.5) * self.cell

    def ys(self) -> np.ndarray:
        return self.y1 - (np.arange(self.ny) + 0.5) * self.cell

    def rowcol(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        col = np.floor((np.asarray(x) - self.x0) / self.cell).astype(np.int64)
        row = np.floor((self.y1 - np.asarray(y)) / self.cell).astype(np.int64)
        return np.clip(row, 0, self.ny - 1), np.clip(col, 0, self.nx - 1)

    def centre(self, row: np.ndarray, col: np.ndarray) -> np.ndarray:
        return np.column_stack([self.x0 + (np.asarray(col) + 0.5) * self.cell,
                                self.y1 - (np.asarray(row) + 0.5) * self.cell])

    def coarsen(self, k: int) -> "Grid":
        return Grid(self.x0, self.y1, self.cell * k, self.nx // k, self.ny // k)

    def mask_of(self, geom: shapely.Geometry) -> np.ndarray:
        """True where the cell centre is inside ``geom``."""
        return geometry_mask([geom], out_shape=self.shape, transform=self.transform, invert=True)


def block_mean(a: np.ndarray, k: int) -> np.ndarray:
    ny, nx = a.shape[0] // k, a.shape[1] // k
    return a[: ny * k, : nx * k].reshape(ny, k, nx, k).mean(axis=(1, 3))


def block_max(a: np.ndarray, k: int) -> np.ndarray:
    ny, nx = a.shape[0] // k, a.shape[1] // k
    return a[: ny * k, : nx * k].reshape(ny, k, nx, k).max(axis=(1, 3))


def slope_degrees(dem: np.ndarray, cell: float) -> np.ndarray:
    gy, gx = np.gradient(dem.astype(np.float32), cell)
    return np.degrees(np.arctan(np.hypot(gx, gy))).astype(np.float32)


# ---------------------------------------------------------------------------------
# Outline and rivers
# ---------------------------------------------------------------------------------


def make_outline() -> shapely.Polygon:
    """The hand-drawn outline, roughened with smooth noise and buffered to 5,145 km²."""
    ring = shapely.segmentize(shapely.LinearRing(xy_array(OUTLINE_LONLAT)), 400.0)
    pts = shapely.get_coordinates(ring)[:-1]
    r = rng("outline")
    n = len(pts)
    tangent = np.roll(pts, -1, axis=0) - np.roll(pts, 1, axis=0)
    tangent /= np.linalg.norm(tangent, axis=1, keepdims=True)
    normal = np.column_stack([-tangent[:, 1], tangent[:, 0]])
    offset = (1500 * smooth1d_noise(r, n, 10, wrap=True) + 500 * smooth1d_noise(r, n, 2.5, wrap=True)
              + 150 * smooth1d_noise(r, n, 1.0, wrap=True))
    # The tail near 防川 is only a couple of km wide: keep its border nearly as drawn.
    tip = np.asarray(xy(*FANGCHUAN))
    d_tip = np.linalg.norm(pts - tip, axis=1)
    offset *= np.clip((d_tip - 3000) / 25000, 0.08, 1.0)
    poly = shapely.make_valid(shapely.Polygon(pts + normal * offset[:, None]))
    if poly.geom_type != "Polygon":
        poly = max(poly.geoms, key=lambda g: g.area)
    poly = shapely.simplify(poly, 25.0)
    return _buffer_to_area(poly, TARGET_AREA_KM2 * 1e6)


def _buffer_to_area(poly: shapely.Polygon, target: float) -> shapely.Polygon:
    """Grow or shrink the polygon uniformly until its area is the target (bisection)."""
    lo, hi = -2000.0, 2000.0
    best = poly
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        best = shapely.buffer(poly, mid, join_style="mitre", mitre_limit=3.0)
        if best.area > target:
            hi = mid
        else:
            lo = mid
        if abs(best.area - target) < target * 1e-5:
            break
    if best.geom_type != "Polygon":
        best = max(best.geoms, key=lambda g: g.area)
    return shapely.set_precision(best, 0.01)


@dataclass
class River:
    name: str
    name_en: str
    line: shapely.LineString  # source -> mouth
    bed: np.ndarray  # bed elevation at each vertex of line
    floor_m: float
    wall_m: float


def tumen_line(outline: shapely.Polygon) -> shapely.LineString:
    """The Tumen: the south-west border 200 m inside the outline, from upstream to 防川."""
    ring = shapely.LineString(outline.buffer(-200.0, join_style="round").exterior.coords)
    start = ring.project(shapely.Point(xy(*TUMEN_UPSTREAM)))
    end = ring.project(shapely.Point(xy(*FANGCHUAN)))
    length = ring.length
    lo, hi = sorted((start, end))
    arc_a = shapely.ops.substring(ring, lo, hi)
    arc_b = shapely.ops.linemerge([shapely.ops.substring(ring, hi, length), shapely.ops.substring(ring, 0, lo)])
    probe = shapely.Point(xy(*TUMEN_SW_PROBE))
    arc = arc_a if arc_a.distance(probe) < arc_b.distance(probe) else arc_b
    coords = shapely.get_coordinates(arc)
    if np.linalg.norm(coords[0] - np.asarray(xy(*TUMEN_UPSTREAM))) > np.linalg.norm(coords[-1] - np.asarray(xy(*TUMEN_UPSTREAM))):
        coords = coords[::-1]
    return shapely.simplify(shapely.LineString(coords), 10.0)


def make_rivers(outline: shapely.Polygon, relief: "ReliefModel") -> list[River]:
    """Rivers with monotonic bed profiles (the Tumen first, parents before tributaries)."""
    rivers: dict[str, River] = {}
    for spec in RIVERS:
        if spec.parent is None:
            line = tumen_line(outline)
            s = shapely.line_locate_point(line, shapely.points(shapely.get_coordinates(line)))
            bed = 28.0 - 25.0 * s / line.length  # 28 m where it enters, 3 m at 防川
        else:
            parent = rivers[spec.parent]
            raw = shapely.LineString(xy_array(spec.points))
            line = meander(raw, spec.meander_m, rng(f"river:{spec.name}"))
            coords = shapely.get_coordinates(line)
            mouth = parent.line.interpolate(parent.line.project(shapely.Point(coords[-1])))
            coords[-1] = (mouth.x, mouth.y)  # the mouth sits on the parent river
            line = shapely.LineString(coords).intersection(outline)
            if line.geom_type != "LineString":
                line = max(line.geoms, key=lambda g: g.length)
            coords = shapely.get_coordinates(line)
            z_mouth = river_bed_at(parent, coords[-1])
            z_source = max(z_mouth + 40.0, 0.6 * relief.base_at(coords[0]))
            # distance upstream from the mouth, concave profile (steep head, gentle lower course)
            seg = np.linalg.norm(np.diff(coords, axis=0), axis=1)
            up = np.concatenate([[0.0], np.cumsum(seg[::-1])])[::-1]
            bed = z_mouth + (z_source - z_mouth) * (up / up[0]) ** 2.0
        rivers[spec.name] = River(spec.name, spec.name_en, line, bed, spec.floor_m, spec.wall_m)
    return list(rivers.values())


def river_bed_at(river: River, point: np.ndarray) -> float:
    coords = shapely.get_coordinates(river.line)
    i = int(np.argmin(np.linalg.norm(coords - point, axis=1)))
    return float(river.bed[i])


# ---------------------------------------------------------------------------------
# Terrain
# ---------------------------------------------------------------------------------


@dataclass
class ReliefModel:
    """The broad relief: a Gaussian-kernel interpolation of the control points."""

    controls: np.ndarray  # (n, 3) x, y, z
    sigma_m: float = 13000.0

    @classmethod
    def default(cls) -> "ReliefModel":
        arr = np.asarray(RELIEF_CONTROLS, dtype=float)
        return cls(np.column_stack([xy_array(arr[:, :2]), arr[:, 2]]))

    def base(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        num = np.zeros(np.broadcast(x, y).shape)
        den = np.zeros_like(num)
        for cx, cy, cz in self.controls:
            w = np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * self.sigma_m**2)) + 1e-12
            num += w * cz
            den += w
        return num / den

    def base_at(self, point: Sequence[float]) -> float:
        return float(self.base(np.asarray(point[0]), np.asarray(point[1])))


def make_grid(outline: shapely.Polygon) -> Grid:
    """30 m grid over the outline + 3 km, snapped to 900 m so 60/90/150 m grids nest."""
    minx, miny, maxx, maxy = outline.buffer(3000).bounds
    step = 900.0
    x0, y0 = math.floor(minx / step) * step, math.floor(miny / step) * step
    x1, y1 = math.ceil(maxx / step) * step, math.ceil(maxy / step) * step
    return Grid(x0, y1, CELL, int(round((x1 - x0) / CELL)), int(round((y1 - y0) / CELL)))


def grid_edges(valid: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """8-neighbour edges (flat index a, flat index b, length in cells) between valid cells."""
    ny, nx = valid.shape
    idx = np.arange(ny * nx).reshape(ny, nx)
    heads, tails, lengths = [], [], []
    for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
        a = idx[0: ny - dr, max(0, -dc): nx - max(0, dc)]
        b = idx[dr: ny, max(0, dc): nx - max(0, -dc)]
        ok = valid.ravel()[a] & valid.ravel()[b]
        heads.append(a[ok])
        tails.append(b[ok])
        lengths.append(np.full(int(ok.sum()), math.hypot(dr, dc)))
    return np.concatenate(heads), np.concatenate(tails), np.concatenate(lengths)


def cost_graph(a: np.ndarray, b: np.ndarray, length: np.ndarray, cost: np.ndarray, n: int):
    """Undirected sparse graph with edge weight = length x mean cell cost."""
    flat = cost.ravel()
    weight = length * 0.5 * (flat[a] + flat[b])
    return coo_matrix((weight, (a, b)), shape=(n, n)).tocsr()


def drainage_tree(outlets: np.ndarray, cost: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every cell's downstream neighbour on the cheapest path to an outlet, and the
    order cells are reached in (outlets first). The cheapest-path tree over a random cost
    field is a dendritic drainage network without pits."""
    n = cost.size
    a, b, length = grid_edges(np.ones(cost.shape, bool))
    graph = cost_graph(a, b, length, cost, n)
    dist, pred = dijkstra(graph, directed=False, indices=np.flatnonzero(outlets.ravel()),
                          min_only=True, return_predecessors=True)[:2]
    return pred, np.argsort(dist, kind="stable")


def integrate_along_tree(pred: np.ndarray, order: np.ndarray, start: np.ndarray, step: np.ndarray) -> np.ndarray:
    """z[cell] = z[downstream] + step[cell], walking outward from the outlets."""
    z = start.astype(np.float64).copy()
    p, s = pred.tolist(), step.tolist()
    zl = z.tolist()
    for i in order.tolist():
        j = p[i]
        if j >= 0:
            zl[i] = zl[j] + s[i]
    return np.asarray(zl)


def upstream_area(pred: np.ndarray, order: np.ndarray) -> np.ndarray:
    acc = [1.0] * len(pred)
    p = pred.tolist()
    for i in order[::-1].tolist():
        j = p[i]
        if j >= 0:
            acc[j] += acc[i]
    return np.asarray(acc)


_D8 = [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)]


def limit_slope(z: np.ndarray, max_rise: float, iterations: int = 200) -> np.ndarray:
    """Lower any cell that stands more than max_rise (per cell step) above a neighbour,
    so drainage divides become ridges instead of cliffs. Valleys are never raised."""
    z = z.copy()
    for _ in range(iterations):
        pad = np.pad(z, 1, mode="edge")
        lowest = z.copy()
        for dr, dc in _D8:
            nb = pad[1 + dr: 1 + dr + z.shape[0], 1 + dc: 1 + dc + z.shape[1]]
            np.minimum(lowest, nb + max_rise * math.hypot(dr, dc), out=lowest)
        if np.all(lowest >= z - 1e-6):
            break
        z = lowest
    return z


def river_bed_grid(grid: Grid, rivers: list[River]) -> np.ndarray:
    """Bed elevation in cells a river crosses (the lowest if several), NaN elsewhere."""
    bed = np.full(grid.shape, np.nan)
    for river in rivers:
        dense = shapely.get_coordinates(shapely.segmentize(river.line, grid.cell / 3))
        s_dense = shapely.line_locate_point(river.line, shapely.points(dense))
        s_vert = shapely.line_locate_point(river.line, shapely.points(shapely.get_coordinates(river.line)))
        rr, cc = grid.rowcol(dense[:, 0], dense[:, 1])
        zz = np.interp(s_dense, s_vert, river.bed)
        cur = bed[rr, cc]
        bed[rr, cc] = np.where(np.isnan(cur), zz, np.fmin(cur, zz))
    return bed


def basin_damping(gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    """Relief factor: the Hunchun basin round the city is a broad alluvial plain."""
    bx, by = xy(*BASIN_CENTRE)
    basin = np.hypot((gx - bx) / BASIN_RADII_M[0], (gy - by) / BASIN_RADII_M[1])
    return 0.15 + 0.85 * smoothstep(basin - 1.0)


def make_terrain(grid: Grid, relief: ReliefModel, outline: shapely.Polygon, rivers: list[River]) -> np.ndarray:
    """Uncarved terrain (float32, m). Built at 150 m from a drainage tree: every cell
    drains along the cheapest path (over a random cost field) to one of the rivers and
    rises from it by Flint's law (slope ~ upstream area^-0.5), scaled so the broad
    heights follow the relief control points. Then 30 m detail noise is added."""
    k = 5
    coarse = grid.coarsen(k)
    r = rng("terrain")
    gx, gy = np.meshgrid(coarse.xs(), coarse.ys())
    base = relief.base(gx, gy)
    outlet_z = river_bed_grid(coarse, rivers)
    outlets = np.isfinite(outlet_z)
    cost = np.exp(0.9 * smooth2d_noise(r, coarse.shape, 5) + 0.4 * smooth2d_noise(r, coarse.shape, 1.5))
    pred, order = drainage_tree(outlets, cost)
    area_km2 = upstream_area(pred, order) * (coarse.cell / 1000.0) ** 2
    ny, nx = coarse.shape
    flat_pred = np.where(pred >= 0, pred, np.arange(pred.size))
    step_m = coarse.cell * np.hypot(flat_pred // nx - np.arange(pred.size) // nx, flat_pred % nx - np.arange(pred.size) % nx)
    flint = step_m * (area_km2 + 0.06) ** -0.5
    start = np.where(outlets.ravel(), np.nan_to_num(outlet_z.ravel()), 0.0)
    z_out = integrate_along_tree(pred, order, start, np.zeros(pred.size))  # outlet height per cell
    rise1 = integrate_along_tree(pred, order, np.zeros(pred.size), flint)
    # Gain field: how much to stretch the rise so heights follow the control points.
    sigma = 4000.0 / coarse.cell
    want = ndimage.gaussian_filter(np.clip(base.ravel() - z_out, 5.0, None).reshape(coarse.shape), sigma)
    have = ndimage.gaussian_filter(rise1.reshape(coarse.shape), sigma) + 1e-3
    gain = (want / have).ravel()
    gain *= np.exp(0.25 * smooth2d_noise(r, coarse.shape, 8)).ravel()
    gain *= basin_damping(gx, gy).ravel()
    z150 = z_out + integrate_along_tree(pred, order, np.zeros(pred.size), flint * gain)
    z150 = limit_slope(z150.reshape(coarse.shape), coarse.cell * math.tan(math.radians(35)))
    z150 = ndimage.gaussian_filter(z150, 0.7)
    z = ndimage.zoom(z150.astype(np.float32), k, order=3, grid_mode=True, mode="nearest")[: grid.ny, : grid.nx]
    relief_local = np.clip(ndimage.zoom(ndimage.gaussian_filter(z150 - z_out.reshape(coarse.shape), 3).astype(np.float32),
                                        k, order=1, grid_mode=True, mode="nearest")[: grid.ny, : grid.nx], 0, None)
    z = z + (0.5 + 0.012 * relief_local) * smooth2d_noise(r, grid.shape, 2.5)
    # Scale the relief so the highest point written (outline + 1 km) is 老爷岭's 1,477 m.
    inside = grid.mask_of(outline.buffer(1000.0))
    top = float(z[inside].max())
    z = 20.0 + (z - 20.0) * (PEAK_M - 20.0) / (top - 20.0)
    return z.astype(np.float32)


@dataclass
class Valley:
    """Per-river distance and nearest bed elevation over a window (kept for flood zones)."""

    rows: slice
    cols: slice
    dist: np.ndarray
    bed: np.ndarray


def carve_valleys(z: np.ndarray, grid: Grid, rivers: list[River]) -> dict[str, Valley]:
    """Cut each river's valley into the terrain: a flat floor at the bed (rising 2 m/km
    away from the river) and walls blending back into the hills. Every step is a
    continuous function of the input, so no cliffs; beds fall monotonically downstream."""
    valleys = {}
    # Tributaries first: a parent's carving then wins where the valleys meet.
    for river in reversed(rivers):
        reach = river.floor_m + river.wall_m + 600.0
        minx, miny, maxx, maxy = river.line.bounds
        r0, c0 = grid.rowcol(minx - reach, maxy + reach)
        r1, c1 = grid.rowcol(maxx + reach, miny - reach)
        rows, cols = slice(int(r0), int(r1) + 1), slice(int(c0), int(c1) + 1)
        dense = shapely.get_coordinates(shapely.segmentize(river.line, CELL / 2))
        s_dense = shapely.line_locate_point(river.line, shapely.points(dense))
        s_vert = shapely.line_locate_point(river.line, shapely.points(shapely.get_coordinates(river.line)))
        z_dense = np.interp(s_dense, s_vert, river.bed)
        # Valleys narrow upstream: full width at the mouth, a third at the source.
        widen = (0.33 + 0.67 * s_dense / river.line.length).astype(np.float32)
        rr, cc = grid.rowcol(dense[:, 0], dense[:, 1])
        win_shape = (rows.stop - rows.start, cols.stop - cols.start)
        bedgrid = np.full(win_shape, np.inf, dtype=np.float32)
        np.minimum.at(bedgrid, (rr - rows.start, cc - cols.start), z_dense.astype(np.float32))
        widegrid = np.zeros(win_shape, dtype=np.float32)
        widegrid[rr - rows.start, cc - cols.start] = widen
        dist, (ir, ic) = ndimage.distance_transform_edt(~np.isfinite(bedgrid), sampling=CELL, return_indices=True)
        bed_near = ndimage.gaussian_filter(bedgrid[ir, ic], 2.0)
        wide = ndimage.gaussian_filter(widegrid[ir, ic], 4.0)
        del ir, ic
        dist = dist.astype(np.float32)
        floor_m, wall_m = river.floor_m * wide, river.wall_m * (0.5 + 0.5 * wide)
        walls = smoothstep((dist - floor_m) / wall_m)
        window = z[rows, cols]
        floor = bed_near + 0.002 * np.minimum(dist, floor_m + wall_m)
        carved = floor + np.maximum(window - bed_near, 2.0) * walls
        # Lift pits on the floor up to it (smooth flood plain), then cut the valley.
        lifted = np.maximum(window, floor) * (1.0 - walls) + window * walls
        z[rows, cols] = np.minimum(lifted, carved)
        valleys[river.name] = Valley(rows, cols, dist, bed_near)
    return valleys


# ---------------------------------------------------------------------------------
# Townships
# ---------------------------------------------------------------------------------


def township_stem(name: str) -> str:
    """'杨泡满族乡' -> '杨泡', '新安街道' -> '新安'."""
    for suffix in ("满族乡", "街道", "镇", "乡"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def seat_of(town: pd.Series) -> np.ndarray:
    """The unit's seat (projected), moved at least 300 m inside the unit if the drawn
    position fell outside it (the roughened border may cut past a seat)."""
    seat = shapely.Point(xy(*TOWNSHIP_FACTS[town["name"]].seat))
    core = town.geometry.buffer(-300.0)
    if not core.contains(seat):
        seat = shapely.ops.nearest_points(core, seat)[0]
    return np.array([seat.x, seat.y])


def partition_points(outline: shapely.Polygon) -> np.ndarray:
    """Jittered generator points: 1.5 km apart in the countryside, 300 m in the city,
    so the small urban subdistricts can be shaped as finely as the big towns."""
    r = rng("township-points")
    centre = np.asarray(xy(*CITY_CENTRE))
    minx, miny, maxx, maxy = outline.buffer(3000).bounds
    pts = []
    for spacing, keep_inside in ((800.0, False), (250.0, True)):
        gx, gy = np.meshgrid(np.arange(minx, maxx, spacing), np.arange(miny, maxy, spacing))
        p = np.column_stack([gx.ravel(), gy.ravel()]) + r.uniform(-0.4, 0.4, (gx.size, 2)) * spacing
        near = np.linalg.norm(p - centre, axis=1) < 8000.0
        pts.append(p[near] if keep_inside else p[~near])
    pts = np.vstack(pts)
    return pts[shapely.contains_xy(outline.buffer(2500), pts[:, 0], pts[:, 1])]


def south_of_river(points: np.ndarray, river: shapely.LineString) -> np.ndarray:
    """True for points south of the Hunchun River near the city (river ~ west-east there)."""
    c = shapely.get_coordinates(river)
    centre = np.asarray(xy(*CITY_CENTRE))
    near = np.abs(c[:, 0] - centre[0]) < 12000
    cx, cy = c[near, 0], c[near, 1]
    order = np.argsort(cx)
    return points[:, 1] < np.interp(points[:, 0], cx[order], cy[order])


def make_townships(outline: shapely.Polygon, hunchun_river: shapely.LineString) -> gpd.GeoDataFrame:
    """13 units tiling the outline: an additively weighted Voronoi partition of jittered
    points (weights fitted to target areas), dissolved per unit and clipped."""
    towns = defs.townships()
    facts = [TOWNSHIP_FACTS[t["name"]] for t in towns]
    seeds = xy_array([f.seat for f in facts])
    target = np.array([f.area_km2 for f in facts]) * 1e6
    target *= outline.area / target.sum()
    pts = partition_points(outline)
    box = shapely.box(*outline.buffer(6000).bounds)
    cells = np.asarray(shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=box)))
    tree = shapely.STRtree(shapely.points(pts))
    cell_idx, pt_idx = tree.query(cells, predicate="contains")
    cell_of_point = np.empty(len(pts), dtype=np.int64)
    cell_of_point[pt_idx] = cell_idx
    cells = cells[cell_of_point]  # cells[i] is the cell of pts[i]
    area = shapely.area(shapely.intersection(cells, outline))
    urban = np.array([t["kind"] == URBAN_KIND for t in towns])
    is_henan = np.array([t["name"] == "河南街道" for t in towns])
    south = south_of_river(pts, hunchun_river)
    # 河南街道 lies south of the Hunchun River, the other subdistricts north of it.
    penalty = np.zeros((len(pts), len(towns)))
    penalty[np.ix_(~south, is_henan)] = 1e7
    penalty[np.ix_(south, urban & ~is_henan)] = 1e7
    dist = np.linalg.norm(pts[:, None, :] - seeds[None, :, :], axis=2)
    for i, t in enumerate(towns):
        for anchor in TOWNSHIP_ANCHORS.get(t["name"], []):
            dist[:, i] = np.minimum(dist[:, i], np.linalg.norm(pts - np.asarray(xy(*anchor)), axis=1))
    # Wavy boundaries: a smooth random offset per unit (small in the city).
    r = rng("township-noise")
    wobble = np.column_stack([_smooth_field_at(pts, r, 7000.0) for _ in towns])
    near_centre = np.linalg.norm(pts - np.asarray(xy(*CITY_CENTRE)), axis=1)
    dist += wobble * np.clip(near_centre / 10000.0, 0.1, 1.0)[:, None] * 700.0
    radius = np.zeros(len(towns))
    seat_point = np.argmin(np.linalg.norm(pts[:, None, :] - seeds[None, :, :], axis=2), axis=0)
    for _ in range(300):
        labels = np.argmin(dist - radius + penalty, axis=1)
        labels[seat_point] = np.arange(len(towns))
        got = np.bincount(labels, weights=area, minlength=len(towns))
        if np.all(np.abs(got - target) < 0.02 * target):
            break
        radius += 0.5 * (np.sqrt(target / np.pi) - np.sqrt(got / np.pi))
    geoms = []
    for i in range(len(towns)):
        region = shapely.union_all(cells[labels == i], grid_size=0.01)
        geoms.append(shapely.intersection(region, outline, grid_size=0.01))
    geoms = _merge_stray_parts(geoms, seeds)
    frame = gpd.GeoDataFrame({
        "code": [t["code"] for t in towns],
        "name": [t["name"] for t in towns],
        "name_en": [t["name_en"] for t in towns],
        "kind": [t["kind"] for t in towns],
        "population": [f.population for f in facts],
        "elderly_share": [f.elderly_share for f in facts],
        "building_vulnerability": [f.building_vulnerability for f in facts],
    }, geometry=geoms, crs=EPSG)
    return frame


def _smooth_field_at(pts: np.ndarray, r: np.random.Generator, scale: float) -> np.ndarray:
    """A unit-variance smooth random field (correlation ~scale) sampled at points: a sum
    of random plane waves, cheap and independent of any grid."""
    angles = r.uniform(0, 2 * np.pi, 12)
    wavelength = scale * r.uniform(0.7, 1.6, 12)
    phase = r.uniform(0, 2 * np.pi, 12)
    proj = pts[:, :1] * np.cos(angles) + pts[:, 1:2] * np.sin(angles)
    return np.sqrt(2.0 / 12) * np.cos(2 * np.pi * proj / wavelength + phase).sum(axis=1)


def _merge_stray_parts(geoms: list[shapely.Geometry], seeds: np.ndarray) -> list[shapely.Polygon]:
    """Give every detached part of a unit (left by clipping at the rough border) to the
    neighbour it shares most boundary with, so every unit is one polygon."""
    geoms = list(geoms)
    for _ in range(10):
        moved = False
        for i, g in enumerate(geoms):
            if g.geom_type == "Polygon":
                continue
            parts = list(g.geoms)
            seat = shapely.Point(seeds[i])
            keep = next((p for p in parts if p.covers(seat)), max(parts, key=lambda p: p.area))
            for part in parts:
                if part is keep:
                    continue
                shared = [part.boundary.intersection(geoms[j].boundary).length if j != i else -1 for j in range(len(geoms))]
                j = int(np.argmax(shared))
                geoms[j] = shapely.union(geoms[j], part, grid_size=0.01)
            geoms[i] = keep
            moved = True
        if not moved:
            break
    out = []
    for g in geoms:
        if g.geom_type != "Polygon":
            g = max(shapely.get_parts(g), key=lambda p: p.area)
        # Snapping to the 1 cm grid leaves pinholes of a few m² between merged cells.
        holes = [ring for ring in g.interiors if shapely.Polygon(ring).area > 1e4]
        out.append(shapely.Polygon(g.exterior, holes))
    return out


def make_builtup(outline: shapely.Polygon) -> shapely.Polygon:
    """The built-up city: an ellipse round the centre plus the demonstration zone."""
    def ellipse(centre: tuple[float, float], ax: float, ay: float, angle: float) -> shapely.Polygon:
        circle = shapely.Point(xy(*centre)).buffer(1.0, quad_segs=32)
        return shapely.affinity.rotate(shapely.affinity.scale(circle, ax, ay), angle)

    city = ellipse(CITY_CENTRE, 4300, 2500, 8)
    demo = ellipse(DEMO_ZONE, 2000, 1500, -20)
    return shapely.intersection(shapely.union(city, demo), outline.buffer(-500), grid_size=0.01)


# ---------------------------------------------------------------------------------
# Analysis surfaces on the 150 m grid (placement and routing)
# ---------------------------------------------------------------------------------


@dataclass
class Surfaces:
    grid: Grid  # 150 m
    dem: np.ndarray
    slope: np.ndarray  # degrees
    river_dist: np.ndarray  # m to the nearest river line
    valley: np.ndarray  # m above the lowest point within ~1.5 km (low = valley floor)
    inside: np.ndarray  # cell centre inside the outline
    builtup: np.ndarray
    township: np.ndarray  # index into the townships frame, -1 outside


def make_surfaces(dem: np.ndarray, grid: Grid, outline: shapely.Polygon, rivers: list[River],
                  builtup: shapely.Polygon, townships: gpd.GeoDataFrame) -> Surfaces:
    g = grid.coarsen(5)
    dem150 = block_mean(dem, 5)
    river_cells = rasterize([(r.line, 1) for r in rivers], out_shape=g.shape, transform=g.transform, all_touched=True)
    river_dist = ndimage.distance_transform_edt(river_cells == 0, sampling=g.cell)
    valley = dem150 - ndimage.minimum_filter(dem150, size=21)
    labels = rasterize([(geom, i + 1) for i, geom in enumerate(townships.geometry)], out_shape=g.shape,
                       transform=g.transform).astype(np.int64) - 1
    return Surfaces(g, dem150, slope_degrees(dem150, g.cell), river_dist, valley, g.mask_of(outline),
                    g.mask_of(builtup), labels)


# ---------------------------------------------------------------------------------
# Settlements
# ---------------------------------------------------------------------------------

CLASSIC_VILLAGES = [
    "太平", "和平", "民主", "胜利", "团结", "红星", "光明", "永安", "东兴", "新华", "富民", "幸福", "友谊",
    "前进", "向阳", "长安", "丰收", "永丰", "兴隆", "德胜", "大荒沟", "小盘岭", "东阿拉", "西崴子", "马滴达",
    "烟筒砬子", "春明", "杨木林子", "草坪", "荒沟", "金塘", "大六道沟", "土门子", "甩弯子", "河东", "河西",
    "孟岭", "南别里", "圈河", "沙草峰", "二道泡", "四道泡", "回龙峰", "大肚川", "东岗子", "西炮台", "玉泉",
    "新田", "凉水", "关门嘴子", "高丽城", "五家山", "双龙", "红旗", "东光", "西崴", "八连城", "六道泡",
    "北大", "南大", "西山", "东山", "上洞", "下洞", "三道沟", "太阳", "良种场", "密林", "黑顶子", "葫芦头",
]
VILLAGE_FIRST = ["东", "西", "南", "北", "新", "老", "大", "小", "上", "下", "前", "后", "中", "头道", "二道",
                 "三道", "四道", "双", "五", "八", "九", "红", "青", "金", "马", "杨", "松", "柳", "榆", "石"]
VILLAGE_SECOND = ["兴", "安", "河", "岗", "沟", "泡", "岭", "甸", "台", "营", "山", "林", "泉", "桥", "湾",
                  "堡", "口", "屯", "城", "坪", "川", "洞", "崴子", "岔", "房子", "亮子", "砬子", "峰"]
COMMUNITY_NAMES = [
    "光明", "向阳", "东阳", "西阳", "兴华", "和平", "团结", "春华", "龙源", "安居", "富民", "友谊", "迎宾",
    "口岸", "北山", "南山", "西山", "东山", "滨河", "金城", "景华", "华泰", "阳光", "明珠", "园丁", "星光",
    "新华", "东苑", "西苑", "锦绣", "益民", "铁北", "站前", "龙泉", "兴源", "长青", "新城", "东岗", "西岗",
    "河畔", "惠民", "安泰", "振兴", "康乐", "靖安", "育才", "春晖", "永和", "同心", "合作", "示范", "港城",
]


class NameBook:
    """Unique, plausible place names drawn in a reproducible order."""

    def __init__(self) -> None:
        r = rng("names")
        combos = [a + b for a in VILLAGE_FIRST for b in VILLAGE_SECOND]
        self._villages = list(r.permutation(CLASSIC_VILLAGES)) + list(r.permutation(combos))
        self._communities = list(r.permutation(COMMUNITY_NAMES))
        self.used: set[str] = set()

    def _next(self, pool: list[str], suffix: str) -> str:
        while pool:
            name = pool.pop(0) + suffix
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("name pool exhausted")

    def village(self) -> str:
        return self._next(self._villages, "村")

    def community(self) -> str:
        return self._next(self._communities, "社区")

    def reserve(self, name: str) -> str:
        self.used.add(name)
        return name


def split_integer(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to weights that add up exactly to total (largest remainder)."""
    raw = total * np.asarray(weights, float) / np.sum(weights)
    out = np.floor(raw).astype(np.int64)
    short = total - int(out.sum())
    order = np.argsort(-(raw - out), kind="stable")
    out[order[:short]] += 1
    return out


def pick_spaced(r: np.random.Generator, cand: np.ndarray, weights: np.ndarray, n: int, min_dist: float,
                taken: np.ndarray | None = None) -> np.ndarray:
    """Up to n candidate indices drawn by weight, at least min_dist from each other and
    from the already taken points."""
    if n <= 0 or len(cand) == 0:
        return np.zeros(0, dtype=np.int64)
    p = np.asarray(weights, float)
    p = p / p.sum()
    size = min(len(cand), max(n * 40, 200))
    order = r.choice(len(cand), size=min(size, int(np.count_nonzero(p))), replace=False, p=p)
    chosen: list[int] = []
    placed = [] if taken is None else [tuple(t) for t in taken]
    for i in order:
        if placed:
            d = np.min(np.linalg.norm(np.asarray(placed) - cand[i], axis=1))
            if d < min_dist:
                continue
        chosen.append(int(i))
        placed.append(tuple(cand[i]))
        if len(chosen) == n:
            break
    return np.asarray(chosen, dtype=np.int64)


def make_settlements(townships: gpd.GeoDataFrame, surf: Surfaces, names: NameBook) -> gpd.GeoDataFrame:
    """Villages in valleys and along rivers, communities in the city; every unit's
    settlement populations add up exactly to its population."""
    g = surf.grid
    centres = g.centre(*np.indices(g.shape).reshape(2, -1))
    rows: list[dict] = []
    r = rng("settlements")
    for ti, town in townships.reset_index(drop=True).iterrows():
        facts = TOWNSHIP_FACTS[town["name"]]
        urban = town["kind"] == URBAN_KIND
        seat = seat_of(town)
        stem = township_stem(town["name"])
        in_town = (surf.township == ti).ravel()
        flat = in_town & (surf.slope.ravel() < (6 if urban else 10)) & (surf.river_dist.ravel() > 200)
        if urban:
            pools = [(flat & surf.builtup.ravel(), 420.0), (flat & ~surf.builtup.ravel(), 700.0)]
        else:
            pools = [(flat & ~surf.builtup.ravel(), 900.0), (flat & ~surf.builtup.ravel(), 650.0)]
        # Lowland, valley-floor and riverside cells are the likeliest village sites.
        weight = (np.exp(-surf.valley.ravel() / 35.0) * np.exp(-surf.dem.ravel() / 450.0)
                  * (1.0 + 2.5 * np.exp(-surf.river_dist.ravel() / 900.0)))
        points, fallback = [seat], [seat]
        for mask, spacing in pools:
            need = facts.villages - len(points)
            idx = np.flatnonzero(mask)
            jitter = r.uniform(-0.4, 0.4, (len(idx), 2)) * g.cell
            picked = pick_spaced(r, centres[idx] + jitter, weight[idx], need, spacing, np.asarray(points))
            points += [centres[idx[i]] + jitter[i] for i in picked]
            fallback += [centres[idx[i]] for i in picked]
        if len(points) < facts.villages:
            raise RuntimeError(f"could not place {facts.villages} settlements in {town['name']}")
        # The jitter may cross the border of the unit: fall back to the cell centre (inside).
        inside = shapely.contains_xy(town.geometry, np.asarray(points)[:, 0], np.asarray(points)[:, 1])
        pts = np.where(inside[:, None], np.asarray(points), np.asarray(fallback))
        weights = r.lognormal(0.0, 0.55 if urban else 0.5, len(pts))
        weights[0] = weights[1:].sum() * (0.12 if urban else 0.30)  # the seat is the biggest
        pops = split_integer(int(town["population"]), weights)
        prefix = town["code"][:9]
        for k, (p, pop) in enumerate(zip(pts, pops)):
            if k == 0:
                name, kind = names.reserve(f"{stem}社区"), "community"
            elif urban:
                name, kind = names.community(), "community"
            else:
                name, kind = names.village(), "village"
            rows.append({"code": f"{prefix}{k + 1:03d}", "name": name, "kind": kind, "population": int(pop),
                         "township_code": town["code"], "is_seat": k == 0, "geometry": shapely.Point(p)})
    return gpd.GeoDataFrame(rows, crs=EPSG)


# ---------------------------------------------------------------------------------
# Roads
# ---------------------------------------------------------------------------------

ROAD_RANK = {"expressway": 0, "national": 1, "provincial": 2, "urban": 3, "county": 4, "township": 5, "village": 6}


@dataclass(frozen=True)
class RoadAttr:
    road_class: str
    name: str | None
    oneway: int = 0

    @property
    def rank(self) -> int:
        return ROAD_RANK[self.road_class]


# Routes from the city, cheapest path over the terrain (so they follow valleys).
# Earlier (higher) classes win where routes share a stretch.
TRUNK_ROUTES: list[tuple[str, str, str | tuple[float, float]]] = [
    ("national", "G302", (130.080, 43.000)),  # west up the Tumen valley towards 图们/延吉
    ("national", "G302", (130.865, 42.842)),  # east to the crossing into Russia
    ("national", "G331", FANGCHUAN),  # the border road down the Tumen to 防川
    ("provincial", "S201", "春化镇"),
    ("county", "X101", "英安镇"), ("county", "X102", "哈达门乡"), ("county", "X103", "板石镇"),
    ("county", "X104", "杨泡满族乡"), ("county", "X105", "马川子乡"), ("county", "X106", "密江乡"),
    ("county", "X107", "三家子满族乡"), ("county", "X108", "敬信镇"),
]
# Links between town seats, so the rural network has loops.
CROSS_LINKS = [
    ("county", "X109", "哈达门乡", "春化镇"), ("county", "X110", "密江乡", "哈达门乡"),
    ("county", "X111", "板石镇", "杨泡满族乡"), ("township", "Y001", "英安镇", "板石镇"),
    ("township", "Y002", "三家子满族乡", "马川子乡"),
]
EXPRESSWAY = ("G12", [(130.318, 42.878), (130.27, 42.898), (130.20, 42.922), (130.14, 42.95), (130.10, 42.978), (130.078, 43.012)])
STREET_NAMES_EW = ["光明路", "新安路", "靖和路", "友谊路", "口岸大路", "森林山大路", "团结路", "民主路", "富民路",
                   "迎宾路", "站前路", "龙源路", "西环路", "和平路", "兴华路", "春华路", "长安路", "合作区一路",
                   "合作区二路", "合作区三路", "合作区四路", "河南大路", "滨河路", "建设路", "工业路", "学苑路"]
STREET_NAMES_NS = ["一马路", "二马路", "三马路", "四马路", "五马路", "六马路", "七马路", "八马路", "九马路", "十马路",
                   "西一街", "西二街", "西三街", "东一街", "东二街", "东三街", "东四街", "东五街", "东六街", "东七街",
                   "东八街", "东九街", "东十街", "东十一街", "东十二街", "东十三街", "东十四街", "东十五街", "东十六街",
                   "东十七街", "东十八街", "东十九街", "东二十街", "东二十一街", "东二十二街", "东二十三街"]


class RoadGraph:
    """Roads drawn on the 150 m routing lattice: edges between neighbouring cells, each
    with one attribute (the highest-ranked road that uses it)."""

    def __init__(self, surf: Surfaces, outline: shapely.Polygon, rivers: list[River]) -> None:
        self.s = surf
        g = surf.grid
        self.n = g.nx * g.ny
        rows, cols = np.indices(g.shape)
        self.street = surf.builtup & ((rows % 2 == 0) | (cols % 2 == 0))
        # Roads stay inside the city; in the built-up area they use only street nodes.
        self.valid = g.mask_of(outline.buffer(-80)) & ~(surf.builtup & ~self.street)
        river_cells = rasterize([(r.line, 1) for r in rivers], out_shape=g.shape, transform=g.transform, all_touched=True)
        tan = np.tan(np.radians(surf.slope))
        cost = 1.0 + 40.0 * tan**2 + 25.0 * (surf.slope > 22) + surf.dem / 700.0 + 4.0 * (river_cells > 0)
        self.cost = cost
        self.a, self.b, self.length = grid_edges(self.valid)
        self.codes = np.minimum(self.a, self.b) * self.n + np.maximum(self.a, self.b)
        self.edges: dict[int, RoadAttr] = {}
        self.direction: dict[int, tuple[int, int]] = {}
        dist, (ir, ic) = ndimage.distance_transform_edt(~self.valid, return_indices=True)
        self._nearest_valid = (ir * g.nx + ic).ravel()

    def node_at(self, point: Sequence[float]) -> int:
        r, c = self.s.grid.rowcol(point[0], point[1])
        return int(self._nearest_valid[int(r) * self.s.grid.nx + int(c)])

    def add_edge(self, u: int, v: int, attr: RoadAttr) -> None:
        code = min(u, v) * self.n + max(u, v)
        old = self.edges.get(code)
        if old is None or attr.rank < old.rank:
            self.edges[code] = attr
            if attr.oneway:
                self.direction[code] = (u, v)

    def add_path(self, nodes: Sequence[int], attr: RoadAttr) -> None:
        for u, v in zip(nodes[:-1], nodes[1:]):
            self.add_edge(u, v, attr)

    def graph(self, discount: float = 1.0):
        """The routing graph; existing roads cost ``discount`` times as much (reuse them)."""
        length = self.length.copy()
        if discount != 1.0 and self.edges:
            used = np.isin(self.codes, np.fromiter(self.edges.keys(), dtype=np.int64))
            length[used] *= discount
        return cost_graph(self.a, self.b, length * self.s.grid.cell, self.cost, self.n)

    def road_nodes(self) -> np.ndarray:
        codes = np.fromiter(self.edges.keys(), dtype=np.int64)
        return np.unique(np.concatenate([codes // self.n, codes % self.n]))

    @staticmethod
    def trace(pred: np.ndarray, target: int) -> list[int]:
        path = [target]
        while pred[path[-1]] >= 0:
            path.append(int(pred[path[-1]]))
        return path


def add_streets(rg: RoadGraph, rivers: list[River]) -> None:
    """A 300 m street grid over the built-up area, bridges every 900 m, and one pair of
    one-way streets through the centre."""
    g = rg.s.grid
    st = rg.street
    nx = g.nx
    river_union = shapely.union_all([r.line for r in rivers])
    centre_r, centre_c = (int(v) for v in g.rowcol(*xy(*CITY_CENTRE)))
    centre_r -= centre_r % 2
    ew_rows = sorted({int(r) for r in np.flatnonzero(st.any(axis=1)) if r % 2 == 0})
    ns_cols = sorted({int(c) for c in np.flatnonzero(st.any(axis=0)) if c % 2 == 0})
    ew_name = {r: STREET_NAMES_EW[i % len(STREET_NAMES_EW)] for i, r in enumerate(ew_rows)}
    ns_name = {c: STREET_NAMES_NS[i % len(STREET_NAMES_NS)] for i, c in enumerate(ns_cols)}
    for r in ew_rows:
        for c in range(nx - 1):
            if st[r, c] and st[r, c + 1]:
                _add_street_edge(rg, (r, c), (r, c + 1), ew_name[r], r % 6 == 0, river_union, centre_r, centre_c)
    for c in ns_cols:
        for r in range(g.ny - 1):
            if st[r, c] and st[r + 1, c]:
                _add_street_edge(rg, (r, c), (r + 1, c), ns_name[c], c % 6 == 0, river_union, centre_r, centre_c)


def _add_street_edge(rg: RoadGraph, p: tuple[int, int], q: tuple[int, int], name: str, bridge: bool,
                     rivers: shapely.Geometry, centre_r: int, centre_c: int) -> None:
    g = rg.s.grid
    seg = shapely.LineString(g.centre(np.array([p[0], q[0]]), np.array([p[1], q[1]])))
    if not bridge and seg.intersects(rivers):
        return
    u, v = p[0] * g.nx + p[1], q[0] * g.nx + q[1]
    oneway = 0
    if p[0] == q[0] and p[0] in (centre_r, centre_r + 2) and abs(p[1] - centre_c) <= 8:
        oneway = 1  # a one-way pair: eastbound on one street, westbound on the next
        if p[0] == centre_r + 2:
            u, v = v, u
    rg.add_edge(u, v, RoadAttr("urban", name, oneway))


def route_roads(rg: RoadGraph, seats: dict[str, np.ndarray], settlements: gpd.GeoDataFrame) -> None:
    """Trunk routes from the street grid, links between seats, then every village joined
    to the network along its cheapest path (villages farther out join nearer ones)."""
    sources = np.flatnonzero((rg.street & rg.valid).ravel())
    dist, pred = dijkstra(rg.graph(), directed=False, indices=sources, min_only=True, return_predecessors=True)[:2]
    for road_class, name, target in TRUNK_ROUTES:
        point = seats[target] if isinstance(target, str) else np.asarray(xy(*target))
        rg.add_path(rg.trace(pred, rg.node_at(point)), RoadAttr(road_class, name))
    for road_class, name, start, end in CROSS_LINKS:
        graph = rg.graph(discount=0.35)
        _, pred1 = dijkstra(graph, directed=False, indices=rg.node_at(seats[start]), return_predecessors=True)
        rg.add_path(rg.trace(pred1, rg.node_at(seats[end])), RoadAttr(road_class, name))
    # Villages: in four rounds by distance from the trunk network.
    rural = settlements[~shapely.contains_xy(shapely.union_all(_builtup_cells(rg)), settlements.geometry.x, settlements.geometry.y)]
    nodes = np.array([rg.node_at((p.x, p.y)) for p in rural.geometry])
    trunk_dist = dijkstra(rg.graph(), directed=False, indices=rg.road_nodes(), min_only=True)
    order = np.argsort(trunk_dist[nodes], kind="stable")
    usage: dict[int, int] = {}
    for group in np.array_split(order, 4):
        _, pred2 = dijkstra(rg.graph(discount=0.5), directed=False, indices=rg.road_nodes(), min_only=True,
                            return_predecessors=True)[:2]
        for i in group:
            path = rg.trace(pred2, int(nodes[i]))
            for u, v in zip(path[:-1], path[1:]):
                code = min(u, v) * rg.n + max(u, v)
                usage[code] = usage.get(code, 0) + 1
            rg.add_path(path, RoadAttr("village", None))
    # Stretches shared by three or more villages become township roads (乡道).
    for code, count in sorted(usage.items()):
        if count >= 3 and rg.edges[code].road_class == "village":
            rg.edges[code] = RoadAttr("township", None)


def _builtup_cells(rg: RoadGraph) -> list[shapely.Polygon]:
    g = rg.s.grid
    rows, cols = np.nonzero(rg.s.builtup)
    c = g.centre(rows, cols)
    h = g.cell / 2
    return list(shapely.box(c[:, 0] - h, c[:, 1] - h, c[:, 0] + h, c[:, 1] + h))


def edge_chains(rg: RoadGraph) -> list[tuple[list[int], RoadAttr]]:
    """Maximal runs of edges with one attribute through nodes of degree two. Every
    junction or change of attribute ends a run, so junctions stay shared end points."""
    n = rg.n
    adj: dict[int, list[tuple[int, int]]] = {}
    for code in sorted(rg.edges):
        a, b = divmod(code, n)
        adj.setdefault(a, []).append((b, code))
        adj.setdefault(b, []).append((a, code))

    def is_break(v: int) -> bool:
        nb = adj[v]
        return len(nb) != 2 or rg.edges[nb[0][1]] != rg.edges[nb[1][1]]

    seen: set[int] = set()
    chains = []

    def walk(v: int, w: int, code: int) -> list[int]:
        path = [v, w]
        seen.add(code)
        cur, last = w, code
        while not is_break(cur):
            (n1, c1), (n2, c2) = adj[cur]
            nxt, cn = (n1, c1) if c1 != last else (n2, c2)
            if cn in seen:
                break
            seen.add(cn)
            path.append(nxt)
            cur, last = nxt, cn
        return path

    for v in sorted(adj):
        if is_break(v):
            for w, code in adj[v]:
                if code not in seen:
                    chains.append((walk(v, w, code), rg.edges[code]))
    for code in sorted(rg.edges):  # closed loops without any junction
        if code not in seen:
            a, b = divmod(code, n)
            chains.append((walk(a, b, code), rg.edges[code]))
    out = []
    for path, attr in chains:
        if attr.oneway:
            first = min(path[0], path[1]) * n + max(path[0], path[1])
            if rg.direction.get(first, (path[0], path[1]))[0] != path[0]:
                path = path[::-1]
        out.append((path, attr))
    return out


def chain_lines(rg: RoadGraph, chains: list[tuple[list[int], RoadAttr]]) -> tuple[list[shapely.LineString], list[RoadAttr]]:
    """Chains as lines: lattice staircases simplified and smoothed (end points fixed)."""
    g = rg.s.grid
    lines, attrs = [], []
    for path, attr in chains:
        nodes = np.asarray(path)
        coords = g.centre(nodes // g.nx, nodes % g.nx)
        if attr.road_class != "urban" and len(coords) > 2:
            coords = shapely.get_coordinates(shapely.simplify(shapely.LineString(coords), 45.0))
            coords = chaikin(coords, 3)
        lines.append(shapely.LineString(coords))
        attrs.append(attr)
    return lines, attrs


def expressway_line(rg: RoadGraph, outline: shapely.Polygon) -> shapely.LineString:
    """The 珲乌 expressway: an engineered smooth curve from the west edge of the street
    grid up the Tumen valley; its city end is exactly a street node."""
    g = rg.s.grid
    pts = xy_array(EXPRESSWAY[1])
    street_nodes = np.flatnonzero((rg.street & rg.valid).ravel())
    sc = g.centre(street_nodes // g.nx, street_nodes % g.nx)
    start = sc[np.argmin(np.linalg.norm(sc - pts[0], axis=1))]
    coords = chaikin(np.vstack([start, pts[1:]]), 5)
    line = shapely.LineString(coords)
    inside = shapely.intersection(line, outline.buffer(-60))
    parts = shapely.get_parts(inside)
    line = min(parts, key=lambda p: p.distance(shapely.Point(start)))
    c = shapely.get_coordinates(line)
    if np.linalg.norm(c[-1] - start) < np.linalg.norm(c[0] - start):
        c = c[::-1]
    c[0] = start
    return shapely.LineString(c)


def node_network(lines: list[shapely.LineString], attrs: list[RoadAttr]) -> tuple[list[shapely.LineString], list[RoadAttr]]:
    """Split every line wherever it meets another (snap-rounded to 1 cm), so lines only
    meet at shared end points, and give each piece the best-ranked source's attribute
    and the source's digitising direction (one-way streets keep their sense)."""
    merged = shapely.unary_union(np.asarray(lines, dtype=object), grid_size=0.01)
    pieces = [p for p in shapely.get_parts(merged) if p.length > 0]
    mids = shapely.line_interpolate_point(np.asarray(pieces, dtype=object), 0.5, normalized=True)
    tree = shapely.STRtree(np.asarray(lines, dtype=object))
    piece_idx, line_idx = tree.query(mids, predicate="dwithin", distance=0.05)
    best: dict[int, int] = {}
    for p, l in zip(piece_idx.tolist(), line_idx.tolist()):
        if p not in best or attrs[l].rank < attrs[best[p]].rank:
            best[p] = l
    out_lines, out_attrs = [], []
    for p, piece in enumerate(pieces):
        src = lines[best[p]]
        c = shapely.get_coordinates(piece)
        if src.project(shapely.Point(c[0])) > src.project(shapely.Point(c[-1])):
            c = c[::-1]
        out_lines.append(shapely.LineString(c))
        out_attrs.append(attrs[best[p]])
    return out_lines, out_attrs


def _node_ids(lines: list[shapely.LineString]) -> tuple[np.ndarray, np.ndarray, int]:
    """Start and end node ids of lines, end points matched at 1 cm."""
    ends = np.array([[ln.coords[0], ln.coords[-1]] for ln in lines])  # (n, 2, 2)
    keys = np.round(ends.reshape(-1, 2) * 100).astype(np.int64)
    _, ids = np.unique(keys, axis=0, return_inverse=True)
    ids = ids.reshape(-1, 2)
    return ids[:, 0], ids[:, 1], int(ids.max()) + 1


def prune_network(lines: list[shapely.LineString], attrs: list[RoadAttr]) -> tuple[list, list]:
    """Drop stubs under 20 m left by noding and anything not in the main component."""
    for _ in range(3):
        a, b, n = _node_ids(lines)
        degree = np.bincount(np.concatenate([a, b]), minlength=n)
        keep = [not (ln.length < 20.0 and (degree[a[i]] == 1 or degree[b[i]] == 1)) for i, ln in enumerate(lines)]
        lines = [ln for ln, k in zip(lines, keep) if k]
        attrs = [at for at, k in zip(attrs, keep) if k]
    a, b, n = _node_ids(lines)
    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    main = np.argmax(np.bincount(comp[a]))
    keep = comp[a] == main
    return [ln for ln, k in zip(lines, keep) if k], [at for at, k in zip(attrs, keep) if k]


def split_line(line: shapely.LineString, target: float) -> list[shapely.LineString]:
    """Cut a line into equal parts of about ``target`` metres; neighbouring parts share
    the exact cut point."""
    c = shapely.get_coordinates(line)
    seg = np.linalg.norm(np.diff(c, axis=0), axis=1)
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    n = max(1, int(round(cum[-1] / target)))
    if n == 1:
        return [line]
    cuts = cum[-1] * np.arange(1, n) / n
    i = np.clip(np.searchsorted(cum, cuts, side="right") - 1, 0, len(seg) - 1)
    t = (cuts - cum[i]) / seg[i]
    points = c[i] + t[:, None] * (c[i + 1] - c[i])
    bounds = np.concatenate([[0.0], cuts, [cum[-1]]])
    ends = np.vstack([c[:1], points, c[-1:]])
    parts = []
    for k in range(n):
        inner = c[(cum > bounds[k]) & (cum < bounds[k + 1])]
        parts.append(shapely.LineString(np.vstack([ends[k:k + 1], inner, ends[k + 1:k + 2]])))
    return parts


def check_noding(lines: list[shapely.LineString]) -> None:
    """Raise unless lines meet only at shared end points."""
    arr = np.asarray(lines, dtype=object)
    tree = shapely.STRtree(arr)
    i, j = tree.query(arr, predicate="intersects")
    pairs = i < j
    i, j = i[pairs], j[pairs]
    inter = shapely.intersection(arr[i], arr[j])
    ends = {}
    for k, ln in enumerate(lines):
        ends[k] = {tuple(np.round(ln.coords[0], 2)), tuple(np.round(ln.coords[-1], 2))}
    bad = 0
    for a, b, g in zip(i.tolist(), j.tolist(), inter):
        if g.geom_type not in ("Point", "MultiPoint"):
            bad += 1
            continue
        for pt in shapely.get_coordinates(g):
            key = tuple(np.round(pt, 2))
            if key not in ends[a] or key not in ends[b]:
                bad += 1
                break
    if bad:
        raise RuntimeError(f"road network is not noded: {bad} bad meetings")


def make_roads(surf: Surfaces, outline: shapely.Polygon, rivers: list[River], townships: gpd.GeoDataFrame,
               settlements: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    rg = RoadGraph(surf, outline, rivers)
    add_streets(rg, rivers)
    seats = {row["name"]: seat_of(row) for _, row in townships.iterrows()}
    route_roads(rg, seats, settlements)
    lines, attrs = chain_lines(rg, edge_chains(rg))
    lines.append(expressway_line(rg, outline))
    attrs.append(RoadAttr("expressway", EXPRESSWAY[0]))
    lines, attrs = node_network(lines, attrs)
    lines, attrs = prune_network(lines, attrs)
    segments, seg_attrs = [], []
    for ln, at in zip(lines, attrs):
        for part in split_line(ln, 200.0):
            segments.append(part)
            seg_attrs.append(at)
    check_noding(segments)
    r = rng("roads")
    classes = defs.road_classes()
    speed = [float(classes[a.road_class]["speed_kmh"]) for a in seg_attrs]
    # Some speeds missing, so defaulting by class gets exercised downstream.
    speed = [None if r.random() < 0.07 else s for s in speed]
    return gpd.GeoDataFrame({
        "road_id": np.arange(1, len(segments) + 1, dtype=np.int64),
        "name": [a.name for a in seg_attrs],
        "road_class": [a.road_class for a in seg_attrs],
        "speed_kmh": pd.array(speed, dtype="Float64"),
        "oneway": np.array([a.oneway for a in seg_attrs], dtype=np.int32),
    }, geometry=segments, crs=EPSG)


# ---------------------------------------------------------------------------------
# Facilities: shelters, depots, fire stations
# ---------------------------------------------------------------------------------


def township_codes_of(points: Iterable[shapely.Point], townships: gpd.GeoDataFrame) -> list[str]:
    """Code of the unit containing each point (nearest unit for a point on a border)."""
    pts = np.asarray(list(points), dtype=object)
    geoms = np.asarray(townships.geometry.values, dtype=object)
    codes = townships["code"].tolist()
    out = []
    for p in pts:
        hit = np.flatnonzero(shapely.covers(geoms, p))
        out.append(codes[int(hit[0])] if len(hit) else codes[int(np.argmin(shapely.distance(geoms, p)))])
    return out


def random_point_in(r: np.random.Generator, poly: shapely.Geometry, taken: list[np.ndarray], spacing: float,
                    near: np.ndarray | None = None, radius: float = 0.0) -> np.ndarray:
    """A reproducible random point in poly (optionally within radius of near), at least
    spacing from taken points when possible."""
    minx, miny, maxx, maxy = poly.bounds
    best, best_gap = None, -1.0
    for _ in range(400):
        if near is not None:
            angle, dist = r.uniform(0, 2 * np.pi), radius * math.sqrt(r.uniform(0.05, 1.0))
            p = near + dist * np.array([math.cos(angle), math.sin(angle)])
        else:
            p = np.array([r.uniform(minx, maxx), r.uniform(miny, maxy)])
        if not poly.contains(shapely.Point(p)):
            continue
        gap = min((float(np.linalg.norm(p - t)) for t in taken), default=1e9)
        if gap >= spacing:
            return p
        if gap > best_gap:
            best, best_gap = p, gap
    if best is None:
        return np.asarray(poly.representative_point().coords[0])
    return best


URBAN_SHELTERS = [  # name, kind, indoor, nominal effective area m², unit
    ("珲春市体育场", "central", False, 42000, "新安街道"),
    ("珲春市人民广场", "fixed_long", False, 26000, "新安街道"),
    ("珲春市第一中学", "fixed_medium", True, 6400, "靖和街道"),
    ("珲春市第二中学", "fixed_short", True, 4200, "河南街道"),
    ("珲春市第一实验小学", "fixed_short", True, 3000, "新安街道"),
    ("珲春河滨公园", "fixed_medium", False, 30000, "河南街道"),
    ("靖和文化广场", "emergency", False, 5200, "靖和街道"),
    ("近海公园", "fixed_short", False, 16000, "近海街道"),
    ("珲春国际大酒店", "fixed_short", True, 2400, "近海街道"),
    ("边合区体育馆", "fixed_short", True, 5000, "近海街道"),
    ("河南广场", "emergency", False, 3600, "河南街道"),
    ("新安街道文化广场", "emergency", False, 2800, "新安街道"),
    ("珲春市职业高级中学", "fixed_medium", True, 5200, "靖和街道"),
    ("靖和公园", "fixed_long", False, 22000, "靖和街道"),
    ("东山公园", "fixed_short", False, 12000, "近海街道"),
    ("珲春市第五中学", "fixed_short", True, 3600, "近海街道"),
    ("河南小学", "fixed_short", True, 2600, "河南街道"),
]
SHELTER_CAPACITY_SHARE = 0.80  # total capacity as a share of the urban population


def make_shelters(townships: gpd.GeoDataFrame, settlements: gpd.GeoDataFrame, builtup: shapely.Polygon) -> gpd.GeoDataFrame:
    """Schools, stadiums, parks and squares. Capacity = floor(area / m² per person of the
    kind), areas scaled so the total is ~80 % of the urban population."""
    r = rng("shelters")
    kinds = defs.shelter_kinds()
    by_name = {row["name"]: row for _, row in townships.iterrows()}
    taken: list[np.ndarray] = []
    rows = []
    for name, kind, indoor, area, unit in URBAN_SHELTERS:
        poly = shapely.intersection(by_name[unit].geometry, builtup.buffer(-100))
        if poly.is_empty:
            poly = by_name[unit].geometry
        p = random_point_in(r, poly, taken, 350.0)
        taken.append(p)
        rows.append((name, kind, indoor, area, p))
    urban_units = townships[townships["kind"] == URBAN_KIND]["code"].tolist()
    communities = settlements[settlements["township_code"].isin(urban_units) & ~settlements["is_seat"]]
    for _, s in communities.iloc[r.permutation(len(communities))[:6]].iterrows():
        p = random_point_in(r, by_name_code(townships, s["township_code"]).geometry, taken, 250.0,
                            near=np.array([s.geometry.x, s.geometry.y]), radius=250.0)
        taken.append(p)
        rows.append((f"{s['name']}广场", "emergency", False, float(r.integers(8, 17) * 100), p))
    for _, town in townships[townships["kind"] != URBAN_KIND].iterrows():
        stem = township_stem(town["name"])
        seat = seat_of(town)
        for label, kind, indoor, area in ((f"{stem}中心学校", "fixed_short", True, 2200.0),
                                          (f"{stem}文化广场", "emergency", False, 1400.0)):
            p = random_point_in(r, town.geometry, taken, 150.0, near=seat, radius=500.0)
            taken.append(p)
            rows.append((label, kind, indoor, area, p))
        villages = settlements[(settlements["township_code"] == town["code"]) & ~settlements["is_seat"]]
        n_extra = 2 if town.geometry.area > 450e6 else 1
        for _, v in villages.nlargest(n_extra, "population").iterrows():
            p = random_point_in(r, town.geometry, taken, 100.0, near=np.array([v.geometry.x, v.geometry.y]), radius=250.0)
            taken.append(p)
            rows.append((f"{v['name']}文化广场", "emergency", False, float(r.integers(6, 11) * 100), p))
    urban_pop = int(townships.loc[townships["kind"] == URBAN_KIND, "population"].sum())
    raw = sum(a / kinds[k]["area_per_person_m2"] for _, k, _, a, _ in rows)
    scale = SHELTER_CAPACITY_SHARE * urban_pop / raw
    records = []
    for i, (name, kind, indoor, area, p) in enumerate(rows):
        eff = float(round(area * scale / 10.0) * 10.0)
        records.append({"code": f"SH{i + 1:03d}", "name": name, "kind": kind, "indoor": bool(indoor),
                        "effective_area_m2": eff,
                        "capacity": int(math.floor(eff / float(kinds[kind]["area_per_person_m2"]))),
                        "geometry": shapely.Point(p)})
    frame = gpd.GeoDataFrame(records, crs=EPSG)
    frame["township_code"] = township_codes_of(frame.geometry, townships)
    return frame


def by_name_code(townships: gpd.GeoDataFrame, code: str) -> pd.Series:
    return townships[townships["code"] == code].iloc[0]


def make_depots(townships: gpd.GeoDataFrame, settlements: gpd.GeoDataFrame, builtup: shapely.Polygon) -> gpd.GeoDataFrame:
    """Two city depots holding exactly the plan's stock, a depot per rural town seat and
    a few village depots with small stocks."""
    r = rng("depots")
    items = defs.depot_items()
    rows = []
    # Both city depots in the urban subdistricts; the second towards the industrial zone.
    city_sites = [("珲春市救灾物资储备库", 1500.0, "新安街道"),
                  ("珲春市近海应急物资储备库", 800.0, "近海街道")]
    taken: list[np.ndarray] = []
    by_name = {row["name"]: row for _, row in townships.iterrows()}
    first = {key: int(round(spec["plan_total"] * 0.6)) for key, spec in items.items()}
    for k, (name, area, unit) in enumerate(city_sites):
        p = random_point_in(r, shapely.intersection(by_name[unit].geometry, builtup), taken, 300.0)
        taken.append(p)
        stock = {key: (first[key] if k == 0 else int(spec["plan_total"]) - first[key]) for key, spec in items.items()}
        rows.append({"name": name, "level": "city", "area_m2": area, "geometry": shapely.Point(p), **stock})
    small = {"tents": (5, 16), "folding_beds": (20, 61), "quilts": (60, 201), "mattresses": (40, 121),
             "cotton_coats": (40, 151), "heating_stoves": (3, 11), "floor_pads": (50, 151), "prefab_houses": (0, 3),
             "lighting_lamps": (0, 3), "underwear_sets": (20, 61)}
    for _, town in townships[townships["kind"] != URBAN_KIND].iterrows():
        seat = seat_of(town)
        p = random_point_in(r, town.geometry, taken, 100.0, near=seat, radius=400.0)
        stock = {key: int(r.integers(*small[key])) for key in items}
        rows.append({"name": f"{town['name']}救灾物资储备点", "level": "township",
                     "area_m2": float(r.integers(12, 31) * 10), "geometry": shapely.Point(p), **stock})
    rural = settlements[(settlements["kind"] == "village")]
    for _, v in rural.nlargest(3, "population").iterrows():
        p = np.array([v.geometry.x, v.geometry.y]) + r.uniform(-80, 80, 2)
        stock = {key: int(r.integers(0, max(1, small[key][0] + 1))) for key in items}
        rows.append({"name": f"{v['name']}应急物资储备点", "level": "village",
                     "area_m2": float(r.integers(3, 7) * 10), "geometry": shapely.Point(p), **stock})
    frame = gpd.GeoDataFrame(rows, crs=EPSG)
    frame = frame.rename(columns={key: defs.depot_stock_field(key) for key in items})
    frame.insert(0, "code", [f"DP{i + 1:02d}" for i in range(len(frame))])
    frame["township_code"] = township_codes_of(frame.geometry, townships)
    return frame


def make_fire_stations(townships: gpd.GeoDataFrame, builtup: shapely.Polygon) -> gpd.GeoDataFrame:
    r = rng("fire")
    centre = np.asarray(xy(*CITY_CENTRE))
    sites = [
        ("珲春市城区消防救援站", centre + np.array([-700.0, 450.0]), 40),
        ("示范区消防救援站", np.asarray(xy(*DEMO_ZONE)) + np.array([300.0, -200.0]), 24),
        ("春化镇消防救援站", seat_of(townships[townships["name"] == "春化镇"].iloc[0]) + r.uniform(-150, 150, 2), 14),
    ]
    frame = gpd.GeoDataFrame({
        "code": [f"FS{i + 1:02d}" for i in range(len(sites))],
        "name": [s[0] for s in sites],
        "firefighters": [s[2] for s in sites],
    }, geometry=[shapely.Point(s[1]) for s in sites], crs=EPSG)
    frame["township_code"] = township_codes_of(frame.geometry, townships)
    return frame


# ---------------------------------------------------------------------------------
# Hazard sites
# ---------------------------------------------------------------------------------

MAJOR_HAZARDS = [  # exactly four major hazard installations, in/near the industrial zone
    ("珲春热电厂液氨罐区", (130.431, 42.853), "large", 2600),
    ("边合区LNG储配站", (130.446, 42.839), "huge", 3800),
    ("化工园区氯气储罐区", (130.419, 42.836), "large", 1900),
    ("珲春市石油公司油库", (130.313, 42.869), "large", 2200),
]
OLD_MINES = [("英安煤矿", (130.335, 42.958)), ("板石煤矿", (130.505, 42.905))]
TAILINGS = [("杨泡金铜矿尾矿库", "杨泡满族乡"), ("春化金矿尾矿库", "春化镇"),
            ("哈达门钼矿尾矿库", "哈达门乡"), ("英安煤矸石堆场尾矿库", "英安镇")]


def make_hazard_sites(dem: np.ndarray, grid: Grid, surf: Surfaces, townships: gpd.GeoDataFrame,
                      settlements: gpd.GeoDataFrame, roads: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    r = rng("hazards")
    kinds = defs.hazard_site_kinds()
    g = surf.grid
    slope30 = slope_degrees(dem, grid.cell)
    steep = block_max(slope30, 5)
    road_cells = rasterize([(gm, 1) for gm in roads.geometry], out_shape=g.shape, transform=g.transform, all_touched=True)
    road_dist = ndimage.distance_transform_edt(road_cells == 0, sampling=g.cell)
    settle_cells = np.zeros(g.shape, np.uint8)
    sr, sc = g.rowcol(settlements.geometry.x.values, settlements.geometry.y.values)
    settle_cells[sr, sc] = 1
    settle_dist = ndimage.distance_transform_edt(settle_cells == 0, sampling=g.cell)
    rows: list[dict] = []
    # Geological hazards: steep slopes close to villages or roads.
    ok = (surf.inside & ~surf.builtup & (steep >= 24) & ((settle_dist <= 2500) | (road_dist <= 400))).ravel()
    idx = np.flatnonzero(ok)
    weight = (np.clip(steep.ravel()[idx] - 20, 1, None) ** 1.5) * np.exp(-np.minimum(settle_dist.ravel()[idx], road_dist.ravel()[idx] * 3) / 1500.0)
    cand = g.centre(idx // g.nx, idx % g.nx)
    picked = pick_spaced(r, cand, weight, 140, 600.0)
    sub = slope30.reshape(g.ny, 5, g.nx, 5)
    for i in picked:
        cr, cc = divmod(int(idx[i]), g.nx)
        block = sub[cr, :, cc, :]
        br, bc = np.unravel_index(int(np.argmax(block)), block.shape)
        p = grid.centre(np.array([cr * 5 + br]), np.array([cc * 5 + bc]))[0]
        kind = r.choice(["landslide", "collapse", "debris_flow"], p=[0.55, 0.30, 0.15])
        scale = r.choice(["small", "medium", "large", "huge"], p=[0.55, 0.30, 0.12, 0.03])
        rows.append({"kind": str(kind), "scale": str(scale), "geometry": shapely.Point(p)})
    # Ground subsidence over old coal workings.
    for mine, lonlat in OLD_MINES:
        for k in range(3 if mine == "英安煤矿" else 2):
            p = np.asarray(xy(*lonlat)) + r.uniform(-1200, 1200, 2)
            rows.append({"kind": "ground_subsidence", "scale": str(r.choice(["small", "medium"])),
                         "name": f"{mine}采空区地面塌陷{k + 1}号", "geometry": shapely.Point(p)})
    # Waterlogging in the low parts of the city.
    bu = surf.builtup.ravel()
    idx = np.flatnonzero(bu)
    low = surf.dem.ravel()[idx]
    cand = g.centre(idx // g.nx, idx % g.nx) + r.uniform(-50, 50, (len(idx), 2))
    for i in pick_spaced(r, cand, np.exp(-(low - low.min()) / 4.0) + 1e-6, 12, 450.0):
        rows.append({"kind": "waterlogging", "scale": str(r.choice(["small", "medium"], p=[0.6, 0.4])),
                     "geometry": shapely.Point(cand[i])})
    for name, lonlat, scale, people in MAJOR_HAZARDS:
        rows.append({"kind": "major_hazard_installation", "scale": scale, "name": name,
                     "threatened_people": people, "geometry": shapely.Point(xy(*lonlat))})
    for name, unit in TAILINGS:
        town = townships[townships["name"] == unit].iloc[0]
        seat = seat_of(town)
        p = random_point_in(r, town.geometry, [], 0.0, near=seat, radius=6000.0)
        rows.append({"kind": "tailings_pond", "scale": str(r.choice(["medium", "large"])), "name": name,
                     "geometry": shapely.Point(p)})
    frame = gpd.GeoDataFrame(rows, crs=EPSG)
    frame = frame[shapely.contains_xy(shapely.union_all(townships.geometry.values), frame.geometry.x, frame.geometry.y)]
    return _name_hazards(frame.reset_index(drop=True), townships, settlements, kinds, r)


def _name_hazards(frame: gpd.GeoDataFrame, townships: gpd.GeoDataFrame, settlements: gpd.GeoDataFrame,
                  kinds: dict, r: np.random.Generator) -> gpd.GeoDataFrame:
    """Names after the nearest settlement, threatened people from scale and that
    settlement's size, codes and township codes."""
    tree = shapely.STRtree(settlements.geometry.values)
    nearest = tree.nearest(frame.geometry.values)
    people_range = {"small": (3, 40), "medium": (20, 150), "large": (80, 500), "huge": (250, 1200)}
    counts: dict[str, int] = {}
    names, people = [], []
    for i, row in frame.iterrows():
        s = settlements.iloc[int(nearest[i])]
        if isinstance(row.get("name"), str):
            names.append(row["name"])
        else:
            base = s["name"] + kinds[row["kind"]]["zh"]
            counts[base] = counts.get(base, 0) + 1
            names.append(base if counts[base] == 1 else f"{s['name']}{counts[base]}号{kinds[row['kind']]['zh']}")
        if row.get("threatened_people") is not None and not pd.isna(row.get("threatened_people")):
            people.append(int(row["threatened_people"]))
        else:
            lo, hi = people_range[row["scale"]]
            if row["kind"] == "waterlogging":
                lo, hi = lo * 5, hi * 5
            people.append(int(min(r.integers(lo, hi), max(lo, int(s["population"])))))
    frame["name"] = names
    frame["threatened_people"] = np.asarray(people, dtype=np.int64)
    frame.insert(0, "code", [f"HZ{i + 1:04d}" for i in range(len(frame))])
    frame["township_code"] = township_codes_of(frame.geometry, townships)
    return frame


# ---------------------------------------------------------------------------------
# Zones and forest
# ---------------------------------------------------------------------------------

FLOOD_LEVELS_M = {10: 1.6, 50: 2.8, 100: 4.0}  # height above the river bed flooded
FLOOD_REACH_M = {"图们江": 4000.0, "珲春河": 2500.0}
FLOOD_MAX_BED_M = 150.0  # the mapped reaches: the Tumen and the lower Hunchun River


def make_flood_zones(dem: np.ndarray, grid: Grid, valleys: dict[str, Valley], outline: shapely.Polygon) -> gpd.GeoDataFrame:
    """Nested 10/50/100-year zones: ground within a few metres of the river bed, close
    to the Tumen and the Hunchun River (polygonised at 60 m, smoothed, clipped)."""
    rows = []
    for river, reach in FLOOD_REACH_M.items():
        v = valleys[river]
        hand = block_mean(dem[v.rows, v.cols] - v.bed, 2)
        dist = block_mean(v.dist, 2)
        bed = block_mean(v.bed, 2)
        transform = grid.transform * Affine.translation(v.cols.start, v.rows.start) * Affine.scale(2)
        previous = shapely.Polygon()
        for period, level in FLOOD_LEVELS_M.items():
            mask = ((hand <= level) & (dist <= reach) & (bed <= FLOOD_MAX_BED_M)).astype(np.uint8)
            polys = [shapely.geometry.shape(geom) for geom, val in shapes(mask, mask=mask == 1, transform=transform)]
            zone = shapely.union_all(polys).buffer(40).buffer(-40).simplify(25)
            # Nested: 10 ⊂ 50 ⊂ 100 (a floating-point union keeps the smaller zone's edges).
            zone = shapely.union(shapely.intersection(zone, outline), previous)
            zone = _drop_specks(zone, 0.05e6)
            previous = zone
            rows.append({"return_period_years": period, "river": river,
                         "geometry": shapely.MultiPolygon(list(shapely.get_parts(zone)))})
    frame = gpd.GeoDataFrame(rows, crs=EPSG)
    frame["geometry"] = [shapely.MultiPolygon(list(shapely.get_parts(g))) for g in frame.geometry.values]
    return frame.sort_values(["river", "return_period_years"], ascending=[False, True]).reset_index(drop=True)


def _drop_specks(geom: shapely.Geometry, min_area: float) -> shapely.Geometry:
    parts = []
    for part in shapely.get_parts(geom):
        holes = [h for h in part.interiors if shapely.Polygon(h).area >= min_area]
        if part.area >= min_area:
            parts.append(shapely.Polygon(part.exterior, holes))
    return shapely.union_all(parts)


SEISMIC_LINE = [(130.57, 43.62), (130.60, 43.25), (130.66, 43.02), (130.70, 42.82), (130.74, 42.60), (130.80, 42.30)]


def make_seismic_zones(outline: shapely.Polygon) -> gpd.GeoDataFrame:
    """Two zones: 0.10 g in the east and north-east (towards the deep-focus seismic belt
    under the border), 0.05 g in the west; the dividing line is wavy, not straight."""
    divide = shapely.get_coordinates(meander(shapely.LineString(xy_array(SEISMIC_LINE)), 2500.0, rng("seismic"), step=500.0))
    far_east = [[divide[-1, 0] + 200000, divide[-1, 1]], [divide[0, 0] + 200000, divide[0, 1]]]
    east = shapely.Polygon(np.vstack([divide, far_east]))
    zones = [(0.05, shapely.difference(outline, east, grid_size=0.01)),
             (0.10, shapely.intersection(outline, east, grid_size=0.01))]
    return gpd.GeoDataFrame({"pga_g": [z for z, _ in zones]}, geometry=[g for _, g in zones], crs=EPSG)


def make_forest(dem: np.ndarray, grid: Grid, builtup: shapely.Polygon, valleys: dict[str, Valley],
                settlements: gpd.GeoDataFrame) -> np.ndarray:
    """Forest share on the 60 m grid: hills and mountains wooded (Hunchun is ~80 %
    forest), valley floors farmed, the city and villages cleared."""
    r = rng("forest")
    dem60 = block_mean(dem, 2)
    g60 = grid.coarsen(2)
    slope = slope_degrees(dem60, g60.cell)
    cover = 0.08 + 0.85 * smoothstep((dem60 - 60.0) / 220.0) + 0.25 * smoothstep((slope - 4.0) / 14.0)
    cover += 0.12 * smooth2d_noise(r, g60.shape, 6) + 0.05 * smooth2d_noise(r, g60.shape, 1.5)
    # Flood plains are fields.
    for v in valleys.values():
        hand = block_mean(dem[v.rows, v.cols] - v.bed, 2)
        rs, cs = slice(v.rows.start // 2, v.rows.start // 2 + hand.shape[0]), slice(v.cols.start // 2, v.cols.start // 2 + hand.shape[1])
        cover[rs, cs] *= np.clip(hand / 12.0, 0.05, 1.0)
    near = np.zeros(g60.shape, np.uint8)
    sr, sc = g60.rowcol(settlements.geometry.x.values, settlements.geometry.y.values)
    near[sr, sc] = 1
    d = ndimage.distance_transform_edt(near == 0, sampling=g60.cell)
    cover *= np.clip(d / 700.0, 0.1, 1.0)
    cover[g60.mask_of(builtup)] = 0.0
    return np.round(np.clip(cover, 0.0, 1.0), 2).astype(np.float32)


# ---------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------

_DTYPES = {"string": object, "integer": "int64", "real": "float64", "boolean": bool}


def conform(name: str, frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Exactly the schema's fields, in the schema's order and types, plus geometry."""
    spec = layer_specs()[name]
    out = {}
    for field_name, kind in spec.fields.items():
        col = frame[field_name]
        if kind == "real":
            out[field_name] = pd.to_numeric(col).astype("float64")
        elif kind == "integer":
            out[field_name] = col.astype("int64")
        elif kind == "boolean":
            out[field_name] = col.astype(bool)
        else:
            out[field_name] = col.astype(object).where(col.notna(), None)
    return gpd.GeoDataFrame(out, geometry=list(frame.geometry.values), crs=frame.crs)


def remove_output(path: Path) -> None:
    """Delete an old output and its GDAL side-car (.aux.xml holds stale statistics)."""
    for old in (path, path.with_name(path.name + ".aux.xml")):
        if old.exists():
            old.unlink()


def write_gpkg(path: Path, layers: dict[str, gpd.GeoDataFrame]) -> None:
    remove_output(path)
    # Fixed timestamps in gpkg_contents so reruns give the same file.
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_DATE})
    for k, (name, frame) in enumerate(layers.items()):
        spec = layer_specs()[name]
        description = f"{spec.zh} {spec.en}. {NOTE}. Generated by {GENERATOR}."
        geometry_type = {"point": "Point", "line": "LineString", "polygon": "Polygon"}[spec.geometry]
        if name == "flood_zones":
            geometry_type = "MultiPolygon"
        pyogrio.write_dataframe(
            frame, path, layer=name, driver="GPKG", geometry_type=geometry_type, promote_to_multi=False,
            layer_options={"DESCRIPTION": description, "IDENTIFIER": f"{spec.zh} {spec.en} (synthetic)"},
            layer_metadata={"SYNTHETIC": "YES", "NOTE": NOTE, "GENERATOR": GENERATOR, "TITLE": f"{spec.zh} {spec.en}"},
            dataset_metadata=({"SYNTHETIC": "YES", "NOTE": NOTE, "GENERATOR": GENERATOR,
                               "TITLE": "珲春市示例数据 Hunchun sample dataset (synthetic)"} if k == 0 else None),
        )


def raster_tags(what: str) -> dict[str, str]:
    return {
        "TIFFTAG_IMAGEDESCRIPTION": f"{what}. {NOTE}. Generated by {GENERATOR}.",
        "TIFFTAG_SOFTWARE": GENERATOR,
        "SYNTHETIC": "YES",
        "NOTE": NOTE,
        "GENERATOR": GENERATOR,
    }


def write_raster(path: Path, data: np.ndarray, grid: Grid, nodata: float, what: str, units: str) -> None:
    predictor = 3 if data.dtype.kind == "f" else 2
    profile = {
        "driver": "GTiff", "width": grid.nx, "height": grid.ny, "count": 1, "dtype": data.dtype.name,
        "crs": f"EPSG:{EPSG}", "transform": grid.transform, "nodata": nodata, "tiled": True,
        "blockxsize": 256, "blockysize": 256, "compress": "deflate", "predictor": predictor, "zlevel": 9,
    }
    remove_output(path)
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(data, 1)
        dst.update_tags(**raster_tags(what))
        dst.set_band_description(1, what)
        dst.units = (units,)


# ---------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------


def build(out_dir: Path) -> dict[str, object]:
    t0 = time.time()
    log = lambda msg: print(f"[{time.time() - t0:5.1f}s] {msg}", flush=True)  # noqa: E731
    outline = make_outline()
    relief = ReliefModel.default()
    rivers = make_rivers(outline, relief)
    grid = make_grid(outline)
    log(f"outline {outline.area / 1e6:.1f} km², grid {grid.nx}x{grid.ny}")
    dem = make_terrain(grid, relief, outline, rivers)
    valleys = carve_valleys(dem, grid, rivers)
    log("terrain")
    hunchun_river = next(r for r in rivers if r.name == "珲春河")
    townships = make_townships(outline, hunchun_river.line)
    builtup = make_builtup(outline)
    surf = make_surfaces(dem, grid, outline, rivers, builtup, townships)
    settlements = make_settlements(townships, surf, NameBook())
    log(f"townships, {len(settlements)} settlements")
    roads = make_roads(surf, outline, rivers, townships, settlements)
    log(f"{len(roads)} road segments")
    shelters = make_shelters(townships, settlements, builtup)
    depots = make_depots(townships, settlements, builtup)
    fire = make_fire_stations(townships, builtup)
    hazards = make_hazard_sites(dem, grid, surf, townships, settlements, roads)
    floods = make_flood_zones(dem, grid, valleys, outline)
    seismic = make_seismic_zones(outline)
    rivers_frame = gpd.GeoDataFrame({"name": [r.name for r in rivers], "name_en": [r.name_en for r in rivers]},
                                    geometry=[r.line for r in rivers], crs=EPSG)
    log("facilities and zones")
    frames = {
        "townships": townships, "settlements": settlements, "shelters": shelters, "depots": depots,
        "hazard_sites": hazards, "roads": roads, "rivers": rivers_frame, "fire_stations": fire,
        "seismic_zones": seismic, "flood_zones": floods,
    }
    layers = {name: conform(name, frames[name]) for name in layer_specs()}
    out_dir.mkdir(parents=True, exist_ok=True)
    write_gpkg(out_dir / "hunchun_sample.gpkg", layers)
    # Rasters: nodata outside the outline buffered by 1 km.
    keep = grid.mask_of(outline.buffer(1000.0))
    # Float32 rounded to 1/8 m: no integer terracing in hillshades, and binary fractions
    # keep the low mantissa bits zero so DEFLATE still compresses well.
    dem_out = np.where(keep, np.round(dem * 8.0) / 8.0, DEM_NODATA).astype(np.float32)
    write_raster(out_dir / "dem.tif", dem_out, grid, DEM_NODATA, "Elevation (m) 高程", "metre")
    forest = make_forest(dem, grid, builtup, valleys, settlements)
    keep60 = keep.reshape(grid.ny // 2, 2, grid.nx // 2, 2).any(axis=(1, 3))
    forest_out = np.where(keep60, forest, -9999.0).astype(np.float32)
    write_raster(out_dir / "forest.tif", forest_out, grid.coarsen(2), -9999.0, "Forest cover share 0-1 森林覆盖率", "1")
    log("written")
    return {"layers": {k: len(v) for k, v in layers.items()}, "outline_km2": outline.area / 1e6}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "layers"), help="output folder (default: layers/)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    summary = build(out)
    for name, count in summary["layers"].items():
        print(f"  {name:14s} {count:6d}")
    total = sum(f.stat().st_size for f in out.iterdir() if f.is_file())
    print(f"  outline {summary['outline_km2']:.1f} km², {out} holds {total / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
