"""The hazard-site ledger on a hand-made network whose answers are worked out by hand:
which settlements each site threatens, which shelter they go to, how far and how long."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point

from hunchun_risk_plugin.core.errors import InputError
from hunchun_risk_plugin.core.routing.ledger import AT_SITE, hazard_ledger, safety_zones
from hunchun_risk_plugin.core.routing.scenario import parse_scenario

SCENARIO = """
[scenario]
name = "hand_made"
mode = "walking"

[[triggers]]
key = "geo"
source = "hazard_sites"
site_kinds = ["landslide", "collapse"]
radius_m = 200
priority = 1

[shelters]
major_hazard_distance_m = 1000
"""


def roads():
    xs = list(range(0, 7000, 1000))
    return gpd.GeoDataFrame({"road_class": ["county"] * (len(xs) - 1)},
                            geometry=[LineString([(a, 0), (b, 0)]) for a, b in zip(xs[:-1], xs[1:])], crs=4511)


def case():
    settlements = gpd.GeoDataFrame({
        "code": ["A", "B", "C"], "name": ["甲村", "乙村", "丙村"], "population": [80, 50, 150], "township_code": "T1"},
        geometry=[Point(1000, 0), Point(4000, 0), Point(4100, 0)], crs=4511)
    sites = gpd.GeoDataFrame({
        "code": ["H1", "H2", "H3", "H4", "H5"], "name": ["甲村滑坡", "乙丙崩塌", "山后滑坡", "某化工厂", "低洼内涝"],
        "kind": ["landslide", "collapse", "landslide", "major_hazard_installation", "waterlogging"],
        "scale": ["small", "medium", "large", None, "small"], "threatened_people": [60, 100, 10, 0, 500],
        "township_code": ["T1", "T1", "T2", "T1", "T1"],
        "phone": ["0433-1234567", None, None, None, None], "monitor": [None, "张三", "", None, None]},
        geometry=[Point(1000, 100), Point(4050, 100), Point(6000, 1400), Point(2500, -300), Point(0, 0)], crs=4511)
    shelters = gpd.GeoDataFrame({
        "code": ["S1", "S2", "S3"], "name": ["化工厂旁学校", "西广场", "东体育馆"], "kind": ["fixed_long"] * 3,
        "capacity": [1000, 1000, 1000]}, geometry=[Point(2000, 0), Point(0, 0), Point(5000, 0)], crs=4511)
    return settlements, sites, shelters


@pytest.fixture(scope="module")
def ledger():
    settlements, sites, shelters = case()
    return hazard_ledger(roads(), settlements, shelters, sites, scenario=parse_scenario(SCENARIO))


def test_the_ledger_lists_the_sites_whose_people_must_leave(ledger):
    # H4 (a major hazard installation) and H5 (waterlogging) are not of the scenario's kinds.
    assert ledger.sites["code"].tolist() == ["H1", "H2", "H3"]
    assert ledger.sites["evacuees"].tolist() == [60, 100, 10]
    assert ledger.sites[["kind_zh", "kind_en", "scale_zh", "scale_en"]].values.tolist() == [
        ["滑坡", "Landslide", "小型", "Small"], ["崩塌", "Collapse", "中型", "Medium"],
        ["滑坡", "Landslide", "大型", "Large"]]
    assert ledger.summary["sites"] == 3 and ledger.summary["evacuees"] == 170


def test_each_site_lists_its_settlements_shelters_distances_and_times(ledger):
    links = ledger.links
    rows = links[["site", "origin", "people", "shelter", "distance_m", "time_min"]].values.tolist()
    # H1 (100 m from 甲村) -> 甲村's 60 walk 1,000 m west to 西广场 (S1 is excluded: 583 m from 某化工厂).
    # H2's 100 split over 乙村 and 丙村 (both 112 m away) by their population 50:150 -> 25 and 75,
    #   1,000 m and 900 m east to 东体育馆.
    # H3 has nobody within 200 m: its 10 leave from the site, 1,400 m to the road and 1,000 m along it.
    expected = [["H1", "A", 60, "S2", 1000.0, 15.0], ["H2", "B", 25, "S3", 1000.0, 15.0],
                ["H2", "C", 75, "S3", 900.0, 13.5], ["H3", "H3", 10, "S3", 2400.0, 36.0]]
    assert [r[:4] for r in rows] == [e[:4] for e in expected]
    np.testing.assert_allclose([r[4:] for r in rows], [e[4:] for e in expected], atol=0.01)
    sites = ledger.sites.set_index("code")
    assert sites.loc["H2", "settlements"] == "乙村 (B) 25; 丙村 (C) 75"
    assert sites.loc["H2", "shelters"] == "东体育馆 (S3) 1.0 km / 15 min"
    assert sites.loc["H3", "settlements"] == f"{AT_SITE} 10"
    assert sites.loc["H3", "max_distance_m"] == pytest.approx(2400.0)
    assert sites["not_placed"].tolist() == [0, 0, 0]
    # the route line runs from the settlement to the shelter
    line = links.set_index("origin").loc["A", "geometry"]
    assert line.coords[0] == (1000.0, 0.0) and line.coords[-1] == (0.0, 0.0) and line.length == pytest.approx(1000.0)


def test_optional_facts_come_from_the_layer_and_are_blank_where_it_has_none(ledger):
    sites = ledger.sites.set_index("code")
    assert sites["phone"].tolist() == ["0433-1234567", "", ""]
    assert sites["monitor"].tolist() == ["", "张三", ""]
    assert sites["warning_signal"].tolist() == ["", "", ""]  # no such field in the layer
    assert ledger.summary["optional_fields"] == {"warning_signal": None, "monitor": "monitor", "phone": "phone"}


def test_a_settlement_not_placed_is_in_the_ledger_without_a_shelter():
    settlements, sites, shelters = case()
    shelters["capacity"] = [1000, 60, 20]  # 东体育馆 takes 20 of H2's 100 and H3's 10
    result = hazard_ledger(roads(), settlements, shelters, sites, scenario=parse_scenario(SCENARIO))
    placed = result.links.groupby("site")["shelter_people"].sum().to_dict()
    # 西广场's 60 places go to 甲村 (the only one within its standard); 东体育馆's 20 to some of 乙村, 丙村
    # and H3's 110 people: 90 are not placed, each counted under the one site that threatens them.
    assert placed["H1"] == 60
    total = int(result.sites["not_placed"].sum())
    assert total == 170 - 60 - 20 == result.evacuation.summary["population_unreached"]


def test_safety_rings_around_major_hazard_installations_list_the_shelters_inside():
    settlements, sites, shelters = case()
    zones = safety_zones(sites, shelters, 1000.0, sites.crs)
    assert zones["code"].tolist() == ["H4"]
    assert zones["shelters_inside"].tolist() == [1] and zones["shelter_names"].tolist() == ["化工厂旁学校"]
    assert zones.geometry.iloc[0].area == pytest.approx(np.pi * 1000.0 ** 2, rel=2e-3)
    assert len(safety_zones(sites, shelters, 500.0, sites.crs)["shelter_names"].iloc[0]) == 0


def test_a_scenario_without_a_hazard_site_trigger_is_an_error_before_any_work():
    settlements, sites, shelters = case()
    drill = parse_scenario('[scenario]\nname = "drill"\n\n[[triggers]]\nkey = "all"\nsource = "everyone"\n')
    with pytest.raises(InputError, match="no hazard-site trigger"):
        hazard_ledger(roads(), settlements, shelters, sites, scenario=drill)
    with pytest.raises(InputError, match="code"):
        hazard_ledger(roads(), settlements, shelters, sites.drop(columns="code"), scenario=parse_scenario(SCENARIO))


def test_the_ledger_takes_the_chosen_scenario_only_when_it_triggers_hazard_sites():
    """Of the shipped scenarios (their TOML triggers) only geological_rainstorm reads the
    hazard sites: the ledger takes it, and keeps its own default for the others (flood
    polygons, the risk raster) and for no choice."""
    from pathlib import Path

    from hunchun_risk_plugin.core.routing.ledger import ledger_scenario_for

    try:
        import tomllib
    except ModuleNotFoundError:  # Python < 3.11 (make test-compat's low end): the same parser as tomli
        import tomli as tomllib

    folder = Path(__file__).parents[2] / "hunchun_risk_plugin" / "scenarios"
    for path in folder.glob("*.toml"):
        sources = {t["source"] for t in tomllib.loads(path.read_text(encoding="utf-8"))["triggers"]}
        assert ledger_scenario_for(path.stem) == (path.stem if "hazard_sites" in sources else ""), path.stem
    assert ledger_scenario_for("flood_100y") == ""
    assert ledger_scenario_for("") == ""
