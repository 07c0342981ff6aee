"""The broad relief: heights the terrain is stretched to follow, from control points."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .facts import RELIEF_CONTROLS
from .geometry import xy_array


@dataclass
class ReliefModel:
    """The broad relief: a Gaussian-kernel interpolation of the control points."""

    controls: np.ndarray  # (n, 3) x, y, z
    sigma_m: float = 13000.0

    @classmethod
    def default(cls) -> ReliefModel:
        """The model of Hunchun's control points (facts.RELIEF_CONTROLS)."""
        arr = np.asarray(RELIEF_CONTROLS, dtype=float)
        return cls(np.column_stack([xy_array(arr[:, :2]), arr[:, 2]]))

    def base(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Broad height (m) at projected coordinates."""
        num = np.zeros(np.broadcast(x, y).shape)
        den = np.zeros_like(num)
        for cx, cy, cz in self.controls:
            w = np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * self.sigma_m**2)) + 1e-12
            num += w * cz
            den += w
        return num / den

    def base_at(self, point: Sequence[float]) -> float:
        """Broad height (m) at one projected point."""
        return float(self.base(np.asarray(point[0]), np.asarray(point[1])))
