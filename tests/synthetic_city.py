"""The synthetic city (no QGIS): two townships, a river, mountains, a town, with its DEM
and forest rasters. Shared by the core pipeline tests and the riskzoning algorithm tests."""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
from rasterio.transform import from_origin
from shapely.geometry import LineString, Point, box

from hunchun_risk_plugin.core.risk.sources import RiskInputs

CRS = "EPSG:4511"
X0, Y0 = 500000.0, 4750000.0  # south-west corner of the synthetic city (10 km × 6 km)


def synthetic_inputs(folder: Path) -> RiskInputs:
    """Two townships side by side; a river along the south edge; mountains rising to the
    north; a town in the west township."""
    def frame(rows, geoms):
        return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=geoms, crs=CRS)

    townships = frame({"code": ["T1", "T2"], "name": ["西镇", "东乡"], "name_en": ["West", "East"],
                       "kind": ["镇", "乡"], "population": [9000, 1000], "elderly_share": [0.2, 0.3],
                       "building_vulnerability": [0.4, 0.7]},
                      [box(X0, Y0, X0 + 5000, Y0 + 6000), box(X0 + 5000, Y0, X0 + 10000, Y0 + 6000)])
    settlements = frame({"code": ["s1", "s2", "s3"], "name": ["城", "村", "屯"], "kind": ["town", "village", "village"],
                         "population": [8000, 1000, 500], "township_code": ["T1", "T1", "T2"]},
                        [Point(X0 + 2000, Y0 + 1500), Point(X0 + 3500, Y0 + 4000), Point(X0 + 7500, Y0 + 2000)])
    shelters = frame({"code": ["h1"], "name": ["广场"], "kind": ["emergency"], "indoor": [False],
                      "effective_area_m2": [5000.0], "capacity": [2500], "township_code": ["T1"]},
                     [Point(X0 + 2100, Y0 + 1600)])
    depots = frame({"code": ["d1"], "name": ["库"], "level": ["city"], "area_m2": [500.0], "township_code": ["T1"]},
                   [Point(X0 + 1900, Y0 + 1400)])
    fire = frame({"code": ["f1"], "name": ["站"], "township_code": ["T1"], "firefighters": [20]},
                 [Point(X0 + 2200, Y0 + 1200)])
    sites = frame(
        {"code": ["g1", "g2", "w1"], "name": ["滑坡", "崩塌", "内涝"],
         "kind": ["landslide", "collapse", "waterlogging"],
                   "scale": ["large", "small", "small"], "threatened_people": [120, 5, 30],
                   "township_code": ["T2", "T2", "T1"]},
                  [Point(X0 + 8000, Y0 + 5000), Point(X0 + 8500, Y0 + 5200), Point(X0 + 2000, Y0 + 1000)])
    roads = frame({"road_id": [1], "name": ["路"], "road_class": ["county"], "speed_kmh": [50.0], "oneway": [0]},
                  [LineString([(X0, Y0 + 1500), (X0 + 10000, Y0 + 1500)])])
    rivers = frame({"name": ["河"], "name_en": ["River"]}, [LineString([(X0, Y0 + 300), (X0 + 10000, Y0 + 300)])])
    seismic = frame({"pga_g": [0.05, 0.10]},
                    [box(X0, Y0, X0 + 6000, Y0 + 6000), box(X0 + 6000, Y0, X0 + 10000, Y0 + 6000)])
    floods = frame({"return_period_years": [20, 100], "river": ["河", "河"]},
                   [box(X0, Y0, X0 + 10000, Y0 + 600), box(X0, Y0, X0 + 10000, Y0 + 1200)])
    cell = 30.0
    rows, cols = int(6600 / cell), int(10600 / cell)
    yy = (np.arange(rows) + 0.5)[:, None] * cell  # metres from the raster's top edge
    north = 6300.0 - yy  # metres north of the city's south edge
    dem = np.repeat(np.clip(5 + 0.1 * north, 5, None), cols, axis=1).astype(np.float32)
    dem[north[:, 0] > 3000] += ((north[north > 3000] - 3000) * 0.3)[:, None]  # steep mountains in the north
    forest = np.repeat(np.clip((north - 2000) / 3000, 0, 1), cols, axis=1).astype(np.float32)
    transform = from_origin(X0 - 300, Y0 + 6300, cell, cell)
    paths = {}
    for name, data in (("dem", dem), ("forest", forest)):
        path = folder / f"{name}.tif"
        with rasterio.open(path, "w", driver="GTiff", width=cols, height=rows, count=1, dtype="float32",
                           crs=CRS, transform=transform, nodata=-9999) as dst:
            dst.write(data, 1)
        paths[name] = str(path)
    vectors = {"townships": townships, "settlements": settlements, "shelters": shelters, "depots": depots,
               "fire_stations": fire, "hazard_sites": sites, "roads": roads, "rivers": rivers,
               "seismic_zones": seismic, "flood_zones": floods}
    return RiskInputs(vectors, {**paths, "population": None}, {k: f"memory:{k}" for k in vectors} | paths)

# A small model whose index a test can work out by hand (tests/core/test_risk_pipeline.py).
HAND_MODEL = """
[model]
name = "3 x 3 worked by hand"
[risk]
rule = "weighted_sum"
capacity_alpha = 0.5
weights = { flood = 3, earthquake = 1 }      # 0.75 and 0.25 once normalised
[classes]
method = "fixed"
thresholds = [0.05, 0.13, 0.18, 0.30]
[hazards.flood]
factors = ["wet"]
[hazards.earthquake]
factors = ["shaking"]
[exposure]
factors = ["people"]
floor = 0.2
[vulnerability]
factors = ["buildings", "elderly"]
weights = [1, 1]
[capacity]
factors = ["reach"]
[factors.wet]
source = "raster"
layer = "forest"
resampling = "nearest"
transform = { kind = "identity" }
[factors.shaking]
source = "raster"
layer = "dem"
resampling = "nearest"
transform = { kind = "minmax", min = 0, max = 200 }
[factors.reach]
source = "raster"
layer = "dem"
resampling = "nearest"
transform = { kind = "minmax", min = 0, max = 200, invert = true }
[factors.people]
source = "raster"
layer = "population"
resampling = "nearest"
transform = { kind = "minmax", min = 0, max = 1000 }
[factors.buildings]
source = "polygon_field"
layer = "townships"
field = "building_vulnerability"
transform = { kind = "minmax", min = 0, max = 1 }
[factors.elderly]
source = "polygon_field"
layer = "townships"
field = "elderly_share"
transform = { kind = "minmax", min = 0, max = 0.5 }
"""
