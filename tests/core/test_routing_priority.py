"""Assignment by priority and the proposed new shelters: hand-worked answers, brute
force over every assignment / every choice of sites, and a whole plan on a hand-made
network."""
from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point

from hunchun_risk_plugin.core.errors import InputError
from hunchun_risk_plugin.core.routing.assignment import BY_PRIORITY, BY_PRIORITY_GREEDY, assign, assign_by_priority
from hunchun_risk_plugin.core.routing.evacuation import EvacuationSettings, evacuate
from hunchun_risk_plugin.core.routing.location import propose_sites
from hunchun_risk_plugin.core.routing.scenario import parse_scenario
from hunchun_risk_plugin.core.routing.scenario_inputs import ScenarioInputs


def flows(result):
    return sorted(zip(result.origin.tolist(), result.shelter.tolist(), result.people.tolist()))


def test_priority_one_takes_the_place_even_when_priority_two_is_nearer():
    # One shelter of 100; priority 2 is 1 min away, priority 1 is 50 min away.
    time = np.array([[50.0], [1.0]]) * 60
    within = np.ones((2, 1), dtype=bool)
    result = assign_by_priority(np.array([100, 100]), np.array([0, 1]), np.array([100]), time, within)
    assert result.method == BY_PRIORITY
    assert flows(result) == [(0, 0, 100)] and result.unplaced.tolist() == [0, 100]
    # The everyone-assignment (fewest unplaced, then person-minutes) takes the near one instead.
    assert flows(assign(np.array([100, 100]), np.array([100]), time)) == [(1, 0, 100)]


def test_within_the_standard_wins_over_nearer_beyond_it():
    # An emergency shelter 6 min away but beyond its standard, a fixed one 12 min away within its own.
    time = np.array([[6.0, 12.0]]) * 60
    within = np.array([[False, True]])
    result = assign_by_priority(np.array([80]), np.array([0]), np.array([100, 100]), time, within)
    assert flows(result) == [(0, 1, 80)]
    # Priority 1 first within the standard, then beyond it, before priority 2 gets anything within it.
    time = np.array([[10.0, 20.0], [5.0, 30.0]]) * 60
    within = np.array([[True, False], [True, True]])
    result = assign_by_priority(np.array([60, 60]), np.array([0, 1]), np.array([50, 50]), time, within)
    assert flows(result) == [(0, 0, 50), (0, 1, 10), (1, 1, 40)]


def test_greedy_fallback_keeps_the_priority_order():
    time = np.array([[50.0], [1.0]]) * 60
    result = assign_by_priority(np.array([100, 100]), np.array([0, 1]), np.array([100]), time,
                                np.ones((2, 1), dtype=bool), max_pairs=0)
    assert result.method == BY_PRIORITY_GREEDY and flows(result) == [(0, 0, 100)]


def lexicographic_key(x, rank, within, time):
    key = []
    for r in sorted(set(rank.tolist())):
        mine = rank == r
        key += [-int((x[mine] * within[mine]).sum()), -int(x[mine].sum())]
    return tuple(key) + (round(float(np.where(x > 0, x * np.where(np.isfinite(time), time, 0), 0).sum()), 6),)


def brute_force_priority(people, rank, capacity, time, within):
    best = None
    for flat in itertools.product(*[range(p + 1) for p in people for _ in capacity]):
        x = np.array(flat).reshape(len(people), len(capacity))
        if (x.sum(axis=1) > people).any() or (x.sum(axis=0) > capacity).any() or (x > 0)[~np.isfinite(time)].any():
            continue
        key = lexicographic_key(x, rank, within, time)
        best = key if best is None or key < best else best
    return best


@settings(max_examples=40, deadline=None)
@given(people=st.lists(st.integers(0, 3), min_size=1, max_size=3),
       capacity=st.lists(st.integers(0, 3), min_size=1, max_size=2),
       data=st.data())
def test_priority_assignment_matches_brute_force_on_tiny_instances(people, capacity, data):
    people, capacity = np.array(people), np.array(capacity)
    cells = len(people) * len(capacity)
    time = np.array(data.draw(st.lists(st.one_of(st.integers(1, 9).map(float), st.just(np.inf)), min_size=cells,
                                       max_size=cells))).reshape(len(people), len(capacity))
    within = np.array(data.draw(st.lists(st.booleans(), min_size=cells, max_size=cells))).reshape(time.shape)
    rank = np.array(data.draw(st.lists(st.integers(0, 2), min_size=len(people), max_size=len(people))))
    result = assign_by_priority(people, rank, capacity, time, within)
    x = np.zeros(time.shape, dtype=np.int64)
    x[result.origin, result.shelter] = result.people
    assert (x.sum(axis=1) + result.unplaced == people).all() and (x.sum(axis=0) <= capacity).all()
    assert lexicographic_key(x, rank, within, time) == brute_force_priority(people, rank, capacity, time, within)


