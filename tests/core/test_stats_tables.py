"""Statistics table rows on risk and zoning maps, from hand-made ``township_stats`` rows.

Class order and names come from the domain definitions: risk classes 高, 中高, 中, 中低, 低
(highest first on the map) and prevention zones 重点防治区, 次重点防治区, 一般防治区.
"""
from __future__ import annotations

import pytest

from hunchun_risk_plugin.core.map_pages import CITY, TOWNSHIP, MapArea, PageSpec
from hunchun_risk_plugin.core.map_specs import map_kind
from hunchun_risk_plugin.core.stats_tables import class_note, figures_within, stats_rows

CHUNHUA = MapArea("222404100000", "春化镇", "Chunhua Town", None)
MACHUANZI = MapArea("222404200000", "马川子乡", "Machuanzi Township", None)
CITY_AREA = MapArea("222404", "珲春市", "Hunchun City", None)


def page(kind: str, scope: str = TOWNSHIP, area: MapArea = CHUNHUA) -> PageSpec:
    scale = 250000 if scope == CITY else 50000
    return PageSpec(map_kind(kind), scope, area, scale, "A3 landscape", (0.0, 0.0), ())


# Areas chosen so the shares are exact: total 1 000 km²
CHUNHUA_ROW = {
    "code": "222404100000", "name": "春化镇",
    "area_high_km2": 15.0, "area_mid_high_km2": 35.0, "area_medium_km2": 150.0,
    "area_mid_low_km2": 300.0, "area_low_km2": 500.0,
    "pop_high": 1234, "pop_mid_high": 5678, "pop_medium": 12345, "pop_mid_low": 23456, "pop_low": 100000,
    # zones: 2.5 + 7.5 + 40 = 50 km² -> 5 %, 15 %, 80 %
    "area_key_zone_km2": 2.5, "area_secondary_zone_km2": 7.5, "area_general_zone_km2": 40.0,
    "pop_key_zone": 2500, "pop_secondary_zone": 999, "pop_general_zone": 1000,
}
MACHUANZI_ROW = {
    "code": "222404200000", "name": "马川子乡",
    "area_high_km2": 0.0, "area_mid_high_km2": 1.25, "area_medium_km2": 2345.5,
    "area_mid_low_km2": 10.0, "area_low_km2": 0.5,
    "pop_high": 0, "pop_mid_high": 10, "pop_medium": 2000, "pop_mid_low": 30, "pop_low": 4,
    "area_key_zone_km2": 1000.0, "area_secondary_zone_km2": 0.0, "area_general_zone_km2": 1357.25,
    "pop_key_zone": 1500, "pop_secondary_zone": 0, "pop_general_zone": 544,
}
STATS = {"222404200000": MACHUANZI_ROW, "222404100000": CHUNHUA_ROW}  # not in code order


def test_risk_table_for_a_township():
    rows = stats_rows(page("risk"), STATS)
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert len(header) == 4 and "km²" in header[1] and "%" in header[2]
    assert body == [
        ["高", "15.0", "1.5", "1,234"],
        ["中高", "35.0", "3.5", "5,678"],
        ["中", "150.0", "15.0", "12,345"],
        ["中低", "300.0", "30.0", "23,456"],
        ["低", "500.0", "50.0", "100,000"],
    ]
    # 1234 + 5678 + 12345 + 23456 + 100000 = 142713
    assert total[1:] == ["1,000.0", "100.0", "142,713"]


def test_shares_sum_to_100():
    rows = stats_rows(page("risk"), STATS)
    assert sum(float(r[2]) for r in rows[1:-1]) == pytest.approx(100.0)
    rows = stats_rows(page("zoning"), STATS)
    assert sum(float(r[2]) for r in rows[1:-1]) == pytest.approx(100.0)


