"""Lexicographic (pre-emptive) optimisation with ``scipy.optimize.milp`` (HiGHS).

Objectives are minimised one after the other; after each, its optimum becomes a
constraint (within ``slack``) for the next, so a later objective can never worsen an
earlier one. ``mip_rel_gap = 0`` makes HiGHS prove every stage optimal. One solve per
stage rather than one weighted sum: weights large enough to be exact would be huge
next to person-minutes and ruin the solver's numerics.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp


@dataclass(frozen=True)
class Stage:
    cost: np.ndarray      # (n,) minimised
    slack: float = 0.5    # whole-number objectives keep their optimum exactly with 0.5


def solve_lexicographic(
    stages: list[Stage],
    constraints: list[LinearConstraint],
    upper: np.ndarray,
    integrality: np.ndarray,
    time_limit_s: float = 120.0,
) -> np.ndarray | None:
    """The optimum of the last stage among the optima of the earlier ones, or None
    when a solve fails (infeasible, out of time)."""
    kept = list(constraints)
    bounds = Bounds(np.zeros(len(upper)), np.asarray(upper, dtype=float))
    x = None
    for number, stage in enumerate(stages):
        if not np.any(stage.cost) and x is not None:
            continue
        result = milp(stage.cost, constraints=kept, integrality=integrality, bounds=bounds,
                      options={"mip_rel_gap": 0.0, "time_limit": time_limit_s, "presolve": True})
        if result.status != 0 or result.x is None:
            return None
        x = result.x
        if number < len(stages) - 1 and np.any(stage.cost):
            row = sparse.csr_matrix(stage.cost[None, :])
            kept.append(LinearConstraint(row, -np.inf, float(result.fun) + stage.slack))
    return x