# --- proposed new shelters --------------------------------------------------------------

def test_the_sites_that_cover_the_most_priority_one_then_priority_two_are_chosen():
    # d0 (p1, 100) covered by c0 and c1; d1 (p2, 50) by c1 only; d2 (p1, 30) by c2 only.
    demand, priority = np.array([100, 50, 30]), np.array([1, 2, 1])
    covers = np.array([[1, 1, 0], [0, 1, 0], [0, 0, 1]], dtype=bool)
    distance = np.where(covers, 500.0, np.inf)
    one = propose_sites(demand, priority, covers, distance, 1)
    assert one.sites.tolist() == [1] and sorted(zip(one.demand.tolist(), one.people.tolist())) == [(0, 100), (1, 50)]
    two = propose_sites(demand, priority, covers, distance, 2)
    assert sorted(two.sites.tolist()) == [1, 2] and two.people.sum() == 180
    # With room for 120 at c1, one site still covers the 100 of priority 1 and then 20 of priority 2.
    capped = propose_sites(demand, priority, covers, distance, 1, capacity=np.array([np.inf, 120, np.inf]))
    assert capped.sites.tolist() == [1] and sorted(zip(capped.demand.tolist(), capped.people.tolist())) == [(0, 100),
                                                                                                            (1, 20)]
    assert propose_sites(demand, priority, covers, distance, 0).sites.size == 0


def test_a_site_that_adds_nothing_is_not_proposed():
    demand, priority = np.array([10]), np.array([1])
    covers = np.array([[True, True]])
    result = propose_sites(demand, priority, covers, np.array([[100.0, 900.0]]), 2)
    assert result.sites.tolist() == [0]  # one site covers all; the nearer one wins on person-metres


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_proposal_matches_brute_force_over_every_choice_of_sites(data):
    n_demand, n_sites = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 4))
    demand = np.array(data.draw(st.lists(st.integers(0, 20), min_size=n_demand, max_size=n_demand)))
    priority = np.array(data.draw(st.lists(st.integers(1, 2), min_size=n_demand, max_size=n_demand)))
    covers = np.array(data.draw(st.lists(st.booleans(), min_size=n_demand * n_sites, max_size=n_demand * n_sites))
                      ).reshape(n_demand, n_sites)
    max_new = data.draw(st.integers(1, 3))
    result = propose_sites(demand, priority, covers, np.where(covers, 1.0, np.inf), max_new)
    covered = np.bincount(result.demand, weights=result.people, minlength=n_demand)
    assert (covered <= demand).all() and len(result.sites) <= max_new

    def key(chosen):
        reached = covers[:, list(chosen)].any(axis=1) if chosen else np.zeros(n_demand, dtype=bool)
        return (-int(demand[reached & (priority == 1)].sum()), -int(demand[reached & (priority == 2)].sum()))

    best = min(key(c) for k in range(max_new + 1) for c in itertools.combinations(range(n_sites), k))
    got = (-int(covered[priority == 1].sum()), -int(covered[priority == 2].sum()))
    assert got == best
    fewest = min(len(c) for k in range(max_new + 1) for c in itertools.combinations(range(n_sites), k) if key(c)
                 == best)
    assert len(result.sites) == fewest


# --- a whole plan on a hand-made network ------------------------------------------------

def line_roads():
    xs = list(range(0, 7000, 1000))
    return gpd.GeoDataFrame({"road_class": ["county"] * (len(xs) - 1)},
                            geometry=[LineString([(a, 0), (b, 0)]) for a, b in zip(xs[:-1], xs[1:])], crs=4511)


SITES_SCENARIO = """
[scenario]
name = "two_sites"
mode = "walking"

[[triggers]]
key = "landslide"
label_en = "the landslide area"
source = "hazard_sites"
site_kinds = ["landslide"]
radius_m = 100
priority = 1

[[triggers]]
key = "collapse"
source = "hazard_sites"
site_kinds = ["collapse"]
radius_m = 100
priority = 2
"""


