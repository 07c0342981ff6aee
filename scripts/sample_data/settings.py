"""Fixed settings of the whole generator: seed, coordinate systems, sizes."""
from __future__ import annotations

from hunchun_risk_plugin.core import definitions as defs

BASE_SEED = 20250521  # every random stream derives from this (see randomness.rng)
EPSG = defs.default_epsg()  # 4511, CGCS2000 / Gauss-Kruger CM 129E
GEO_EPSG = 4490  # CGCS2000 geographic, the CRS of the hand-drawn facts
TARGET_AREA_KM2 = 5145.0  # Hunchun's official area: the outline is grown to it
CELL = 30.0  # DEM cell (m)
DEM_NODATA = -9999.0
FOREST_NODATA = -9999.0
