"""Combination rules, single-hazard risk, weight sharing and prevention zoning by hand;
monotonicity (more hazard never lowers risk) as a property."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hunchun_risk_plugin.core.risk.combine import combine, renormalised, single_hazard_risk, with_floor
from hunchun_risk_plugin.core.risk.model import PreventionSpec
from hunchun_risk_plugin.core.risk.prevention import prevention_zones


def arrays(*values):
    return [np.array([v], dtype=np.float32) for v in values]


def test_weighted_sum_maximum_geometric_mean():
    layers = arrays(0.2, 0.6)
    assert combine(layers, [0.25, 0.75], "weighted_sum")[0] == pytest.approx(0.5)
    assert combine(layers, [0.25, 0.75], "maximum")[0] == pytest.approx(0.6)
    # 0.2^0.25 · 0.6^0.75 = exp(0.25·ln 0.2 + 0.75·ln 0.6) = exp(−0.78548) = 0.45590
    assert combine(layers, [0.25, 0.75], "geometric_mean")[0] == pytest.approx(0.45590, abs=1e-4)
    assert combine(arrays(0.0, 0.9), [0.5, 0.5], "geometric_mean")[0] == 0.0  # no compensation


def test_maximum_ignores_zero_weight_and_nan_propagates():
    assert combine(arrays(0.9, 0.3), [0.0, 1.0], "maximum")[0] == pytest.approx(0.3)
    assert np.isnan(combine(arrays(np.nan, 0.3), [0.5, 0.5], "weighted_sum")[0])
    assert np.isnan(combine(arrays(np.nan, 0.3), [0.5, 0.5], "maximum")[0])


def test_single_hazard_risk_and_floor():
    h, e, v, c = arrays(0.5, 0.8, 0.5, 0.5)
    assert single_hazard_risk(h, e, v, c, alpha=0.4)[0] == pytest.approx(0.16)  # 0.5·0.8·0.5·0.8
    assert with_floor(np.array([0.0, 1.0, 0.5]), 0.2) == pytest.approx([0.2, 1.0, 0.6])


def test_missing_weight_is_shared_in_proportion():
    assert renormalised({"a": 0.45, "b": 0.40, "c": 0.15},
                        ["b", "c"]) == pytest.approx({"b": 0.40 / 0.55, "c": 0.15 / 0.55})


def test_prevention_rule_by_hand():
    rule = PreventionSpec(key_min_class=4, secondary_class=3, low_capacity=0.3, dense_sites=0.5)
    risk_class = np.array([0, 1, 2, 3, 3, 3, 4, 5, 2], dtype=np.uint8)
    capacity = np.array([0.9, 0.9, 0.1, 0.9, 0.1, 0.9, 0.9, 0.9, 0.9], dtype=np.float32)
    sites = np.array([0.0, 0.0, 0.9, 0.0, 0.0, 0.6, 0.0, 0.0, 0.0], dtype=np.float32)
    assert prevention_zones(risk_class, capacity, sites, rule).tolist() == [0, 1, 1, 2, 3, 3, 3, 3, 1]


unit = st.floats(0.0, 1.0, allow_nan=False, width=32)


@settings(max_examples=300, deadline=None)
@given(hazards=st.lists(st.lists(unit, min_size=2, max_size=2), min_size=2, max_size=4),
       weights=st.lists(st.floats(0.05, 1.0), min_size=4, max_size=4),
       e=unit, v=unit, c=unit, rule=st.sampled_from(["weighted_sum", "maximum", "geometric_mean"]),
       which=st.integers(0, 7), increase=st.floats(0.0, 1.0))
def test_more_hazard_never_lowers_risk(hazards, weights, e, v, c, rule, which, increase):
    """Raise one factor of one hazard: the composite (by any rule at both levels) never falls."""
    def composite(factor_values):
        risks = []
        for factors in factor_values:
            h = combine(arrays(*factors), [0.6, 0.4], rule)
            risks.append(single_hazard_risk(h, *arrays(e, v, c), alpha=0.4))
        w = weights[:len(risks)]
        return combine(risks, [x / sum(w) for x in w], rule)[0]

    before = composite(hazards)
    h, f = (which // 2) % len(hazards), which % 2
    raised = [list(row) for row in hazards]
    raised[h][f] = min(1.0, raised[h][f] + increase)
    assert composite(raised) >= before - 1e-6
