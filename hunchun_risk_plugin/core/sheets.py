"""Topographic map sheet numbering after GB/T 13989-2012 (国家基本比例尺地形图分幅和编号).

Pure Python (no qgis). Sheet sizes live in ``domain.toml`` (``[sheet_scales.*]``).
Only the northern and eastern hemispheres below 88°N are supported (1:1M rows A-V,
columns 31-60); anything else raises ValueError.

All sheet arithmetic is done on a global grid of sheet indices in exact arc-seconds
(``fractions.Fraction``), because 6° × 4° is a whole multiple of every sheet size.
Edge rule: a point on a sheet edge belongs to the sheet to its north/east (the sheet
whose south-west corner it is ≥). Coordinates within 1e-6″ (~0.03 mm) of an edge count
as on it, so decimal values such as ``42 + 50/60`` that floats cannot hold exactly still
fall deterministically on the north/east side.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from .definitions import domain

_M_LON = Fraction(6 * 3600)  # 1:1M sheet width, arc-seconds
_M_LAT = Fraction(4 * 3600)  # 1:1M sheet height
_MAX_LON = Fraction(180 * 3600)
_MAX_LAT = Fraction(88 * 3600)  # row V ends at 88°; the polar cap is not supported
_EPS = Fraction(1, 10**6)  # edge snapping tolerance, arc-seconds


@dataclass(frozen=True)
class _Size:
    letter: str
    dlon: Fraction  # arc-seconds
    dlat: Fraction

    @property
    def ncols(self) -> int:  # sheet columns in one 1:1M sheet
        return int(_M_LON / self.dlon)

    @property
    def nrows(self) -> int:
        return int(_M_LAT / self.dlat)


@cache
def _sizes() -> dict[int, _Size]:
    # str() first so a TOML float like 112.5 becomes its exact decimal value
    return {
        int(k): _Size(v["letter"], Fraction(str(v["dlon_seconds"])), Fraction(str(v["dlat_seconds"])))
        for k, v in domain()["sheet_scales"].items()
    }


def _size(scale: int) -> _Size:
    try:
        return _sizes()[int(scale)]
    except (KeyError, ValueError, TypeError):
        raise ValueError(f"unsupported sheet scale 1:{scale}; supported: {supported_scales()}") from None


def supported_scales() -> list[int]:
    """Scale denominators with a sheet definition, smallest scale (1:1,000,000) first."""
    return sorted(_sizes(), reverse=True)


def scale_letter(scale: int) -> str:
    """Scale code letter of the sheet number ("" for 1:1,000,000, "C" for 1:250,000, ...)."""
    return _size(scale).letter


@dataclass(frozen=True)
class Sheet:
    """One map sheet; corners in degrees (geographic lon/lat)."""

    number: str
    scale: int
    west: float
    south: float
    east: float
    north: float

    def polygon(self, n: int = 1) -> Polygon:
        """Sheet frame in lon/lat with ``n`` segments per edge, so it stays faithful when
        projected (parallels are curves in most projected CRSs)."""
        t = [i / n for i in range(n)]
        w, s, e, no = self.west, self.south, self.east, self.north
        ring = ([(w + (e - w) * f, s) for f in t] + [(e, s + (no - s) * f) for f in t]
                + [(e - (e - w) * f, no) for f in t] + [(w, no - (no - s) * f) for f in t])
        return Polygon(ring)


def _seconds(value: float, what: str, upper: Fraction) -> Fraction:
    if not math.isfinite(value):
        raise ValueError(f"{what} {value!r} is not a finite number")
    s = Fraction(value) * 3600  # exact: every float is a binary fraction
    if not 0 <= s <= upper:
        raise ValueError(f"{what} {value!r}° outside the supported range 0..{upper / 3600}° "
                         "(northern/eastern hemisphere only)")
    return s


def _ratio(s: Fraction, d: Fraction) -> Fraction:
    q = s / d
    near = round(q)
    return Fraction(near) if abs(q - near) <= _EPS / d else q  # snap onto the edge


def _index(lon: float, lat: float, size: _Size) -> tuple[int, int]:
    i = math.floor(_ratio(_seconds(lon, "longitude", _MAX_LON), size.dlon))
    j = math.floor(_ratio(_seconds(lat, "latitude", _MAX_LAT), size.dlat))
    if i * size.dlon >= _MAX_LON or j * size.dlat >= _MAX_LAT:
        raise ValueError(f"point ({lon}, {lat}) lies on the outer edge of the supported area")
    return i, j


def _valid(i: int, j: int, size: _Size) -> bool:
    return 0 <= i * size.dlon < _MAX_LON and 0 <= j * size.dlat < _MAX_LAT


def _number(i: int, j: int, size: _Size) -> str:
    million = f"{chr(65 + j // size.nrows)}{i // size.ncols + 31:02d}"
    if not size.letter:
        return million
    # rows counted from the NORTH edge of the 1:1M sheet, columns from its west edge
    return f"{million}{size.letter}{size.nrows - j % size.nrows:03d}{i % size.ncols + 1:03d}"


def _sheet(i: int, j: int, scale: int) -> Sheet:
    size = _size(scale)
    return Sheet(_number(i, j, size), int(scale), float(i * size.dlon / 3600), float(j * size.dlat / 3600),
                 float((i + 1) * size.dlon / 3600), float((j + 1) * size.dlat / 3600))


def sheet_number(lon: float, lat: float, scale: int) -> str:
    """Number of the sheet at ``scale`` containing (lon, lat), e.g. ``K52E007018``."""
    return _number(*_index(lon, lat, _size(scale)), _size(scale))


def sheet_at(lon: float, lat: float, scale: int) -> Sheet:
    """The sheet at ``scale`` containing (lon, lat) (edge points go north/east)."""
    return _sheet(*_index(lon, lat, _size(scale)), scale)


_NUMBER = re.compile(r"^(.)(..)(?:(.)(...)(...))?$")


def _parse(number: str) -> tuple[int, int, int]:
    """(i, j, scale) global sheet index of a sheet number; ValueError names the bad part."""
    m = _NUMBER.match(number.strip().upper()) if isinstance(number, str) else None
    if m is None:
        raise ValueError(f"sheet number {number!r}: expected 3 (K52) or 10 characters (K52E007018)")
    row, col, letter, r, c = m.groups()
    if not "A" <= row <= "V":
        raise ValueError(f"sheet number {number!r}: 1:1M row letter {row!r} not in A-V")
    if not (col.isascii() and col.isdigit() and 31 <= int(col) <= 60):
        raise ValueError(f"sheet number {number!r}: 1:1M column {col!r} not in 31-60 (eastern hemisphere)")
    scale = next((k for k, v in _sizes().items() if v.letter == (letter or "")), None)
    if scale is None:
        raise ValueError(f"sheet number {number!r}: unknown scale letter {letter!r}")
    size = _size(scale)
    i, j = (int(col) - 31) * size.ncols, (ord(row) - 65) * size.nrows
    if letter:
        if not (r.isascii() and r.isdigit() and 1 <= int(r) <= size.nrows):
            raise ValueError(f"sheet number {number!r}: row {r!r} not in 001-{size.nrows:03d} at 1:{scale}")
        if not (c.isascii() and c.isdigit() and 1 <= int(c) <= size.ncols):
            raise ValueError(f"sheet number {number!r}: column {c!r} not in 001-{size.ncols:03d} at 1:{scale}")
        i, j = i + int(c) - 1, j + size.nrows - int(r)
    return i, j, scale


def sheet_from_number(number: str) -> Sheet:
    """Sheet (with corners) for a number such as ``K52`` or ``K52C002003``."""
    i, j, scale = _parse(number)
    return _sheet(i, j, scale)


def sheets_covering(west: float, south: float, east: float, north: float, scale: int) -> list[Sheet]:
    """Sheets whose area intersects the lon/lat box, north→south then west→east.

    Sheets only touching the box along an edge are left out; a degenerate box (point or
    line) gets the sheet(s) containing it under the north/east edge rule."""
    size = _size(scale)
    if west > east or south > north:
        raise ValueError(f"empty box: west {west} > east {east} or south {south} > north {north}")
    qw, qe = (_ratio(_seconds(v, "longitude", _MAX_LON), size.dlon) for v in (west, east))
    qs, qn = (_ratio(_seconds(v, "latitude", _MAX_LAT), size.dlat) for v in (south, north))
    i0, j0 = math.floor(qw), math.floor(qs)
    i1, j1 = max(math.ceil(qe) - 1, i0), max(math.ceil(qn) - 1, j0)
    return [_sheet(i, j, scale) for j in range(j1, j0 - 1, -1) for i in range(i0, i1 + 1) if _valid(i, j, size)]


def sheets_intersecting(geometry_lonlat: BaseGeometry, scale: int) -> list[Sheet]:
    """Sheets whose area really intersects a lon/lat geometry (not just its bounding box);
    touching-only sheets are excluded. Same order as :func:`sheets_covering`."""
    if geometry_lonlat is None or geometry_lonlat.is_empty:
        return []
    # interiors must meet: intersects() alone would keep sheets sharing only an edge
    return [s for s in sheets_covering(*geometry_lonlat.bounds, scale)
            if s.polygon().intersects(geometry_lonlat) and not s.polygon().touches(geometry_lonlat)]


def adjoining_sheets(number: str) -> list[list[str | None]]:
    """3×3 接图表 (adjoining sheet diagram): row 0 north, column 0 west, the sheet itself in
    the middle. Neighbours across 1:1M boundaries get their proper numbers; None where the
    neighbour is outside the supported area."""
    i, j, scale = _parse(number)
    size = _size(scale)
    return [[_number(i + di, j + dj, size) if _valid(i + di, j + dj, size) else None for di in (-1, 0, 1)]
            for dj in (1, 0, -1)]
