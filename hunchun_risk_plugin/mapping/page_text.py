"""The words on a page, as layout variables: title, scale, sheet numbers and the notes
(datum, compiler, date, sources, software, synthetic-data warning)."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..core.definitions import domain
from ..core.ledger_table import LEDGER_STATS
from ..core.map_pages import CITY, PageSpec
from ..core.map_specs import maps_config, scale_text
from ..core.version import plugin_version


def city_names() -> tuple[str, str]:
    """The city's Chinese and English names (core/data/domain.toml [city])."""
    city = domain()["city"]
    return city["name"], city["name_en"]


SCENARIO_LABEL = "疏散情景 Scenario："  # as the 明白卡 (hazard_cards.footer_text) say it


@dataclass(frozen=True)
class PageText:
    compiled_by: str
    compiled_date: str        # ISO date printed on the map
    sources: str
    synthetic: bool           # the sample data: say so on every page
    provenance: str = ""      # model and run, one line
    # the scenario of the run behind a result, "zh / en", by result key: the kinds whose
    # ``scenario_from`` names that result say it (evacuation plan, hazard ledger)
    scenarios: dict[str, str] = field(default_factory=dict)

    def variables(self, page: PageSpec) -> dict[str, str]:
        crs = domain()["crs"]
        city_zh, city_en = city_names()
        place_zh = city_zh if page.scope == CITY else f"{city_zh}{page.area.name}"
        place_en = city_en if page.scope == CITY else f"{page.area.name_en}, {city_en}"
        sheet_part = f"（{page.sheet}）" if page.sheet else ("（图幅总图）" if page.overview else "")
        config = maps_config()
        return {
            "hr_area_code": "" if page.scope == CITY else page.area.code,
            "hr_sheet": page.sheet or "",
            "hr_overview": "1" if page.overview else "0",
            "hr_printed_sheets": ",".join(page.printed_sheets),
            "hr_title": f"{place_zh}{page.kind.zh}{sheet_part}",
            "hr_subtitle": " · ".join([page.kind.en, *self._scenario_part(page), place_en, scale_text(page.scale)]),
            "hr_kind": page.kind.key,
            "hr_place_zh": place_zh,
            "hr_place_en": place_en,
            "hr_scale_text": scale_text(page.scale),
            "hr_sheet_numbers": ", ".join(page.sheets),
            "hr_sheet_label": _sheet_label(page),
            "hr_inset_title": "位置示意图 Location" + ("（延边州）" if page.scope == CITY else "（珲春市）"),
            "hr_adjoining_title": "接图表 Adjoining sheets",
            "hr_stats_title": _stats_title(page),
            "hr_datum_note": f"{crs['note_zh']}\n高斯-克吕格投影 6°带 EPSG:{crs['default_epsg']}",
            "hr_compiled_note": f"编制单位：{self.compiled_by}\n编制日期：{self.compiled_date}",
            "hr_notes": self._notes(page),
            "hr_synthetic_note": f"{config['notes']['synthetic_zh']}\n{config['notes']['synthetic_en']}"
            if self.synthetic else "",
        }

    def scenario(self, page: PageSpec) -> str:
        """The scenario the page's kind shows ('' for kinds without one, or when unknown)."""
        return self.scenarios.get(page.kind.scenario_from, "") if page.kind.scenario_from else ""

    def _scenario_part(self, page: PageSpec) -> list[str]:
        """The scenario's Chinese title, for the subtitle."""
        scenario = self.scenario(page)
        return [f"{SCENARIO_LABEL}{scenario.split(' / ')[0]}"] if scenario else []

    def _notes(self, page: PageSpec) -> str:
        lines = [f"数据来源 Sources：{self.sources}", f"制图 Software：Hunchun Risk {plugin_version()}（QGIS）"]
        if self.scenario(page):
            lines.insert(0, f"{SCENARIO_LABEL}{self.scenario(page)}")
        if self.provenance:
            lines.append(self.provenance)
        return "\n".join(lines)


STATS_TITLES = {  # (kind, city page?) -> the table's title
    ("evacuation", False): "疏散去向 Where each settlement goes",
    ("evacuation", True): "乡镇疏散统计 Evacuation by township",
    ("coverage", False): "覆盖统计 Coverage by drive time",
    ("coverage", True): "覆盖统计 Coverage by drive time",
}


def _stats_title(page: PageSpec) -> str:
    if page.kind.stats == LEDGER_STATS:
        return "隐患点台账 Hazard-site ledger" + ("（各乡镇）" if page.scope == CITY else "（威胁人数最多者）")
    default = "乡镇统计 Statistics by township" if page.scope == CITY else "分类统计 Statistics by class"
    return STATS_TITLES.get((page.kind.key, page.scope == CITY), default)


def _sheet_label(page: PageSpec) -> str:
    if page.sheet and page.merged:  # the slivers of the township on these sheets are drawn here
        return f"图幅号 {page.sheet}（含 {'、'.join(page.merged)} 内零星部分）"
    if page.sheet:
        return f"图幅号 {page.sheet}"
    if page.overview:
        return f"图幅总图：分 {len(page.printed_sheets)} 幅 {page.printed_sheets[0]} 等"
    if len(page.sheets) <= 4:
        return "图幅号 " + "  ".join(page.sheets)
    return f"图幅号 {page.sheets[0]} 等 {len(page.sheets)} 幅"
