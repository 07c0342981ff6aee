"""Analysis surfaces on the 150 m grid, used to place settlements and hazards and to
route roads."""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from rasterio.features import rasterize
from scipy import ndimage

from .grid import Grid, block_mean, slope_degrees
from .hydrology import River

SURFACE_FACTOR = 5  # 5 x 5 DEM cells (150 m)


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


def river_cells(grid: Grid, rivers: list[River]) -> np.ndarray:
    """1 in every cell a river line touches, 0 elsewhere."""
    return rasterize([(r.line, 1) for r in rivers], out_shape=grid.shape, transform=grid.transform, all_touched=True)


def make_surfaces(dem: np.ndarray, grid: Grid, outline: shapely.Polygon, rivers: list[River],
                  builtup: shapely.Polygon, townships: gpd.GeoDataFrame) -> Surfaces:
    """The 150 m surfaces of the carved DEM (30 m grid ``grid``)."""
    g = grid.coarsen(SURFACE_FACTOR)
    dem150 = block_mean(dem, SURFACE_FACTOR)
    river_dist = ndimage.distance_transform_edt(river_cells(g, rivers) == 0, sampling=g.cell)
    valley = dem150 - ndimage.minimum_filter(dem150, size=21)
    labels = rasterize([(geom, i + 1) for i, geom in enumerate(townships.geometry)], out_shape=g.shape,
                       transform=g.transform).astype(np.int64) - 1
    return Surfaces(g, dem150, slope_degrees(dem150, g.cell), river_dist, valley, g.mask_of(outline),
                    g.mask_of(builtup), labels)
