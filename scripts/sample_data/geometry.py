"""Projection of the hand-drawn facts and line shaping helpers."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from pyproj import Transformer

from .randomness import smooth1d_noise
from .settings import EPSG, GEO_EPSG

TO_XY = Transformer.from_crs(GEO_EPSG, EPSG, always_xy=True)


def xy(lon: float, lat: float) -> tuple[float, float]:
    """A (lon, lat) fact in the projected CRS (metres)."""
    x, y = TO_XY.transform(lon, lat)
    return float(x), float(y)


def xy_array(points: Sequence[tuple[float, float]]) -> np.ndarray:
    """(lon, lat) facts as an (n, 2) array of projected coordinates."""
    arr = np.asarray(points, dtype=float)
    x, y = TO_XY.transform(arr[:, 0], arr[:, 1])
    return np.column_stack([x, y])


def smoothstep(t: np.ndarray) -> np.ndarray:
    """0 below 0, 1 above 1, a smooth S-curve between (continuous first derivative)."""
    t = np.clip(t, 0.0, 1.0)
    return t * t * (3.0 - 2.0 * t)


def chaikin(coords: np.ndarray, iterations: int = 3) -> np.ndarray:
    """Corner-cutting smoothing that keeps both end points fixed (junctions stay put)."""
    pts = np.asarray(coords, dtype=float)
    for _ in range(iterations):
        if len(pts) < 3:
            return pts
        a, b = pts[:-1], pts[1:]
        q = 0.75 * a + 0.25 * b
        r = 0.25 * a + 0.75 * b
        mid = np.empty((2 * len(a), 2))
        mid[0::2], mid[1::2] = q, r
        pts = np.vstack([pts[:1], mid[1:-1], pts[-1:]])
    return pts


def meander(line: shapely.LineString, amplitude: float, r: np.random.Generator,
            step: float = 150.0) -> shapely.LineString:
    """Lateral smooth noise along a line, tapering to zero at both ends (ends stay put)."""
    line = shapely.segmentize(line, step)
    pts = shapely.get_coordinates(line)
    if amplitude <= 0 or len(pts) < 5:
        return line
    tangent = np.gradient(pts, axis=0)
    tangent /= np.linalg.norm(tangent, axis=1, keepdims=True) + 1e-12
    normal = np.column_stack([-tangent[:, 1], tangent[:, 0]])
    s = np.linspace(0.0, 1.0, len(pts))
    taper = np.sin(np.pi * s) ** 0.5
    offset = amplitude * taper * (0.75 * smooth1d_noise(r, len(pts), 8) + 0.25 * smooth1d_noise(r, len(pts), 2.5))
    return shapely.LineString(pts + normal * offset[:, None])
