"""Prevention zoning (综合防治区划): 重点 key / 次重点 secondary / 一般 general.

The rule (county practice, see docs/risk_zoning.md; thresholds in the model file):
- key (3): risk class ≥ ``key_min_class`` (中高, 高); or class = ``secondary_class`` (中)
  together with low capacity (score < ``low_capacity``) or a dense cluster of hazard
  sites (site-density score ≥ ``dense_sites``);
- secondary (2): the remaining class-中 cells;
- general (1): the rest; 0 outside the area.
"""
from __future__ import annotations

import numpy as np

from .model import PreventionSpec

GENERAL, SECONDARY, KEY = 1, 2, 3


def prevention_zones(risk_class: np.ndarray, capacity: np.ndarray, site_density: np.ndarray,
                     rule: PreventionSpec) -> np.ndarray:
    """Zone 1..3 (uint8) per cell from the risk class (0 = outside) and 0–1 scores."""
    zone = np.where(risk_class > 0, GENERAL, 0).astype(np.uint8)
    medium = risk_class == rule.secondary_class
    aggravated = (capacity < rule.low_capacity) | (site_density >= rule.dense_sites)
    zone[medium] = SECONDARY
    zone[(risk_class >= rule.key_min_class) | (medium & aggravated)] = KEY
    return zone
