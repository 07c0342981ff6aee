"""Fuzzing the risk pipeline (issue 12, item 8): on random townships and random factor
grids, the class areas of each township add up to the township's own area, and the
risk polygons cover the study area exactly. The townships are random rectangles cut on
the cell grid, so the township's area is known exactly (width × height), independent
of the code."""
from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import rasterio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rasterio.transform import from_origin
from shapely.geometry import box
from synthetic_city import HAND_MODEL

from hunchun_risk_plugin.core.definitions import risk_classes
from hunchun_risk_plugin.core.layer_uri import uri_path
from hunchun_risk_plugin.core.progress import Progress
from hunchun_risk_plugin.core.risk.model import parse_model
from hunchun_risk_plugin.core.risk.pipeline import ZoningRequest, run_zoning
from hunchun_risk_plugin.core.risk.sources import RiskInputs

CRS, X0, Y0, CELL = "EPSG:4511", 500000.0, 4700000.0, 100.0


@st.composite
def cities(draw):
    """A grid of w × h cells, cut into 1–3 townships at random cell columns, with
    random forest, DEM and population values."""
    width, height = draw(st.integers(3, 12)), draw(st.integers(2, 8))
    cuts = sorted(draw(st.sets(st.integers(1, width - 1), max_size=min(2, width - 1))))
    edges = [0, *cuts, width]
    grids = {name: np.array(draw(st.lists(st.floats(low, high, allow_nan=False, width=32), min_size=width * height,
                                          max_size=width * height)), dtype=np.float32).reshape(height, width)
             for name, low, high in (("forest", 0.0, 1.0), ("dem", 0.0, 400.0), ("population", 0.0, 3000.0))}
    return width, height, edges, grids


def write_city(folder: Path, width: int, height: int, edges: list[int], grids: dict) -> RiskInputs:
    townships = gpd.GeoDataFrame(
        {"code": [f"T{i}" for i in range(len(edges) - 1)], "name": [f"镇{i}" for i in range(len(edges) - 1)],
         "population": 0, "elderly_share": 0.2, "building_vulnerability": 0.6},
        geometry=[box(X0 + a * CELL, Y0, X0 + b * CELL, Y0 + height * CELL) for a, b in zip(edges, edges[1:])],
        crs=CRS)
    rasters = {}
    for name, values in grids.items():
        rasters[name] = str(folder / f"{name}.tif")
        with rasterio.open(rasters[name], "w", driver="GTiff", width=width, height=height, count=1, dtype="float32",
                           crs=CRS, transform=from_origin(X0, Y0 + height * CELL, CELL, CELL), nodata=-9999) as dst:
            dst.write(values, 1)
    return RiskInputs({"townships": townships}, rasters, {"townships": "memory:townships"} | rasters)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(city=cities())
def test_class_areas_add_up_to_each_townships_area(city, tmp_path_factory):
    width, height, edges, grids = city
    folder = tmp_path_factory.mktemp("city")
    inputs = write_city(folder, width, height, edges, grids)
    request = ZoningRequest(model=parse_model(HAND_MODEL), inputs=inputs, scale="city", cell=CELL, block_size=4,
                            denominator=1000)
    result = run_zoning(request, folder / "out", Progress())
    stats = pyogrio.read_dataframe(uri_path(result["TOWNSHIP_STATS"]), layer="township_stats")
    expected = [(b - a) * height * CELL * CELL / 1e6 for a, b in zip(edges, edges[1:])]
    by_class = stats[[f"area_{c.key}_km2" for c in risk_classes()]].sum(axis=1)
    assert list(stats["code"]) == [f"T{i}" for i in range(len(edges) - 1)]
    assert np.allclose(by_class, expected, atol=1e-9)
    zones = pyogrio.read_dataframe(uri_path(result["RISK_ZONES"]), layer="risk_zones")
    assert zones.geometry.area.sum() == pytest.approx(width * height * CELL * CELL, rel=1e-9)
