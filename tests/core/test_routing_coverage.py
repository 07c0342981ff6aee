"""Depot and rescue coverage on a hand-made road with known drive times.

Road along y = 0: 0–300 km at 60 km/h (1 km per minute), then 300–360 km at 6 km/h
(10 minutes per km). Depots d1 at 0 km and d2 at 250 km, fire station f1 at 100 km.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point, box

from hunchun_risk_plugin.core.errors import InputError
from hunchun_risk_plugin.core.routing.coverage import CoverageSettings, depot_coverage

KM = 1000.0


def road() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"road_class": ["national", "village"], "speed_kmh": [60.0, 6.0], "oneway": [0, 0]},
        geometry=[LineString([(0, 0), (300 * KM, 0)]), LineString([(300 * KM, 0), (360 * KM, 0)])], crs=4511,
    )


def points(xs_km, **columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=[Point(x * KM, 0) for x in xs_km], crs=4511)


def depots() -> gpd.GeoDataFrame:
    return points([0, 250], code=["d1", "d2"], name=["D1", "D2"], level=["city", "township"], stock_tents=[40, 12])


def settlements() -> gpd.GeoDataFrame:
    return points(
        [30, 120, 200, 360], code=["A", "B", "C", "D"], name=["A", "B", "C", "D"], population=[100, 300, 50, 10],
        township_code=["t1", "t1", "t2", "t2"], kind=["village", "village", "village", "seat"],
    )


def townships() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"code": ["t1", "t2"], "name": ["T1", "T2"]},
                            geometry=[box(0, -5 * KM, 150 * KM, 5 * KM), box(150 * KM, -5 * KM, 400 * KM, 5 * KM)],
                            crs=4511)


@pytest.fixture(scope="module")
def result():
    fire = points([100], code=["f1"], name=["F1"])
    return depot_coverage(road(), depots(), settlements(), townships(), fire,
                          CoverageSettings(zone_buffer_m=1000.0))


def test_nearest_depot_and_drive_time_per_settlement(result):
    table = result.settlements.set_index("settlement")
    assert table["nearest_depot"].tolist() == ["d1", "d1", "d2", "d2"]
    assert table["depot_min"].tolist() == pytest.approx([30, 120, 50, 650], abs=0.01)


def test_rescue_time_counts_fire_stations_too(result):
    table = result.settlements.set_index("settlement")
    assert table["nearest_rescue"].tolist() == ["d1", "f1", "d2", "d2"]
    assert table["rescue_min"].tolist() == pytest.approx([30, 20, 50, 650], abs=0.01)


def test_settlements_beyond_the_3h_and_10h_targets_are_flagged(result):
    table = result.settlements.set_index("settlement")
    assert table["beyond_rescue_3h"].tolist() == [0, 0, 0, 1]
    assert table["beyond_aid_10h"].tolist() == [0, 0, 0, 1]


def test_population_served_and_stock_per_person_per_depot(result):
    table = result.facilities.set_index("facility")
    assert table.loc["d1", "served_population"] == 400 and table.loc["d2", "served_population"] == 60
    assert table.loc["d1", "per_person_tents"] == pytest.approx(40 / 400)
    assert table.loc["d2", "per_person_tents"] == pytest.approx(12 / 60)
    assert table.loc["f1", "kind"] == "fire_station" and table.loc["f1", "rescue_population"] == 300


def test_township_worst_and_population_weighted_mean(result):
    table = result.townships.set_index("township")
    assert table.loc["t1", "worst_depot_min"] == pytest.approx(120)
    assert table.loc["t1", "mean_depot_min"] == pytest.approx((100 * 30 + 300 * 120) / 400)
    assert table.loc["t1", "mean_rescue_min"] == pytest.approx((100 * 30 + 300 * 20) / 400)
    assert table.loc["t2", "mean_depot_min"] == pytest.approx((50 * 50 + 10 * 650) / 60)
    assert table.loc["t2", "pop_beyond_aid_10h"] == 10
    assert table.loc["t1", "seat"] == "B"  # most populous, no marked seat
    assert table.loc["t2", "seat"] == "D"  # marked as seat
    assert table.loc["t2", "seat_depot_min"] == pytest.approx(650)


@pytest.mark.parametrize(
    "x_km, y_m, band",
    [(30, 500, "0–1 h"), (175, 0, "1–3 h"), (320, 0, "3–10 h"), (359, 0, None), (175, 1500, None)],
)
def test_drive_time_zones_follow_the_rescue_times(result, x_km, y_m, band):
    # Rescue time at x km on the fast road is min(|x|, |x-100|, |x-250|) minutes (75 at 175 km);
    # beyond 300 km it is 50 + 10 per km (250 min at 320 km, 640 min at 359 km).
    point = Point(x_km * KM, y_m)
    inside = [row.label for row in result.zones.itertuples() if row.geometry.contains(point)]
    assert inside == ([band] if band else [])


def test_zone_bands_do_not_overlap(result):
    zones = result.zones.geometry.values
    for a in range(len(zones)):
        for b in range(a + 1, len(zones)):
            assert zones[a].intersection(zones[b]).area == pytest.approx(0, abs=1.0)


def test_without_fire_stations_rescue_comes_from_depots():
    plain = depot_coverage(road(), depots(), settlements(), townships())
    table = plain.settlements.set_index("settlement")
    assert table.loc["B", "rescue_min"] == pytest.approx(120)


def test_disconnected_and_far_settlements_are_reported_not_timed():
    roads = gpd.GeoDataFrame({"road_class": ["county", "county"]},
                             geometry=[LineString([(0, 0), (10 * KM, 0)]), LineString([(50 * KM, 0), (60 * KM, 0)])],
                             crs=4511)
    people = gpd.GeoDataFrame({"code": ["x", "y"], "population": [5, 7]},
                              geometry=[Point(55 * KM, 0), Point(5 * KM, 9 * KM)], crs=4511)
    out = depot_coverage(roads, points([0], code=["d1"]), people).settlements.set_index("settlement")
    assert out["unreached_reason"].to_dict() == {"x": "disconnected_network", "y": "too_far_from_road"}
    assert np.isnan(out.loc["x", "depot_min"]) and out.loc["x", "beyond_aid_10h"] == 1


@pytest.mark.parametrize("thresholds", [(), (0, 3), (3, 3)])
def test_bad_thresholds_are_rejected(thresholds):
    with pytest.raises(InputError, match="thresholds"):
        depot_coverage(road(), depots(), settlements(), settings=CoverageSettings(thresholds_h=thresholds))


def test_depots_far_from_every_road_are_an_error():
    far = gpd.GeoDataFrame({"code": ["d1"]}, geometry=[Point(0, 90 * KM)], crs=4511)
    with pytest.raises(InputError, match="No depot lies within"):
        depot_coverage(road(), far, settlements())
