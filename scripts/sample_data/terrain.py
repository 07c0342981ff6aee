"""The terrain (DEM before the valleys are carved).

Built at 150 m from a drainage tree: every cell drains along the cheapest path (over a
random cost field) to one of the rivers and rises from it by Flint's law (slope ~
upstream area^-0.5), scaled so the broad heights follow the relief control points. Then
30 m detail noise is added. A drainage tree has no pits, so the terrain drains like a
real one.
"""
from __future__ import annotations

import math

import numpy as np
import shapely
from scipy import ndimage
from scipy.sparse.csgraph import dijkstra

from .facts import BASIN_CENTRE, BASIN_RADII_M, PEAK_M
from .geometry import smoothstep, xy
from .grid import Grid, cost_graph, grid_edges
from .hydrology import River, river_bed_grid
from .randomness import rng, smooth2d_noise
from .relief import ReliefModel

COARSE_FACTOR = 5  # the drainage tree is built on 5 x 5 DEM cells (150 m)
_D8 = [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)]


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
    # Python lists: this walk touches every cell once, and list indexing is much faster
    # than numpy scalar indexing.
    p, s = pred.tolist(), step.tolist()
    zl = z.tolist()
    for i in order.tolist():
        j = p[i]
        if j >= 0:
            zl[i] = zl[j] + s[i]
    return np.asarray(zl)


def upstream_area(pred: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Number of cells draining through each cell (itself included)."""
    acc = [1.0] * len(pred)
    p = pred.tolist()
    for i in order[::-1].tolist():
        j = p[i]
        if j >= 0:
            acc[j] += acc[i]
    return np.asarray(acc)


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


def basin_damping(gx: np.ndarray, gy: np.ndarray) -> np.ndarray:
    """Relief factor: the Hunchun basin round the city is a broad alluvial plain."""
    bx, by = xy(*BASIN_CENTRE)
    basin = np.hypot((gx - bx) / BASIN_RADII_M[0], (gy - by) / BASIN_RADII_M[1])
    return 0.15 + 0.85 * smoothstep(basin - 1.0)


def make_terrain(grid: Grid, relief: ReliefModel, outline: shapely.Polygon, rivers: list[River]) -> np.ndarray:
    """Uncarved terrain (float32, m) on the 30 m grid (see the module docstring)."""
    coarse = grid.coarsen(COARSE_FACTOR)
    r = rng("terrain")
    z150, z_out = _coarse_terrain(coarse, relief, rivers, r)
    z = _add_detail(z150, z_out, grid, r)
    return _scale_to_peak(z, grid, outline)


def _coarse_terrain(coarse: Grid, relief: ReliefModel, rivers: list[River],
                    r: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Heights on the 150 m grid, and (flat) the height of each cell's river outlet."""
    gx, gy = np.meshgrid(coarse.xs(), coarse.ys())
    base = relief.base(gx, gy)
    outlet_z = river_bed_grid(coarse, rivers)
    outlets = np.isfinite(outlet_z)
    cost = np.exp(0.9 * smooth2d_noise(r, coarse.shape, 5) + 0.4 * smooth2d_noise(r, coarse.shape, 1.5))
    pred, order = drainage_tree(outlets, cost)
    flint = _flint_steps(pred, order, coarse)
    start = np.where(outlets.ravel(), np.nan_to_num(outlet_z.ravel()), 0.0)
    z_out = integrate_along_tree(pred, order, start, np.zeros(pred.size))  # outlet height per cell
    rise1 = integrate_along_tree(pred, order, np.zeros(pred.size), flint)
    gain = _relief_gain(base - z_out.reshape(coarse.shape), rise1, coarse, r) * basin_damping(gx, gy).ravel()
    z150 = z_out + integrate_along_tree(pred, order, np.zeros(pred.size), flint * gain)
    z150 = limit_slope(z150.reshape(coarse.shape), coarse.cell * math.tan(math.radians(35)))
    return ndimage.gaussian_filter(z150, 0.7), z_out


def _flint_steps(pred: np.ndarray, order: np.ndarray, coarse: Grid) -> np.ndarray:
    """Rise (m, before scaling) from each cell's downstream neighbour: step length x
    upstream area^-0.5 (Flint's law)."""
    area_km2 = upstream_area(pred, order) * (coarse.cell / 1000.0) ** 2
    nx = coarse.nx
    flat_pred = np.where(pred >= 0, pred, np.arange(pred.size))
    step_m = coarse.cell * np.hypot(flat_pred // nx - np.arange(pred.size) // nx,
                                    flat_pred % nx - np.arange(pred.size) % nx)
    return step_m * (area_km2 + 0.06) ** -0.5


def _relief_gain(wanted_rise: np.ndarray, rise1: np.ndarray, coarse: Grid, r: np.random.Generator) -> np.ndarray:
    """How much to stretch the rise (flat, per cell) so heights follow the control points
    over ~4 km, with some random variation."""
    sigma = 4000.0 / coarse.cell
    want = ndimage.gaussian_filter(np.clip(wanted_rise, 5.0, None), sigma)
    have = ndimage.gaussian_filter(rise1.reshape(coarse.shape), sigma) + 1e-3
    gain = (want / have).ravel()
    gain *= np.exp(0.25 * smooth2d_noise(r, coarse.shape, 8)).ravel()
    return gain


def _add_detail(z150: np.ndarray, z_out: np.ndarray, grid: Grid, r: np.random.Generator) -> np.ndarray:
    """Heights on the 30 m grid: the 150 m heights interpolated plus noise that grows
    with the local relief (plains stay smooth)."""
    k = COARSE_FACTOR
    z = ndimage.zoom(z150.astype(np.float32), k, order=3, grid_mode=True, mode="nearest")[: grid.ny, : grid.nx]
    local = ndimage.gaussian_filter(z150 - z_out.reshape(z150.shape), 3).astype(np.float32)
    relief_local = np.clip(ndimage.zoom(local, k, order=1, grid_mode=True, mode="nearest")[: grid.ny, : grid.nx],
                           0, None)
    return z + (0.5 + 0.012 * relief_local) * smooth2d_noise(r, grid.shape, 2.5)


def _scale_to_peak(z: np.ndarray, grid: Grid, outline: shapely.Polygon) -> np.ndarray:
    """Scale the relief so the highest point written (outline + 1 km) is 老爷岭's 1,477 m."""
    inside = grid.mask_of(outline.buffer(1000.0))
    top = float(z[inside].max())
    z = 20.0 + (z - 20.0) * (PEAK_M - 20.0) / (top - 20.0)
    return z.astype(np.float32)
