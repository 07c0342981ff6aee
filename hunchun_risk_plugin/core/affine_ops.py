"""Affine arithmetic that means the same on affine 2.x and 3.x.

affine 3 flags ``transform * (x, y)`` and ``*`` composition (pending deprecation, in
favour of ``@``), while affine 2.x (Debian 12's python3-affine 2.4, what QGIS 3.22 users
with Debian's rasterio have) has no ``@``. Spelled out, the arithmetic needs neither."""
from __future__ import annotations

from typing import Any

from affine import Affine


def apply(transform: Affine, x: Any, y: Any) -> tuple[Any, Any]:
    """``transform`` applied to (x, y); scalars or numpy arrays."""
    t = transform
    return t.a * x + t.b * y + t.c, t.d * x + t.e * y + t.f


def shifted(transform: Affine, col: float, row: float) -> Affine:
    """The transform of the same grid with its origin moved to (col, row): what
    ``transform @ Affine.translation(col, row)`` gives on affine 3."""
    c, f = apply(transform, col, row)
    t = transform
    return Affine(t.a, t.b, c, t.d, t.e, f)
