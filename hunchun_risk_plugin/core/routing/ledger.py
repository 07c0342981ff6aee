"""The hazard-site ledger (风险台账) behind the 防灾避险明白卡: for every hazard site whose
people must leave under a scenario, the settlements it threatens, the shelter(s) they
are assigned and the route there.

Nothing is routed here: the same ``evacuate`` as ``hunchunrisk:evacuationroutes`` runs
with the scenario, and the ledger joins its results. ``plan.evacuees.site_links`` says
which settlement (or the site itself, when no settlement is near) holds each site's
threatened people; the routes say where that settlement's evacuees go. A settlement
threatened by several sites appears under each of them, with the shelters of the whole
settlement (the plan places settlements, not the people of one site).

The warning signal, monitor and phone come from the site layer's own fields
(``core/data/ledger.toml`` lists the names accepted); a missing field or an empty value
stays blank, never made up.
"""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..definitions import data_file, hazard_site_kinds, hazard_site_scales, townships as domain_townships
from ..errors import InputError
from ..progress import SILENT, Progress
from .evacuees import SITE
from .evacuation import EvacuationResult, EvacuationSettings, evacuate
from .inputs import feature_ids, require_features, require_fields
from .metric import to_crs
from .scenario import DEFAULT_MAJOR_HAZARD_DISTANCE_M, SITES, Scenario, load_scenario
from .scenario_inputs import ScenarioInputs
from .shelter_rules import major_hazard_sites

DEFAULT_SCENARIO = "geological_rainstorm"
AT_SITE = "隐患点处 at the site"  # the people stay counted at the site: no settlement within the radius
SITE_COLUMNS = ["code", "name", "kind", "kind_zh", "kind_en", "scale", "scale_zh", "scale_en", "township_code",
                "township", "threatened_people", "evacuees", "settlement_count", "settlements", "shelters",
                "max_distance_m", "max_time_min", "not_placed", "warning_signal", "monitor", "phone"]
LINK_COLUMNS = ["site", "site_name", "township_code", "origin", "origin_name", "origin_kind", "people",
                "origin_evacuees", "shelter", "shelter_name", "shelter_kind", "shelter_people", "distance_m",
                "time_min", "over_standard"]
ZONE_COLUMNS = ["code", "name", "township_code", "township", "distance_m", "shelters_inside", "shelter_names"]


def ledger_scenario_for(name: str) -> str:
    """The ledger's scenario when the user chose ``name`` for the evacuation: that one
    when it has a hazard-site trigger (the ledger needs one), else "" (the ledger's own
    default, DEFAULT_SCENARIO)."""
    if not name:
        return ""
    return name if any(t.source == SITES for t in load_scenario(name).triggers) else ""


def ledger_config() -> dict:
    return data_file("ledger.toml")


def optional_facts() -> dict[str, dict]:
    """The optional site facts (warning signal, monitor, phone) and their field names."""
    return ledger_config()["optional_fields"]


@dataclass
class Ledger:
    sites: gpd.GeoDataFrame          # one row per site with people to move (points)
    links: gpd.GeoDataFrame          # site x settlement x shelter, with the route line
    safety_zones: gpd.GeoDataFrame   # the safety distance around each major hazard installation
    evacuation: EvacuationResult
    scenario: Scenario
    summary: dict


def hazard_ledger(
    roads: gpd.GeoDataFrame,
    settlements: gpd.GeoDataFrame,
    shelters: gpd.GeoDataFrame,
    hazard_sites: gpd.GeoDataFrame,
    townships: gpd.GeoDataFrame | None = None,
    scenario: Scenario | None = None,
    settings: EvacuationSettings = EvacuationSettings(),
    progress: Progress = SILENT,
) -> Ledger:
    """The ledger of ``hazard_sites`` under ``scenario`` (default: the shipped
    ``geological_rainstorm``); see the module doc. Inputs are checked first."""
    scenario = scenario if scenario is not None else load_scenario(DEFAULT_SCENARIO)
    _check(scenario, hazard_sites)
    result = evacuate(roads, settlements, shelters, settings, progress=progress.sub(0.0, 0.9),
                      scenario=ScenarioInputs(scenario, hazard_sites=hazard_sites, townships=townships))
    crs = result.routes.crs
    names = _township_names(townships)
    links = _links(result, hazard_sites, crs)
    sites = _sites(hazard_sites, links, names, crs)
    zones = safety_zones(hazard_sites, shelters, _safety_distance(scenario), crs, names)
    progress.step(1.0)
    summary = {
        "scenario": scenario.record(),
        "sites": int(len(sites)),
        "threatened_people": int(sites["threatened_people"].sum()),
        "evacuees": int(sites["evacuees"].sum()),
        "settlements": int(links.loc[links["origin_kind"] != SITE, "origin"].nunique()),
        "shelters_used": int(links["shelter"].replace("", np.nan).dropna().nunique()),
        "population_placed": int(result.summary["population_placed"]),
        "population_evacuees": int(result.summary["population_evacuees"]),
        "townships": int(sites["township_code"].nunique()),
        "major_hazard_installations": int(len(zones)),
        "optional_fields": {key: _field_for(hazard_sites, facts) for key, facts in optional_facts().items()},
    }
    return Ledger(sites, links, zones, result, scenario, summary)


