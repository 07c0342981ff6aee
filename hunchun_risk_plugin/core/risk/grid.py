"""The target grid: extent, cell size and CRS every factor is computed on, and the
blocks (windows) the work is split into so that memory stays bounded."""
from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from affine import Affine
from pyproj import CRS
from rasterio.windows import Window

from ..affine_ops import shifted
from ..errors import InputError


@dataclass(frozen=True)
class Grid:
    """A north-up raster grid; ``transform`` maps (col, row) to the cell's top-left corner."""

    crs_wkt: str
    transform: Affine
    width: int
    height: int

    @property
    def cell(self) -> float:
        return float(self.transform.a)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        left, top = self.transform.c, self.transform.f
        return left, top - self.height * self.cell, left + self.width * self.cell, top

    @property
    def shape(self) -> tuple[int, int]:
        return self.height, self.width

    def sub(self, window: Window, halo: int = 0) -> Grid:
        """The grid of ``window`` grown by ``halo`` cells on each side (may reach
        beyond this grid: sources compute there too, for neighbourhood effects)."""
        col, row = int(window.col_off) - halo, int(window.row_off) - halo
        return Grid(self.crs_wkt, shifted(self.transform, col, row),
                    int(window.width) + 2 * halo, int(window.height) + 2 * halo)

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """x of each column's centre and y of each row's centre."""
        xs = self.transform.c + (np.arange(self.width) + 0.5) * self.cell
        ys = self.transform.f - (np.arange(self.height) + 0.5) * self.cell
        return xs, ys

    def cells_for(self, distance_m: float) -> int:
        return int(math.ceil(distance_m / self.cell))


def metric_crs(crs_text: str) -> CRS:
    """The target CRS, refused when it is not projected in metres."""
    try:
        crs = CRS.from_user_input(crs_text)
    except Exception as exc:  # pyproj raises CRSError with a technical message
        raise InputError(f"'{crs_text}' is not a known coordinate reference system.",
                         f"“{crs_text}”不是可识别的坐标参考系。") from exc
    units = {axis.unit_name.lower() for axis in crs.axis_info}
    if crs.is_geographic or not units or not units <= {"metre", "meter", "m"}:
        raise InputError(
            f"The target CRS '{crs.name}' is not projected in metres. Use a metric CRS such as EPSG:4511 (CGCS2000 / "
            "Gauss-Kruger CM 129E).",
            f"目标坐标系“{crs.name}”不是以米为单位的投影坐标系。请使用米制坐标系，例如 EPSG:4511。")
    return crs


def grid_for_bounds(bounds: tuple[float, float, float, float], cell: float, crs: CRS) -> Grid:
    """The smallest grid of ``cell``-sized cells, aligned to multiples of ``cell``,
    that covers ``bounds`` (so runs at the same cell size share one lattice)."""
    if cell <= 0:
        raise InputError(f"Cell size must be positive, got {cell}.", f"像元大小必须大于 0，当前为 {cell}。")
    left = math.floor(bounds[0] / cell) * cell
    bottom = math.floor(bounds[1] / cell) * cell
    right = math.ceil(bounds[2] / cell) * cell
    top = math.ceil(bounds[3] / cell) * cell
    width, height = max(int(round((right - left) / cell)), 1), max(int(round((top - bottom) / cell)), 1)
    return Grid(crs.to_wkt(), Affine(cell, 0.0, left, 0.0, -cell, top), width, height)


def blocks(grid: Grid, size: int) -> Iterator[Window]:
    """Windows of at most ``size`` × ``size`` cells covering the grid row by row."""
    for row in range(0, grid.height, size):
        for col in range(0, grid.width, size):
            yield Window(col, row, min(size, grid.width - col), min(size, grid.height - row))


def block_count(grid: Grid, size: int) -> int:
    return math.ceil(grid.height / size) * math.ceil(grid.width / size)