def two_site_case():
    settlements = gpd.GeoDataFrame({
        "code": ["A", "B", "C"], "name": ["甲村", "乙村", "丙村"], "population": [100, 100, 5],
        "township_code": ["T1"] * 3}, geometry=[Point(2900, 0), Point(5000, 0), Point(2500, 0)], crs=4511)
    sites = gpd.GeoDataFrame({"code": ["H1", "H2"], "name": ["乙村滑坡", "甲村崩塌"], "kind": ["landslide", "collapse"],
                              "threatened_people": [100, 100]}, geometry=[Point(5000, 50), Point(2900, 50)], crs=4511)
    shelters = gpd.GeoDataFrame({"code": ["S"], "name": ["学校"], "kind": ["fixed_long"], "capacity": [100]},
                                geometry=[Point(3000, 0)], crs=4511)
    return settlements, sites, shelters


def test_the_priority_one_village_gets_the_shelter_and_a_new_one_is_proposed_for_the_other():
    settlements, sites, shelters = two_site_case()
    scenario = parse_scenario(SITES_SCENARIO)
    result = evacuate(line_roads(), settlements, shelters, EvacuationSettings(),
                      scenario=ScenarioInputs(scenario, hazard_sites=sites, max_new_shelters=1))
    # B (priority 1) walks 2,000 m, within the fixed_long standard; A (priority 2, 100 m away) finds it full.
    assert result.routes[["origin", "shelter", "population", "priority"]].values.tolist() == [["B", "S", 100, 1]]
    assert result.routes["distance_m"].item() == pytest.approx(2000.0)
    assert result.unreached.set_index("origin").loc["A", "reason"] == "no_capacity"
    summary = result.summary
    assert summary["population_evacuees"] == 200 and summary["population_placed"] == 100
    assert summary["by_priority"]["1"]["placed_within_standard"] == 100 and summary["by_priority"]["2"][
        "not_placed"] == 100
    township = result.shortfall.iloc[0]
    assert (township["evacuees"], township["places_within_standard"], township["placed_within_standard"],
            township["shortfall"]) == (200, 100, 100, 100)
    # C (400 m from A, outside both sites' areas) becomes the new shelter for A's 100; A and B are inside.
    proposed = result.proposed
    assert proposed[["candidate", "needed_capacity", "priority_1", "other_priorities"]].values.tolist() == [
        ["C", 100, 0, 100]]
    assert proposed["from_origins"].item() == "甲村 (A): 100"
    # Without a scenario everybody goes and the nearer village A wins the places.
    everyone = evacuate(line_roads(), settlements, shelters, EvacuationSettings())
    assert everyone.routes.set_index("origin").loc["A", "population"] == 100


FLOOD_SCENARIO = """
[scenario]
name = "flood"
mode = "walking"

[[triggers]]
key = "fifty"
label_en = "the 50-year flood zone"
label_zh = "50年一遇洪水淹没区"
source = "hazard_polygons"
where = "return_period_years <= 50"
priority = 1

[shelters]
major_hazard_distance_m = 1000
"""


def flood_case():
    from shapely.geometry import box

    settlements = gpd.GeoDataFrame({"code": ["P1", "P2"], "name": ["一", "二"], "population": [100, 1000],
                                    "township_code": ["T1", "T2"]}, geometry=[Point(2600, 0), Point(500, 0)], crs=4511)
    shelters = gpd.GeoDataFrame({
        "code": ["S1", "S2", "S3", "S4"], "name": ["河边", "学校", "广场", "体育馆"],
        "kind": ["fixed_long", "fixed_short", "emergency", "fixed_long"], "capacity": [1000, 100, 50, 500]},
        geometry=[Point(2700, 0), Point(3400, 0), Point(5900, 0), Point(4500, 0)], crs=4511)
    zones = gpd.GeoDataFrame({"return_period_years": [50, 500]},
                             geometry=[box(2050, -100, 2950, 100), box(0, -50, 600, 50)],
                             crs=4511)
    plant = gpd.GeoDataFrame({"code": ["M"], "name": ["某化工厂"], "kind": ["major_hazard_installation"],
                              "threatened_people": [0]}, geometry=[Point(5900, 640)], crs=4511)
    return settlements, shelters, zones, plant


