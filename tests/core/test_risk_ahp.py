"""AHP weights and consistency against Saaty's published example and exact cases."""
from __future__ import annotations

import pytest

from hunchun_risk_plugin.core.errors import InputError
from hunchun_risk_plugin.core.risk.ahp import ahp_analysis, ahp_weights, random_index_table

# Saaty (1990), "How to make a decision: the AHP", EJOR 48: relative visual brightness
# of four chairs lit by one light. Published: eigenvector (0.61, 0.24, 0.10, 0.05),
# λmax = 4.39, CI = 0.13, CR = 0.14.
SAATY_LIGHT = [[1, 5, 6, 7], [1 / 5, 1, 4, 6], [1 / 6, 1 / 4, 1, 4], [1 / 7, 1 / 6, 1 / 4, 1]]


def test_saaty_light_example():
    result = ahp_analysis(SAATY_LIGHT)
    assert result.weights == pytest.approx((0.61, 0.24, 0.10, 0.05), abs=0.01)
    assert result.lambda_max == pytest.approx(4.39, abs=0.005)
    assert result.ci == pytest.approx(0.13, abs=0.005)
    assert result.cr == pytest.approx(0.14, abs=0.01)


def test_cr_at_or_above_limit_is_refused():
    with pytest.raises(InputError) as error:
        ahp_weights(SAATY_LIGHT, "hazards")
    assert "CR = 0.14" in error.value.en and "0.1" in error.value.en and "一致性" in error.value.zh


def test_consistent_matrix_gives_exact_weights_and_zero_cr():
    # a_ij = w_i / w_j with w = (4, 2, 1)/7
    result = ahp_weights([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]])
    assert result.weights == pytest.approx((4 / 7, 2 / 7, 1 / 7))
    assert result.lambda_max == pytest.approx(3.0) and result.cr == pytest.approx(0.0, abs=1e-9)


def test_three_by_three_closed_form():
    # For n = 3 the eigenvector is the normalised row geometric means, and
    # λmax = 1 + r^(1/3) + r^(−1/3) with r = a13 / (a12·a23).
    # a12 = a23 = a13 = 2: rows' geometric means 4^(1/3), 1, 4^(−1/3) → 1.5874, 1, 0.62996;
    # λmax = 1 + 0.5^(1/3) + 2^(1/3) = 3.05362, CI = 0.02681, CR = 0.02681 / 0.58 = 0.04623.
    result = ahp_weights([[1, 2, 2], [1 / 2, 1, 2], [1 / 2, 1 / 2, 1]])
    total = 1.5874 + 1 + 0.62996
    assert result.weights == pytest.approx((1.5874 / total, 1 / total, 0.62996 / total), abs=1e-4)
    assert result.lambda_max == pytest.approx(3.05362, abs=1e-4)
    assert result.cr == pytest.approx(0.04623, abs=1e-4)


def test_random_index_table_is_saatys():
    assert [random_index_table()[n] for n in range(3, 11)] == [0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49]


def test_non_reciprocal_matrix_is_refused():
    with pytest.raises(InputError) as error:
        ahp_weights([[1, 3], [3, 1]])
    assert "reciprocal" in error.value.en
