"""The city outline (5,145 km²) and the built-up area of the city."""
from __future__ import annotations

import numpy as np
import shapely
import shapely.affinity

from .facts import CITY_CENTRE, DEMO_ZONE, FANGCHUAN, OUTLINE_LONLAT
from .geometry import xy, xy_array
from .randomness import rng, smooth1d_noise
from .settings import TARGET_AREA_KM2


def make_outline() -> shapely.Polygon:
    """The hand-drawn outline, roughened with smooth noise and buffered to 5,145 km²."""
    ring = shapely.segmentize(shapely.LinearRing(xy_array(OUTLINE_LONLAT)), 400.0)
    pts = shapely.get_coordinates(ring)[:-1]
    tangent = np.roll(pts, -1, axis=0) - np.roll(pts, 1, axis=0)
    tangent /= np.linalg.norm(tangent, axis=1, keepdims=True)
    normal = np.column_stack([-tangent[:, 1], tangent[:, 0]])
    offset = _border_offsets(pts)
    poly = shapely.make_valid(shapely.Polygon(pts + normal * offset[:, None]))
    if poly.geom_type != "Polygon":
        poly = max(poly.geoms, key=lambda g: g.area)
    poly = shapely.simplify(poly, 25.0)
    return _buffer_to_area(poly, TARGET_AREA_KM2 * 1e6)


def _border_offsets(pts: np.ndarray) -> np.ndarray:
    """Sideways shift (m) of each border vertex: noise at three scales, closed ring."""
    r = rng("outline")
    n = len(pts)
    offset = (1500 * smooth1d_noise(r, n, 10, wrap=True) + 500 * smooth1d_noise(r, n, 2.5, wrap=True)
              + 150 * smooth1d_noise(r, n, 1.0, wrap=True))
    # The tail near 防川 is only a couple of km wide: keep its border nearly as drawn.
    tip = np.asarray(xy(*FANGCHUAN))
    d_tip = np.linalg.norm(pts - tip, axis=1)
    offset *= np.clip((d_tip - 3000) / 25000, 0.08, 1.0)
    return offset


def _buffer_to_area(poly: shapely.Polygon, target: float) -> shapely.Polygon:
    """Grow or shrink the polygon uniformly until its area is the target (bisection)."""
    lo, hi = -2000.0, 2000.0
    best = poly
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        best = shapely.buffer(poly, mid, join_style="mitre", mitre_limit=3.0)
        if best.area > target:
            hi = mid
        else:
            lo = mid
        if abs(best.area - target) < target * 1e-5:
            break
    if best.geom_type != "Polygon":
        best = max(best.geoms, key=lambda g: g.area)
    return shapely.set_precision(best, 0.01)


def _ellipse(centre: tuple[float, float], ax: float, ay: float, angle: float) -> shapely.Polygon:
    circle = shapely.Point(xy(*centre)).buffer(1.0, quad_segs=32)
    return shapely.affinity.rotate(shapely.affinity.scale(circle, ax, ay), angle)


def make_builtup(outline: shapely.Polygon) -> shapely.Polygon:
    """The built-up city: an ellipse round the centre plus the demonstration zone."""
    city = _ellipse(CITY_CENTRE, 4300, 2500, 8)
    demo = _ellipse(DEMO_ZONE, 2000, 1500, -20)
    return shapely.intersection(shapely.union(city, demo), outline.buffer(-500), grid_size=0.01)
