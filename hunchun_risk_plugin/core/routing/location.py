"""Where to add shelters: a capacitated maximal covering location problem.

Demand: the evacuees of each origin the plan cannot place within the standard (not
placed, or placed beyond it), by priority. Candidates: sites that could become a
shelter; candidate c *covers* origin d when the route d -> c meets the standard of the
proposed shelter kind (distance, and walking time when walking).

Variables y[c] ∈ {0, 1} (open c) and z[d, c] ≥ 0 whole people of d taken by c, for
covering pairs only::

    Σ_c y[c] ≤ max_new
    Σ_c z[d, c] ≤ demand[d]
    z[d, c] ≤ demand[d] · y[c]              (only an opened site takes anyone)
    Σ_d z[d, c] ≤ capacity[c] · y[c]        (where the candidate has a capacity)

lexicographic (``lexicographic``): most priority-1 people covered, then priority 2 …,
then the fewest new sites, then the fewest person-metres. The needed capacity of an
opened site is what it takes. Solved with ``scipy.optimize.milp`` (HiGHS), which the
plugin already needs, rather than PySAL's spopt: spopt's MCLP has neither priorities
nor capacities, and it would be one more dependency for every QGIS install.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import LinearConstraint

from .lexicographic import Stage, solve_lexicographic


@dataclass
class Proposal:
    sites: np.ndarray    # (k,) candidate indexes opened
    demand: np.ndarray   # (f,) demand row of each flow
    site: np.ndarray     # (f,) candidate index of each flow
    people: np.ndarray   # (f,) int64
    solved: bool


def propose_sites(
    demand: np.ndarray,
    priority: np.ndarray,
    covers: np.ndarray,
    distance_m: np.ndarray,
    max_new: int,
    capacity: np.ndarray | None = None,
) -> Proposal:
    """Open up to ``max_new`` of the candidates (columns of ``covers`` (d, c)) to take
    the most ``demand`` (d,) by ``priority`` (d,), see the module doc. ``capacity``
    (c,): inf or NaN = as much as needed."""
    demand = np.maximum(np.asarray(demand, dtype=np.int64), 0)
    covers = np.asarray(covers, dtype=bool) & (demand[:, None] > 0)
    useful = np.flatnonzero(covers.any(axis=0))
    empty = Proposal(np.zeros(0, dtype=np.int64), *(np.zeros(0, dtype=np.int64) for _ in range(3)), True)
    if max_new <= 0 or len(useful) == 0:
        return empty
    pairs = np.argwhere(covers[:, useful])
    d, c = pairs[:, 0], pairs[:, 1]
    k, n = len(useful), len(pairs)
    cap = np.full(k, np.inf) if capacity is None else np.asarray(capacity, dtype=float)[useful]
    cap = np.where(np.isfinite(cap) & (cap >= 0), cap, np.inf)
    # Columns: y (k) then z (n).
    ones_y = sparse.csr_matrix(np.ones((1, k + n)) * np.r_[np.ones(k), np.zeros(n)])
    taken = sparse.csr_matrix((np.ones(n), (d, k + np.arange(n))), shape=(len(demand), k + n))
    link_bound = np.minimum(demand[d], np.where(np.isfinite(cap[c]), cap[c], demand[d])).astype(float)
    link = sparse.csr_matrix((np.r_[np.ones(n), -link_bound], (np.r_[np.arange(n), np.arange(n)],
                                                                  np.r_[k + np.arange(n), c])), shape=(n, k + n))
    constraints = [LinearConstraint(ones_y, -np.inf, float(max_new)),
                   LinearConstraint(taken, -np.inf, demand.astype(float)),
                   LinearConstraint(link, -np.inf, 0.0)]
    finite = np.flatnonzero(np.isfinite(cap))
    if len(finite):
        rows = np.isin(c, finite)
        site_row = np.searchsorted(finite, c[rows])
        fill = sparse.csr_matrix((np.r_[np.ones(rows.sum()), -cap[finite]],
                                  (np.r_[site_row, np.arange(len(finite))], np.r_[k + np.flatnonzero(rows), finite])),
                                 shape=(len(finite), k + n))
        constraints.append(LinearConstraint(fill, -np.inf, 0.0))
    stages = [Stage(-np.r_[np.zeros(k), (priority[d] == p).astype(float)]) for p in np.unique(priority[d])]
    stages.append(Stage(np.r_[np.ones(k), np.zeros(n)]))
    stages.append(Stage(np.r_[np.zeros(k), distance_m[d, useful[c]] / 1000.0]))
    upper = np.r_[np.ones(k), demand[d].astype(float)]
    x = solve_lexicographic(stages, constraints, upper, np.ones(k + n))
    if x is None:
        return Proposal(*(empty.sites for _ in range(4)), False)
    opened = np.rint(x[:k]).astype(bool)
    flows = np.rint(x[k:]).astype(np.int64)
    keep = flows > 0
    return Proposal(useful[opened & np.isin(np.arange(k), c[keep])], d[keep], useful[c[keep]], flows[keep], True)
