"""The cell size of a class raster measured in another CRS (the network's)."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from affine import Affine
from pyproj import CRS

from hunchun_risk_plugin.core.routing.hazards import ClassRaster


def test_cell_size_of_a_geographic_raster_in_metres():
    # 0.001° cells centred on 129°E 43°N, measured in CGCS2000 / Gauss-Kruger CM 129E:
    # on the central meridian the projection keeps lengths, so a cell is as long as the
    # ellipsoid's degree: east-west  pi a cos(phi) / (180 sqrt(1 - e² sin²(phi))) per degree
    # (the shorter side, the one cell_size_in reports).
    raster = ClassRaster(np.ones((10, 10), dtype=np.uint8), Affine(0.001, 0, 128.995, 0, -0.001, 43.005),
                         CRS.from_epsg(4490))
    a, f = 6378137.0, 1 / 298.257222101
    e2 = f * (2 - f)
    phi = math.radians(43.0)
    east_west = math.pi * a * math.cos(phi) / (180 * math.sqrt(1 - e2 * math.sin(phi) ** 2)) * 0.001
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # affine 3 warns on `transform * (x, y)`
        size = raster.cell_size_in(CRS.from_epsg(4511))
    assert size == pytest.approx(east_west, rel=1e-3)
