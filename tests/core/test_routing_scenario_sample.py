"""The scenarios on the sample data: the issue's figures from the engine, each against
an own count with plain geopandas (sjoin / distance) on the same layers."""
from __future__ import annotations

import geopandas as gpd
import pytest
from pyproj import CRS

from hunchun_risk_plugin.core.routing.evacuation import EvacuationSettings, evacuate
from hunchun_risk_plugin.core.routing.evacuees import who_must_leave
from hunchun_risk_plugin.core.routing.scenario import load_scenario, parse_scenario
from hunchun_risk_plugin.core.routing.scenario_inputs import ScenarioInputs
from hunchun_risk_plugin.core.routing.shelter_rules import exclusions
from hunchun_risk_plugin.core.definitions import hazard_site_kinds

CRS_M = CRS.from_epsg(4511)


@pytest.fixture(scope="module")
def layers(sample_gpkg):
    return {name: gpd.read_file(sample_gpkg, layer=name, engine="pyogrio") for name in
            ("roads", "settlements", "shelters", "hazard_sites", "flood_zones", "townships")}


def test_the_100_year_flood_zones_hold_66_settlements_with_94258_people(layers):
    people, zones = layers["settlements"], layers["flood_zones"]
    result = who_must_leave(people, people["code"], ScenarioInputs(load_scenario("flood_100y")), CRS_M,
                            hazard_polygons=zones)
    own = gpd.sjoin(people, zones[zones["return_period_years"] <= 100][["geometry"]], predicate="intersects")
    own = people.loc[own.index.unique()]
    assert len(result.origins) == len(own) == 66
    assert result.origins["population"].sum() == own["population"].sum() == 94258
    assert set(result.origins["origin"]) == set(own["code"])
    fifty = gpd.sjoin(people, zones[zones["return_period_years"] <= 50][["geometry"]], predicate="intersects")
    assert result.by_priority()[1] == people.loc[fifty.index.unique(), "population"].sum()


def test_shelters_in_the_flood_zones_and_near_a_major_hazard_installation(layers):
    people, zones, shelters, sites = layers["settlements"], layers["flood_zones"], layers["shelters"], layers[
        "hazard_sites"]
    scenario = load_scenario("flood_100y")
    evacuees = who_must_leave(people, people["code"], ScenarioInputs(scenario), CRS_M, hazard_polygons=zones)
    result = exclusions(shelters, scenario.shelters, evacuees.zones, CRS_M, sites)
    inside = result.reason_en.astype(str)
    in_zone = [r.startswith("inside") for r in inside]
    own = gpd.sjoin(shelters, zones[zones["return_period_years"] <= 100][["geometry"]], predicate="intersects")
    own_in = shelters.index.isin(own.index)
    assert in_zone == own_in.tolist() and sum(in_zone) == 14
    assert shelters.loc[own_in, "capacity"].sum() == 39283 and shelters.loc[~own_in, "capacity"].sum() == 80807
    plants = sites[sites["kind"] == "major_hazard_installation"]
    near = shelters.geometry.apply(lambda g: plants.distance(g).min() < 1000)
    assert ["major hazard installation" in r for r in inside] == near.tolist() and near.sum() == 1


def test_the_hazard_sites_threaten_24762_people_and_the_geological_ones_10027(layers):
    people, sites = layers["settlements"], layers["hazard_sites"]
    every_kind = parse_scenario(f"""
[[triggers]]
key = "all_sites"
source = "hazard_sites"
site_kinds = [{", ".join(f'"{k}"' for k in hazard_site_kinds())}]
radius_m = 500
""")
    result = who_must_leave(people, people["code"], ScenarioInputs(every_kind, hazard_sites=sites), CRS_M)
    assert result.zones[0].features == len(sites) == 165
    assert result.origins["population"].sum() == sites["threatened_people"].sum() == 24762
    geological_rainstorm = ScenarioInputs(load_scenario("geological_rainstorm"), hazard_sites=sites)
    geological = who_must_leave(people, people["code"], geological_rainstorm, CRS_M)
    kinds = ["landslide", "collapse", "debris_flow", "ground_subsidence"]
    assert geological.origins["population"].sum() == sites.loc[sites["kind"].isin(kinds),
                                                               "threatened_people"].sum() == 10027


@pytest.mark.slow
@pytest.mark.parametrize("name", ["flood_100y", "geological_rainstorm"])
def test_a_whole_plan_on_the_sample_keeps_every_count(layers, name):
    result = evacuate(layers["roads"], layers["settlements"], layers["shelters"], EvacuationSettings(),
                      hazard_polygons=layers["flood_zones"],
                      scenario=ScenarioInputs(load_scenario(name), hazard_sites=layers["hazard_sites"],
                                              townships=layers["townships"], max_new_shelters=10))
    summary, evacuees = result.summary, result.evacuees
    assert summary["population_placed"] + summary["population_unreached"] == summary["population_evacuees"]
    assert (evacuees["placed"] + evacuees["not_placed"] == evacuees["evacuees"]).all()
    assert result.routes["population"].sum() == summary["population_placed"]
    load = result.shelter_load
    assert len(load) == len(layers["shelters"]) and (load["assigned"] <= load["capacity"]).all()
    assert load.loc[load["status"] != "open", "assigned"].sum() == 0
    assert result.shortfall["shortfall"].sum() == summary["population_evacuees"] - summary[
        "population_placed_within_standard"]
    assert len(result.proposed) <= 10 and (result.proposed["needed_capacity"] > 0).all()
    assert summary["assignment_method"] == "priority_milp"
