"""Capacity-constrained assignment of origins' population to shelters.

1. If every origin's nearest shelter has room for all who choose it, that is the
   answer (it is also the optimum below).
2. Otherwise solve the transportation problem exactly as a linear program (HiGHS via
   ``scipy.optimize.linprog``): variables x[o, s] ≥ 0 people of origin o sent to
   shelter s for every pair with a finite travel time, and a slack u[o] ≥ 0 for
   people who fit nowhere;

       minimise   Σ time[o, s] · x[o, s]  +  M · Σ u[o]
       subject to Σ_s x[o, s] + u[o] = population[o]      (everyone counted)
                  Σ_o x[o, s] ≤ capacity[s]                (no shelter overfilled)

   Total person-minutes are minimised, so overflow goes to the next-nearest shelter
   with room and an origin may be split. M exceeds (shelters + 1) × the longest
   time, which makes placing one more person always worth more than any re-routing
   it causes (an augmenting path visits each shelter once), so the fewest people
   are left out. The constraint matrix is totally unimodular: with whole
   populations and capacities the simplex vertex returned is integral.
3. Above ``max_lp_pairs`` pairs, or if the solver fails, a greedy fallback: all
   (origin, shelter) pairs by increasing time, each taking as many people as both
   sides still allow. Fast and simple, but not optimal.

With a scenario, ``assign_by_priority`` places people by rank instead (rank 0 first:
priority 1's vulnerable, then priority 1's others, then priority 2 …), lexicographic:
for each rank in turn, as many people as possible within their shelter kind's
standard, then as many as possible at all; last the fewest person-minutes. Each stage
is an integer program solved to proven optimality (``lexicographic``); the side
constraints that fix earlier stages break total unimodularity, hence the MILP.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import LinearConstraint, linprog

from .lexicographic import Stage, solve_lexicographic

NEAREST, MIN_COST, GREEDY = "nearest", "min_cost_lp", "greedy"
BY_PRIORITY, BY_PRIORITY_GREEDY = "priority_milp", "priority_greedy"


@dataclass
class Assignment:
    origin: np.ndarray     # (f,) one row per flow
    shelter: np.ndarray    # (f,)
    people: np.ndarray     # (f,) int64 > 0
    unplaced: np.ndarray   # (o,) int64 people of each origin placed nowhere
    method: str


def assign(
    population: np.ndarray,
    capacity: np.ndarray,
    time: np.ndarray,
    nearest: np.ndarray | None = None,
    max_lp_pairs: int = 2_000_000,
) -> Assignment:
    """Assign ``population`` (o,) to shelters of ``capacity`` (s,) given ``time`` (o, s)
    (inf where unreachable); ``nearest`` (o,) is each origin's nearest shelter or -1."""
    population = np.asarray(population, dtype=np.int64)
    capacity = np.asarray(capacity, dtype=np.int64)
    if nearest is not None:
        fit = _nearest_if_it_fits(population, capacity, nearest)
        if fit is not None:
            return fit
    pairs = np.argwhere(np.isfinite(time) & (population[:, None] > 0) & (capacity[None, :] > 0))
    if len(pairs) <= max_lp_pairs:
        solved = _min_cost(population, capacity, time, pairs)
        if solved is not None:
            return solved
    return _greedy(population, capacity, time, pairs)


def _nearest_if_it_fits(population, capacity, nearest) -> Assignment | None:
    reached = (nearest >= 0) & (population > 0)
    load = np.bincount(nearest[reached], weights=population[reached], minlength=len(capacity))
    if np.any(load > capacity):
        return None
    origins = np.flatnonzero(reached)
    unplaced = np.where(reached, 0, np.maximum(population, 0))
    return Assignment(origins, nearest[origins], population[origins], unplaced, NEAREST)


def _min_cost(population, capacity, time, pairs) -> Assignment | None:
    n_origins, n_shelters = len(population), len(capacity)
    n_pairs = len(pairs)
    pair_cost = time[pairs[:, 0], pairs[:, 1]] / 60.0  # minutes keep the numbers small
    big_m = (n_shelters + 1) * (pair_cost.max() if n_pairs else 1.0) + 1.0
    cost = np.concatenate([pair_cost, np.full(n_origins, big_m)])
    columns = np.arange(n_pairs)
    demand_rows = sparse.coo_matrix(
        (np.ones(n_pairs + n_origins), (np.concatenate([pairs[:, 0], np.arange(n_origins)]),
                                        np.concatenate([columns, n_pairs + np.arange(n_origins)]))),
        shape=(n_origins, n_pairs + n_origins),
    ).tocsr()
    capacity_rows = sparse.coo_matrix(
        (np.ones(n_pairs), (pairs[:, 1], columns)), shape=(n_shelters, n_pairs + n_origins)
    ).tocsr()
    result = linprog(
        cost, A_ub=capacity_rows, b_ub=capacity.astype(float), A_eq=demand_rows,
        b_eq=np.maximum(population, 0).astype(float), bounds=(0, None), method="highs-ds",
    )
    if result.status != 0:
        return None
    people = np.rint(result.x[:n_pairs]).astype(np.int64)
    people = _repair_overfill(people, pairs[:, 1], capacity)
    placed = np.bincount(pairs[:, 0], weights=people, minlength=n_origins).astype(np.int64)
    keep = people > 0
    return Assignment(pairs[keep, 0], pairs[keep, 1], people[keep], np.maximum(population, 0) - placed, MIN_COST)


