"""The drive-time classes of the coverage maps and their table: 15/30/60-minute bands
(the urban subdistricts are all within an hour), then the plan's 3 h rescue and 10 h
basic-aid targets; beyond that or unreachable is 未覆盖 (not covered). The styles
(scripts/make_routing_styles.py) and the tables read the classes from here."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .definitions import targets_hours
from .map_pages import CITY, PageSpec


@dataclass(frozen=True)
class Band:
    key: str
    label: str
    low_min: float
    high_min: float


def coverage_bands() -> list[Band]:
    rescue, aid = targets_hours()["rescue_hours"] * 60, targets_hours()["basic_aid_hours"] * 60
    return [
        Band("b15", "≤ 15 min", 0, 15), Band("b30", "15–30 min", 15, 30), Band("b60", "30–60 min", 30, 60),
        Band("rescue", f"1–{rescue / 60:g} h（救援目标内 within the {rescue / 60:g} h rescue target）", 60, rescue),
        Band("aid", f"{rescue / 60:g}–{aid / 60:g} h（超出救援目标 beyond the rescue target）", rescue, aid),
    ]


def band_thresholds_hours() -> str:
    """The drive-time zone breaks that draw every band of the maps: "0.25, 0.5, 1, 3, 10"
    (zones cut only at 1, 3 and 10 h would put a 0–1 h zone into the 30–60 min class)."""
    return ", ".join(f"{band.high_min / 60:g}" for band in coverage_bands())


def not_covered_label() -> str:
    return f"未覆盖 Not covered（> {targets_hours()['basic_aid_hours']:g} h 或不可达 or unreachable）"


def band_of(minutes) -> str:
    """The band key of a drive time in minutes; 'none' when not covered."""
    if minutes is None:
        return "none"
    for band in coverage_bands():
        if minutes <= band.high_min:
            return band.key
    return "none"


def _number(value) -> float | None:
    try:
        return None if value in (None, "") else float(value)
    except (TypeError, ValueError):
        return None


def coverage_rows(page: PageSpec, settlements: Sequence[Mapping],
                  township_names: Mapping[str, str] | None = None) -> list[list[str]]:
    """The coverage table: on a township page settlements and people by band, on the
    city page by township (people, the longest time, people beyond the rescue target)."""
    if page.kind.key != "coverage" or not settlements:
        return []
    if page.scope == CITY:
        return _city_rows(settlements, township_names or {})
    mine = [s for s in settlements if str(s.get("township_code")) == page.area.code]
    if not mine:
        return []
    rows = [["车程 Drive time", "居民点 Places", "人口 People"]]
    labels = [(b.key, b.label.split("（")[0]) for b in coverage_bands()] + [("none", "未覆盖 Not covered")]
    for key, label in labels:
        here = [s for s in mine if band_of(_number(s.get("depot_min"))) == key]
        rows.append([label, f"{len(here)}", f"{int(sum(_number(s.get('population')) or 0 for s in here)):,}"])
    rows.append(["合计 Total", f"{len(mine)}", f"{int(sum(_number(s.get('population')) or 0 for s in mine)):,}"])
    return rows


def _city_rows(settlements, names: Mapping[str, str]) -> list[list[str]]:
    rescue = targets_hours()["rescue_hours"] * 60
    rows = [["乡镇 Township", "人口 People", "最长 Longest min", f"超 {rescue / 60:g} h 人口"]]
    codes = sorted({str(s.get("township_code")) for s in settlements})
    total_people = total_beyond = 0
    longest_all = 0.0
    for code in codes:
        mine = [s for s in settlements if str(s.get("township_code")) == code]
        people = int(sum(_number(s.get("population")) or 0 for s in mine))
        times = [_number(s.get("depot_min")) for s in mine]
        longest = max((t for t in times if t is not None), default=0.0)
        beyond = int(sum(_number(s.get("population")) or 0 for s, t in zip(mine, times) if t is None or t > rescue))
        total_people, total_beyond = total_people + people, total_beyond + beyond
        longest_all = max(longest_all, longest)
        rows.append([names.get(code, code), f"{people:,}", f"{longest:.0f}", f"{beyond:,}"])
    rows.append(["合计 Total", f"{total_people:,}", f"{longest_all:.0f}", f"{total_beyond:,}"])
    return rows
