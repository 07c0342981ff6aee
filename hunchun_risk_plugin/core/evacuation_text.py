"""The words of an evacuation map: shelter numbers, shelter and route labels, the
standard stated for each shelter kind, and the settlement → shelter table.

Read defensively: the evacuation layers keep their fields (origin, shelter, population,
distance_m, time_min, over_standard, capacity, assigned, status, reason …) but a
scenario run may add more (priority, evacuees, shelter status) or leave some empty."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from .definitions import shelter_kinds
from .map_pages import CITY, PageSpec

MORE_ROWS = "…"
# Why people were not placed, short enough for a table cell (the keys of
# core/routing/evacuation_frames.py REASONS; a new reason falls back to its reason_zh).
SHORT_REASONS = {"no_geometry": "无位置", "too_far_from_road": "远离道路", "disconnected_network": "路网不连通",
                 "cut_off_by_hazard": "道路被阻断", "no_path": "无通路", "no_capacity": "场所已满"}


def circled(number: int) -> str:
    """①…⑳, ㉑…㉟, ㊱…㊿ (the fonts of the maps have them), then (51), (52) …"""
    if 1 <= number <= 20:
        return chr(0x2460 + number - 1)
    if 21 <= number <= 35:
        return chr(0x3251 + number - 21)
    if 36 <= number <= 50:
        return chr(0x32B1 + number - 36)
    return f"({number})"


def shelter_numbers(codes: Iterable[str]) -> dict[str, int]:
    """One number per shelter for the whole city, in code order: the same shelter has
    the same number on the city map and on every township map."""
    return {code: number for number, code in enumerate(sorted({str(c) for c in codes if c not in (None, "")}), 1)}


def _number(value, default: float = 0.0) -> float:
    try:
        return float(value) if value not in (None, "") else default
    except (TypeError, ValueError):
        return default


def people(value) -> str:
    return f"{int(round(_number(value))):,}"


def shelter_label(row: Mapping, number: int | None) -> str:
    """'⑭ 靖和公园' and, below, '3,800 / 7,255 人' (assigned of capacity), or why it is closed."""
    head = f"{circled(number)} " if number else ""
    name = str(row.get("name") or row.get("shelter") or "")
    status = str(row.get("status") or "open")
    if status != "open":
        return f"{head}{name}\n（{row.get('status_zh') or status}）"
    assigned = row.get("evacuees") if row.get("evacuees") not in (None, "") else row.get("assigned")
    return f"{head}{name}\n{people(assigned)} / {people(row.get('capacity'))} 人"


def route_label(row: Mapping, number: int | None) -> str:
    """'→⑭ 1.2 km / 18 min' (and 超标 when beyond the shelter kind's standard)."""
    target = circled(number) if number else str(row.get("shelter_name") or row.get("shelter") or "")
    text = f"→{target} {_number(row.get('distance_m')) / 1000:.1f} km / {_number(row.get('time_min')):.0f} min"
    return text + (" 超标" if int(_number(row.get("over_standard"))) == 1 else "")


def standard_text() -> str:
    """The shelter standard as the legend states it: distance and walking time per kind."""
    parts = [f"{spec['zh'].replace('避难场所', '')} ≤ {spec['max_distance_m'] / 1000:g} km"
             f" / {spec['max_walk_minutes']:g} min" for spec in shelter_kinds().values()]
    return "标准 Standard（步行 walking）：" + "；".join(parts)


def evacuation_rows(page: PageSpec, routes: Sequence[Mapping], unreached: Sequence[Mapping],
                    township_of: Mapping[str, str], numbers: Mapping[str, int],
                    township_names: Mapping[str, str] | None = None) -> list[list[str]]:
    """The settlement → shelter table of a township page (one row per route, then the
    people not placed, with the reason), or the per-township summary of the city page.
    Header row first; the last row is the total."""
    if page.kind.key != "evacuation" or not (routes or unreached):
        return []
    if page.scope == CITY:
        return _city_rows(routes, unreached, township_of, township_names or {})
    mine = _in_township(routes, township_of, page.area.code)
    lost = _in_township(unreached, township_of, page.area.code)
    rows = [["居民点 Settlement", "人数 People", "去向 To", "km", "min"]]
    for r in sorted(mine, key=lambda r: (str(r.get("origin_name") or ""), -_number(r.get("population")))):
        number = numbers.get(str(r.get("shelter")))
        rows.append([str(r.get("origin_name") or r.get("origin") or ""), people(r.get("population")),
                     f"{circled(number) if number else ''} {r.get('shelter_name') or r.get('shelter') or ''}".strip(),
                     f"{_number(r.get('distance_m')) / 1000:.1f}", f"{_number(r.get('time_min')):.0f}"])
    for u in sorted(lost, key=lambda u: str(u.get("name") or "")):
        rows.append([str(u.get("name") or u.get("origin") or ""), people(u.get("population")),
                     f"未安置：{_reason(u)}", "–", "–"])
    placed = sum(_number(r.get("population")) for r in mine)
    missing = sum(_number(u.get("population")) for u in lost)
    rows.append(["合计 Total", people(placed + missing), f"已安置 {people(placed)}，未安置 {people(missing)}", "", ""])
    return rows


def beyond_standard_note(page: PageSpec, routes: Sequence[Mapping], township_of: Mapping[str, str]) -> str:
    """The page's routes beyond the walking standard, counted, with the farthest and
    what a planner can do about it ('' when every route is within the standard): the
    legend's dashed line alone did not tell a reader that a 60 km walk is on the map."""
    if page.kind.key != "evacuation":
        return ""
    mine = routes if page.scope == CITY else _in_township(routes, township_of, page.area.code)
    over = [r for r in mine if int(_number(r.get("over_standard"))) == 1]
    if not over:
        return ""
    moved = people(sum(_number(r.get("population")) for r in over))
    farthest = max(_number(r.get("distance_m")) for r in over) / 1000
    # named: a sheet page shows part of the township, the count is the whole township's
    return (f"{page.area.name}超出步行标准 Beyond the walking standard：{len(over)} 条路线 routes，{moved} 人 people，"
            f"最远 farthest {farthest:.1f} km。需增加就近避难场所容量或安排车辆转运 "
            "(add shelter room nearby or plan vehicle transport)")


def _in_township(rows: Sequence[Mapping], township_of: Mapping[str, str], code: str) -> list[Mapping]:
    """The routes (or people not placed) whose settlement lies in township ``code``."""
    return [r for r in rows if township_of.get(str(r.get("origin"))) == code]


def _reason(row: Mapping) -> str:
    key = str(row.get("reason") or "")
    return SHORT_REASONS.get(key) or str(row.get("reason_zh") or key)


def _city_rows(routes, unreached, township_of, names: Mapping[str, str]) -> list[list[str]]:
    placed: dict[str, float] = {}
    missing: dict[str, float] = {}
    farthest: dict[str, float] = {}
    for r in routes:
        code = township_of.get(str(r.get("origin")), "")
        placed[code] = placed.get(code, 0.0) + _number(r.get("population"))
        farthest[code] = max(farthest.get(code, 0.0), _number(r.get("distance_m")))
    for u in unreached:
        code = township_of.get(str(u.get("origin")), "")
        missing[code] = missing.get(code, 0.0) + _number(u.get("population"))
    rows = [["乡镇 Township", "已安置 Placed", "未安置 Not placed", "最远 Farthest km"]]
    for code in sorted(set(placed) | set(missing)):
        rows.append([names.get(code, code or "–"), people(placed.get(code)), people(missing.get(code)),
                     f"{farthest.get(code, 0.0) / 1000:.1f}"])
    rows.append(["合计 Total", people(sum(placed.values())), people(sum(missing.values())),
                 f"{max(farthest.values(), default=0.0) / 1000:.1f}"])
    return rows


def fit_rows(rows: list[list[str]], room: int) -> list[list[str]]:
    """At most ``room`` rows: the header, as many body rows as fit, a '… k more' row,
    and the total (the last row) always kept."""
    if len(rows) <= room or room < 3:
        return rows
    header, body, total = rows[0], rows[1:-1], rows[-1]
    keep = max(0, room - 3)
    hidden = body[keep:]
    more = [f"{MORE_ROWS} 其余 {len(hidden)} 行 {len(hidden)} more"] + [""] * (len(header) - 1)
    return [header, *body[:keep], more, total]
