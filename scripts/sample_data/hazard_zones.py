"""Hazard zones: nested flood zones along the Tumen and the lower Hunchun River, and
the two seismic zones."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
import shapely.geometry
from rasterio.features import shapes
from rasterio.transform import Affine

from .geometry import meander, xy_array
from .grid import Grid, block_mean
from .hydrology import Valley
from .randomness import rng
from .settings import EPSG

FLOOD_LEVELS_M = {10: 1.6, 50: 2.8, 100: 4.0}  # height above the river bed flooded
FLOOD_REACH_M = {"图们江": 4000.0, "珲春河": 2500.0}
FLOOD_MAX_BED_M = 150.0  # the mapped reaches: the Tumen and the lower Hunchun River
SEISMIC_LINE = [(130.57, 43.62), (130.60, 43.25), (130.66, 43.02), (130.70, 42.82), (130.74, 42.60), (130.80, 42.30)]


def make_flood_zones(dem: np.ndarray, grid: Grid, valleys: dict[str, Valley],
                     outline: shapely.Polygon) -> gpd.GeoDataFrame:
    """Nested 10/50/100-year zones: ground within a few metres of the river bed, close
    to the Tumen and the Hunchun River (polygonised at 60 m, smoothed, clipped)."""
    rows = []
    for river, reach in FLOOD_REACH_M.items():
        for period, zone in _river_flood_zones(dem, grid, valleys[river], reach, outline):
            rows.append({"return_period_years": period, "river": river,
                         "geometry": shapely.MultiPolygon(list(shapely.get_parts(zone)))})
    frame = gpd.GeoDataFrame(rows, crs=EPSG)
    frame["geometry"] = [shapely.MultiPolygon(list(shapely.get_parts(g))) for g in frame.geometry.values]
    return frame.sort_values(["river", "return_period_years"], ascending=[False, True]).reset_index(drop=True)


def _river_flood_zones(dem: np.ndarray, grid: Grid, v: Valley, reach: float,
                       outline: shapely.Polygon) -> list[tuple[int, shapely.Geometry]]:
    """(return period, zone) of one river, smallest zone first."""
    hand = block_mean(dem[v.rows, v.cols] - v.bed, 2)  # height above the nearest bed, 60 m
    dist = block_mean(v.dist, 2)
    bed = block_mean(v.bed, 2)
    transform = grid.transform * Affine.translation(v.cols.start, v.rows.start) * Affine.scale(2)
    previous = shapely.Polygon()
    zones = []
    for period, level in FLOOD_LEVELS_M.items():
        mask = ((hand <= level) & (dist <= reach) & (bed <= FLOOD_MAX_BED_M)).astype(np.uint8)
        polys = [shapely.geometry.shape(geom) for geom, val in shapes(mask, mask=mask == 1, transform=transform)]
        zone = shapely.union_all(polys).buffer(40).buffer(-40).simplify(25)
        # Nested: 10 ⊂ 50 ⊂ 100 (a floating-point union keeps the smaller zone's edges).
        zone = shapely.union(shapely.intersection(zone, outline), previous)
        zone = _drop_specks(zone, 0.05e6)
        previous = zone
        zones.append((period, zone))
    return zones


def _drop_specks(geom: shapely.Geometry, min_area: float) -> shapely.Geometry:
    """Without the parts and holes smaller than min_area (m²)."""
    parts = []
    for part in shapely.get_parts(geom):
        holes = [h for h in part.interiors if shapely.Polygon(h).area >= min_area]
        if part.area >= min_area:
            parts.append(shapely.Polygon(part.exterior, holes))
    return shapely.union_all(parts)


def make_seismic_zones(outline: shapely.Polygon) -> gpd.GeoDataFrame:
    """Two zones: 0.10 g in the east and north-east (towards the deep-focus seismic belt
    under the border), 0.05 g in the west; the dividing line is wavy, not straight."""
    divide = shapely.get_coordinates(meander(shapely.LineString(xy_array(SEISMIC_LINE)), 2500.0, rng("seismic"),
                                             step=500.0))
    far_east = [[divide[-1, 0] + 200000, divide[-1, 1]], [divide[0, 0] + 200000, divide[0, 1]]]
    east = shapely.Polygon(np.vstack([divide, far_east]))
    zones = [(0.05, shapely.difference(outline, east, grid_size=0.01)),
             (0.10, shapely.intersection(outline, east, grid_size=0.01))]
    return gpd.GeoDataFrame({"pga_g": [z for z, _ in zones]}, geometry=[g for _, g in zones], crs=EPSG)
