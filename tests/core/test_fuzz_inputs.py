"""Hypothesis over the input readers: whatever the field names, values, TOML text and
polygons, the core answers with a match, a repair or a clear InputError, never a crash;
invariants hold (a source field serves one schema field; repaired geometries are valid
and of the layer's kind; repair keeps every feature and its area where it was valid)."""
from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hunchun_risk_plugin.core.errors import InputError
from hunchun_risk_plugin.core.field_mapping import load_field_map, map_layer, match_fields
from hunchun_risk_plugin.core.input_geometry import repair_geometries
from hunchun_risk_plugin.core.schema import layer_spec, layer_specs

LAYERS = st.sampled_from(sorted(layer_specs()))
NAMES = st.one_of(st.text(min_size=1, max_size=12),
                  st.sampled_from(["常住人口", "人口", "名称", "code", "CODE", "elderly_sh", "类型", "规模", "capacity",
                                   "可容纳人数", "老年人口占", "township_c", "stock_tent"]))
VALUES = st.one_of(st.none(), st.integers(-10**6, 10**6), st.floats(allow_nan=True), st.text(max_size=6),
                   st.sampled_from(["滑坡", "小型", "高速", "紧急", "是", "否", "12,345", "１２３", "村"]))


@settings(max_examples=150, deadline=None)
@given(layer=LAYERS, columns=st.lists(NAMES, max_size=10, unique=True))
def test_every_source_field_serves_at_most_one_schema_field(layer, columns):
    matches = match_fields(layer_spec(layer), columns)
    sources = [m.source_field for m in matches]
    assert len(sources) == len(set(sources)) and set(sources) <= set(columns)
    assert {m.schema_field for m in matches} <= set(layer_spec(layer).fields)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layer=LAYERS, data=st.data())
def test_map_layer_never_crashes_and_keeps_the_rows(layer, data):
    columns = data.draw(st.lists(NAMES, min_size=1, max_size=6, unique=True))
    rows = data.draw(st.integers(0, 5))
    frame = pd.DataFrame({c: data.draw(st.lists(VALUES, min_size=rows, max_size=rows)) for c in columns})
    mapped = map_layer(layer, frame)
    assert len(mapped.frame) == rows
    for name in mapped.converted:
        assert name in layer_spec(layer).fields


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=80))
def test_any_field_map_text_is_read_or_a_clear_error(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fm") / "map.toml"
    path.write_text(text, encoding="utf-8")
    try:
        result = load_field_map(path)
    except InputError as error:
        assert "map.toml" in error.en and error.zh
        return
    assert all(layer in layer_specs() and all(isinstance(v, str) for v in t.values()) for layer, t in result.items())


# Centimetre coordinates, as surveyed data has: subnormal floats (1e-289) make GEOS's
# exact equality meaningless, and no census layer holds them.
COORD = st.integers(-100_000, 100_000).map(lambda v: v / 100)
RINGS = st.lists(st.tuples(COORD, COORD), min_size=4, max_size=8)


@settings(max_examples=200, deadline=None)
@given(rings=st.lists(RINGS, min_size=1, max_size=5))
def test_repaired_polygons_are_valid_polygons_and_nothing_is_lost(rings):
    geometries = [shapely.Polygon(r) for r in rings]
    frame = gpd.GeoDataFrame({"code": [str(i) for i in range(len(rings))]}, geometry=geometries, crs="EPSG:4511")
    repaired, _ = repair_geometries(frame, "polygon", "townships", "code")
    assert list(repaired["code"]) == list(frame["code"])  # every feature kept, in order
    for before, after in zip(geometries, repaired.geometry):
        if after is None:
            continue  # nothing polygonal was left (a collapsed ring)
        assert after.is_valid and after.geom_type in ("Polygon", "MultiPolygon")
        if before.is_valid:
            assert after.equals(before)
