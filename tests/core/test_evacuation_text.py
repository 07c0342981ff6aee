"""The words of the evacuation maps, from hand-made rows: numbers, labels, the standard
from domain.toml, the settlement → shelter table and its trimming to a frame."""
from __future__ import annotations

from hunchun_risk_plugin.core.definitions import shelter_kinds
from hunchun_risk_plugin.core.evacuation_text import (
    beyond_standard_note,
    circled,
    evacuation_rows,
    fit_rows,
    route_label,
    shelter_label,
    shelter_numbers,
    standard_text,
)
from hunchun_risk_plugin.core.map_pages import CITY, TOWNSHIP, MapArea, PageSpec
from hunchun_risk_plugin.core.map_specs import map_kind

XINAN = MapArea("222404002000", "新安街道", "Xin'an", None)


def page(scope: str = TOWNSHIP, kind: str = "evacuation") -> PageSpec:
    area = XINAN if scope == TOWNSHIP else MapArea("222404", "珲春市", "Hunchun", None)
    return PageSpec(map_kind(kind), scope, area, 50000, "A3 landscape", (0.0, 0.0), ())


def test_circled_numbers_cover_the_three_unicode_blocks_then_brackets():
    assert [circled(n) for n in (1, 20, 21, 35, 36, 50, 51)] == ["①", "⑳", "㉑", "㉟", "㊱", "㊿", "(51)"]


def test_shelters_are_numbered_in_code_order_for_the_whole_city():
    assert shelter_numbers(["SH010", "SH002", "SH002", None, "SH001"]) == {"SH001": 1, "SH002": 2, "SH010": 3}


def test_labels_say_number_name_load_and_route_distance_and_time():
    assert shelter_label({"name": "靖和公园", "assigned": 3800, "capacity": 7255, "status": "open"}, 14) == \
        "⑭ 靖和公园\n3,800 / 7,255 人"
    assert shelter_label({"name": "人民广场", "status": "in_hazard_area", "status_zh": "位于封闭危险区内"}, 2) == \
        "② 人民广场\n（位于封闭危险区内）"
    # a scenario's evacuees count, when the layer has it, is the load
    assert shelter_label({"name": "x", "assigned": 1, "evacuees": 250, "capacity": 300}, None) == "x\n250 / 300 人"
    assert route_label({"distance_m": 1176.69, "time_min": 17.65, "over_standard": 0}, 3) == "→③ 1.2 km / 18 min"
    assert route_label({"distance_m": 2549, "time_min": 38.2, "over_standard": 1}, 3) == "→③ 2.5 km / 38 min 超标"
    no_numbers = {"shelter_name": "体育场", "distance_m": None, "time_min": None}
    assert route_label(no_numbers, None) == "→体育场 0.0 km / 0 min"


def test_standard_lists_every_shelter_kind_with_its_distance_and_time():
    text = standard_text()
    for spec in shelter_kinds().values():
        assert f"≤ {spec['max_distance_m'] / 1000:g} km / {spec['max_walk_minutes']:g} min" in text
    assert "紧急 ≤ 0.5 km / 10 min" in text  # domain.toml: emergency shelters 500 m, 10 min


ROUTES = [
    {"origin": "S1", "origin_name": "东岗社区", "shelter": "SH003", "shelter_name": "第一中学", "population": 1432,
     "distance_m": 221.5, "time_min": 3.32},
    {"origin": "S1", "origin_name": "东岗社区", "shelter": "SH018", "shelter_name": "社区广场", "population": 107,
     "distance_m": 364.4, "time_min": 5.47},
    {"origin": "S9", "origin_name": "别处村", "shelter": "SH001", "population": 50, "distance_m": 9000,
     "time_min": 135},
]
UNREACHED = [{"origin": "S2", "name": "西山社区", "population": 271, "reason": "no_capacity",
              "reason_zh": "所有可达避难场所均已满员"}]
TOWNSHIP_OF = {"S1": "222404002000", "S2": "222404002000", "S9": "222404100000"}
NUMBERS = {"SH001": 1, "SH003": 3, "SH018": 18}


def test_township_table_lists_its_settlements_routes_and_the_people_not_placed():
    rows = evacuation_rows(page(), ROUTES, UNREACHED, TOWNSHIP_OF, NUMBERS)
    assert rows[0] == ["居民点 Settlement", "人数 People", "去向 To", "km", "min"]
    assert rows[1:-1] == [
        ["东岗社区", "1,432", "③ 第一中学", "0.2", "3"],
        ["东岗社区", "107", "⑱ 社区广场", "0.4", "5"],
        ["西山社区", "271", "未安置：场所已满", "–", "–"],
    ]
    # 1432 + 107 placed, 271 not: 1810 people
    assert rows[-1] == ["合计 Total", "1,810", "已安置 1,539，未安置 271", "", ""]


def test_city_table_sums_by_township():
    rows = evacuation_rows(page(CITY), ROUTES, UNREACHED, TOWNSHIP_OF, NUMBERS,
                           {"222404002000": "新安街道", "222404100000": "春化镇"})
    assert rows[1:] == [["新安街道", "1,539", "271", "0.4"], ["春化镇", "50", "0", "9.0"],
                        ["合计 Total", "1,589", "271", "9.0"]]
    assert evacuation_rows(page(kind="risk"), ROUTES, UNREACHED, TOWNSHIP_OF, NUMBERS) == []


def test_a_long_table_keeps_header_and_total_and_says_how_many_rows_are_left_out():
    rows = [["h", "x"]] + [[f"r{i}", ""] for i in range(10)] + [["合计 Total", "10"]]
    kept = fit_rows(rows, 6)
    assert len(kept) == 6
    assert kept[:4] == rows[:4] and kept[-1] == rows[-1]
    assert kept[4][0].startswith("…") and "7" in kept[4][0]  # r3 … r9: 7 rows not shown
    assert fit_rows(rows, 20) == rows


def test_the_notes_count_the_routes_beyond_the_standard_of_the_page_only():
    routes = [
        {"origin": "S1", "population": 100, "distance_m": 3000.0, "over_standard": 1},
        {"origin": "S2", "population": 250, "distance_m": 60240.0, "over_standard": 1},
        {"origin": "S2", "population": 900, "distance_m": 400.0, "over_standard": 0},
        {"origin": "S9", "population": 40, "distance_m": 70000.0, "over_standard": 1},  # 春化镇's
    ]
    note = beyond_standard_note(page(), routes, TOWNSHIP_OF)
    # 新安街道: two routes over, 100 + 250 people, the farther 60.24 km
    assert note.startswith("新安街道超出步行标准")
    assert "2 条路线" in note and "350 人" in note and "60.2 km" in note
    city = beyond_standard_note(page(CITY), routes, TOWNSHIP_OF)
    assert "3 条路线" in city and "390 人" in city and "70.0 km" in city
    assert beyond_standard_note(page(), routes[2:3], TOWNSHIP_OF) == ""
    assert beyond_standard_note(page(kind="risk"), routes, TOWNSHIP_OF) == ""
