"""Rows of the statistics table on risk and zoning maps, from the ``township_stats``
table that ``hunchunrisk:riskzoning`` writes: area and population by class for one
township, or by township for the city."""
from __future__ import annotations

from .definitions import prevention_zones as zone_defs
from .definitions import risk_classes
from .ledger_table import LEDGER_STATS, ledger_rows
from .map_pages import CITY, PageSpec


def stats_rows(page: PageSpec, stats: dict[str, dict], sheet: dict | None = None) -> list[list[str]]:
    """Header row first; [] when the kind has no table or the statistics are missing.
    On a sheet page, ``sheet`` holds the same figures for the part the page shows."""
    if page.kind.stats == LEDGER_STATS:
        return ledger_rows(page, stats)
    if page.kind.stats not in ("risk", "zoning") or not stats:
        return []
    if page.scope == CITY:
        return _city_rows(page.kind.stats, stats)
    row = stats.get(page.area.code)
    if row and sheet is not None:
        return sheet_rows(page.kind.stats, sheet, row, page.area.kind)
    return _township_rows(page.kind.stats, row) if row else []


def sheet_rows(kind: str, sheet: dict, township: dict, township_kind: str = "") -> list[list[str]]:
    """A sheet page's table: this sheet's area, share and people by class (本图幅), with
    the whole township's area and people beside them (全镇, 全乡 or 全街道 after its kind)."""
    classes = _classes(kind)
    sheet_total = sum(float(sheet.get(a) or 0) for _, a, _ in classes)
    whole = f"全{township_kind or '镇'}"
    rows = [["等级 Class", "本图幅 km²", "本图幅 %", "本图幅人口", f"{whole} km²", f"{whole}人口"]]
    for c, area, pop in classes:
        here = float(sheet.get(area) or 0)
        rows.append([c.zh, f"{here:,.1f}", f"{100 * here / sheet_total:.1f}" if sheet_total else "–",
                     _people(sheet.get(pop)), f"{float(township.get(area) or 0):,.1f}", _people(township.get(pop))])
    rows.append(["合计 Total", f"{sheet_total:,.1f}", "100.0" if sheet_total else "–",
                 _people(sum(int(sheet.get(p) or 0) for _, _, p in classes)),
                 f"{sum(float(township.get(a) or 0) for _, a, _ in classes):,.1f}",
                 _people(sum(int(township.get(p) or 0) for _, _, p in classes))])
    return rows


def figures_within(kind: str, zones, settlements, shown) -> dict[str, float]:
    """Area (km²) and people by class inside ``shown`` (a polygon in the zones' metric
    CRS), named as the township statistics are: from class polygons (``class`` = the
    class value) and settlement points (``population``)."""
    classes = {c.value: (area, pop) for c, area, pop in _classes(kind)}
    inside = zones.clip(shown) if len(zones) else zones
    figures: dict[str, float] = {}
    for value, (area, pop) in classes.items():
        figures[area] = float(inside.loc[inside["class"] == value].geometry.area.sum() / 1e6) if len(inside) else 0.0
        figures[pop] = 0
    if len(inside) and settlements is not None and len(settlements):
        points = settlements.loc[settlements.within(shown), ["population", "geometry"]]
        joined = points.sjoin(inside[["class", "geometry"]], predicate="within")
        for value, people in joined.groupby("class")["population"].sum().items():
            if int(value) in classes:
                figures[classes[int(value)][1]] = int(people)
    return figures


def _classes(kind: str):
    if kind == "risk":
        return [(c, f"area_{c.key}_km2", f"pop_{c.key}") for c in reversed(risk_classes())]
    return [(z, f"area_{z.key}_zone_km2", f"pop_{z.key}_zone") for z in reversed(zone_defs())]


def _township_rows(kind: str, row: dict) -> list[list[str]]:
    classes = _classes(kind)
    total_area = sum(float(row.get(area) or 0) for _, area, _ in classes)
    rows = [["等级 Class", "面积 km²", "占比 %", "人口 Population"]]
    for c, area, pop in classes:
        value = float(row.get(area) or 0)
        rows.append(
            [c.zh, f"{value:,.1f}", f"{100 * value / total_area:.1f}" if total_area else "–", _people(row.get(pop))])
    rows.append(["合计 Total", f"{total_area:,.1f}", "100.0" if total_area else "–",
                 _people(sum(int(row.get(p) or 0) for _, _, p in classes))])
    return rows


def _city_rows(kind: str, stats: dict[str, dict]) -> list[list[str]]:
    """One row per township (areas in km², people), then the city's totals."""
    classes = _classes(kind)
    rows = [["乡镇 Township"] + [f"{c.zh} km²" for c, _, _ in classes] + ["人口 Pop."]]
    totals = [0.0] * len(classes)
    people = 0
    for code in sorted(stats):
        row = stats[code]
        areas = [float(row.get(a) or 0) for _, a, _ in classes]
        totals = [t + a for t, a in zip(totals, areas)]
        count = sum(int(row.get(p) or 0) for _, _, p in classes)
        people += count
        rows.append([row.get("name", code)] + [f"{a:,.1f}" for a in areas] + [_people(count)])
    rows.append(["合计 Total"] + [f"{t:,.1f}" for t in totals] + [_people(people)])
    return rows


def _people(value) -> str:
    return f"{int(value or 0):,}"


CLASS_SCALES = {"city": "全市统一分级 City-wide class breaks",
                "township": "本乡镇分级 Classes relative to the township"}


def class_note(page: PageSpec, stats: dict[str, dict]) -> str:
    """Which breaks the page's risk classes use, and their values (from the
    ``class_scale`` and ``class_breaks`` of the statistics); '' for other kinds."""
    if page.kind.stats not in ("risk", "zoning") or not stats:
        return ""
    row = stats.get(page.area.code) if page.scope != CITY else next(iter(stats.values()))
    if not row:
        return ""
    scale = str(row.get("class_scale") or ("city" if page.scope == CITY else ""))
    breaks = [b for b in str(row.get("class_breaks") or "").split(",") if b.strip()]
    if not scale and not breaks:
        return "分级断点未记录 Class breaks not recorded (results of an older run)"
    words = CLASS_SCALES.get(scale, scale)
    if breaks:
        values = " | ".join(f"{float(b):.3f}" for b in breaks)
        words += f"；风险指数断点 Index breaks (0–1)：{values}"
    return words