def _check(scenario: Scenario, sites: gpd.GeoDataFrame | None) -> None:
    if not any(t.source == SITES for t in scenario.triggers):
        raise InputError(
            f"Scenario '{scenario.name}' has no hazard-site trigger (source = \"hazard_sites\"), so no site threatens "
            f"anyone in it. Choose a scenario with one, e.g. {DEFAULT_SCENARIO}.",
            f"疏散情景“{scenario.name}”没有隐患点触发条件（source = \"hazard_sites\"），无法编制隐患点台账。"
            f"请选择含隐患点触发条件的情景，如 {DEFAULT_SCENARIO}。",
        )
    if sites is None:
        raise InputError("The ledger needs the HAZARD_SITES layer.", "编制隐患点台账需要隐患点图层（HAZARD_SITES）。")
    require_features(sites, "hazard_sites")
    require_fields(sites, ["code", "kind", "threatened_people"], "hazard_sites")
    feature_ids(sites, "code", "hazard_sites")  # unique, non-empty: the ledger is keyed by it


def _safety_distance(scenario: Scenario) -> float:
    """The scenario's distance from major hazard installations, else GB 50413's 1,000 m."""
    return float(scenario.shelters.major_hazard_distance_m or DEFAULT_MAJOR_HAZARD_DISTANCE_M)


def _township_names(townships: gpd.GeoDataFrame | None) -> dict[str, str]:
    names = {t["code"]: t["name"] for t in domain_townships()}
    if townships is not None and {"code", "name"} <= set(townships.columns):
        names.update(dict(zip(townships["code"].astype(str), townships["name"].astype(str))))
    return names


def _links(result: EvacuationResult, hazard_sites: gpd.GeoDataFrame, crs) -> gpd.GeoDataFrame:
    """One row per site, threatened origin and assigned shelter (one row with an empty
    shelter for an origin the plan could not place)."""
    plan = result.plan
    links = plan.evacuees.site_links
    # A site in several triggers of the scenario: its largest count at each origin.
    links = links.groupby(["site", "origin"], sort=False, as_index=False).agg(
        site_name=("site_name", "first"), people=("people", "max"))
    origins = plan.evacuees.origins.set_index("origin")
    routes = result.routes
    by_origin = {o: group for o, group in routes.groupby("origin", sort=False)}
    township = dict(zip(hazard_sites["code"].astype(str).str.strip(),
                        _text(hazard_sites, "township_code")))
    rows = []
    for link in links.itertuples(index=False):
        origin = origins.loc[link.origin]
        base = {"site": link.site, "site_name": link.site_name, "township_code": township.get(link.site, ""),
                "origin": link.origin, "origin_name": str(origin["name"]), "origin_kind": str(origin["origin_kind"]),
                "people": int(link.people), "origin_evacuees": int(origin["population"])}
        mine = by_origin.get(link.origin)
        if mine is None:
            rows.append({**base, "shelter": "", "shelter_name": "", "shelter_kind": "", "shelter_people": 0,
                         "distance_m": np.nan, "time_min": np.nan, "over_standard": 0, "geometry": None})
            continue
        for route in mine.itertuples(index=False):
            rows.append({**base, "shelter": route.shelter, "shelter_name": route.shelter_name,
                         "shelter_kind": route.shelter_kind, "shelter_people": int(route.population),
                         "distance_m": float(route.distance_m), "time_min": float(route.time_min),
                         "over_standard": int(route.over_standard), "geometry": route.geometry})
    frame = pd.DataFrame(rows, columns=LINK_COLUMNS + ["geometry"])
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(frame["geometry"].tolist(), crs=crs), crs=crs)


def _sites(hazard_sites: gpd.GeoDataFrame, links: gpd.GeoDataFrame, township_names: dict[str, str],
           crs) -> gpd.GeoDataFrame:
    """The ledger proper: the sites with linked people, in the layer's order."""
    frame = to_crs(hazard_sites, crs, "hazard_sites")
    codes = frame["code"].astype(str).str.strip().to_numpy()
    linked = set(links["site"])
    keep = np.array([c in linked for c in codes])
    frame = frame[keep]
    kinds, scales = hazard_site_kinds(), hazard_site_scales()
    kind = _text(frame, "kind")
    scale = _text(frame, "scale")
    township = _text(frame, "township_code")
    out = pd.DataFrame({
        "code": codes[keep], "name": _text(frame, "name"), "kind": kind,
        "kind_zh": [kinds.get(k, {}).get("zh", "") for k in kind],
        "kind_en": [kinds.get(k, {}).get("en", "") for k in kind],
        "scale": scale, "scale_zh": [scales.get(s, {}).get("zh", "") for s in scale],
        "scale_en": [scales.get(s, {}).get("en", "") for s in scale],
        "township_code": township, "township": [township_names.get(t, "") for t in township],
        "threatened_people": pd.to_numeric(frame["threatened_people"],
                                           errors="coerce").fillna(0).astype(np.int64).to_numpy(),
    })
    per_site = [_site_facts(links[links["site"] == code]) for code in out["code"]]
    for column in ("evacuees", "settlement_count", "settlements", "shelters", "max_distance_m", "max_time_min",
                   "not_placed"):
        out[column] = [facts[column] for facts in per_site]
    for key, facts in optional_facts().items():
        name = _field_for(frame, facts)
        out[key] = _plain_text(frame[name]) if name else ""
    return gpd.GeoDataFrame(out[SITE_COLUMNS], geometry=gpd.GeoSeries(frame.geometry.values, crs=crs), crs=crs)


