"""Evacuation on hand-made networks whose answers are worked out by hand."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin
from shapely.geometry import LineString, Point, box

from hunchun_risk_plugin.core.definitions import road_classes, shelter_kinds, walking_speed_kmh
from hunchun_risk_plugin.core.errors import Cancelled, InputError
from hunchun_risk_plugin.core.progress import Progress
from hunchun_risk_plugin.core.routing.evacuation import EvacuationSettings, evacuate
from hunchun_risk_plugin.core.routing.hazards import HazardRule, read_class_raster
from hunchun_risk_plugin.core.routing.network import fallback_speed_kmh

COUNTY_MPS = float(road_classes()["county"]["speed_kmh"]) / 3.6
WALK_MPS = walking_speed_kmh() / 3.6
DRIVE = EvacuationSettings(mode="driving")


def roads(lines, oneway=None) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"road_class": ["county"] * len(lines), "oneway": oneway or [0] * len(lines)}, geometry=lines, crs=4511
    )


def places(points, population=None, capacity=None, kind="fixed_long", prefix="p") -> gpd.GeoDataFrame:
    data = {"code": [f"{prefix}{i + 1}" for i in range(len(points))],
            "name": [f"{prefix}{i + 1}" for i in range(len(points))]}
    if population is not None:
        data["population"] = population
    if capacity is not None:
        data["capacity"] = capacity
        data["kind"] = [kind] * len(points)
    return gpd.GeoDataFrame(data, geometry=[Point(p) for p in points], crs=4511)


def square(oneway_ab: int = 0) -> gpd.GeoDataFrame:
    """A(0,0) B(1000,0) C(1000,1000) D(0,1000); A-B digitised B -> A."""
    return roads(
        [LineString([(1000, 0), (0, 0)]), LineString([(1000, 0), (1000, 1000)]),
         LineString([(1000, 1000), (0, 1000)]), LineString([(0, 1000), (0, 0)])],
        oneway=[oneway_ab, 0, 0, 0],
    )


def test_one_way_street_forces_the_detour_when_driving_but_not_walking():
    origin = places([(0, 0)], population=[10])
    shelter = places([(1000, 0)], capacity=[100], prefix="s")
    driving = evacuate(square(oneway_ab=1), origin, shelter, DRIVE).routes
    assert driving["distance_m"].item() == pytest.approx(3000.0)
    assert driving["time_min"].item() == pytest.approx(3000 / COUNTY_MPS / 60, abs=1e-3)
    walking = evacuate(square(oneway_ab=1), origin, shelter, EvacuationSettings(mode="walking")).routes
    assert walking["distance_m"].item() == pytest.approx(1000.0)
    assert walking["time_min"].item() == pytest.approx(1000 / WALK_MPS / 60, abs=1e-3)
    open_street = evacuate(square(oneway_ab=0), origin, shelter, DRIVE).routes
    assert open_street["distance_m"].item() == pytest.approx(1000.0)


def test_route_geometry_follows_the_roads_and_its_length_is_the_distance():
    origin = places([(0, 0)], population=[10])
    shelter = places([(1000, 0)], capacity=[100], prefix="s")
    route = evacuate(square(oneway_ab=1), origin, shelter, DRIVE).routes
    line = route.geometry.item()
    assert line.length == pytest.approx(route["distance_m"].item(), abs=0.01)
    assert list(line.coords) == [(0, 0), (0, 1000), (1000, 1000), (1000, 0)]


def test_every_origin_gets_its_nearest_shelter_in_network_time():
    # Line 0..4000 m, shelters at both ends.
    line = roads([LineString([(0, 0), (4000, 0)])])
    origins = places([(500, 0), (3000, 0), (2100, 0)], population=[1, 1, 1])
    shelters = places([(0, 0), (4000, 0)], capacity=[10, 10], prefix="s")
    routes = evacuate(line, origins, shelters, DRIVE).routes.set_index("origin")
    assert routes.loc[["p1", "p2", "p3"], "shelter"].tolist() == ["s1", "s2", "s2"]
    assert routes.loc[["p1", "p2", "p3"], "distance_m"].tolist() == pytest.approx([500, 1000, 1900])


def test_points_are_projected_onto_the_nearest_segment_and_share_it():
    # One 5 km segment; the origin 30 m and the shelter 40 m beside it, 600 m apart along it.
    # Access legs are walked when walking, and taken at the slowest class speed when driving.
    line = roads([LineString([(0, 0), (5000, 0)])])
    origins = places([(2000, 30)], population=[5])
    shelters = places([(2600, -40)], capacity=[10], prefix="s")
    route = evacuate(line, origins, shelters, DRIVE).routes
    assert route["network_m"].item() == pytest.approx(600.0)
    assert route["access_m"].item() == pytest.approx(70.0)
    assert route["distance_m"].item() == pytest.approx(670.0)
    assert route["time_min"].item() == pytest.approx((600 / COUNTY_MPS + 70 / (fallback_speed_kmh() / 3.6)) / 60,
                                                     abs=1e-3)
    assert list(route.geometry.item().coords) == [(2000, 30), (2000, 0), (2600, 0), (2600, -40)]
    assert route.geometry.item().length == pytest.approx(670.0)
    walked = evacuate(line, origins, shelters, EvacuationSettings(mode="walking")).routes
    assert walked["time_min"].item() == pytest.approx(670 / WALK_MPS / 60, abs=1e-3)


def test_capacity_overflow_goes_to_the_next_shelter_splitting_the_cheaper_origin():
    # S1 at 0 (room for 150), O1 (100) at 500, O2 (100) at 1000, S2 at 4000.
    # Both prefer S1; moving a person of O2 costs 3000-1000 = 2000 m, of O1 3500-500 = 3000 m,
    # so the optimum keeps O1 at S1 and splits O2 50 / 50.
    line = roads([LineString([(0, 0), (4000, 0)])])
    origins = places([(500, 0), (1000, 0)], population=[100, 100])
    shelters = places([(0, 0), (4000, 0)], capacity=[150, 1000], prefix="s")
    result = evacuate(line, origins, shelters, DRIVE)
    flows = {(r.origin, r.shelter): r.population for r in result.routes.itertuples()}
    assert flows == {("p1", "s1"): 100, ("p2", "s1"): 50, ("p2", "s2"): 50}
    load = result.shelter_load.set_index("shelter")
    assert load.loc["s1", "assigned"] == 150 and load.loc["s1", "utilisation"] == pytest.approx(1.0)
    assert load.loc["s2", "assigned"] == 50
    assert result.summary["assignment_method"] == "min_cost_lp"
    split = result.routes[(result.routes.origin == "p2") & (result.routes.shelter == "s2")]
    assert split["distance_m"].item() == pytest.approx(3000.0)
    assert split.geometry.item().length == pytest.approx(3000.0)


def test_people_who_fit_nowhere_are_reported_with_the_reason():
    line = roads([LineString([(0, 0), (4000, 0)])])
    origins = places([(500, 0), (1000, 0)], population=[100, 100])
    shelters = places([(0, 0), (4000, 0)], capacity=[100, 20], prefix="s")
    result = evacuate(line, origins, shelters, DRIVE)
    assert result.routes["population"].sum() == 120
    assert result.unreached["population"].sum() == 80
    assert set(result.unreached["reason"]) == {"no_capacity"}
    assert (result.shelter_load["free"] == 0).all()


def bridges() -> gpd.GeoDataFrame:
    """South bank y=-100 and north bank y=100 (x 0..3000), bridges at x=500 and x=2500."""
    return roads([
        LineString([(0, -100), (500, -100), (2500, -100), (3000, -100)]),
        LineString([(0, 100), (500, 100), (2500, 100), (3000, 100)]),
        LineString([(500, -100), (500, 100)]),
        LineString([(2500, -100), (2500, 100)]),
    ])


def test_a_closed_bridge_is_never_used_and_the_route_takes_the_other_bridge():
    origin = places([(500, -100)], population=[10])
    shelter = places([(500, 100)], capacity=[100], prefix="s")
    flood = gpd.GeoDataFrame(geometry=[box(400, -50, 600, 50)], crs=4511)
    open_bridge = evacuate(bridges(), origin, shelter, DRIVE).routes
    closed_bridge = evacuate(bridges(), origin, shelter, DRIVE, hazard_polygons=flood).routes
    assert open_bridge["distance_m"].item() == pytest.approx(200.0)
    assert closed_bridge["distance_m"].item() == pytest.approx(4200.0)
    assert closed_bridge["escape_m"].item() == 0
    assert not closed_bridge.geometry.item().intersects(box(400, -50, 600, 50))


def test_penalised_bridge_is_used_only_while_the_penalty_is_smaller_than_the_detour():
    origin = places([(500, -100)], population=[10])
    shelter = places([(500, 100)], capacity=[100], prefix="s")
    flood = gpd.GeoDataFrame(geometry=[box(400, -50, 600, 50)], crs=4511)
    mild = EvacuationSettings(mode="driving", hazard_rule=HazardRule(polygon_action="penalise", penalty_factor=20))
    harsh = EvacuationSettings(mode="driving", hazard_rule=HazardRule(polygon_action="penalise", penalty_factor=25))
    # Detour 4200 m vs 200 m × factor: 20 × 200 = 4000 < 4200 keeps the bridge, 25 × 200 = 5000 does not.
    assert evacuate(bridges(), origin, shelter, mild,
                    hazard_polygons=flood).routes["distance_m"].item() == pytest.approx(200)
    assert evacuate(bridges(), origin, shelter, harsh,
                    hazard_polygons=flood).routes["distance_m"].item() == pytest.approx(4200)


def test_a_risk_class_raster_closes_cells_from_the_threshold(tmp_path):
    # 50 m cells from (0, 200); the middle of the near bridge (x=500, y -50..50) is class 5,
    # everything else class 1, so only that bridge is closed.
    classes = np.ones((8, 80), dtype=np.uint8)
    classes[3:5, 9:11] = 5
    path = tmp_path / "risk.tif"
    with rasterio.open(path, "w", driver="GTiff", width=80, height=8, count=1, dtype="uint8", crs="EPSG:4511",
                       transform=from_origin(0, 200, 50, 50), nodata=0) as out:
        out.write(classes, 1)
    raster = read_class_raster(path)
    origin = places([(500, -100)], population=[10])
    shelter = places([(500, 100)], capacity=[100], prefix="s")
    closing = EvacuationSettings(mode="driving", hazard_rule=HazardRule(close_from_class=5))
    lenient = EvacuationSettings(mode="driving", hazard_rule=HazardRule(close_from_class=6))
    assert evacuate(bridges(), origin, shelter, closing,
                    hazard_raster=raster).routes["distance_m"].item() == pytest.approx(4200)
    assert evacuate(bridges(), origin, shelter, lenient,
                    hazard_raster=raster).routes["distance_m"].item() == pytest.approx(200)


def test_an_origin_inside_a_closed_area_leaves_by_the_shortest_way_out():
    # Road -1000..4000 on y=0, flooded over x 100..1900 (the 0-2000 segment is closed).
    # Origin at x=1500: exits are 500 m east or 1500 m west. West shelter is nearer in total
    # (1500 + 100) than east (500 + 2000) but the rule takes the shortest way out first.
    line = roads(
        [LineString([(-1000, 0), (0, 0)]), LineString([(0, 0), (2000, 0)]), LineString([(2000, 0), (4000, 0)])])
    flood = gpd.GeoDataFrame(geometry=[box(100, -50, 1900, 50)], crs=4511)
    origin = places([(1500, 10)], population=[10])
    shelters = places([(-100, 0), (4000, 0)], capacity=[100, 100], prefix="s")
    route = evacuate(line, origin, shelters, DRIVE, hazard_polygons=flood).routes
    assert route["shelter"].item() == "s2"
    assert route["escape_m"].item() == pytest.approx(500.0)
    assert route["network_m"].item() == pytest.approx(2500.0)
    assert route["distance_m"].item() == pytest.approx(2510.0)  # plus the 10 m from the house to the road


def test_an_origin_outside_never_crosses_the_closed_area_even_if_its_road_touches_it():
    line = roads(
        [LineString([(-1000, 0), (0, 0)]), LineString([(0, 0), (2000, 0)]), LineString([(2000, 0), (4000, 0)])])
    flood = gpd.GeoDataFrame(geometry=[box(100, -50, 1900, 50)], crs=4511)
    origin = places([(-500, 0)], population=[10])
    shelters = places([(3000, 0)], capacity=[100], prefix="s")
    result = evacuate(line, origin, shelters, DRIVE, hazard_polygons=flood)
    assert len(result.routes) == 0
    assert result.unreached["reason"].tolist() == ["cut_off_by_hazard"]


def test_shelters_inside_a_closed_area_are_not_used():
    line = roads([LineString([(0, 0), (800, 0), (1200, 0), (4000, 0)])])
    flood = gpd.GeoDataFrame(geometry=[box(900, -50, 1100, 50)], crs=4511)
    origin = places([(1500, 0)], population=[10])
    shelters = places([(1000, 0), (3000, 0)], capacity=[100, 100], prefix="s")
    result = evacuate(line, origin, shelters, DRIVE, hazard_polygons=flood)
    assert result.routes["shelter"].tolist() == ["s2"]
    assert result.shelter_load.set_index("shelter").loc["s1", "status"] == "in_hazard_area"


def test_a_disconnected_village_and_a_far_origin_are_unreached_with_their_reasons():
    line = roads([LineString([(0, 0), (4000, 0)]), LineString([(10000, 0), (11000, 0)])])
    origins = places([(1000, 0), (10500, 0), (2000, 5000)], population=[10, 20, 30])
    shelters = places([(0, 0)], capacity=[100], prefix="s")
    result = evacuate(line, origins, shelters, DRIVE)
    reasons = result.unreached.set_index("origin")["reason"].to_dict()
    assert reasons == {"p2": "disconnected_network", "p3": "too_far_from_road"}
    assert result.routes["origin"].tolist() == ["p1"]
    assert result.summary["population_unreached"] == 50


def test_polygon_origins_use_their_centroid():
    line = roads([LineString([(0, 0), (4000, 0)])])
    origins = gpd.GeoDataFrame({"population": [7]}, geometry=[box(900, -10, 1100, 10)], crs=4511)
    shelters = places([(0, 0)], capacity=[100], prefix="s")
    route = evacuate(line, origins, shelters, DRIVE).routes
    assert route["distance_m"].item() == pytest.approx(1000.0)
    assert route["origin"].item() == "1"  # no id field: row numbers


def test_routes_over_the_standard_distance_of_the_shelter_kind_are_flagged():
    limit = float(shelter_kinds()["emergency"]["max_distance_m"])
    line = roads([LineString([(0, 0), (10 * limit, 0)])])
    origins = places([(limit * 0.5, 0), (limit * 3, 0)], population=[1, 1])
    shelters = places([(0, 0)], capacity=[100], kind="emergency", prefix="s")
    routes = evacuate(line, origins, shelters, DRIVE).routes.set_index("origin")
    assert routes.loc["p1", "over_standard"] == 0
    assert routes.loc["p2", "over_standard"] == 1
    assert f"> {limit:.0f} m" in routes.loc["p2", "standard_note"]


def test_capacity_from_area_and_kind_when_the_field_is_empty():
    per_person = float(shelter_kinds()["fixed_short"]["area_per_person_m2"])
    line = roads([LineString([(0, 0), (4000, 0)])])
    shelters = gpd.GeoDataFrame(
        {"code": ["s1"], "kind": ["fixed_short"], "capacity": [None], "effective_area_m2": [1000.0]},
        geometry=[Point(0, 0)], crs=4511,
    )
    origins = places([(1000, 0)], population=[10])
    load = evacuate(line, origins, shelters, DRIVE).shelter_load
    assert load["capacity"].item() == int(1000 // per_person)
    assert load["capacity_source"].item() == "area"


@pytest.mark.parametrize(
    "shelter_columns, words",
    [
        ({"code": ["s1"], "capacity": [-5]}, "negative"),
        ({"code": ["s1"], "capacity": [0]}, "No shelter has any capacity"),
        ({"code": ["s1"], "kind": ["palace"], "capacity": [None], "effective_area_m2": [100.0]}, "unknown kind"),
        ({"code": ["s1"]}, "'capacity' field or an 'effective_area_m2'"),
        ({"code": ["s1"], "capacity": [None], "effective_area_m2": [None], "kind": ["emergency"]}, "without a usable"),
    ],
)
def test_bad_shelters_get_a_clear_error(shelter_columns, words):
    line = roads([LineString([(0, 0), (4000, 0)])])
    shelters = gpd.GeoDataFrame(shelter_columns, geometry=[Point(0, 0)], crs=4511)
    with pytest.raises(InputError) as error:
        evacuate(line, places([(1000, 0)], population=[10]), shelters, DRIVE)
    assert words in error.value.en


def test_duplicate_ids_missing_population_and_unreachable_layers_are_errors():
    line = roads([LineString([(0, 0), (4000, 0)])])
    shelters = places([(0, 0)], capacity=[100], prefix="s")
    twins = places([(1000, 0), (2000, 0)], population=[1, 1])
    twins["code"] = ["x", "x"]
    with pytest.raises(InputError, match="duplicate 'code'"):
        evacuate(line, twins, shelters, DRIVE)
    with pytest.raises(InputError, match="population"):
        evacuate(line, places([(1000, 0)]), shelters, DRIVE)
    with pytest.raises(InputError, match="No settlement lies within"):
        evacuate(line, places([(0, 90000)], population=[1]), shelters, DRIVE)


def test_all_roads_closed_is_an_error_before_routing():
    line = roads([LineString([(0, 0), (4000, 0)])])
    flood = gpd.GeoDataFrame(geometry=[box(-100, -100, 5000, 100)], crs=4511)
    with pytest.raises(InputError, match="Every road segment is closed"):
        evacuate(line, places([(1000, 0)], population=[1]), places([(0, 0)], capacity=[5], prefix="s"), DRIVE,
                 hazard_polygons=flood)


def test_cancel_stops_the_work():
    line = roads([LineString([(0, 0), (4000, 0)])])
    calls = []

    def cancel_after_two():
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(Cancelled):
        evacuate(line, places([(1000, 0)], population=[1]), places([(0, 0)], capacity=[5], prefix="s"), DRIVE,
                 progress=Progress(is_canceled=cancel_after_two))


def test_inputs_are_not_modified():
    line = roads([LineString([(0, 0), (4000, 0)])]).to_crs(4490)
    origins = places([(1000, 0)], population=[10]).to_crs(4490)
    before = (line.copy(), origins.copy())
    evacuate(line, origins, places([(0, 0)], capacity=[100], prefix="s"), DRIVE)
    assert line.geom_equals(before[0]).all() and origins.equals(before[1])