def test_zoning_table_for_a_township_key_zone_first():
    rows = stats_rows(page("zoning"), STATS)
    assert len(rows) == 1 + 3 + 1
    assert rows[1:-1] == [
        ["重点防治区", "2.5", "5.0", "2,500"],
        ["次重点防治区", "7.5", "15.0", "999"],
        ["一般防治区", "40.0", "80.0", "1,000"],
    ]
    assert rows[-1][1:] == ["50.0", "100.0", "4,499"]  # 2500 + 999 + 1000


def test_thousands_separators_and_rounding():
    rows = stats_rows(page("zoning", area=MACHUANZI), STATS)
    # 1000 + 0 + 1357.25 = 2357.25 km²: 1000 / 2357.25 = 42.42 %, 1357.25 / 2357.25 = 57.58 %
    assert rows[1] == ["重点防治区", "1,000.0", "42.4", "1,500"]
    assert rows[2] == ["次重点防治区", "0.0", "0.0", "0"]
    assert rows[3] == ["一般防治区", "1,357.2", "57.6",
                       "544"]  # 1357.25 -> 1357.2: GB/T 8170 四舍六入五成双 (half to even)
    assert rows[4][1:] == ["2,357.2", "100.0", "2,044"]


def test_missing_fields_count_as_zero():
    stats = {"222404100000": {"code": "222404100000", "area_medium_km2": 20.0, "pop_medium": 7, "pop_low": None}}
    rows = stats_rows(page("risk"), stats)
    assert [r[0] for r in rows[1:-1]] == ["高", "中高", "中", "中低", "低"]
    assert rows[3] == ["中", "20.0", "100.0", "7"]
    assert rows[5] == ["低", "0.0", "0.0", "0"]
    assert rows[-1][1:] == ["20.0", "100.0", "7"]


def test_township_with_no_classified_area_totals_zero():
    # e.g. a township outside the analysed raster, or zoning columns all zero
    stats = {"222404100000": {"code": "222404100000", **{f"area_{k}_km2": 0.0 for k in
                                                         ("low", "mid_low", "medium", "mid_high", "high")}}}
    rows = stats_rows(page("risk"), stats)
    assert rows[-1][1] == "0.0"


def test_city_table_one_row_per_township_in_code_order():
    rows = stats_rows(page("risk", CITY, CITY_AREA), STATS)
    assert rows[0][1:-1] == ["高 km²", "中高 km²", "中 km²", "中低 km²", "低 km²"]  # every area column says its unit
    assert len(rows[0]) == 7
    assert rows[1:] == [
        ["春化镇", "15.0", "35.0", "150.0", "300.0", "500.0", "142,713"],
        # 0 + 10 + 2000 + 30 + 4 = 2044 people
        ["马川子乡", "0.0", "1.2", "2,345.5", "10.0", "0.5", "2,044"],  # 1.25 -> 1.2: GB/T 8170 half to even
        # the city: 15 + 0, 35 + 1.25, 150 + 2345.5, 300 + 10, 500 + 0.5 km²; 142713 + 2044 people
        ["合计 Total", "15.0", "36.2", "2,495.5", "310.0", "500.5", "144,757"],
    ]


def test_city_zoning_table():
    rows = stats_rows(page("zoning", CITY, CITY_AREA), STATS)
    assert rows[0][1:-1] == ["重点防治区 km²", "次重点防治区 km²", "一般防治区 km²"]
    assert rows[1:] == [
        ["春化镇", "2.5", "7.5", "40.0", "4,499"],
        ["马川子乡", "1,000.0", "0.0", "1,357.2", "2,044"],  # 1500 + 0 + 544
        ["合计 Total", "1,002.5", "7.5", "1,397.2", "6,543"],  # 1357.25 + 40 = 1397.25 -> 1397.2 (half to even)
    ]


