"""Raw surfaces computed on a grid: kernel density, slope, distance, height above the
nearest river and travel time. Plain numpy/scipy over a ``Grid``; units are metres,
degrees, minutes or weight per km²."""
from __future__ import annotations

import math

import numpy as np
from scipy import ndimage
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra

from .grid import Grid

KERNELS = ("quartic", "uniform")


def kernel_density(grid: Grid, x: np.ndarray, y: np.ndarray, weight: np.ndarray, bandwidth: float,
                   kernel: str = "quartic") -> np.ndarray:
    """Point density at cell centres.

    ``quartic`` (QGIS Heatmap's default): Σ w · 3/(π h²) · (1 − d²/h²)² for d < h, in weight
    per km². ``uniform``: Σ w over points within h (e.g. shelter places within reach).
    Each point only touches the cells within its bandwidth, so cost grows with points,
    not with grid size squared.
    """
    out = np.zeros(grid.shape, dtype=np.float64)
    xs, ys = grid.centres()
    left, bottom, right, top = grid.bounds
    near = (x > left - bandwidth) & (x < right + bandwidth) & (y > bottom - bandwidth) & (y < top + bandwidth)
    norm = 3.0 / (math.pi * bandwidth * bandwidth) * 1e6 if kernel == "quartic" else 1.0
    for px, py, w in zip(x[near], y[near], weight[near]):
        c0, c1 = np.searchsorted(xs, [px - bandwidth, px + bandwidth])
        r0, r1 = np.searchsorted(-ys, [-(py + bandwidth), -(py - bandwidth)])
        if c0 >= c1 or r0 >= r1:
            continue
        d2 = (xs[c0:c1][None, :] - px) ** 2 + (ys[r0:r1][:, None] - py) ** 2
        inside = d2 < bandwidth * bandwidth
        if kernel == "quartic":
            k = np.where(inside, (1.0 - d2 / (bandwidth * bandwidth)) ** 2, 0.0)
        else:
            k = inside.astype(np.float64)
        out[r0:r1, c0:c1] += w * norm * k
    return out.astype(np.float32)


def slope_degrees(dem: np.ndarray, cell: float) -> np.ndarray:
    """Slope in degrees by Horn's (1981) 3×3 method, as GDAL and QGIS compute it.
    Border cells (no full neighbourhood) and cells next to no-data are NaN."""
    z = dem.astype(np.float64)
    p = np.pad(z, 1, constant_values=np.nan)
    a, b, c = p[:-2, :-2], p[:-2, 1:-1], p[:-2, 2:]
    d, f = p[1:-1, :-2], p[1:-1, 2:]
    g, h, i = p[2:, :-2], p[2:, 1:-1], p[2:, 2:]
    dzdx = ((c + 2 * f + i) - (a + 2 * d + g)) / (8.0 * cell)
    dzdy = ((g + 2 * h + i) - (a + 2 * b + c)) / (8.0 * cell)
    return np.degrees(np.arctan(np.hypot(dzdx, dzdy))).astype(np.float32)


def distance_to_cells(targets: np.ndarray, cell: float, cap: float) -> np.ndarray:
    """Euclidean distance (m) from each cell centre to the nearest target cell, capped
    at ``cap`` (also where there is no target at all)."""
    if not targets.any():
        return np.full(targets.shape, cap, dtype=np.float32)
    distance = ndimage.distance_transform_edt(~targets, sampling=cell)
    return np.minimum(distance, cap).astype(np.float32)


def height_above_river(dem: np.ndarray, river: np.ndarray, cell: float, search: float) -> np.ndarray:
    """Height (m) of each cell above the river cell nearest to it, ≥ 0: low ground near
    rivers floods first (a simple HAND, height-above-nearest-drainage, proxy). Cells
    farther than ``search`` from any river get +inf (no river influence)."""
    out = np.full(dem.shape, np.inf, dtype=np.float32)
    river = river & np.isfinite(dem)
    if not river.any():
        return out
    distance, (rows, cols) = ndimage.distance_transform_edt(~river, sampling=cell, return_indices=True)
    height = dem - dem[rows, cols]
    near = distance <= search
    out[near] = np.maximum(height[near], 0.0)
    out[~np.isfinite(dem)] = np.nan
    return out


def travel_minutes(speed_kmh: np.ndarray, cell: float, sources: np.ndarray) -> np.ndarray:
    """Least travel time (minutes) from the nearest source cell over a speed grid.

    8-neighbour moves; a move costs its length times the mean of the two cells'
    pace (1/speed). ``sources`` is a boolean grid; cells unreachable get +inf.
    """
    rows, cols = speed_kmh.shape
    pace = 60.0 / (np.maximum(speed_kmh, 1e-6) * 1000.0)  # minutes per metre
    index = np.arange(rows * cols).reshape(rows, cols)
    heads, tails, costs = [], [], []
    for dr, dc in ((0, 1), (1, 0), (1, 1), (1, -1)):
        r0, r1 = 0, rows - dr
        c0, c1 = max(0, -dc), cols - max(0, dc)
        a = index[r0:r1, c0:c1]
        b = index[r0 + dr:r1 + dr, c0 + dc:c1 + dc]
        length = cell * math.hypot(dr, dc)
        heads.append(a.ravel())
        tails.append(b.ravel())
        costs.append((0.5 * length * (pace[r0:r1, c0:c1] + pace[r0 + dr:r1 + dr, c0 + dc:c1 + dc])).ravel())
    graph = coo_matrix((np.concatenate(costs), (np.concatenate(heads), np.concatenate(tails))),
                       shape=(rows * cols, rows * cols)).tocsr()
    start = np.flatnonzero(sources.ravel())
    if not len(start):
        return np.full(speed_kmh.shape, np.inf, dtype=np.float32)
    minutes = dijkstra(graph, directed=False, indices=start, min_only=True)
    return minutes.reshape(rows, cols).astype(np.float32)
