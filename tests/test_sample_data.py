"""The synthetic sample dataset in layers/ (scripts/make_sample_data.py) and its styles.

Expected values are written out here (the city plan's figures: stations, firefighters,
depots and their stock, major hazard installations; Hunchun's census population, area
and extent) rather than taken from the generator, so the test checks the data, not the code.
"""
from __future__ import annotations

import math
import sqlite3
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import rasterio
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from hunchun_risk_plugin.core.definitions import shelter_kinds, townships
from hunchun_risk_plugin.core.schema import layer_specs

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ROOT / "layers"
GPKG = LAYERS / "hunchun_sample.gpkg"
STYLES = ROOT / "styles"
RASTERS = ("dem", "forest")

# The city plan's relief stock in the two city depots together.
PLAN_STOCK = {
    "stock_tents": 100, "stock_folding_beds": 1000, "stock_quilts": 3629, "stock_mattresses": 2000,
    "stock_cotton_coats": 2861, "stock_heating_stoves": 216, "stock_floor_pads": 3071,
    "stock_prefab_houses": 20, "stock_lighting_lamps": 10, "stock_underwear_sets": 786,
}
# The city emergency-management plan 2021-2025: 3 professional fire and rescue stations
# (the urban area, the demonstration zone 示范区, 春化镇) with 78 firefighters in all;
# 4 major hazard installations (重大危险源); 2 city depots of 2,300 m² holding 13,693 items.
PLAN_FIRE_STATIONS = 3
PLAN_FIREFIGHTERS = 78
PLAN_MAJOR_HAZARD_INSTALLATIONS = 4
PLAN_CITY_DEPOTS = 2
PLAN_CITY_DEPOT_AREA_M2 = 2300
PLAN_STOCK_ITEMS = 13693  # 100 + 1000 + 3629 + 2000 + 2861 + 216 + 3071 + 20 + 10 + 786
HUNCHUN_AREA_KM2 = 5145.0
HUNCHUN_POPULATION = 239000  # 2020 census
MIN_COUNTS = {"settlements": 300, "shelters": 40, "depots": 8, "hazard_sites": 150, "roads": 5000}


@pytest.fixture(scope="module")
def frames() -> dict[str, gpd.GeoDataFrame]:
    if not GPKG.exists():
        pytest.fail(f"sample data missing: {GPKG} (run make sample-data)")
    return {name: gpd.read_file(GPKG, layer=name) for name in layer_specs()}


def _qgis_type_ok(wanted: str, variant_type: int) -> bool:
    from qgis.PyQt.QtCore import QVariant

    accepted = {
        "string": {QVariant.String},
        "integer": {QVariant.Int, QVariant.LongLong},
        "real": {QVariant.Double, QVariant.Int, QVariant.LongLong},
        "boolean": {QVariant.Bool, QVariant.Int},
    }
    return variant_type in accepted[wanted]


@pytest.mark.parametrize("name", list(layer_specs()))
def test_layer_opens_in_qgis_with_schema_fields(qgis_app, name):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(f"{GPKG}|layername={name}", name, "ogr")
    assert layer.isValid()
    assert layer.crs().authid() == "EPSG:4511"
    assert layer.featureCount() > 0
    fields = layer.fields()
    for field_name, wanted in layer_specs()[name].fields.items():
        index = fields.indexFromName(field_name)
        assert index >= 0, f"{name}.{field_name} missing"
        assert _qgis_type_ok(wanted, fields.at(index).type()), f"{name}.{field_name} is {fields.at(index).typeName()}"


@pytest.mark.parametrize("name", RASTERS)
def test_raster_opens_in_qgis(qgis_app, name):
    from qgis.core import QgsRasterLayer

    layer = QgsRasterLayer(str(LAYERS / f"{name}.tif"), name, "gdal")
    assert layer.isValid()
    assert layer.crs().authid() == "EPSG:4511"


@pytest.mark.parametrize("name", list(layer_specs()) + list(RASTERS))
def test_style_loads_in_qgis(qgis_app, name):
    from qgis.core import QgsRasterLayer, QgsVectorLayer

    style = STYLES / f"{name}.qml"
    assert style.exists()
    if name in RASTERS:
        layer = QgsRasterLayer(str(LAYERS / f"{name}.tif"), name, "gdal")
    else:
        layer = QgsVectorLayer(f"{GPKG}|layername={name}", name, "ogr")
    message, ok = layer.loadNamedStyle(str(style))
    assert ok, message


