"""core.field_mapping: schema fields found by name, alias, shapefile truncation or the
user's FIELD_MAP; category values in Chinese read as the schema keys."""
from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from hunchun_risk_plugin.core.errors import InputError
from hunchun_risk_plugin.core.field_mapping import (
    BY_ALIAS, BY_FIELD_MAP, BY_NAME, BY_TRUNCATION, known_values, load_field_map, map_layer, match_fields,
    propose_field_map, truncations,
)
from hunchun_risk_plugin.core.schema import layer_spec


def _matches(layer, columns, user=None):
    return {m.schema_field: (m.source_field, m.how) for m in match_fields(layer_spec(layer), columns, user)}


def test_truncations_are_what_a_dbf_keeps():
    # 10 bytes: ASCII names lose their tail; a Chinese name keeps 5 GBK or 3 UTF-8 characters
    assert truncations("elderly_share") == {"elderly_sh"}
    assert truncations("name") == set()
    assert truncations("老年人口占比") == {"老年人口占", "老年人"}


def test_shapefile_truncated_names_are_matched():
    got = _matches("townships",
                   ["CODE", "name", "name_en", "kind", "populati_1", "population", "elderly_sh", "building_v"])
    assert got["code"] == ("CODE", BY_NAME)  # case does not matter
    assert got["elderly_share"] == ("elderly_sh", BY_TRUNCATION)
    assert got["building_vulnerability"] == ("building_v", BY_TRUNCATION)
    assert got["population"] == ("population", BY_NAME)


def test_chinese_census_names_are_matched_as_aliases():
    got = _matches("townships", ["乡镇代码", "乡镇名称", "常住人口", "老年人口占比"])
    assert got == {"code": ("乡镇代码", BY_ALIAS), "name": ("乡镇名称", BY_ALIAS),
                   "population": ("常住人口", BY_ALIAS), "elderly_share": ("老年人口占比", BY_ALIAS)}
    # a 10-byte GBK DBF keeps 老年人口占 of 老年人口占比
    assert _matches("townships", ["老年人口占"])["elderly_share"] == ("老年人口占", BY_TRUNCATION)
    shelters = _matches("shelters", ["名称", "可容纳人数", "有效避难面积"])
    assert shelters == {"name": ("名称", BY_ALIAS), "capacity": ("可容纳人数", BY_ALIAS),
                        "effective_area_m2": ("有效避难面积", BY_ALIAS)}
    assert _matches("hazard_sites", ["受威胁人数", "规模等级", "灾害类型"]) == {
        "kind": ("灾害类型", BY_ALIAS), "scale": ("规模等级", BY_ALIAS), "threatened_people": ("受威胁人数", BY_ALIAS)}
    assert _matches("depots", ["帐篷"]) == {"stock_tents": ("帐篷", BY_ALIAS)}


def test_the_schema_name_wins_over_an_alias_and_a_column_serves_one_field():
    got = _matches("townships", ["人口", "population"])
    assert got == {"population": ("population", BY_NAME)}
    # 名称 is an alias of name only once, even if listed for several fields
    assert _matches("settlements", ["名称"]) == {"name": ("名称", BY_ALIAS)}


def test_an_ambiguous_truncation_is_not_matched():
    # stock_folding_beds and a made-up stock_fold_x would both cut to stock_fold: the depots'
    # real fields do not collide, so every stock_* truncation matches
    depots = _matches("depots", ["stock_tent", "stock_fold", "stock_heat", "stock_ligh", "township_c"])
    assert depots["stock_tents"] == ("stock_tent", BY_TRUNCATION)
    assert depots["township_code"] == ("township_c", BY_TRUNCATION)
    # hazard_sites: threatened_people -> threatened; nothing else cuts to that
    assert _matches("hazard_sites", ["threatened"])["threatened_people"] == ("threatened", BY_TRUNCATION)
    # settlements: township_code and no other field cuts to township_c, but the alias 所属乡镇代码
    # cuts (UTF-8) to 所属乡 which is also the cut of 所属乡镇 -> both township_code -> still unambiguous
    assert _matches("settlements", ["所属乡"])["township_code"][1] == BY_TRUNCATION


def test_the_field_map_wins(tmp_path):
    got = _matches("townships", ["population", "常住人口"], {"population": "常住人口"})
    assert got == {"population": ("常住人口", BY_FIELD_MAP)}
    with pytest.raises(InputError, match="no field '总人口'.*it has: population, 常住人口"):
        _matches("townships", ["population", "常住人口"], {"population": "总人口"})


