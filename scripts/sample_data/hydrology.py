"""Rivers (lines with monotonic bed profiles) and the valleys they cut into the terrain."""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
import shapely.ops
from scipy import ndimage

from .facts import FANGCHUAN, RIVERS, TUMEN_SW_PROBE, TUMEN_UPSTREAM, RiverDef
from .geometry import meander, smoothstep, xy, xy_array
from .grid import Grid
from .randomness import rng
from .relief import ReliefModel
from .settings import CELL, EPSG


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
    upstream = np.asarray(xy(*TUMEN_UPSTREAM))
    if np.linalg.norm(coords[0] - upstream) > np.linalg.norm(coords[-1] - upstream):
        coords = coords[::-1]
    return shapely.simplify(shapely.LineString(coords), 10.0)


def make_rivers(outline: shapely.Polygon, relief: ReliefModel) -> list[River]:
    """Rivers with monotonic bed profiles (the Tumen first, parents before tributaries)."""
    rivers: dict[str, River] = {}
    for spec in RIVERS:
        if spec.parent is None:
            line = tumen_line(outline)
            s = shapely.line_locate_point(line, shapely.points(shapely.get_coordinates(line)))
            bed = 28.0 - 25.0 * s / line.length  # 28 m where it enters, 3 m at 防川
        else:
            line, bed = _tributary(spec, rivers[spec.parent], outline, relief)
        rivers[spec.name] = River(spec.name, spec.name_en, line, bed, spec.floor_m, spec.wall_m)
    return list(rivers.values())


def _tributary(spec: RiverDef, parent: River, outline: shapely.Polygon,
               relief: ReliefModel) -> tuple[shapely.LineString, np.ndarray]:
    """A tributary's line (meandering, its mouth on the parent) and its bed profile."""
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
    return line, bed


def river_bed_at(river: River, point: np.ndarray) -> float:
    """Bed elevation at the river vertex nearest the point."""
    coords = shapely.get_coordinates(river.line)
    i = int(np.argmin(np.linalg.norm(coords - point, axis=1)))
    return float(river.bed[i])


def _dense_bed(river: River, spacing: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points every ``spacing`` m along the river, their distance from the source and
    their bed elevation (interpolated between vertices)."""
    dense = shapely.get_coordinates(shapely.segmentize(river.line, spacing))
    s_dense = shapely.line_locate_point(river.line, shapely.points(dense))
    s_vert = shapely.line_locate_point(river.line, shapely.points(shapely.get_coordinates(river.line)))
    return dense, s_dense, np.interp(s_dense, s_vert, river.bed)


def river_bed_grid(grid: Grid, rivers: list[River]) -> np.ndarray:
    """Bed elevation in cells a river crosses (the lowest if several), NaN elsewhere."""
    bed = np.full(grid.shape, np.nan)
    for river in rivers:
        dense, _, zz = _dense_bed(river, grid.cell / 3)
        rr, cc = grid.rowcol(dense[:, 0], dense[:, 1])
        cur = bed[rr, cc]
        bed[rr, cc] = np.where(np.isnan(cur), zz, np.fmin(cur, zz))
    return bed


def rivers_frame(rivers: list[River]) -> gpd.GeoDataFrame:
    """The rivers layer."""
    return gpd.GeoDataFrame({"name": [r.name for r in rivers], "name_en": [r.name_en for r in rivers]},
                            geometry=[r.line for r in rivers], crs=EPSG)


@dataclass
class Valley:
    """Per-river distance and nearest bed elevation over a window (kept for flood zones)."""

    rows: slice
    cols: slice
    dist: np.ndarray
    bed: np.ndarray


def carve_valleys(z: np.ndarray, grid: Grid, rivers: list[River]) -> dict[str, Valley]:
    """Cut each river's valley into the terrain (in place): a flat floor at the bed
    (rising 2 m/km away from the river) and walls blending back into the hills. Every
    step is a continuous function of the input, so no cliffs; beds fall monotonically
    downstream."""
    valleys = {}
    # Tributaries first: a parent's carving then wins where the valleys meet.
    for river in reversed(rivers):
        rows, cols = _valley_window(river, grid)
        dist, bed_near, wide = _nearest_bed(river, grid, rows, cols)
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


def _valley_window(river: River, grid: Grid) -> tuple[slice, slice]:
    """Rows and columns of the grid the river's valley can reach."""
    reach = river.floor_m + river.wall_m + 600.0
    minx, miny, maxx, maxy = river.line.bounds
    r0, c0 = grid.rowcol(minx - reach, maxy + reach)
    r1, c1 = grid.rowcol(maxx + reach, miny - reach)
    return slice(int(r0), int(r1) + 1), slice(int(c0), int(c1) + 1)


def _nearest_bed(river: River, grid: Grid, rows: slice,
                 cols: slice) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Over the window: distance to the river (m), the (smoothed) bed elevation of the
    nearest river cell, and the valley's relative width there."""
    dense, s_dense, z_dense = _dense_bed(river, CELL / 2)
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
    return dist.astype(np.float32), bed_near, wide