def _repair_overfill(people: np.ndarray, shelter: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Guard against rounding: trim flows of any shelter over capacity (normally a no-op)."""
    load = np.bincount(shelter, weights=people, minlength=len(capacity))
    for s in np.flatnonzero(load > capacity):
        excess = int(load[s] - capacity[s])
        for flow in np.flatnonzero((shelter == s) & (people > 0))[::-1]:
            cut = min(excess, int(people[flow]))
            people[flow] -= cut
            excess -= cut
            if excess == 0:
                break
    return people


def _greedy(population, capacity, time, pairs) -> Assignment:
    left = np.maximum(population, 0).copy()
    room = capacity.copy()
    order = np.argsort(time[pairs[:, 0], pairs[:, 1]], kind="stable")
    origins, shelters, people = [], [], []
    for o, s in pairs[order]:
        if left[o] == 0 or room[s] == 0:
            continue
        moved = min(left[o], room[s])
        left[o] -= moved
        room[s] -= moved
        origins.append(o)
        shelters.append(s)
        people.append(moved)
    return Assignment(np.array(origins, dtype=np.int64), np.array(shelters, dtype=np.int64),
                      np.array(people, dtype=np.int64), left, GREEDY)


def assign_by_priority(
    people: np.ndarray,
    rank: np.ndarray,
    capacity: np.ndarray,
    time: np.ndarray,
    within: np.ndarray,
    max_pairs: int = 200_000,
) -> Assignment:
    """Assign ``people`` (d,) of demand rows with ``rank`` (d,) (0 = first) to shelters
    of ``capacity`` (s,); ``time`` (d, s) routing cost (inf = unreachable), ``within``
    (d, s) True where the pair meets the shelter kind's standard (see the module doc).
    ``origin`` of the result indexes the demand rows."""
    people = np.maximum(np.asarray(people, dtype=np.int64), 0)
    capacity = np.maximum(np.asarray(capacity, dtype=np.int64), 0)
    rank = np.asarray(rank, dtype=np.int64)
    pairs = np.argwhere(np.isfinite(time) & (people[:, None] > 0) & (capacity[None, :] > 0))
    if 0 < len(pairs) <= max_pairs:
        x = _priority_milp(people, rank, capacity, time, within, pairs)
        if x is not None:
            return _from_flows(pairs, x, people, BY_PRIORITY)
    return _priority_greedy(people, rank, capacity, time, within, pairs)


def _priority_milp(people, rank, capacity, time, within, pairs) -> np.ndarray | None:
    n = len(pairs)
    d, s = pairs[:, 0], pairs[:, 1]
    columns = np.arange(n)
    demand = sparse.csr_matrix((np.ones(n), (d, columns)), shape=(len(people), n))
    room = sparse.csr_matrix((np.ones(n), (s, columns)), shape=(len(capacity), n))
    constraints = [LinearConstraint(demand, -np.inf, people.astype(float)),
                   LinearConstraint(room, -np.inf, capacity.astype(float))]
    pair_rank, pair_within = rank[d], within[d, s]
    stages = []
    for r in np.unique(pair_rank):
        stages.append(Stage(-((pair_rank == r) & pair_within).astype(float)))
        stages.append(Stage(-(pair_rank == r).astype(float)))
    stages.append(Stage(time[d, s] / 60.0))  # person-minutes last
    upper = np.minimum(people[d], capacity[s]).astype(float)
    x = solve_lexicographic(stages, constraints, upper, np.ones(n))
    if x is None:
        return None
    flows = np.rint(x).astype(np.int64)
    return _repair_overfill(flows, s, capacity)


def _from_flows(pairs, flows, people, method) -> Assignment:
    placed = np.bincount(pairs[:, 0], weights=flows, minlength=len(people)).astype(np.int64)
    keep = flows > 0
    return Assignment(pairs[keep, 0], pairs[keep, 1], flows[keep], people - placed, method)


def _priority_greedy(people, rank, capacity, time, within, pairs) -> Assignment:
    """Rank by rank, pairs within the standard first, each by increasing time."""
    left, room = people.copy(), capacity.copy()
    flows = np.zeros(len(pairs), dtype=np.int64)
    if len(pairs):
        d, s = pairs[:, 0], pairs[:, 1]
        order = np.lexsort((time[d, s], ~within[d, s], rank[d]))
        for p in order:
            moved = min(left[d[p]], room[s[p]])
            if moved > 0:
                flows[p] += moved
                left[d[p]] -= moved
                room[s[p]] -= moved
    return _from_flows(pairs.reshape(-1, 2), flows, people, BY_PRIORITY_GREEDY)