def test_map_layer_renames_and_translates_values_and_keeps_the_input():
    frame = gpd.GeoDataFrame(
        {"类型": ["滑坡", "泥石流", "Landslide", "rockfall", None],
         "规模": ["小型", "特大型", "medium", "中型", "大型"],
                              "威胁人数": [3, 4, 5, 6, 7]}, geometry=[shapely.Point(i, 0) for i in range(5)])
    mapped = map_layer("hazard_sites", frame)
    assert list(frame.columns) == ["类型", "规模", "威胁人数", "geometry"]
    assert mapped.frame["kind"].tolist()[:4] == ["landslide", "debris_flow", "landslide", "rockfall"]
    assert mapped.frame["kind"].isna().tolist()[4]
    assert mapped.frame["scale"].tolist() == ["small", "huge", "medium", "medium", "large"]
    assert mapped.frame.attrs["field_sources"] == {"kind": "类型", "scale": "规模", "threatened_people": "威胁人数"}
    lines = mapped.log_lines("hazard_sites")
    assert lines[0].startswith("[hazard_sites] fields used: kind ← 类型 (an alias), scale ← 规模 (an alias), ")
    assert lines[0].endswith("not found: code, name, township_code")
    assert mapped.log_lines("hazard_sites", "zh")[0].startswith("[隐患点 hazard_sites] 使用字段：kind ← 类型（别名）")
    assert any("滑坡→landslide" in line for line in lines)
    assert isinstance(mapped.frame, gpd.GeoDataFrame)


@pytest.mark.parametrize("layer, field, values, keys", [
    ("roads", "road_class", ["高速", "国道", "省道", "县道", "乡道", "村道", "城市道路"],
     ["expressway", "national", "provincial", "county", "township", "village", "urban"]),
    ("shelters", "kind", ["紧急", "短期固定", "中期固定", "长期固定", "中心避难场所"],
     ["emergency", "fixed_short", "fixed_medium", "fixed_long", "central"]),
    ("hazard_sites", "kind", ["滑坡", "崩塌", "泥石流", "地面塌陷", "内涝点", "重大危险源", "尾矿库"],
     ["landslide", "collapse", "debris_flow", "ground_subsidence", "waterlogging", "major_hazard_installation",
      "tailings_pond"]),
    ("hazard_sites", "scale", ["小型", "中型", "大型", "特大型"], ["small", "medium", "large", "huge"]),
    ("townships", "kind", ["街道", "镇", "乡"], ["街道", "镇", "乡"]),
    ("settlements", "kind", ["村", "社区"], ["village", "community"]),
])
def test_every_chinese_category_value_of_the_issue(layer, field, values, keys):
    mapped = map_layer(layer, pd.DataFrame({field: values}))
    assert mapped.frame[field].tolist() == keys


def test_known_values_name_the_chinese_too():
    assert known_values(layer_spec("hazard_sites"),
                        "scale") == "small (小型), medium (中型), large (大型), huge (特大型)"


def test_load_field_map_names_key_and_line(tmp_path):
    path = tmp_path / "map.toml"
    path.write_text('[townships]\npopulation = "常住人口"\nname = "乡镇名称"\n\n[settlements]\npopulaton = "人口"\n',
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"line 6: \[settlements\] has no field 'populaton'") as error:
        load_field_map(path)
    assert "第 6 行" in error.value.zh
    path.write_text('[townships]\npopulation = "常住人口"\n[roadz]\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"line 3: \[roadz\] is not a layer"):
        load_field_map(path)
    path.write_text('[townships]\npopulation = 3\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"line 2: \[townships\] population must be the name of a field"):
        load_field_map(path)
    path.write_text('[townships]\npopulation = "常住人口\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"not valid TOML.*line 2"):
        load_field_map(path)
    path.write_text('[townships]\npopulation = "常住人口"\n', encoding="utf-8")
    assert load_field_map(path) == {"townships": {"population": "常住人口"}}


def test_proposed_field_map_loads_back(tmp_path):
    text = propose_field_map({"townships": ["乡镇代码", "名称", "常住人口", "elderly_sh"]})
    path = tmp_path / "proposed.toml"
    path.write_text(text, encoding="utf-8")
    assert load_field_map(path) == {"townships": {"code": "乡镇代码", "name": "名称", "population": "常住人口",
                                                  "elderly_share": "elderly_sh"}}
    assert '# building_vulnerability = ""' in text


def test_optional_fields_are_matched_like_the_others():
    """meteo_index is optional (no error when absent) but still found under its DBF
    truncation or its Chinese name: the risk model's meteorological factor reads it."""
    assert _matches("townships", ["code", "meteo_inde"])["meteo_index"] == ("meteo_inde", BY_TRUNCATION)
    assert _matches("townships", ["code", "气象指数"])["meteo_index"] == ("气象指数", BY_ALIAS)
    assert "meteo_index" not in _matches("townships", ["code", "name"])
