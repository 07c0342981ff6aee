"""Natural breaks against a published example and exhaustive search; quantiles, fixed
classes and the histogram path used on rasters."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from hunchun_risk_plugin.core.risk.classify import (
    Histogram,
    classify,
    histogram_jenks,
    histogram_quantiles,
    jenks_breaks,
    quantile_breaks,
)


def test_jenks_known_example():
    # The example of the `jenks` npm package (README): 3 classes → [0.5, 15, 45, 120]
    data = np.array([1, 2, 5, 15, 45, 89.3, 112, 31, 120, 0.5])
    assert jenks_breaks(data, 3) == [15.0, 45.0]


def brute_force(values, k):
    x = np.sort(values)
    best, best_cuts = np.inf, None
    for cuts in itertools.combinations(range(1, len(x)), k - 1):
        parts = np.split(x, cuts)
        cost = sum(((p - p.mean()) ** 2).sum() for p in parts)
        if cost < best - 1e-12:
            best, best_cuts = cost, cuts
    return [float(x[c - 1]) for c in best_cuts]


@pytest.mark.parametrize("seed", range(5))
def test_jenks_equals_exhaustive_search(seed):
    values = np.round(np.random.default_rng(seed).gamma(2.0, 1.0, size=11), 3)
    assert jenks_breaks(values, 3) == brute_force(values, 3)


def test_weighted_jenks_equals_repeated_values():
    values = np.array([1.0, 2.0, 6.0, 7.0, 20.0])
    counts = np.array([3, 1, 2, 2, 1])
    assert jenks_breaks(values, 3, counts.astype(float)) == jenks_breaks(np.repeat(values, counts), 3)


def test_histogram_jenks_separates_clusters():
    rng = np.random.default_rng(1)
    centres = [0.1, 0.3, 0.5, 0.7, 0.9]
    values = np.concatenate([rng.normal(c, 0.01, 1000) for c in centres])
    histogram = Histogram()
    for block in np.array_split(values, 7):
        histogram.add(block)
    breaks = histogram_jenks(histogram, 5)
    # each break is the top of a cluster: above its centre, below the next one
    for low, high, b in zip(centres, centres[1:], breaks):
        assert low + 0.02 < b < high - 0.1
    assert np.bincount(classify(values, breaks))[1:].tolist() == [1000] * 5


def test_quantiles():
    values = np.arange(1.0, 101.0)
    # numpy linear quantiles: position 99·p → 20.8, 40.6, 60.4, 80.2
    assert quantile_breaks(values, 5) == pytest.approx([20.8, 40.6, 60.4, 80.2])
    histogram = Histogram(0.0, 100.0, 100)
    histogram.add(values - 0.5)  # one value in each unit bin
    assert histogram_quantiles(histogram, 5) == pytest.approx([20.0, 40.0, 60.0, 80.0])


def test_classify_upper_bound_inclusive_and_nodata_zero():
    values = np.array([0.1, 0.2, 0.3, 0.9, np.nan])
    assert classify(values, [0.2, 0.4, 0.6, 0.8]).tolist() == [1, 1, 2, 5, 0]
