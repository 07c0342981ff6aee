"""Reproducible random placement of points: spaced draws and points inside polygons."""
from __future__ import annotations

import math

import numpy as np
import shapely


def pick_spaced(r: np.random.Generator, cand: np.ndarray, weights: np.ndarray, n: int, min_dist: float,
                taken: np.ndarray | None = None) -> np.ndarray:
    """Up to n candidate indices drawn by weight, at least min_dist from each other and
    from the already taken points."""
    if n <= 0 or len(cand) == 0:
        return np.zeros(0, dtype=np.int64)
    p = np.asarray(weights, float)
    p = p / p.sum()
    # Draw a shortlist once (far cheaper than redrawing after every rejection).
    size = min(len(cand), max(n * 40, 200))
    order = r.choice(len(cand), size=min(size, int(np.count_nonzero(p))), replace=False, p=p)
    chosen: list[int] = []
    placed = [] if taken is None else [tuple(t) for t in taken]
    for i in order:
        if placed:
            d = np.min(np.linalg.norm(np.asarray(placed) - cand[i], axis=1))
            if d < min_dist:
                continue
        chosen.append(int(i))
        placed.append(tuple(cand[i]))
        if len(chosen) == n:
            break
    return np.asarray(chosen, dtype=np.int64)


def random_point_in(r: np.random.Generator, poly: shapely.Geometry, taken: list[np.ndarray], spacing: float,
                    near: np.ndarray | None = None, radius: float = 0.0) -> np.ndarray:
    """A reproducible random point in poly (optionally within radius of near), at least
    spacing from taken points when possible (else the best of 400 tries)."""
    minx, miny, maxx, maxy = poly.bounds
    best, best_gap = None, -1.0
    for _ in range(400):
        if near is not None:
            angle, dist = r.uniform(0, 2 * np.pi), radius * math.sqrt(r.uniform(0.05, 1.0))
            p = near + dist * np.array([math.cos(angle), math.sin(angle)])
        else:
            p = np.array([r.uniform(minx, maxx), r.uniform(miny, maxy)])
        if not poly.contains(shapely.Point(p)):
            continue
        gap = min((float(np.linalg.norm(p - t)) for t in taken), default=1e9)
        if gap >= spacing:
            return p
        if gap > best_gap:
            best, best_gap = p, gap
    if best is None:
        return np.asarray(poly.representative_point().coords[0])
    return best
