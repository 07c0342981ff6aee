"""The raster grid, block aggregation, slope, and cost graphs over grid cells."""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from rasterio.features import geometry_mask
from rasterio.transform import Affine, from_origin
from scipy.sparse import coo_matrix, csr_matrix

from .settings import CELL


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
        """Row and column of the cells holding the points (clipped to the grid)."""
        col = np.floor((np.asarray(x) - self.x0) / self.cell).astype(np.int64)
        row = np.floor((self.y1 - np.asarray(y)) / self.cell).astype(np.int64)
        return np.clip(row, 0, self.ny - 1), np.clip(col, 0, self.nx - 1)

    def centre(self, row: np.ndarray, col: np.ndarray) -> np.ndarray:
        """(n, 2) coordinates of the cell centres."""
        return np.column_stack([self.x0 + (np.asarray(col) + 0.5) * self.cell,
                                self.y1 - (np.asarray(row) + 0.5) * self.cell])

    def coarsen(self, k: int) -> Grid:
        """The grid of k x k blocks (same origin)."""
        return Grid(self.x0, self.y1, self.cell * k, self.nx // k, self.ny // k)

    def mask_of(self, geom: shapely.Geometry) -> np.ndarray:
        """True where the cell centre is inside ``geom``."""
        return geometry_mask([geom], out_shape=self.shape, transform=self.transform, invert=True)


def make_grid(outline: shapely.Polygon) -> Grid:
    """30 m grid over the outline + 3 km, snapped to 900 m so 60/90/150 m grids nest."""
    minx, miny, maxx, maxy = outline.buffer(3000).bounds
    step = 900.0
    x0, y0 = math.floor(minx / step) * step, math.floor(miny / step) * step
    x1, y1 = math.ceil(maxx / step) * step, math.ceil(maxy / step) * step
    return Grid(x0, y1, CELL, round((x1 - x0) / CELL), round((y1 - y0) / CELL))


def block_mean(a: np.ndarray, k: int) -> np.ndarray:
    """Mean of every k x k block (a ragged right or bottom edge is dropped)."""
    ny, nx = a.shape[0] // k, a.shape[1] // k
    return a[: ny * k, : nx * k].reshape(ny, k, nx, k).mean(axis=(1, 3))


def block_max(a: np.ndarray, k: int) -> np.ndarray:
    """Maximum of every k x k block (a ragged right or bottom edge is dropped)."""
    ny, nx = a.shape[0] // k, a.shape[1] // k
    return a[: ny * k, : nx * k].reshape(ny, k, nx, k).max(axis=(1, 3))


def slope_degrees(dem: np.ndarray, cell: float) -> np.ndarray:
    """Slope in degrees by central differences."""
    gy, gx = np.gradient(dem.astype(np.float32), cell)
    return np.degrees(np.arctan(np.hypot(gx, gy))).astype(np.float32)


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


def cost_graph(a: np.ndarray, b: np.ndarray, length: np.ndarray, cost: np.ndarray, n: int) -> csr_matrix:
    """Undirected sparse graph with edge weight = length x mean cell cost."""
    flat = cost.ravel()
    weight = length * 0.5 * (flat[a] + flat[b])
    return coo_matrix((weight, (a, b)), shape=(n, n)).tocsr()
