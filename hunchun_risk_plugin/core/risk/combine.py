"""Combination rules over aligned 0–1 score arrays, and the single-hazard risk.

All work on one block at a time; NaN (outside the area) propagates.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def weighted_sum(layers: Sequence[np.ndarray], weights: Sequence[float]) -> np.ndarray:
    """Σ wᵢ·xᵢ, accumulated in place in float32 (weights already sum to 1)."""
    total = np.multiply(layers[0], np.float32(weights[0]), dtype=np.float32)
    scratch = np.empty_like(total)
    for layer, weight in zip(layers[1:], weights[1:]):
        np.multiply(layer, np.float32(weight), out=scratch)
        total += scratch
    return total


def maximum(layers: Sequence[np.ndarray], weights: Sequence[float]) -> np.ndarray:
    """The largest score among layers with a positive weight (the conservative rule:
    a cell is as risky as its worst hazard; weights only select)."""
    chosen = [layer for layer, weight in zip(layers, weights) if weight > 0]
    total = np.array(chosen[0], dtype=np.float32, copy=True)
    for layer in chosen[1:]:
        np.maximum(total, layer, out=total)  # np.maximum propagates NaN
    return total


def geometric_mean(layers: Sequence[np.ndarray], weights: Sequence[float]) -> np.ndarray:
    """Weighted geometric mean Π xᵢ^wᵢ (INFORM-style): one score near 0 pulls the result
    down, so a factor cannot be compensated by the others."""
    total = np.ones(layers[0].shape, dtype=np.float32)
    for layer, weight in zip(layers, weights):
        if weight > 0:
            total *= np.power(np.clip(layer, 0.0, 1.0), np.float32(weight), dtype=np.float32)
    return total


RULES = {"weighted_sum": weighted_sum, "maximum": maximum, "geometric_mean": geometric_mean}


def combine(layers: Sequence[np.ndarray], weights: Sequence[float], rule: str) -> np.ndarray:
    """Combine score layers by ``rule`` (weighted_sum | maximum | geometric_mean)."""
    if len(layers) != len(weights) or not layers:
        raise ValueError("layers and weights must be non-empty and of equal length")
    return RULES[rule](layers, weights)


def renormalised(weights: dict[str, float], present: Sequence[str]) -> dict[str, float]:
    """The weights of the ``present`` entries, rescaled to sum to 1: a missing factor's
    weight is shared among the others in proportion to their own weights."""
    total = sum(weights[name] for name in present)
    if total <= 0:
        return {name: 1.0 / len(present) for name in present} if present else {}
    return {name: weights[name] / total for name in present}


def with_floor(score: np.ndarray, floor: float) -> np.ndarray:
    """floor + (1 − floor)·score: a component that should never reach 0 (every cell
    holds some exposed land and assets)."""
    return score if floor <= 0 else np.float32(floor) + np.float32(1.0 - floor) * score


def single_hazard_risk(hazard: np.ndarray, exposure: np.ndarray, vulnerability: np.ndarray,
                       capacity: np.ndarray, alpha: float) -> np.ndarray:
    """R = H · E · V · (1 − α·C): capacity lessens risk by at most the share α."""
    return hazard * exposure * vulnerability * (np.float32(1.0) - np.float32(alpha) * capacity)
