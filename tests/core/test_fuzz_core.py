"""Hypothesis over the core engines: random small road networks, settlements and
shelters through ``evacuate`` (with and without a scenario), random risk model files
through the model parser, random townships through the zoning pipeline. The only
failure allowed is an ``InputError``; the invariants hold: every route ends at its
shelter, no shelter holds more than its capacity, placed + not placed = everyone who
must leave, and the risk class areas add up to the township's area."""
from __future__ import annotations

import copy
import json

import geopandas as gpd
import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point

from hunchun_risk_plugin.core.definitions import parse_toml
from hunchun_risk_plugin.core.errors import InputError
from hunchun_risk_plugin.core.risk.model import DEFAULT_MODEL, parse_model
from hunchun_risk_plugin.core.routing.evacuation import EvacuationSettings, evacuate
from hunchun_risk_plugin.core.routing.scenario import parse_scenario
from hunchun_risk_plugin.core.routing.scenario_inputs import ScenarioInputs

SPACING = 500.0  # metres between the grid's crossings
CRS = 4511
FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def grid_roads(draw) -> gpd.GeoDataFrame:
    """A grid of up to 4 × 4 crossings; each street may be missing (a gap), one-way either
    way and have its own speed, or none or a nonsense one (the road class's then)."""
    cols, rows = draw(st.integers(2, 4)), draw(st.integers(1, 4))
    lines, speeds, oneway = [], [], []
    for r in range(rows):
        for c in range(cols):
            here = (c * SPACING, r * SPACING)
            for there in ((c + 1) * SPACING, r * SPACING), (c * SPACING, (r + 1) * SPACING):
                if there[0] >= cols * SPACING or there[1] >= rows * SPACING or draw(st.integers(0, 4)) == 0:
                    continue
                lines.append(LineString([here, there]) if draw(st.booleans()) else LineString([there, here]))
                speeds.append(draw(st.one_of(st.none(), st.floats(1, 120), st.sampled_from([0.0, -5.0]))))
                oneway.append(draw(st.sampled_from([0, 0, 0, 1, -1])))
    assume(lines)
    return gpd.GeoDataFrame({"road_class": ["county"] * len(lines), "speed_kmh": speeds, "oneway": oneway},
                            geometry=lines, crs=CRS)


def points(draw, count: int, extent: float) -> list[Point]:
    xy = st.floats(-200, extent + 200, allow_nan=False)
    return [Point(draw(xy), draw(xy)) for _ in range(count)]


@st.composite
def places(draw):
    roads = draw(grid_roads())
    extent = 3 * SPACING
    n_origins, n_shelters = draw(st.integers(1, 5)), draw(st.integers(1, 3))
    origins = gpd.GeoDataFrame(
        {"code": [f"o{i}" for i in range(n_origins)], "name": [f"村{i}" for i in range(n_origins)],
                                "population": draw(
                                    st.lists(st.integers(0, 500), min_size=n_origins, max_size=n_origins)),
                                "township_code": ["T1"] * n_origins},
                               geometry=points(draw, n_origins, extent), crs=CRS)
    shelters = gpd.GeoDataFrame(
        {"code": [f"s{i}" for i in range(n_shelters)], "name": [f"场{i}" for i in range(n_shelters)],
                                 "kind": draw(st.lists(st.sampled_from(["emergency", "fixed_short", "fixed_long"]),
                                                       min_size=n_shelters, max_size=n_shelters)),
                                 "capacity": draw(
                                     st.lists(st.integers(0, 400), min_size=n_shelters, max_size=n_shelters))},
                                geometry=points(draw, n_shelters, extent), crs=CRS)
    return roads, origins, shelters


EVERYONE = parse_scenario('[[triggers]]\nkey = "all"\nsource = "everyone"\n')
SITES = parse_scenario("""
[[triggers]]
key = "landslide"
source = "hazard_sites"
site_kinds = ["landslide"]
radius_m = 600
priority = 1

[[triggers]]
key = "collapse"
source = "hazard_sites"
site_kinds = ["collapse"]
radius_m = 300
priority = 2
""")


def check_plan(result, shelters: gpd.GeoDataFrame, everyone: int) -> None:
    routes, unreached = result.routes, result.unreached
    ends = shelters.set_index("code").geometry
    for shelter, line in zip(routes["shelter"], routes.geometry):
        assert Point(line.coords[-1]).distance(ends[shelter]) < 0.001, shelter
    held = routes.groupby("shelter")["population"].sum()
    capacity = shelters.set_index("code")["capacity"]
    assert (held <= capacity[held.index]).all(), (held, capacity)
    placed = int(routes["population"].sum())
    not_placed = int(unreached["population"].sum()) if len(unreached) else 0
    assert placed + not_placed == everyone
    assert (routes["population"] > 0).all()


@FUZZ
@given(case=places(), mode=st.sampled_from(["walking", "driving"]))
def test_random_networks_route_everyone_or_say_why(case, mode):
    roads, origins, shelters = case
    try:
        result = evacuate(roads, origins, shelters, EvacuationSettings(mode=mode, max_access_m=400))
    except InputError:
        return
    check_plan(result, shelters, int(origins["population"].sum()))