def test_city_row_without_a_name_uses_the_code():
    stats = {"222404999000": {"area_high_km2": 1.0, "pop_high": 3}}
    rows = stats_rows(page("risk", CITY, CITY_AREA), stats)
    assert rows[1] == ["222404999000", "1.0", "0.0", "0.0", "0.0", "0.0", "3"]
    assert rows[2] == ["合计 Total", "1.0", "0.0", "0.0", "0.0", "0.0", "3"]


@pytest.mark.parametrize("kind", ["evacuation", "coverage"])
def test_kinds_without_a_table(kind):
    assert stats_rows(page(kind), STATS) == []
    assert stats_rows(page(kind, CITY, CITY_AREA), STATS) == []


def test_missing_statistics_give_no_table():
    other = MapArea("222404101000", "敬信镇", "Jingxin Town", None)
    assert stats_rows(page("risk", area=other), STATS) == []  # township not in the table
    assert stats_rows(page("risk"), {}) == []
    assert stats_rows(page("zoning", CITY, CITY_AREA), {}) == []


def test_class_note_names_the_breaks_and_their_values():
    rows = {"222404100000": {**CHUNHUA_ROW, "class_scale": "city", "class_breaks": "0.2134,0.35,0.48049,0.622"}}
    note = class_note(page("risk"), rows)
    assert note.startswith("全市统一分级")
    assert "0.213 | 0.350 | 0.480 | 0.622" in note
    rows["222404100000"]["class_scale"] = "township"
    assert class_note(page("zoning"), rows).startswith("本乡镇分级")
    assert class_note(page("evacuation"), rows) == ""
    assert "未记录" in class_note(page("risk"), {"222404100000": CHUNHUA_ROW})  # an older run's table


def test_sheet_page_table_gives_the_sheet_and_the_whole_township():
    sheet = {"area_high_km2": 5.0, "area_mid_high_km2": 5.0, "area_medium_km2": 10.0, "area_mid_low_km2": 30.0,
             "area_low_km2": 50.0, "pop_high": 10, "pop_medium": 5}
    rows = stats_rows(page("risk"), STATS, sheet)
    assert rows[0] == ["等级 Class", "本图幅 km²", "本图幅 %", "本图幅人口", "全镇 km²", "全镇人口"]
    # the sheet holds 100 km² of 春化镇's 1 000: 5 / 100 = 5 %
    assert rows[1] == ["高", "5.0", "5.0", "10", "15.0", "1,234"]
    assert rows[-1] == ["合计 Total", "100.0", "100.0", "15", "1,000.0", "142,713"]
    # a subdistrict's sheet page (1:10000) names the whole as 全街道, a 乡's as 全乡
    for kind in ("街道", "乡"):
        area = MapArea(CHUNHUA.code, CHUNHUA.name, CHUNHUA.name_en, None, kind)
        assert stats_rows(page("risk", area=area), STATS, sheet)[0][4:] == [f"全{kind} km²", f"全{kind}人口"]


def test_figures_within_a_sheet_from_class_polygons_and_settlements():
    import geopandas as gpd
    from shapely.geometry import Point, box

    # two 10 x 10 km squares, high (5) west and low (1) east; the sheet takes the middle
    # 10 km: 5 km of each, 50 km² each
    zones = gpd.GeoDataFrame({"class": [5, 1]}, geometry=[box(0, 0, 10000, 10000), box(10000, 0, 20000, 10000)],
                             crs=4511)
    settlements = gpd.GeoDataFrame({"population": [100, 7, 1000]},
                                   geometry=[Point(6000, 5000), Point(14000, 5000), Point(2000, 5000)], crs=4511)
    figures = figures_within("risk", zones, settlements, box(5000, 0, 15000, 10000))
    assert figures["area_high_km2"] == pytest.approx(50.0)
    assert figures["area_low_km2"] == pytest.approx(50.0)
    assert figures["area_medium_km2"] == 0.0
    assert (figures["pop_high"], figures["pop_low"]) == (100, 7)  # the 1 000 at x = 2 km lie off the sheet