def _site_facts(rows: pd.DataFrame) -> dict:
    """The ledger's summary of one site's links, in words a card can print."""
    origins = rows.drop_duplicates("origin")
    settlements = "; ".join(f"{_origin_words(r)} {r.people}" for r in origins.itertuples())
    routed = rows[rows["shelter"] != ""]
    shelters = "; ".join(
        f"{r.shelter_name} ({r.shelter}) {r.distance_m / 1000:.1f} km / {r.time_min:.0f} min"
        for r in routed.drop_duplicates(["shelter"]).itertuples())
    placed = rows.groupby("origin")["shelter_people"].sum()
    evacuees = origins.set_index("origin")["origin_evacuees"]
    return {"evacuees": int(origins["people"].sum()), "settlement_count": int(len(origins)),
            "settlements": settlements, "shelters": shelters,
            "max_distance_m": round(float(routed["distance_m"].max()), 1) if len(routed) else np.nan,
            "max_time_min": round(float(routed["time_min"].max()), 1) if len(routed) else np.nan,
            "not_placed": int((evacuees - placed.reindex(evacuees.index).fillna(0)).clip(lower=0).sum())}


def _origin_words(link) -> str:
    """A settlement by name and code; the site itself when nobody lives near it."""
    return AT_SITE if link.origin_kind == SITE else f"{link.origin_name} ({link.origin})"


def safety_zones(hazard_sites: gpd.GeoDataFrame | None, shelters: gpd.GeoDataFrame | None, distance_m: float, crs,
                 township_names: dict[str, str] | None = None) -> gpd.GeoDataFrame:
    """The ring of ``distance_m`` around every major hazard installation, with the
    shelters inside it (GB 50413-2007 keeps shelters out of it)."""
    if distance_m <= 0:
        raise InputError(f"The safety distance must be positive, got {distance_m:g} m.",
                         f"安全距离必须为正数，当前为 {distance_m:g} 米。")
    major = major_hazard_sites(hazard_sites)
    empty = gpd.GeoDataFrame({c: [] for c in ZONE_COLUMNS}, geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    if major is None or len(major) == 0:
        return empty
    major = to_crs(major, crs, "hazard_sites")
    present = ~(shapely.is_missing(major.geometry.values) | shapely.is_empty(major.geometry.values))
    major = major[present]
    rings = shapely.buffer(major.geometry.values, distance_m, quad_segs=16)
    inside_names: list[str] = []
    inside_count: list[int] = []
    if shelters is not None and len(shelters):
        points = to_crs(shelters, crs, "shelters").geometry.values
        labels = _text(shelters, "name") if "name" in shelters.columns else pd.Series([""] * len(shelters))
        tree = shapely.STRtree(points)
        for ring in rings:
            hit = np.sort(tree.query(ring, predicate="intersects"))
            inside_count.append(int(len(hit)))
            inside_names.append("、".join(labels.iloc[i] for i in hit))
    else:
        inside_count, inside_names = [0] * len(rings), [""] * len(rings)
    township = _text(major, "township_code")
    names = township_names or {}
    frame = pd.DataFrame({"code": _text(major, "code"), "name": _text(major, "name"), "township_code": township,
                          "township": [names.get(t, "") for t in township], "distance_m": float(distance_m),
                          "shelters_inside": inside_count, "shelter_names": inside_names})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(rings, crs=crs), crs=crs)


def _field_for(frame: pd.DataFrame, facts: dict) -> str | None:
    """The first of the fact's accepted field names that the layer has."""
    for name in facts["fields"]:
        if name in frame.columns:
            return name
    return None


def _plain_text(column: pd.Series) -> list[str]:
    """Values as the user typed them: NULL -> "", 13800000000.0 -> "13800000000"."""
    out = []
    for value in column.tolist():
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
            out.append("")
        elif isinstance(value, (float, np.floating)) and float(value).is_integer():
            out.append(str(int(value)))
        else:
            out.append(str(value).strip())
    return out


def _text(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame.columns:
        return pd.Series([""] * len(frame), dtype=object)
    return pd.Series(_plain_text(frame[name]), dtype=object)


def sites_by_township(ledger: Ledger) -> dict[str, gpd.GeoDataFrame]:
    """The ledger's sites per township code, each township's in the layer's order."""
    return {code: group for code, group in ledger.sites.groupby("township_code", sort=True)}

