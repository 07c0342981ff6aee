"""Capacity-constrained assignment: hand-worked optimum, greedy fallback, brute force."""
from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from hunchun_risk_plugin.core.routing.assignment import GREEDY, MIN_COST, NEAREST, assign


def total_cost(result, time) -> float:
    return float(sum(p * time[o, s] for o, s, p in zip(result.origin, result.shelter, result.people)))


def test_nearest_is_kept_when_it_fits():
    time = np.array([[60.0, 600.0], [120.0, 60.0]])
    result = assign(np.array([10, 10]), np.array([10, 10]), time, nearest=np.array([0, 1]))
    assert result.method == NEAREST
    assert sorted(zip(result.origin, result.shelter, result.people)) == [(0, 0, 10), (1, 1, 10)]


def test_min_cost_beats_the_greedy_order_where_greedy_is_wrong():
    # O1: S1 1 min, S2 10 min; O2: S1 0.5 min, S2 2 min; S1 holds 100.
    # Greedy fills S1 with O2 first (0.5) and sends O1 to S2: 100·0.5 + 100·10 = 1050 person-min.
    # Optimum: O1 -> S1, O2 -> S2: 100·1 + 100·2 = 300 person-min.
    time = np.array([[60.0, 600.0], [30.0, 120.0]])
    population, capacity = np.array([100, 100]), np.array([100, 1000])
    optimal = assign(population, capacity, time, nearest=np.array([0, 0]))
    greedy = assign(population, capacity, time, nearest=np.array([0, 0]), max_lp_pairs=0)
    assert optimal.method == MIN_COST and greedy.method == GREEDY
    assert total_cost(optimal, time) / 60 == 300
    assert total_cost(greedy, time) / 60 == 1050


def test_unreachable_pairs_are_never_used_and_leftovers_are_unplaced():
    time = np.array([[60.0, np.inf], [np.inf, np.inf]])
    result = assign(np.array([50, 40]), np.array([30, 100]), time)
    assert list(zip(result.origin, result.shelter, result.people)) == [(0, 0, 30)]
    assert result.unplaced.tolist() == [20, 40]


def brute_force(population, capacity, time):
    """Fewest unplaced first, then least person-time, by trying every integral split."""
    best = None
    choices = [range(p + 1) for p in population for _ in capacity]
    for flat in itertools.product(*choices):
        x = np.array(flat).reshape(len(population), len(capacity))
        if (x.sum(axis=1) > population).any() or (x.sum(axis=0) > capacity).any():
            continue
        if (x > 0)[~np.isfinite(time)].any():
            continue
        unplaced = int(population.sum() - x.sum())
        cost = float(np.where(x > 0, x * np.where(np.isfinite(time), time, 0), 0).sum())
        key = (unplaced, round(cost, 6))
        best = key if best is None or key < best else best
    return best


@settings(max_examples=40, deadline=None)
@given(
    population=st.lists(st.integers(0, 3), min_size=1, max_size=3),
    capacity=st.lists(st.integers(0, 3), min_size=1, max_size=2),
    data=st.data(),
)
def test_min_cost_matches_brute_force_on_tiny_instances(population, capacity, data):
    population, capacity = np.array(population), np.array(capacity)
    values = data.draw(st.lists(st.one_of(st.integers(1, 9).map(float), st.just(np.inf)),
                                min_size=len(population) * len(capacity), max_size=len(population) * len(capacity)))
    time = np.array(values).reshape(len(population), len(capacity))
    result = assign(population, capacity, time)
    placed_per_origin = np.bincount(result.origin, weights=result.people, minlength=len(population))
    assert (placed_per_origin + result.unplaced == population).all()
    assert (np.bincount(result.shelter, weights=result.people, minlength=len(capacity)) <= capacity).all()
    assert (int(result.unplaced.sum()), round(total_cost(result, time), 6)) == brute_force(population, capacity, time)
