"""Scenario files, who must leave and which shelters may be used, on hand-made layers
whose answers are worked out by hand."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from pyproj import CRS
from rasterio.transform import from_origin
from shapely.geometry import Point, box

from hunchun_risk_plugin.core.errors import InputError
from hunchun_risk_plugin.core.routing.evacuees import SITE, who_must_leave
from hunchun_risk_plugin.core.routing.hazards import ClassRaster
from hunchun_risk_plugin.core.routing.scenario import (
    SCENARIO_DIR, load_scenario, parse_condition, parse_scenario, shipped_scenarios,
)
from hunchun_risk_plugin.core.routing.scenario_inputs import ScenarioInputs
from hunchun_risk_plugin.core.routing.shelter_rules import exclusions

CRS_M = CRS.from_epsg(4511)


def scenario(body: str, mode: str = "walking"):
    return parse_scenario(f'[scenario]\nname = "test"\nmode = "{mode}"\n\n{body}')


def trigger(source: str, key: str = "t", rate: float = 1.0, priority: int = 1, **extra) -> str:
    lines = ['[[triggers]]', f'key = "{key}"', f'source = "{source}"', f"rate = {rate}", f"priority = {priority}",
             f'label_en = "the {key} zone"', f'label_zh = "{key}区"']
    for name, value in extra.items():
        lines.append(f"{name} = {value!r}".replace("'", '"') if not isinstance(value, list) else
                     f"{name} = [{', '.join(chr(34) + v + chr(34) for v in value)}]")
    return "\n".join(lines) + "\n"


def settlements(points_or_shapes, population, township="T1"):
    geometry = [Point(g) if isinstance(g, tuple) else g for g in points_or_shapes]
    n = len(geometry)
    return gpd.GeoDataFrame({"code": [f"p{i + 1}" for i in range(n)], "name": [f"P{i + 1}" for i in range(n)],
                             "population": population, "township_code": [township] * n}, geometry=geometry, crs=4511)


def flood_zones():
    return gpd.GeoDataFrame({"return_period_years": [50, 100]}, geometry=[box(0, 0, 100, 100), box(200, 0, 300, 100)],
                            crs=4511)


def leave(frame, scenario_, hazard_sites=None, townships=None, **hazard_layers):
    inputs = ScenarioInputs(scenario_, hazard_sites=hazard_sites, townships=townships)
    return who_must_leave(frame, frame["code"], inputs, CRS_M, **hazard_layers)


def by_origin(result, column="population"):
    return result.origins.set_index("origin")[column].to_dict()


# --- the scenario file ------------------------------------------------------------------

def test_the_shipped_scenarios_are_the_folder_listing_and_all_load():
    assert shipped_scenarios() == sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))
    assert set(shipped_scenarios()) >= {"flood_100y", "flood_100y_winter", "geological_rainstorm", "earthquake_drill"}
    winter = load_scenario("flood_100y_winter")
    assert winter.shelters.indoor_only and not load_scenario("flood_100y").shelters.indoor_only
    assert [t.source for t in load_scenario("earthquake_drill").triggers] == ["everyone"]
    assert load_scenario("geological_rainstorm").triggers[0].site_kinds == (
        "landslide", "collapse", "debris_flow", "ground_subsidence")
    assert load_scenario(str(SCENARIO_DIR / "flood_100y.toml")).name == "flood_100y"


def line_of(text: str, needle: str) -> int:
    return next(i + 1 for i, line in enumerate(text.splitlines()) if line.strip().startswith(needle))


@pytest.mark.parametrize("bad, key, words", [
    ('radius_m = 0', "radius_m", "must be positive"),
    ('radius_m = -5', "radius_m", "must be positive"),
    ('radius_m = "far"', "radius_m", "must be a number"),
    ('radius = 100', "radius", "unknown key(s) radius"),
])
def test_bad_site_trigger_values_name_the_key_and_its_line(bad, key, words):
    text = ('[scenario]\nname = "x"\n\n[[triggers]]\nkey = "other"\nsource = "everyone"\n\n[[triggers]]\nkey = '
            '"sites"\n'
            f'source = "hazard_sites"\nsite_kinds = ["landslide"]\n{bad}\n')
    if not bad.startswith("radius_m"):
        text = text.replace(bad, f"radius_m = 100\n{bad}")
    with pytest.raises(InputError) as error:
        parse_scenario(text, "x.toml")
    message = error.value.en
    assert key in message and words in message
    assert f"line {line_of(text, bad.split(' ')[0] + ' ')}" in message
    assert "第" in error.value.zh


@pytest.mark.parametrize("body, words", [
    (trigger("everyone", rate=1.5), "rate"),
    (trigger("everyone", priority=0), "priority"),
    (trigger("volcano"), "'volcano' is not one of"),
    (trigger("hazard_sites", site_kinds=["meteor"], radius_m=100), "meteor"),
    (trigger("risk_raster", min_class=9), "min_class"),
    (trigger("everyone") + trigger("everyone"), "duplicate key"),
    (trigger("everyone") + '[shelters]\nindoor_only = "yes"\n', "indoor_only"),
    (trigger("everyone") + '[shelters]\nallowed_kinds = ["tent"]\n', "allowed_kinds"),
    (trigger("everyone") + '[evacuation]\nx = 1\n', "unknown key(s) evacuation"),
    ("", "at least one trigger"),
])
def test_bad_scenarios_are_errors_naming_the_key(body, words):
    with pytest.raises(InputError, match="Scenario") as error:
        scenario(body)
    assert words in error.value.en


def test_a_scenario_that_is_neither_shipped_nor_a_file_lists_the_shipped_ones(tmp_path):
    with pytest.raises(InputError) as error:
        load_scenario(tmp_path / "nope.toml")
    assert "flood_100y" in error.value.en


def test_conditions_are_parsed_never_evaluated():
    assert parse_condition("return_period_years <= 100").text() == "return_period_years <= 100"
    assert parse_condition("river = '图们江'").op == "=="
    for text in ("__import__('os').system('true')", "a <= b <= c", "river < '图们江'", "depth >"):
        with pytest.raises(InputError):
            parse_condition(text)


# --- who must leave ---------------------------------------------------------------------

def test_points_count_wholly_and_polygons_by_their_share_of_area():
    # P1 point in the 50-year box; P2 point in the 100-year box only; P3 a polygon with a
    # quarter of its area (x 75..100 of 75..175) in the 50-year box; P4 outside.
    people = settlements([(50, 50), (250, 50), box(75, 0, 175, 100), (500, 500)], [10, 20, 40, 7])
    fifty = leave(people, scenario(trigger("hazard_polygons", where="return_period_years <= 50")),
                  hazard_polygons=flood_zones())
    assert by_origin(fifty) == {"p1": 10, "p3": 10}
    hundred = leave(people, scenario(trigger("hazard_polygons", rate=0.5, where="return_period_years <= 100")),
                    hazard_polygons=flood_zones())
    # The 100-year condition also takes the 50-year box; P3 still has only its quarter in it: 40 · 0.25 · 0.5 = 5
    assert by_origin(hundred) == {"p1": 5, "p2": 10, "p3": 5}
    assert len(fifty.closing_polygons) == 1 and len(hundred.closing_polygons) == 2


def test_a_settlement_hit_by_several_triggers_leaves_once_at_its_best_priority_and_highest_rate():
    people = settlements([(50, 50), (250, 50)], [10, 20])
    both = scenario(trigger("hazard_polygons", key="danger", rate=0.5, priority=1, where="return_period_years <= 50")
                    + trigger("hazard_polygons", key="warning", rate=1.0, priority=2,
                              where="return_period_years <= 100"))
    result = leave(people, both, hazard_polygons=flood_zones())
    assert by_origin(result) == {"p1": 10, "p2": 20}
    assert by_origin(result, "priority") == {"p1": 1, "p2": 2}
    assert result.by_priority() == {1: 10, 2: 20}
    assert [z.evacuees for z in result.zones] == [5, 30]


def sites(rows):
    """rows: (x, y, kind, threatened, name)."""
    return gpd.GeoDataFrame({"code": [f"h{i + 1}" for i in range(len(rows))], "name": [r[4] for r in rows],
                             "kind": [r[2] for r in rows], "threatened_people": [r[3] for r in rows],
                             "township_code": "T1"}, geometry=[Point(r[0], r[1]) for r in rows], crs=4511)


def test_threatened_people_go_to_the_settlements_near_the_site_or_stay_at_the_site():
    people = settlements([(0, 0), (100, 0), (5000, 0)], [300, 100, 50])
    layer = sites([(50, 0, "landslide", 200, "H1"), (3000, 0, "collapse", 30, "H2"),
                   (5000, 10, "debris_flow", 80, "H3"), (0, 0, "waterlogging", 999, "H4")])
    geo = scenario(trigger("hazard_sites", site_kinds=["landslide", "collapse", "debris_flow"], radius_m=200))
    result = leave(people, geo, hazard_sites=layer)
    # H1's 200 split 300:100 -> 150, 50; H2 has nobody near: 30 stay at H2; H3 fills P3 (50) and 30 stay at H3.
    assert by_origin(result) == {"p1": 150, "p2": 50, "p3": 50, "h2": 30, "h3": 30}
    assert set(result.origins.loc[result.origins.origin_kind == SITE, "origin"]) == {"h2", "h3"}
    assert result.origins["population"].sum() == 200 + 30 + 80
    links = result.site_links.groupby("site")["people"].sum().to_dict()
    assert links == {"h1": 200, "h2": 30, "h3": 80}
    assert result.zones[0].features == 3


def test_the_vulnerable_come_from_elderly_share_of_the_settlement_or_its_township():
    people = settlements([(50, 50), (60, 50)], [100, 50])
    townships = gpd.GeoDataFrame({"code": ["T1"], "elderly_share": [0.2]}, geometry=[box(0, 0, 1, 1)], crs=4511)
    zone = scenario(trigger("hazard_polygons"))
    assert by_origin(leave(people, zone, hazard_polygons=flood_zones(), townships=townships), "vulnerable") == \
        {"p1": 20, "p2": 10}
    people["elderly_share"] = [0.5, None]
    assert by_origin(leave(people, zone, hazard_polygons=flood_zones(), townships=townships), "vulnerable") == \
        {"p1": 50, "p2": 10}


def test_risk_class_cells_from_the_threshold_trigger():
    classes = np.array([[5, 3], [1, 4]])
    raster = ClassRaster(classes, from_origin(0, 200, 100, 100), CRS_M)
    people = settlements([(50, 150), (150, 150), (50, 50), (150, 50)], [1, 2, 3, 4])
    assert by_origin(leave(people, scenario(trigger("risk_raster", min_class=4)), hazard_raster=raster)) == {"p1": 1,
                                                                                                             "p4": 4}
    assert by_origin(leave(people, scenario(trigger("risk_raster", min_class=3)), hazard_raster=raster)) == \
        {"p1": 1, "p2": 2, "p4": 4}


def test_a_trigger_that_selects_nobody_is_a_warning_and_a_scenario_that_moves_nobody_an_error():
    people = settlements([(50, 50)], [10])
    two = scenario(trigger("hazard_polygons", key="rare", where="return_period_years <= 5")
                   + trigger("hazard_polygons", key="fifty", where="return_period_years <= 50"))
    result = leave(people, two, hazard_polygons=flood_zones())
    assert len(result.warnings) == 1 and "'rare'" in result.warnings[0][0] and "selects nobody" in result.warnings[0][0]
    with pytest.raises(InputError, match="moves nobody"):
        leave(people, scenario(trigger("hazard_polygons", where="return_period_years <= 5")),
              hazard_polygons=flood_zones())


@pytest.mark.parametrize("body, layers, words", [
    (trigger("hazard_polygons", where="depth_m > 1"), "polygons",
     "'depth_m', which layer 'hazard polygons' does not have"),
    (trigger("hazard_polygons"), None, "HAZARD_POLYGONS"),
    (trigger("hazard_sites", site_kinds=["tailings_pond"], radius_m=100), "sites",
     "none of the site_kinds tailings_pond"),
    (trigger("risk_raster", min_class=4), None, "HAZARD_RASTER"),
])
def test_a_scenario_naming_what_the_layers_lack_is_an_error(body, layers, words):
    people = settlements([(50, 50)], [10])
    given = {"polygons": {"hazard_polygons": flood_zones()},
             "sites": {"hazard_sites": sites([(0, 0, "landslide", 5, "H")])}}.get(layers, {})
    with pytest.raises(InputError) as error:
        leave(people, scenario(body), **given)
    assert words in error.value.en


# --- which shelters may be used ---------------------------------------------------------

def test_shelters_are_excluded_with_the_reason():
    people = settlements([(50, 50)], [10])
    rules = ('[shelters]\nindoor_only = true\nallowed_kinds = ["fixed_short", "fixed_long"]\n'
             'major_hazard_distance_m = 1000\n')
    plan = scenario(trigger("hazard_polygons", where="return_period_years <= 50") + rules)
    zones = leave(people, plan, hazard_polygons=flood_zones()).zones
    shelters = gpd.GeoDataFrame({
        "code": ["in_zone", "near_plant", "open_air", "tent_kind", "fine"],
        "kind": ["fixed_short", "fixed_short", "fixed_long", "emergency", "fixed_long"],
        "indoor": [True, True, False, True, True]},
        geometry=[Point(50, 50), Point(5000, 640), Point(9000, 0), Point(12000, 0), Point(15000, 0)], crs=4511)
    plant = sites(
        [(5000, 0, "major_hazard_installation", 0, "某化工厂"), (9000, 5000, "major_hazard_installation", 0, "远厂")])
    result = exclusions(shelters, plan.shelters, zones, CRS_M, plant)
    reasons = dict(zip(shelters["code"], result.reason_en))
    assert reasons["in_zone"] == "inside the t zone"
    assert reasons["near_plant"] == "640 m from major hazard installation 某化工厂 (< 1000 m)"
    assert reasons["open_air"].startswith("not indoor")
    assert reasons["tent_kind"] == "kind 'emergency' not allowed by the scenario"
    assert reasons["fine"] == ""
    assert result.excluded.tolist() == [True, True, True, True, False]
    assert dict(zip(shelters["code"], result.reason_zh))["near_plant"] == "距重大危险源某化工厂 640 米（< 1000 米）"
    relaxed = scenario(trigger("hazard_polygons", where="return_period_years <= 50")
                       + "[shelters]\nmajor_hazard_distance_m = 600\n")
    assert not exclusions(shelters, relaxed.shelters, zones, CRS_M, plant).excluded[1]


def test_indoor_only_needs_the_indoor_field():
    plan = scenario(trigger("everyone") + "[shelters]\nindoor_only = true\n")
    shelters = gpd.GeoDataFrame({"code": ["s1"]}, geometry=[Point(0, 0)], crs=4511)
    with pytest.raises(InputError, match="indoor"):
        exclusions(shelters, plan.shelters, [], CRS_M)


def test_inputs_are_not_modified():
    people = settlements([(50, 50), box(75, 0, 175, 100)], [10, 40]).to_crs(4490)
    zones = flood_zones()
    before = (people.copy(), zones.copy())
    leave(people, scenario(trigger("hazard_polygons")), hazard_polygons=zones)
    assert people.equals(before[0]) and zones.equals(before[1])
    pd.testing.assert_frame_equal(pd.DataFrame(people.drop(columns="geometry")), before[0].drop(columns="geometry"))
