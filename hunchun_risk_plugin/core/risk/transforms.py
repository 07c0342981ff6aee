"""Transforms: raw factor values (metres, people/km², g, degrees…) to a 0–1 score.

Each is a plain vectorised function; NaN stays NaN (outside the area or no data).
``apply_transform`` dispatches on the model's ``TransformSpec``.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .model import TransformSpec


def min_max(values: np.ndarray, low: float, high: float, invert: bool = False, log: bool = False) -> np.ndarray:
    """(x − low) / (high − low) clipped to 0..1; ``log`` scales log1p(x) instead (for
    heavy-tailed densities), ``invert`` returns 1 − score (more distance = less)."""
    x = np.log1p(np.maximum(values, 0)) if log else values
    lo, hi = (math.log1p(max(low, 0)), math.log1p(max(high, 0))) if log else (low, high)
    if hi <= lo:
        score = np.where(np.isnan(x), np.nan, np.where(x >= hi, 1.0, 0.0))
    else:
        score = np.clip((x - lo) / (hi - lo), 0.0, 1.0)
    score = score.astype(np.float32, copy=False)
    return 1.0 - score if invert else score


def reclass(values: np.ndarray, table: Sequence[Sequence[float]], default: float = 0.0) -> np.ndarray:
    """Class table rows ``[low, high, score]``: low ≤ x < high gets score; the first
    matching row wins; values in no row get ``default``; NaN stays NaN."""
    out = np.full(values.shape, default, dtype=np.float32)
    done = np.zeros(values.shape, dtype=bool)
    for low, high, score in table:
        hit = ~done & (values >= low) & (values < high)
        out[hit] = score
        done |= hit
    out[np.isnan(values)] = np.nan
    return out


def distance_decay(distance: np.ndarray, function: str, scale_m: float, max_m: float) -> np.ndarray:
    """Score 1 at distance 0 falling with distance, 0 from ``max_m`` on.

    ``exponential``: exp(−d / scale_m); ``linear``: 1 − d / max_m;
    ``gaussian``: exp(−d² / (2 scale_m²)).
    """
    d = np.asarray(distance, dtype=np.float32)
    if function == "exponential":
        score = np.exp(-d / scale_m)
    elif function == "gaussian":
        score = np.exp(-(d * d) / (2.0 * scale_m * scale_m))
    elif function == "linear":
        score = 1.0 - d / max_m
    else:  # the model parser refuses other names; this guards direct callers
        raise ValueError(f"unknown decay function {function!r}")
    score = np.where(d >= max_m, 0.0, score)
    return np.clip(score, 0.0, 1.0).astype(np.float32, copy=False)


def apply_transform(values: np.ndarray, spec: TransformSpec, observed: tuple[float, float] | None) -> np.ndarray:
    """The 0–1 score of raw ``values``; ``observed`` = (min, max) over the study area,
    used by min-max when the model gives no fixed bounds."""
    if spec.kind == "identity":
        return np.clip(values, 0.0, 1.0).astype(np.float32, copy=False)
    if spec.kind == "minmax":
        low = spec.low if spec.low is not None else (observed[0] if observed else 0.0)
        high = spec.high if spec.high is not None else (observed[1] if observed else 1.0)
        return min_max(values, low, high, spec.invert, spec.log)
    if spec.kind == "reclass":
        return reclass(values, spec.table, spec.default)
    if spec.kind == "distance_decay":
        return distance_decay(values, spec.function, spec.scale_m, spec.max_m)
    raise ValueError(f"unknown transform {spec.kind!r}")
