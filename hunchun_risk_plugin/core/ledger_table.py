"""The hazard-site ledger as the table on a 重大风险隐患分布平面图 page: per township on
the city map, the township's sites (most people threatened first) on its own map.
Rows come from the ``hazard_ledger`` layer that ``hunchunrisk:hazardledger`` writes."""
from __future__ import annotations

from .map_pages import CITY, PageSpec

LEDGER_STATS = "ledger"          # the map kind's ``stats`` in maps.toml
LEDGER_SOURCE = "hazard_ledger"  # the map source key of the ledger layer
MAX_SITE_ROWS = 6                # a township's page lists its sites up to this, then sums the rest


def ledger_rows(page: PageSpec, sites: dict[str, dict]) -> list[list[str]]:
    """Header row first; [] when there is no ledger or the township has no site in it."""
    if not sites:
        return []
    if page.scope == CITY:
        return _city_rows(sites.values())
    return _township_rows([s for s in sites.values() if str(s.get("township_code")) == page.area.code])


def _city_rows(sites) -> list[list[str]]:
    by_township: dict[str, list[dict]] = {}
    for site in sites:
        by_township.setdefault(str(site.get("township") or site.get("township_code")), []).append(site)
    rows = [["乡镇 Township", "隐患点 Sites", "威胁人数 Threatened", "需转移 To evacuate", "未能安置 Not placed"]]
    for name in sorted(by_township, key=lambda n: -_people(by_township[n], "threatened_people")):
        group = by_township[name]
        rows.append([name, str(len(group)), *(f"{_people(group, f):,}" for f in ("threatened_people", "evacuees",
                                                                                   "not_placed"))])
    every = [s for group in by_township.values() for s in group]
    rows.append(["合计 Total", str(len(every)), *(f"{_people(every, f):,}" for f in ("threatened_people", "evacuees",
                                                                                   "not_placed"))])
    return rows


def _township_rows(sites: list[dict]) -> list[list[str]]:
    if not sites:
        return []
    ranked = sorted(sites, key=lambda s: (-int(s.get("threatened_people") or 0), str(s.get("code"))))
    rows = [["编号 Code", "隐患点 Site", "类型 Kind", "规模 Scale", "威胁人数 People", "避难场所 Shelter"]]
    for site in ranked[:MAX_SITE_ROWS]:
        shelter = str(site.get("shelters") or "").split(" (")[0] or "未能安置 not placed"
        rows.append([str(site.get("code")), str(site.get("name")), str(site.get("kind_zh") or site.get("kind")),
                     str(site.get("scale_zh") or ""), f"{int(site.get('threatened_people') or 0):,}", shelter])
    rest = ranked[MAX_SITE_ROWS:]
    if rest:
        rows.append(["…", f"其余 {len(rest)} 处 {len(rest)} more (ledger CSV)", "", "",
                     f"{_people(rest, 'threatened_people'):,}", ""])
    rows.append(["合计 Total", f"{len(ranked)} 处 sites", "", "", f"{_people(ranked, 'threatened_people'):,}", ""])
    return rows


def _people(sites, field: str) -> int:
    return sum(int(s.get(field) or 0) for s in sites)
