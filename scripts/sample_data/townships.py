"""The 13 townships: an additively weighted Voronoi partition of the outline."""
from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.ops

from hunchun_risk_plugin.core import definitions as defs

from .facts import CITY_CENTRE, TOWNSHIP_ANCHORS, TOWNSHIP_FACTS, URBAN_KIND
from .geometry import xy, xy_array
from .randomness import rng, smooth_field_at
from .settings import EPSG


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


def township_by_code(townships: gpd.GeoDataFrame, code: str) -> pd.Series:
    """The township row with this code."""
    return townships[townships["code"] == code].iloc[0]


def partition_points(outline: shapely.Polygon) -> np.ndarray:
    """Jittered generator points: 800 m apart in the countryside, 250 m in the city,
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
    cells = _voronoi_cells(pts, outline)
    area = shapely.area(shapely.intersection(cells, outline))
    dist = _seat_distances(pts, seeds, towns)
    labels = _fit_labels(pts, seeds, dist, _side_penalty(pts, towns, hunchun_river), area, target)
    geoms = []
    for i in range(len(towns)):
        region = shapely.union_all(cells[labels == i], grid_size=0.01)
        geoms.append(shapely.intersection(region, outline, grid_size=0.01))
    geoms = _merge_stray_parts(geoms, seeds)
    return gpd.GeoDataFrame({
        "code": [t["code"] for t in towns],
        "name": [t["name"] for t in towns],
        "name_en": [t["name_en"] for t in towns],
        "kind": [t["kind"] for t in towns],
        "population": [f.population for f in facts],
        "elderly_share": [f.elderly_share for f in facts],
        "building_vulnerability": [f.building_vulnerability for f in facts],
        "meteo_index": [f.meteo_index for f in facts],
    }, geometry=geoms, crs=EPSG)


def _voronoi_cells(pts: np.ndarray, outline: shapely.Polygon) -> np.ndarray:
    """The Voronoi cell of every point, in the order of the points."""
    box = shapely.box(*outline.buffer(6000).bounds)
    cells = np.asarray(shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=box)))
    tree = shapely.STRtree(shapely.points(pts))
    cell_idx, pt_idx = tree.query(cells, predicate="contains")
    cell_of_point = np.empty(len(pts), dtype=np.int64)
    cell_of_point[pt_idx] = cell_idx
    return cells[cell_of_point]


def _side_penalty(pts: np.ndarray, towns: list[dict], hunchun_river: shapely.LineString) -> np.ndarray:
    """A prohibitive extra distance keeping 河南街道 south of the Hunchun River and the
    other subdistricts north of it."""
    urban = np.array([t["kind"] == URBAN_KIND for t in towns])
    is_henan = np.array([t["name"] == "河南街道" for t in towns])
    south = south_of_river(pts, hunchun_river)
    penalty = np.zeros((len(pts), len(towns)))
    penalty[np.ix_(~south, is_henan)] = 1e7
    penalty[np.ix_(south, urban & ~is_henan)] = 1e7
    return penalty


def _seat_distances(pts: np.ndarray, seeds: np.ndarray, towns: list[dict]) -> np.ndarray:
    """Distance from every point to every unit (its seat or nearest anchor), plus a
    smooth random offset per unit so boundaries are wavy (less so in the city)."""
    dist = np.linalg.norm(pts[:, None, :] - seeds[None, :, :], axis=2)
    for i, t in enumerate(towns):
        for anchor in TOWNSHIP_ANCHORS.get(t["name"], []):
            dist[:, i] = np.minimum(dist[:, i], np.linalg.norm(pts - np.asarray(xy(*anchor)), axis=1))
    r = rng("township-noise")
    wobble = np.column_stack([smooth_field_at(pts, r, 7000.0) for _ in towns])
    near_centre = np.linalg.norm(pts - np.asarray(xy(*CITY_CENTRE)), axis=1)
    dist += wobble * np.clip(near_centre / 10000.0, 0.1, 1.0)[:, None] * 700.0
    return dist


def _fit_labels(pts: np.ndarray, seeds: np.ndarray, dist: np.ndarray, penalty: np.ndarray,
                area: np.ndarray, target: np.ndarray) -> np.ndarray:
    """The unit of every point: nearest by distance minus a per-unit radius, the radii
    adjusted until every unit's area is within 2 % of its target."""
    n = len(seeds)
    radius = np.zeros(n)
    seat_point = np.argmin(np.linalg.norm(pts[:, None, :] - seeds[None, :, :], axis=2), axis=0)
    for _ in range(300):
        labels = np.argmin(dist - radius + penalty, axis=1)
        labels[seat_point] = np.arange(n)  # a seat always lies in its own unit
        got = np.bincount(labels, weights=area, minlength=n)
        if np.all(np.abs(got - target) < 0.02 * target):
            break
        radius += 0.5 * (np.sqrt(target / np.pi) - np.sqrt(got / np.pi))
    return labels


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
                shared = [part.boundary.intersection(geoms[j].boundary).length if j != i else -1
                          for j in range(len(geoms))]
                j = int(np.argmax(shared))
                geoms[j] = shapely.union(geoms[j], part, grid_size=0.01)
            geoms[i] = keep
            moved = True
        if not moved:
            break
    return [_without_pinholes(g) for g in geoms]


def _without_pinholes(g: shapely.Geometry) -> shapely.Polygon:
    """The largest part, without the holes of a few m² that snapping to the 1 cm grid
    leaves between merged cells."""
    if g.geom_type != "Polygon":
        g = max(shapely.get_parts(g), key=lambda p: p.area)
    holes = [ring for ring in g.interiors if shapely.Polygon(ring).area > 1e4]
    return shapely.Polygon(g.exterior, holes)
