"""Forest cover share on the 60 m grid."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from scipy import ndimage

from .geometry import smoothstep
from .grid import Grid, block_mean, slope_degrees
from .hydrology import Valley
from .randomness import rng, smooth2d_noise


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
    _clear_flood_plains(cover, dem, valleys)
    near = np.zeros(g60.shape, np.uint8)
    sr, sc = g60.rowcol(settlements.geometry.x.values, settlements.geometry.y.values)
    near[sr, sc] = 1
    d = ndimage.distance_transform_edt(near == 0, sampling=g60.cell)
    cover *= np.clip(d / 700.0, 0.1, 1.0)  # fields round every village
    cover[g60.mask_of(builtup)] = 0.0
    return np.round(np.clip(cover, 0.0, 1.0), 2).astype(np.float32)


def _clear_flood_plains(cover: np.ndarray, dem: np.ndarray, valleys: dict[str, Valley]) -> None:
    """Flood plains are fields: less forest the nearer the ground is to the river bed
    (in place, on the 60 m grid)."""
    for v in valleys.values():
        hand = block_mean(dem[v.rows, v.cols] - v.bed, 2)
        rs = slice(v.rows.start // 2, v.rows.start // 2 + hand.shape[0])
        cs = slice(v.cols.start // 2, v.cols.start // 2 + hand.shape[1])
        cover[rs, cs] *= np.clip(hand / 12.0, 0.05, 1.0)
