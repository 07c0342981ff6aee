"""Affine arithmetic without the operators that differ between affine 2.x and 3.x."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
from affine import Affine
from rasterio.windows import Window
from rasterio.windows import transform as window_transform

from hunchun_risk_plugin.core.affine_ops import apply, shifted

NORTH_UP = Affine(25.0, 0.0, 1000.0, 0.0, -25.0, 5000.0)


def test_apply_maps_col_row_to_the_corner_worked_out_by_hand():
    # column 4 -> 1000 + 4*25 = 1100; row 3 -> 5000 - 3*25 = 4925
    assert apply(NORTH_UP, 4, 3) == (1100.0, 4925.0)
    x, y = apply(NORTH_UP, np.array([0.0, 2.5]), np.array([0.0, 1.0]))
    np.testing.assert_allclose(x, [1000.0, 1062.5])
    np.testing.assert_allclose(y, [5000.0, 4975.0])


def test_apply_of_the_inverse_goes_back():
    col, row = apply(~NORTH_UP, 1100.0, 4925.0)
    assert (col, row) == pytest.approx((4.0, 3.0))


@pytest.mark.parametrize("col, row", [(0, 0), (4, 3), (-2, 7)])
def test_shifted_is_rasterio_window_transform(col, row):
    rotated = Affine(20.0, 3.0, -500.0, 2.0, -18.0, 800.0)
    for transform in (NORTH_UP, rotated):
        with warnings.catch_warnings():  # rasterio composes with `*`, which affine 3 flags
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            expected = window_transform(Window(col, row, 10, 10), transform)
        assert tuple(shifted(transform, col, row)) == pytest.approx(tuple(expected))
