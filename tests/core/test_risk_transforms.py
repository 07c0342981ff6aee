"""Each transform on tiny arrays against values worked out by hand."""
from __future__ import annotations

import math

import numpy as np
import pytest

from hunchun_risk_plugin.core.risk.model import TransformSpec
from hunchun_risk_plugin.core.risk.transforms import apply_transform, distance_decay, min_max, reclass


def test_min_max_scales_clips_and_inverts():
    x = np.array([-5.0, 0.0, 5.0, 10.0, 20.0, np.nan])
    assert np.allclose(min_max(x, 0, 10), [0, 0, 0.5, 1, 1, np.nan], equal_nan=True)
    assert np.allclose(min_max(x, 0, 10, invert=True), [1, 1, 0.5, 0, 0, np.nan], equal_nan=True)


def test_min_max_of_logarithm():
    # log1p of e−1 and e²−1 is 1 and 2: halfway and top of the range 0..2
    x = np.array([0.0, math.e - 1, math.e ** 2 - 1])
    assert np.allclose(min_max(x, 0, math.e ** 2 - 1, log=True), [0, 0.5, 1], atol=1e-6)


def test_min_max_uses_observed_range_without_fixed_bounds():
    spec = TransformSpec("minmax")
    assert np.allclose(apply_transform(np.array([2.0, 4.0, 6.0]), spec, (2.0, 6.0)), [0, 0.5, 1])
    fixed = TransformSpec("minmax", low=0.0, high=8.0)
    assert np.allclose(apply_transform(np.array([2.0, 4.0, 6.0]), fixed, (2.0, 6.0)), [0.25, 0.5, 0.75])


def test_reclass_first_row_wins_default_elsewhere_nan_kept():
    table = [[0, 10, 0.2], [10, 20, 0.8], [5, 30, 0.5]]
    x = np.array([5.0, 10.0, 19.99, 25.0, 40.0, np.nan])
    assert np.allclose(reclass(x, table, default=0.1), [0.2, 0.8, 0.8, 0.5, 0.1, np.nan], equal_nan=True)


def test_distance_decay_functions():
    d = np.array([0.0, 1000.0, 2000.0, 6000.0])
    assert np.allclose(distance_decay(d, "exponential", 1000, 5000), [1, 0.367879, 0.135335, 0], atol=1e-6)
    assert np.allclose(distance_decay(np.array([0.0, 500.0, 2000.0]), "linear", 1000, 2000), [1, 0.75, 0])
    assert distance_decay(np.array([1000.0]), "gaussian", 1000, 5000)[0] == pytest.approx(0.606531, abs=1e-6)


def test_identity_clips_to_unit_range():
    out = apply_transform(np.array([-0.5, 0.3, 1.7]), TransformSpec("identity"), None)
    assert np.allclose(out, [0, 0.3, 1])