def test_minimum_counts(frames):
    for name, least in MIN_COUNTS.items():
        assert len(frames[name]) >= least, name
    stations = frames["fire_stations"]
    assert len(stations) == PLAN_FIRE_STATIONS
    assert stations["firefighters"].sum() == PLAN_FIREFIGHTERS
    chunhua = next(t["code"] for t in townships() if t["name"] == "春化镇")
    assert (stations["township_code"] == chunhua).sum() == 1  # the plan's station in 春化镇
    kinds = frames["hazard_sites"]["kind"]
    assert (kinds == "major_hazard_installation").sum() == PLAN_MAJOR_HAZARD_INSTALLATIONS
    assert set(kinds) <= {"landslide", "collapse", "debris_flow", "ground_subsidence", "waterlogging",
                          "major_hazard_installation", "tailings_pond"}


def test_ids_unique(frames):
    for name, spec in layer_specs().items():
        if spec.id_field:
            assert frames[name][spec.id_field].is_unique, name


def test_townships_tile_the_outline(frames):
    tw = frames["townships"]
    assert len(tw) == 13
    assert sorted(tw["name"]) == sorted(t["name"] for t in townships())
    assert sorted(tw["code"]) == sorted(t["code"] for t in townships())
    union = shapely.union_all(tw.geometry.values)
    assert union.area == pytest.approx(tw.area.sum(), rel=1e-3)  # no overlaps
    assert union.area / 1e6 == pytest.approx(HUNCHUN_AREA_KM2, rel=0.03)
    assert union.geom_type == "Polygon" and len(union.interiors) == 0  # no gaps
    assert tw.geometry.is_valid.all()


def test_extent_in_lon_lat(frames):
    minx, miny, maxx, maxy = frames["townships"].to_crs(4490).total_bounds
    assert 130.0 <= minx and maxx <= 131.4
    assert 42.38 <= miny and maxy <= 43.56
    # 防川, the south tip, and the city seat are inside
    union = shapely.union_all(frames["townships"].to_crs(4490).geometry.values)
    assert union.distance(shapely.Point(130.64, 42.43)) < 0.02
    assert union.contains(shapely.Point(130.366, 42.863))


def test_settlement_populations_add_up(frames):
    tw = frames["townships"].set_index("code")
    st = frames["settlements"]
    sums = st.groupby("township_code")["population"].sum()
    assert sums.to_dict() == tw["population"].to_dict()
    assert abs(int(tw["population"].sum()) - HUNCHUN_POPULATION) <= 2000
    assert set(st["kind"]) <= {"village", "community"}
    joined = gpd.sjoin(st, frames["townships"][["code", "geometry"]].rename(columns={"code": "inside"}),
                       predicate="within")
    assert len(joined) == len(st)
    assert (joined["inside"] == joined["township_code"]).all()


def test_city_depots_hold_the_plan_stock(frames):
    depots = frames["depots"]
    city = depots[depots["level"] == "city"]
    assert len(city) == PLAN_CITY_DEPOTS
    tw = frames["townships"]
    assert set(city["township_code"]) <= set(tw.loc[tw["kind"] == "街道", "code"])  # in the urban subdistricts
    assert city["area_m2"].sum() == pytest.approx(PLAN_CITY_DEPOT_AREA_M2)
    for field, total in PLAN_STOCK.items():
        assert city[field].sum() == total, field
    assert int(city[list(PLAN_STOCK)].to_numpy().sum()) == PLAN_STOCK_ITEMS
    assert len(depots) >= 8


def test_shelter_capacity_follows_the_standard(frames):
    sh = frames["shelters"]
    per_person = {key: float(spec["area_per_person_m2"]) for key, spec in shelter_kinds().items()}
    assert set(sh["kind"]) <= set(per_person)
    expected = [math.floor(a / per_person[k]) for a, k in zip(sh["effective_area_m2"], sh["kind"])]
    assert sh["capacity"].tolist() == expected
    tw = frames["townships"]
    urban_codes = set(tw.loc[tw["kind"] == "街道", "code"])
    urban_pop = tw.loc[tw["kind"] == "街道", "population"].sum()
    assert 0.6 * urban_pop <= sh["capacity"].sum() < tw["population"].sum()
    assert set(sh["township_code"]) == set(tw["code"])  # a shelter in every township
    urban = sh[sh["township_code"].isin(urban_codes)]
    fixed = urban["kind"].str.startswith("fixed")
    assert (fixed & urban["indoor"]).any() and (fixed & ~urban["indoor"]).any()
    assert (urban["kind"] == "central").any()


