"""The coverage maps' classes and table, from hand-made settlement rows."""
from __future__ import annotations

from hunchun_risk_plugin.core.coverage_text import band_of, coverage_bands, coverage_rows
from hunchun_risk_plugin.core.map_pages import CITY, TOWNSHIP, MapArea, PageSpec
from hunchun_risk_plugin.core.map_specs import map_kind

XINAN = MapArea("T1", "新安街道", "Xin'an", None)


def page(scope=TOWNSHIP):
    return PageSpec(map_kind("coverage"), scope, XINAN, 50000, "A3 landscape", (0.0, 0.0), ())


def test_bands_are_15_30_60_minutes_then_the_plans_3_h_and_10_h_targets():
    assert [(b.low_min, b.high_min) for b in coverage_bands()] == [(0, 15), (15, 30), (30, 60), (60, 180), (180, 600)]
    assert [band_of(m) for m in (0, 15, 15.1, 59, 61, 180, 599, 601, None)] == \
        ["b15", "b15", "b30", "b60", "rescue", "rescue", "aid", "none", "none"]


ROWS = [{"township_code": "T1", "population": 100, "depot_min": 9.7},
        {"township_code": "T1", "population": 50, "depot_min": 20},
        {"township_code": "T1", "population": 7, "depot_min": None},
        {"township_code": "T2", "population": 1000, "depot_min": 200}]


def test_township_table_counts_places_and_people_by_band():
    rows = coverage_rows(page(), ROWS)
    assert rows[1] == ["≤ 15 min", "1", "100"] and rows[2] == ["15–30 min", "1", "50"]
    assert rows[-2] == ["未覆盖 Not covered", "1", "7"] and rows[-1] == ["合计 Total", "3", "157"]


def test_city_table_by_township_with_people_beyond_the_rescue_target():
    rows = coverage_rows(page(CITY), ROWS, {"T1": "新安街道", "T2": "春化镇"})
    # T1: 157 people, longest 20 min, 7 unreachable; T2: 200 min > 180: all 1000 beyond 3 h
    assert rows[1:] == [["新安街道", "157", "20", "7"], ["春化镇", "1,000", "200", "1,000"],
                        ["合计 Total", "1,157", "200", "1,007"]]