@FUZZ
@given(case=places(), data=st.data())
def test_random_networks_with_a_scenario_place_every_evacuee_or_say_why(case, data):
    roads, origins, shelters = case
    scenario = data.draw(st.sampled_from([EVERYONE, SITES]))
    n_sites = data.draw(st.integers(0, 3))
    sites = gpd.GeoDataFrame({"code": [f"h{i}" for i in range(n_sites)], "name": [f"隐患{i}" for i in range(n_sites)],
                              "kind": data.draw(st.lists(st.sampled_from(["landslide", "collapse", "debris_flow"]),
                                                         min_size=n_sites, max_size=n_sites)),
                              "threatened_people": data.draw(st.lists(st.integers(0, 300), min_size=n_sites,
                                                                      max_size=n_sites))},
                             geometry=points(data.draw, n_sites, 3 * SPACING), crs=CRS)
    try:
        result = evacuate(roads, origins, shelters, EvacuationSettings(max_access_m=400),
                          scenario=ScenarioInputs(scenario, hazard_sites=sites))
    except InputError:
        return
    evacuees = int(result.evacuees["evacuees"].sum()) if result.evacuees is not None and len(result.evacuees) else 0
    check_plan(result, shelters, evacuees)
    assert evacuees <= int(origins["population"].sum()) + int(sites["threatened_people"].sum())


# --- risk model files -------------------------------------------------------------------

DEFAULT_MODEL_TEXT = DEFAULT_MODEL.read_text(encoding="utf-8")
DEFAULT_RAW = parse_toml(DEFAULT_MODEL_TEXT)


def toml_value(value) -> str:
    """``value`` as TOML (inline tables: any nesting in one line), written by hand since
    the standard library reads TOML but does not write it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if np.isfinite(value) else ("nan" if value != value else ("inf" if value > 0 else "-inf"))
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {toml_value(v)}" for k, v in value.items()) + "}"


def toml_text(raw: dict) -> str:
    return "\n".join(f"{json.dumps(k, ensure_ascii=False)} = {toml_value(v)}" for k, v in raw.items()) + "\n"


def key_paths(node, prefix=()) -> list[tuple]:
    paths = []
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in items:
        paths.append(prefix + (key,))
        paths += key_paths(child, prefix + (key,))
    return paths


ALL_PATHS = key_paths(DEFAULT_RAW)
WORDS = st.text(alphabet="abcxyz_滑坡高中低 ", max_size=8)
SCALARS = st.one_of(st.integers(-5, 10), st.floats(-10, 10), st.sampled_from([0.0, -1.0, float("nan"), float("inf")]),
                    st.booleans(), WORDS)
ANY_VALUE = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                           st.dictionaries(WORDS, inner, max_size=3)), max_leaves=8)


@st.composite
def perturbed_models(draw) -> dict:
    """The default model with a few keys removed, retyped, reweighted or misspelt."""
    raw = copy.deepcopy(DEFAULT_RAW)
    for path in draw(st.lists(st.sampled_from(ALL_PATHS), min_size=1, max_size=4)):
        parent = raw
        try:
            for key in path[:-1]:
                parent = parent[key]
            old = parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed or retyped the way there
        action = draw(st.sampled_from(["delete", "retype", "scale", "misspell"]))
        if action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "scale" and isinstance(old, (int, float)) and not isinstance(old, bool):
            parent[path[-1]] = old * draw(st.sampled_from([-1.0, 0.0, 1e-9, 0.5, 3.0, 1e9]))
        elif action == "misspell" and isinstance(parent, dict):
            parent[f"{path[-1]}_x"] = parent.pop(path[-1])
        else:
            parent[path[-1]] = draw(ANY_VALUE)
    return raw


def test_the_default_model_survives_the_round_trip_through_the_test_writer():
    assert parse_toml(toml_text(DEFAULT_RAW)) == DEFAULT_RAW
    assert parse_model(toml_text(DEFAULT_RAW)).hazard_weights == parse_model(DEFAULT_MODEL_TEXT).hazard_weights


def check_model(text: str) -> None:
    try:
        model = parse_model(text, "fuzz.toml")
    except InputError as error:
        assert "fuzz.toml" in error.en or "Risk model" in error.en, error.en
        assert error.zh
        return
    weights = list(model.hazard_weights.values())
    assert all(w >= 0 for w in weights) and abs(sum(weights) - 1.0) < 1e-6, model.hazard_weights


@settings(max_examples=150, deadline=None)
@given(raw=perturbed_models())
def test_a_perturbed_model_file_is_read_or_a_clear_error(raw):
    check_model(toml_text(raw))


@settings(max_examples=100, deadline=None)
@given(text=st.one_of(st.text(max_size=120),
                      st.builds(lambda a, b: a + b, st.just(DEFAULT_MODEL_TEXT[:800]), st.text(max_size=40))))
def test_junk_model_text_is_a_clear_error(text):
    check_model(text)
