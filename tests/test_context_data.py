"""The schematic Yanbian context layers for map insets (scripts/make_context_data.py).

No QGIS needed. Expected values (names, the real extent of Yanbian) are written out here
rather than taken from the generator, so the test checks the data, not the code.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely

ROOT = Path(__file__).resolve().parent.parent
GPKG = ROOT / "layers" / "context.gpkg"
SAMPLE = ROOT / "layers" / "hunchun_sample.gpkg"
STYLES = ROOT / "styles"
EPSG = 4511
LAYERS = {"prefecture": "Polygon", "counties": "Polygon", "neighbours": "Point"}
# Real extent of Yanbian (lon/lat): west, south, east, north.
REAL_EXTENT = (127.27, 41.98, 131.31, 44.50)
COUNTIES = {
    "延吉市": "Yanji", "图们市": "Tumen", "敦化市": "Dunhua", "珲春市": "Hunchun",
    "龙井市": "Longjing", "和龙市": "Helong", "汪清县": "Wangqing", "安图县": "Antu",
}


@pytest.fixture(scope="module")
def frames() -> dict[str, gpd.GeoDataFrame]:
    if not GPKG.exists():
        pytest.fail(f"context data missing: {GPKG} (run .venv/bin/python scripts/make_context_data.py)")
    return {name: gpd.read_file(GPKG, layer=name) for name in LAYERS}


@pytest.fixture(scope="module")
def hunchun_outline() -> shapely.Polygon:
    towns = gpd.read_file(SAMPLE, layer="townships")
    return shapely.union_all(towns.geometry.values)


def _hunchun(frames) -> shapely.Geometry:
    counties = frames["counties"]
    rows = counties[counties["name"] == "珲春市"]
    assert len(rows) == 1
    return rows.geometry.iloc[0]


def test_layers_geometry_types_and_crs(frames):
    listed = {name: geom for name, geom in pyogrio.list_layers(GPKG)}
    assert listed == LAYERS
    for name, frame in frames.items():
        assert frame.crs is not None and frame.crs.to_epsg() == EPSG, name
        assert not frame.empty and frame.geometry.is_valid.all(), name


def test_file_is_small():
    assert GPKG.stat().st_size < 300_000


def test_layers_are_marked_schematic():
    for name in LAYERS:
        meta = pyogrio.read_info(GPKG, layer=name)["layer_metadata"] or {}
        description = meta.get("DESCRIPTION", "")
        assert "Schematic context for map insets" in description, name
        assert "not official" in description and "make_context_data.py" in description, name
        assert meta.get("SCHEMATIC") == "YES", name


def test_prefecture_is_one_clean_polygon(frames):
    pref = frames["prefecture"]
    assert len(pref) == 1
    row = pref.iloc[0]
    assert row["name"] == "延边朝鲜族自治州"
    assert row["name_en"] == "Yanbian Korean Autonomous Prefecture"
    assert "非官方" in row["note"] and "not official" in row["note"]
    geom = row.geometry
    assert geom.geom_type == "Polygon" and len(geom.interiors) == 0
    # No slivers or notches: a 100 m opening/closing hardly changes the area.
    opened = shapely.buffer(shapely.buffer(geom, -100.0), 100.0)
    closed = shapely.buffer(shapely.buffer(geom, 100.0), -100.0)
    assert abs(opened.area - geom.area) < 1e-4 * geom.area
    assert abs(closed.area - geom.area) < 1e-4 * geom.area


def test_prefecture_extent_matches_real_yanbian(frames):
    bounds = frames["prefecture"].to_crs(4490).total_bounds
    for got, want in zip(bounds, REAL_EXTENT):
        assert abs(got - want) <= 0.3, (tuple(bounds), REAL_EXTENT)


def test_eight_counties_with_names(frames):
    counties = frames["counties"]
    assert len(counties) == 8
    assert dict(zip(counties["name"], counties["name_en"])) == COUNTIES
    flags = dict(zip(counties["name"], counties["is_hunchun"]))
    assert flags == {name: int(name == "珲春市") for name in COUNTIES}
    assert (counties.geometry.geom_type == "Polygon").all()


def test_hunchun_is_the_sample_outline(frames, hunchun_outline):
    hunchun = _hunchun(frames)
    assert shapely.symmetric_difference(hunchun, hunchun_outline).area < 1e-3 * hunchun_outline.area


def test_hunchun_lies_inside_and_on_the_prefecture_border(frames, hunchun_outline):
    pref = frames["prefecture"].geometry.iloc[0]
    assert shapely.difference(hunchun_outline, pref).area < 1e-6 * hunchun_outline.area
    # Its eastern/southern border (Russia, the Tumen) is the prefecture border: most of
    # Hunchun's perimeter lies on the prefecture's boundary, which takes its east extreme.
    shared = shapely.intersection(shapely.buffer(pref.exterior, 1.0), hunchun_outline.exterior).length
    assert shared > 0.6 * hunchun_outline.exterior.length
    assert abs(hunchun_outline.bounds[2] - pref.bounds[2]) < 1.0


def test_counties_tile_the_prefecture(frames):
    pref = frames["prefecture"].geometry.iloc[0]
    geoms = list(frames["counties"].geometry)
    total = sum(g.area for g in geoms)
    assert abs(total - pref.area) < 5e-3 * pref.area
    overlap = sum(shapely.intersection(a, b).area for i, a in enumerate(geoms) for b in geoms[i + 1:])
    assert overlap < 1e-3 * pref.area
    assert shapely.symmetric_difference(shapely.union_all(geoms), pref).area < 5e-3 * pref.area


def test_neighbours_label_points(frames):
    nb = frames["neighbours"]
    assert set(nb["kind"]) <= {"country", "prefecture"}
    countries = dict(zip(nb.loc[nb["kind"] == "country", "name_en"], nb.loc[nb["kind"] == "country", "name"]))
    assert countries == {"Russia": "俄罗斯", "DPRK": "朝鲜"}
    assert (nb.geometry.geom_type == "Point").all()
    pref = frames["prefecture"].geometry.iloc[0]
    assert not nb.geometry.within(pref).any()  # labels sit outside Yanbian
    ll = nb.to_crs(4490)
    lon = dict(zip(nb["name_en"], ll.geometry.x))
    lat = dict(zip(nb["name_en"], ll.geometry.y))
    assert lon["Russia"] > 131.0 and lat["DPRK"] < 42.5


@pytest.mark.parametrize("name", ["prefecture", "counties", "neighbours"])
def test_context_styles(name):
    path = STYLES / f"context_{name}.qml"
    assert path.exists(), f"{path} missing (make_context_data.py --styles)"
    root = ET.parse(path).getroot()
    renderer = root.find("renderer-v2")
    assert renderer is not None
    if name == "counties":
        assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "is_hunchun"
        assert {c.get("value") for c in renderer.iter("category")} == {"0", "1"}
    elif name == "neighbours":
        assert renderer.get("type") == "nullSymbol"
        settings = root.find("labeling/settings")
        assert root.get("labelsEnabled") == "1" and settings is not None
        style = settings.find("text-style")
        assert style.get("fieldName") == "name" and style.get("fontItalic") == "1"
    else:
        assert renderer.get("type") == "singleSymbol"
