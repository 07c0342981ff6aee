"""Generate the synthetic Hunchun sample dataset.

    .venv/bin/python scripts/make_sample_data.py [--out layers]
    .venv/bin/python -m scripts.sample_data [--out layers]

Writes ``hunchun_sample.gpkg`` (every layer of ``core/data/schema.toml`` in EPSG:4511),
``dem.tif`` and ``forest.tif`` into the output folder. Everything is drawn from fixed
seeds, so two runs give the same files, byte for byte.

合成示例数据，非官方边界，不得用于出版 / Synthetic sample data, not official
boundaries, not for publication. The outline, township boundaries, terrain, roads and
every facility are invented to look plausible for Hunchun (珲春市); none of it is survey
data.

Raster conventions (documented here because the analysis code relies on them):

* dem.tif: Float32 metres rounded to 1/8 m, 30 m cells, EPSG:4511, tiled 256x256,
  DEFLATE + floating-point predictor; nodata -9999 outside the city outline buffered by
  1 km (cells along the border keep a value so edge sampling works). Float rather than
  Int16 so gentle slopes do not show 1 m terraces in slope and hillshade.
* forest.tif: Float32 forest-cover share 0-1 rounded to 0.01, 60 m cells aligned with
  the DEM grid (every 2x2 DEM block), nodata -9999 where the DEM is nodata.

Only numpy, scipy, shapely, geopandas, pyogrio, pyproj and rasterio are used (no QGIS).

Modules, in the order the build uses them:

* ``settings``: seeds, CRS, cell size; ``facts``: the hand-drawn geography (lon, lat);
* ``randomness``, ``geometry``, ``grid``: random streams, line helpers, the raster grid;
* ``outline``: the city outline and built-up area; ``relief``: the broad relief model;
* ``hydrology``: rivers and their valleys; ``terrain``: the DEM;
* ``townships``, ``surfaces``, ``names``, ``placement``, ``settlements``;
* ``road_lattice`` (roads routed on a 150 m lattice), ``roads`` (the noded road lines);
* ``facilities`` (shelters, depots, fire stations), ``hazard_sites``, ``hazard_zones``,
  ``forest``;
* ``writing`` (schema conformance, GeoPackage and GeoTIFF with the synthetic-data
  notices), ``build`` (the whole pipeline), ``cli``.
"""
from __future__ import annotations

import sys
from pathlib import Path

# The generator runs from a checkout, where the plugin is not installed: make its core
# (schema and definitions) importable.
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
