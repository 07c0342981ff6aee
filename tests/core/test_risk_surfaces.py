"""Kernel density, slope, distance, height above river and travel time on tiny grids."""
from __future__ import annotations

import math

import numpy as np
import pytest
from affine import Affine

from hunchun_risk_plugin.core.errors import InputError
from hunchun_risk_plugin.core.risk.grid import Grid, blocks, grid_for_bounds, metric_crs
from hunchun_risk_plugin.core.risk.surfaces import (
    distance_to_cells,
    height_above_river,
    kernel_density,
    slope_degrees,
    travel_minutes,
)

CRS = metric_crs("EPSG:4511")


def grid(cell=100.0, width=41, height=41) -> Grid:
    return Grid(CRS.to_wkt(), Affine(cell, 0, 0.0, 0, -cell, cell * height), width, height)


def test_quartic_kernel_values_and_mass():
    g = grid()  # point at the centre of cell (20, 20): x = y = 2050
    density = kernel_density(g, np.array([2050.0]), np.array([2050.0]), np.array([2.0]), 1000.0)
    peak = 2 * 3 / math.pi  # 2 · 3/(π h²) per m², h = 1 km → per km²
    assert density[20, 20] == pytest.approx(peak, rel=1e-5)
    assert density[20, 25] == pytest.approx(peak * 0.75 ** 2, rel=1e-5)  # 500 m away
    assert density[20, 30] == 0.0  # exactly one bandwidth away
    # the surface integrates to the weight: Σ density · cell area (0.01 km²) ≈ 2
    assert density.sum() * 0.01 == pytest.approx(2.0, rel=0.02)


def test_uniform_kernel_counts_weight_within_reach():
    g = grid()
    x = np.array([2050.0, 2050.0 + 300])
    y = np.array([2050.0, 2050.0])
    places = kernel_density(g, x, y, np.array([100.0, 50.0]), 250.0, kernel="uniform")
    assert places[20, 20] == 100.0  # the second point is 300 m away
    assert places[20, 22] == 150.0  # 200 m and 100 m away
    assert places[20, 26] == 0.0


def test_slope_of_planes():
    x = np.arange(8) * 30.0
    gentle = np.tile(0.1 * x, (6, 1))
    steep = np.tile(x, (6, 1))
    assert np.allclose(slope_degrees(gentle, 30.0)[1:-1, 1:-1], math.degrees(math.atan(0.1)))
    assert np.allclose(slope_degrees(steep, 30.0)[1:-1, 1:-1], 45.0)
    assert np.isnan(slope_degrees(steep, 30.0)[0]).all()


def test_distance_to_cells_is_euclidean_and_capped():
    targets = np.zeros((10, 10), dtype=bool)
    targets[0, 0] = True
    distance = distance_to_cells(targets, 10.0, cap=60.0)
    assert distance[3, 4] == pytest.approx(50.0)
    assert distance[9, 9] == 60.0
    assert np.all(distance_to_cells(np.zeros((3, 3), bool), 10.0, 60.0) == 60.0)


def test_height_above_river():
    dem = np.arange(6, dtype=np.float32)[:, None].repeat(4, axis=1) + 100.0  # 1 m higher per row
    river = np.zeros(dem.shape, dtype=bool)
    river[0, :] = True
    height = height_above_river(dem, river, 10.0, search=35.0)
    assert np.allclose(height[:4, 0], [0, 1, 2, 3])
    assert np.isinf(height[4:, 0]).all()  # 40 m and 50 m from the river


def test_travel_minutes_uniform_and_mixed_speeds():
    speed = np.full((4, 4), 60.0)  # 1 km per minute on 1 km cells
    sources = np.zeros((4, 4), dtype=bool)
    sources[0, 0] = True
    minutes = travel_minutes(speed, 1000.0, sources)
    assert minutes[0, 3] == pytest.approx(3.0)
    assert minutes[3, 3] == pytest.approx(3 * math.sqrt(2))
    speed[0, 1] = 30.0  # 60 → 30 km/h: half a cell at each pace, 0.5 + 1 = 1.5 min
    assert travel_minutes(speed, 1000.0, sources)[0, 1] == pytest.approx(1.5)


def test_grid_is_aligned_to_cell_multiples_and_blocks_cover_it():
    g = grid_for_bounds((1030.0, 2010.0, 1990.0, 2550.0), 100.0, CRS)
    assert g.bounds == (1000.0, 2000.0, 2000.0, 2600.0) and g.shape == (6, 10)
    covered = np.zeros(g.shape, int)
    for w in blocks(g, 4):
        covered[w.row_off:w.row_off + w.height, w.col_off:w.col_off + w.width] += 1
    assert (covered == 1).all()


def test_geographic_crs_is_refused():
    with pytest.raises(InputError) as error:
        metric_crs("EPSG:4490")
    assert "metres" in error.value.en and "EPSG:4511" in error.value.zh
