"""Class rasters to dissolved class polygons with area, generalised to a minimum
mapping unit so that the zones read at the map's scale.

The raster is handled in tiles (with a halo for the sieve) so that memory stays
bounded at fine cells; a raster of up to TILE × TILE cells (every default run) is done
in one piece, exactly.
"""
from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import rasterio
import shapely
from rasterio import features
from rasterio.windows import Window
from scipy import ndimage

from ..definitions import ClassDef

TILE = 4096


def sieve_cells(cell: float, scale_denominator: int, mmu_mm: float) -> int:
    """Cells in the minimum mapping unit: a square of ``mmu_mm`` on the printed map
    (2 mm → 500 m at 1:250000, 100 m at 1:50000)."""
    side_m = mmu_mm / 1000.0 * scale_denominator
    return max(int(math.ceil(side_m * side_m / (cell * cell))), 1)


def _dissolve(polygons: list) -> shapely.Geometry:
    """Union of non-overlapping polygons: the fast coverage union, or the general
    union when GEOS finds the coverage imperfect (tile edges, pinched rings)."""
    try:
        return shapely.coverage_union_all(polygons)
    except shapely.errors.GEOSException:
        return shapely.union_all(polygons)


def _largest_patch(data: np.ndarray) -> int:
    """Cells of the largest 8-connected patch of one class. GDAL refuses a sieve size as
    large as the image, so an area smaller than the minimum mapping unit is sieved at
    this size instead: its largest patch stays and the smaller ones merge into it."""
    eight = np.ones((3, 3), dtype=bool)
    sizes = [np.bincount(ndimage.label(data == value, structure=eight)[0].ravel())[1:].max()
             for value in np.unique(data[data > 0])]
    return int(max(sizes, default=0))


def _tile_polygons(src, window: Window, halo: int, min_cells: int) -> dict[int, shapely.Geometry]:
    """The class polygons of one tile, sieved with a halo of neighbouring cells so that
    patches cut by the tile edge are judged with their surroundings."""
    col0, row0 = max(window.col_off - halo, 0), max(window.row_off - halo, 0)
    col1 = min(window.col_off + window.width + halo, src.width)
    row1 = min(window.row_off + window.height + halo, src.height)
    data = src.read(1, window=Window(col0, row0, col1 - col0, row1 - row0))
    inside = data > 0
    if not inside.any():
        return {}
    size = min_cells if min_cells < data.size else _largest_patch(data)
    if size > 1:
        data = features.sieve(data, size=size, connectivity=8, mask=inside)
        data[~inside] = 0
    r, c = window.row_off - row0, window.col_off - col0
    crop = np.ascontiguousarray(data[r:r + window.height, c:c + window.width])
    geoms: dict[int, list] = {}
    # 4-connected polygons have simple rings (8-connected ones pinch at diagonal corners)
    for geometry, value in features.shapes(crop, mask=crop > 0, connectivity=4, transform=src.window_transform(window)):
        geoms.setdefault(int(value), []).append(shapely.geometry.shape(geometry))
    return {value: _dissolve(parts) for value, parts in geoms.items()}


def class_polygons(raster: Path, classes: list[ClassDef], min_cells: int) -> gpd.GeoDataFrame:
    """One (multi)polygon per class present: cells of the class after patches smaller
    than ``min_cells`` are merged into their neighbours (GDAL sieve, 8-connected)."""
    halo = 2 * int(math.ceil(math.sqrt(min_cells))) if min_cells > 1 else 0
    parts: dict[int, list] = {}
    with rasterio.open(raster) as src:
        crs = src.crs
        for row in range(0, src.height, TILE):
            for col in range(0, src.width, TILE):
                window = Window(col, row, min(TILE, src.width - col), min(TILE, src.height - row))
                for value, geometry in _tile_polygons(src, window, halo, min_cells).items():
                    parts.setdefault(value, []).append(geometry)
    rows = []
    by_value = {c.value: c for c in classes}
    for value in sorted(parts):
        merged = parts[value][0] if len(parts[value]) == 1 else _dissolve(parts[value])
        definition = by_value[value]
        rows.append({"class": value, "key": definition.key, "name_zh": definition.zh, "name_en": definition.en,
                     "color": "#%02x%02x%02x" % definition.color, "area_km2": merged.area / 1e6, "geometry": merged})
    if not rows:
        return gpd.GeoDataFrame({"class": np.array([], dtype=int)}, geometry=[], crs=crs)
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)
    frame["geometry"] = shapely.make_valid(frame.geometry.values)
    frame["share"] = frame["area_km2"] / frame["area_km2"].sum()
    return frame