def _road_nodes(roads: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Node coordinates and (start, end) node ids, end points matched at 1 cm."""
    ends = np.array([[line.coords[0], line.coords[-1]] for line in roads.geometry])
    keys = np.round(ends.reshape(-1, 2) * 100).astype(np.int64)
    unique, ids = np.unique(keys, axis=0, return_inverse=True)
    return unique / 100.0, ids.reshape(-1, 2)


def test_road_network_is_one_connected_component(frames):
    roads = frames["roads"]
    assert set(roads.geom_type) == {"LineString"}
    assert not roads.has_z.any()
    nodes, ids = _road_nodes(roads)
    n = len(nodes)
    graph = coo_matrix((np.ones(len(ids)), (ids[:, 0], ids[:, 1])), shape=(n, n))
    count, _ = connected_components(graph, directed=False)
    assert count == 1
    distance, _ = cKDTree(nodes).query(np.column_stack([frames["settlements"].geometry.x,
                                                        frames["settlements"].geometry.y]))
    assert distance.max() <= 2000.0


def test_roads_meet_only_at_shared_end_points(frames):
    lines = np.asarray(frames["roads"].geometry.values)
    i, j = shapely.STRtree(lines).query(lines, predicate="intersects")
    keep = i < j
    i, j = i[keep], j[keep]
    meetings = shapely.intersection(lines[i], lines[j])
    assert set(shapely.get_type_id(meetings)) <= {0, 4}  # Point / MultiPoint only, no overlaps
    ends = [{tuple(np.round(line.coords[0], 2)), tuple(np.round(line.coords[-1], 2))} for line in lines]
    for a, b, meeting in zip(i, j, meetings):
        for point in shapely.get_coordinates(meeting):
            key = tuple(np.round(point, 2))
            assert key in ends[a] and key in ends[b], f"roads {a} and {b} cross at {point} without a node"


def test_road_classes_and_speeds(frames):
    roads = frames["roads"]
    assert set(roads["road_class"]) == {"expressway", "national", "provincial", "county", "township", "village",
                                        "urban"}
    assert roads["speed_kmh"].isna().any() and roads["speed_kmh"].notna().mean() > 0.8
    assert set(roads["oneway"]) <= {0, 1} and roads["oneway"].sum() > 0


def test_flood_zones_are_nested(frames):
    fz = frames["flood_zones"]
    assert set(fz["return_period_years"]) == {10, 50, 100}
    for _, group in fz.groupby("river"):
        by_period = {int(r): g for r, g in zip(group["return_period_years"], group.geometry)}
        assert by_period[10].difference(by_period[50]).area < 1.0
        assert by_period[50].difference(by_period[100]).area < 1.0


def test_seismic_zones_tile_the_outline(frames):
    sz = frames["seismic_zones"]
    assert set(sz["pga_g"]) <= {0.05, 0.10}
    outline = shapely.union_all(frames["townships"].geometry.values)
    assert shapely.union_all(sz.geometry.values).symmetric_difference(outline).area < 1e-4 * outline.area


def test_rasters(frames):
    outline = shapely.union_all(frames["townships"].geometry.values)
    with rasterio.open(LAYERS / "dem.tif") as dem:
        assert dem.crs.to_epsg() == 4511
        assert dem.res == (30.0, 30.0)
        values = dem.read(1, masked=True)
        assert 0 <= values.min() < 40 and 1300 <= values.max() <= 1500
        assert dem.bounds.left <= outline.bounds[0] and dem.bounds.top >= outline.bounds[3]
    with rasterio.open(LAYERS / "forest.tif") as forest:
        assert forest.crs.to_epsg() == 4511
        share = forest.read(1, masked=True)
        assert 0.0 <= share.min() and share.max() <= 1.0
        assert 0.5 < share.mean() < 0.95  # Hunchun is mostly forest


def test_metadata_says_synthetic():
    with sqlite3.connect(GPKG) as db:
        rows = db.execute("SELECT table_name, description FROM gpkg_contents").fetchall()
    assert {name for name, _ in rows} >= set(layer_specs())
    for name, description in rows:
        assert "Synthetic" in description and "合成" in description, name
    for name in RASTERS:
        with rasterio.open(LAYERS / f"{name}.tif") as ds:
            tags = ds.tags()
        assert "Synthetic" in tags["TIFFTAG_IMAGEDESCRIPTION"]
        assert "合成" in tags["TIFFTAG_IMAGEDESCRIPTION"]
        assert tags["SYNTHETIC"] == "YES"


def test_layers_folder_is_small():
    total = sum(f.stat().st_size for f in LAYERS.rglob("*") if f.is_file())
    assert total <= 25 * 1024 * 1024
