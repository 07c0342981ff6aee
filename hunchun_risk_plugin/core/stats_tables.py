"""Rows of the statistics table on risk and zoning maps, from the ``township_stats``
table that ``hunchunrisk:riskzoning`` writes: area and population by class for one
township, or by township for the city."""
from __future__ import annotations

from .definitions import prevention_zones as zone_defs
from .definitions import risk_classes
from .ledger_table import LEDGER_STATS, ledger_rows
from .map_pages import CITY, PageSpec


def stats_rows(page: PageSpec, stats: dict[str, dict]) -> list[list[str]]:
    """Header row first; [] when the kind has no table or the statistics are missing."""
    if page.kind.stats == LEDGER_STATS:
        return ledger_rows(page, stats)
    if page.kind.stats not in ("risk", "zoning") or not stats:
        return []
    if page.scope == CITY:
        return _city_rows(page.kind.stats, stats)
    row = stats.get(page.area.code)
    return _township_rows(page.kind.stats, row) if row else []


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
        rows.append([c.zh, f"{value:,.1f}", f"{100 * value / total_area:.1f}" if total_area else "–", _people(row.get(pop))])
    rows.append(["合计 Total", f"{total_area:,.1f}", "100.0" if total_area else "–",
                 _people(sum(int(row.get(p) or 0) for _, _, p in classes))])
    return rows


def _city_rows(kind: str, stats: dict[str, dict]) -> list[list[str]]:
    classes = _classes(kind)
    rows = [["乡镇 Township"] + [c.zh for c, _, _ in classes] + ["人口 Pop."]]
    for code in sorted(stats):
        row = stats[code]
        rows.append([row.get("name", code)] + [f"{float(row.get(a) or 0):,.1f}" for _, a, _ in classes]
                    + [_people(sum(int(row.get(p) or 0) for _, _, p in classes))])
    return rows


def _people(value) -> str:
    return f"{int(value or 0):,}"