def test_a_flood_plan_excludes_unsafe_shelters_with_the_reason_and_lists_every_shelter():
    settlements, shelters, zones, plant = flood_case()
    result = evacuate(line_roads(), settlements, shelters, EvacuationSettings(), hazard_polygons=zones,
                      scenario=ScenarioInputs(parse_scenario(FLOOD_SCENARIO), hazard_sites=plant))
    load = result.shelter_load.set_index("shelter")
    assert load["status"].to_dict() == {"S1": "excluded", "S2": "open", "S3": "excluded", "S4": "open"}
    assert load.loc["S1", "reason_en"] == "inside the 50-year flood zone"
    assert load.loc["S1", "reason_zh"] == "位于50年一遇洪水淹没区内"
    assert load.loc["S3", "reason_en"] == "640 m from major hazard installation 某化工厂 (< 1000 m)"
    # Only P1 (in the 50-year zone) leaves: 400 m out of the zone on the closed road, 400 m on to S2.
    route = result.routes.iloc[0]
    assert (route["origin"], route["shelter"], route["population"]) == ("P1", "S2", 100)
    assert route["distance_m"] == pytest.approx(800.0) and route["escape_m"] == pytest.approx(400.0)
    # The 500-year polygon is not selected by the scenario, so it closes no road: P2 stays, nothing else moves.
    assert result.evacuees["origin"].tolist() == ["P1"]
    assert result.summary["population_evacuees"] == 100 and result.summary["shelters_excluded"] == 2


def test_no_shelter_left_after_the_exclusions_is_an_error_before_routing():
    settlements, shelters, zones, plant = flood_case()
    winter = FLOOD_SCENARIO.replace("[shelters]", "[shelters]\nindoor_only = true")
    shelters["indoor"] = [True, False, False, False]
    with pytest.raises(InputError) as error:
        evacuate(line_roads().iloc[:0], settlements, shelters, EvacuationSettings(), hazard_polygons=zones,
                 scenario=ScenarioInputs(parse_scenario(winter), hazard_sites=plant))
    assert "leaves no shelter" in error.value.en and "not indoor" in error.value.en


def test_a_negative_number_of_new_shelters_is_an_error():
    settlements, sites, shelters = two_site_case()
    with pytest.raises(InputError, match="MAX_NEW_SHELTERS"):
        evacuate(line_roads(), settlements, shelters, EvacuationSettings(),
                 scenario=ScenarioInputs(parse_scenario(SITES_SCENARIO), hazard_sites=sites, max_new_shelters=-1))


def test_polygon_settlements_leave_by_their_share_and_start_at_their_centroid():
    from shapely.geometry import box

    settlements = gpd.GeoDataFrame({"code": ["Q"], "name": ["面村"], "population": [200], "township_code": ["T1"]},
                                   geometry=[box(2800, -100, 3000, 100)], crs=4511)  # a quarter west of x = 2850
    zones = gpd.GeoDataFrame({"return_period_years": [50]}, geometry=[box(2000, -200, 2850, 200)], crs=4511)
    shelters = gpd.GeoDataFrame({"code": ["S"], "name": ["学校"], "kind": ["fixed_long"], "capacity": [500]},
                                geometry=[Point(4000, 0)], crs=4511)
    result = evacuate(line_roads(), settlements, shelters, EvacuationSettings(), hazard_polygons=zones,
                      scenario=ScenarioInputs(parse_scenario(FLOOD_SCENARIO)))
    assert result.evacuees["evacuees"].item() == 50
    assert result.evacuees.geometry.item().equals(Point(2900, 0))
    assert result.routes["distance_m"].item() == pytest.approx(1100.0)


def test_the_vulnerable_go_first_within_a_priority():
    # Everyone leaves; S holds 60. The 20 + 50 vulnerable (elderly_share) come before anyone else,
    # so S takes A's 20 (100 m) and 40 of B's 50 (2,000 m), not 60 of A's 100 who are nearer.
    settlements = gpd.GeoDataFrame({"code": ["A", "B"], "name": ["甲", "乙"], "population": [100, 100],
                                    "elderly_share": [0.2, 0.5]}, geometry=[Point(2900, 0), Point(5000, 0)], crs=4511)
    shelters = gpd.GeoDataFrame({"code": ["S"], "name": ["学校"], "kind": ["fixed_long"], "capacity": [60]},
                                geometry=[Point(3000, 0)], crs=4511)
    drill = parse_scenario('[[triggers]]\nkey = "all"\nsource = "everyone"\n')
    routes = evacuate(line_roads(), settlements, shelters, EvacuationSettings(),
                      scenario=ScenarioInputs(drill)).routes.set_index("origin")
    assert routes["population"].to_dict() == {"A": 20, "B": 40}
    assert routes["vulnerable"].to_dict() == {"A": 20, "B": 40}
    nearest_first = evacuate(line_roads(), settlements, shelters, EvacuationSettings()).routes.set_index("origin")
    assert nearest_first["population"].to_dict() == {"A": 60}
