"""The scenario side of the evacuation: who leaves, which shelters may take them, the
assignment by priority, the shortfall per township and the proposed new shelters.

``evacuation.evacuate`` calls these when it is given a scenario; without one it
moves everyone as before. Everything here is reusable by a hazard-site ledger:
``ScenarioPlan.evacuees.site_links`` says who each site threatens, the routes say
where they go.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from ..definitions import shelter_kinds, townships as domain_townships
from ..errors import InputError
from .assignment import Assignment, assign_by_priority
from .evacuees import Evacuees, who_must_leave
from .graph import WALKING, TravelGraph
from .hazards import ClassRaster
from .inputs import default_id_field, feature_ids
from .location import Proposal, propose_sites
from .metric import to_crs
from .routes import pair_measures
from .scenario import Scenario
from .scenario_inputs import ScenarioInputs
from .shelter_rules import Exclusions, exclusions, require_shelters_left


@dataclass
class ScenarioPlan:
    scenario: Scenario
    evacuees: Evacuees
    exclusions: Exclusions
    candidates: gpd.GeoDataFrame | None = None   # screened candidate sites: candidate, name, capacity
    candidates_screened_out: int = 0
    max_new: int = 0


@dataclass
class PriorityAssignment:
    assignment: Assignment      # origin-level flows (origin index, shelter index)
    vulnerable: np.ndarray      # (f,) vulnerable people of each flow
    within: np.ndarray          # (rows, usable) the pair meets the shelter kind's standard
    rows: np.ndarray            # origins that reach the network


def standard_limits(kinds) -> tuple[np.ndarray, np.ndarray]:
    """Longest distance (m) and walking time (min) of each shelter kind (inf when unknown)."""
    table = shelter_kinds()
    limit_m = np.array([float(table[k]["max_distance_m"]) if k in table else np.inf for k in kinds])
    limit_min = np.array([float(table[k]["max_walk_minutes"]) if k in table else np.inf for k in kinds])
    return limit_m, limit_min


@dataclass(frozen=True, eq=False)
class PlanInputs:
    """The checked base layers and fields the scenario checks read."""

    origins: gpd.GeoDataFrame
    origin_ids: pd.Series
    shelters: gpd.GeoDataFrame
    shelter_capacity: np.ndarray
    crs: CRS
    population_field: str = "population"
    name_field: str | None = "name"
    kind_field: str | None = "kind"
    hazard_polygons: gpd.GeoDataFrame | None = None
    hazard_raster: ClassRaster | None = None


def prepare_plan(scenario: ScenarioInputs, inputs: PlanInputs) -> ScenarioPlan:
    """Every scenario check, before any routing: evacuees, shelter exclusions, candidates."""
    max_new, rules = scenario.max_new_shelters, scenario.scenario
    if max_new < 0:
        raise InputError(f"MAX_NEW_SHELTERS must be 0 or more, got {max_new}.",
                         f"MAX_NEW_SHELTERS 必须 ≥ 0，当前为 {max_new}。")
    evacuees = who_must_leave(inputs.origins, inputs.origin_ids, scenario, inputs.crs, inputs.hazard_polygons,
                              inputs.hazard_raster, inputs.population_field, inputs.name_field)
    excluded = exclusions(inputs.shelters, rules.shelters, evacuees.zones, inputs.crs, scenario.hazard_sites,
                          inputs.kind_field)
    require_shelters_left(excluded, inputs.shelter_capacity > 0, rules.name, inputs.shelters)
    if rules.shelters.major_hazard_distance_m > 0 and not excluded.major_hazard_checked:
        evacuees.warnings.append(_major_hazards_unchecked(rules.shelters.major_hazard_distance_m))
    plan = ScenarioPlan(rules, evacuees, excluded, max_new=max_new)
    if max_new > 0:
        plan.candidates, plan.candidates_screened_out = _candidates(
            scenario.candidates, inputs.origins, rules, evacuees, inputs.crs, scenario.hazard_sites)
    return plan


def _major_hazards_unchecked(distance_m: float) -> tuple[str, str]:
    return (
        f"Shelters were not checked against major hazard installations ({distance_m:g} m): "
        "no HAZARD_SITES layer with kind major_hazard_installation was given.",
        f"未检查避难场所与重大危险源的距离（{distance_m:g} 米）：未提供含 "
        "major_hazard_installation 类型的 HAZARD_SITES 图层。")


def _candidates(candidates, settlements, scenario, evacuees: Evacuees, crs, hazard_sites):
    """Candidate sites (default: the settlements) screened by the scenario's zone and
    major-hazard rules; kinds and indoor apply only where the layer says."""
    frame = candidates if candidates is not None else settlements
    layer = "candidates" if candidates is not None else "settlements (default candidates)"
    ids = feature_ids(frame, default_id_field(frame), layer)
    rules = replace(scenario.shelters, exclude_in_zones=True, allowed_kinds=())
    screened = exclusions(frame, rules, evacuees.zones, crs, hazard_sites, None, layer, indoor_required=False)
    keep = ~screened.excluded
    capacity = pd.to_numeric(frame["capacity"], errors="coerce").to_numpy(dtype=float) \
        if "capacity" in frame.columns else np.full(len(frame), np.inf)
    names = frame["name"].astype("string").fillna("").astype(str) if "name" in frame.columns else ids
    out = gpd.GeoDataFrame({"candidate": ids.to_numpy()[keep], "name": np.asarray(names)[keep],
                            "capacity": capacity[keep]}, geometry=to_crs(frame, crs, layer).geometry.values[keep],
                           crs=crs)
    return out, int((~keep).sum())


@dataclass(frozen=True, eq=False)
class PairMeasureContext:
    """What the measures of origin-site pairs read: the travel graph, each origin's start
    node and access leg, the mode and the speed on the off-road access legs."""

    graph: TravelGraph
    node_xy: np.ndarray
    starts: np.ndarray      # (origins,) layered start node, -1 when not on the roads
    access_o: np.ndarray    # (origins,) access leg of each origin (m)
    mode: str
    access_kmh: float


@dataclass(frozen=True, eq=False)
class ShelterSites:
    """Every shelter as the priority assignment reads it."""

    node: np.ndarray        # access node on the graph
    access_m: np.ndarray    # access leg (m)
    kind: np.ndarray        # shelter kind (its standard)
    capacity: np.ndarray    # people


def assign_with_priority(pairs: PairMeasureContext, shelters: ShelterSites, usable: np.ndarray, served: np.ndarray,
                         population: np.ndarray, vulnerable: np.ndarray, priority: np.ndarray,
                         max_pairs: int) -> PriorityAssignment:
    """Lexicographic assignment by priority (vulnerable first within each), over the
    physical route measures of every origin-shelter pair."""
    rows = np.flatnonzero(served)
    cost, within = _pairs_within(pairs, rows, shelters.node[usable], shelters.access_m[usable], shelters.kind[usable])
    weak = np.minimum(vulnerable[rows], population[rows])
    counts = np.stack([weak, population[rows] - weak], axis=1)          # (rows, 2): vulnerable, others
    demand_row, group = np.nonzero(counts > 0)
    key = priority[rows][demand_row] * 2 + group                        # vulnerable before others within a priority
    rank = np.unique(key, return_inverse=True)[1].reshape(-1)
    result = assign_by_priority(counts[demand_row, group], rank, shelters.capacity[usable], cost[demand_row],
                                within[demand_row], max_pairs)
    origin = rows[demand_row[result.origin]]
    shelter = usable[result.shelter]
    weak_flow = np.where(group[result.origin] == 0, result.people, 0)
    flows = pd.DataFrame({"o": origin, "s": shelter, "p": result.people, "v": weak_flow}).groupby(["o", "s"],
                                                                                                  sort=True).sum()
    o, s = (flows.index.get_level_values(n).to_numpy(dtype=np.int64) for n in ("o", "s"))
    placed = np.bincount(o, weights=flows["p"], minlength=len(population)).astype(np.int64)
    unplaced = np.where(served, population - placed, 0)
    assignment = Assignment(o, s, flows["p"].to_numpy(dtype=np.int64), unplaced, result.method)
    return PriorityAssignment(assignment, flows["v"].to_numpy(dtype=np.int64), within, rows)


def _pairs_within(pairs: PairMeasureContext, rows: np.ndarray, facility_nodes, access_f, kinds):
    """Routing cost and 'meets the standard' of every pair of the origins ``rows`` and
    the facilities, access legs included."""
    limit_m, limit_min = standard_limits(kinds)
    cost, time_s, length = pair_measures(pairs.graph, facility_nodes, pairs.starts[rows], pairs.node_xy, limit_m)
    access = pairs.access_o[rows][:, None] + access_f[None, :]
    distance = length + access
    minutes = (time_s + access / (pairs.access_kmh / 3.6)) / 60.0
    within = np.isfinite(cost) & (distance <= limit_m[None, :])
    if pairs.mode == WALKING:
        within &= minutes <= limit_min[None, :]
    return cost, within


def placed_by_origin(routes: pd.DataFrame, n: int, origin_index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """People placed, and placed within the standard, per origin (``origin_index`` maps route rows)."""
    placed = np.bincount(origin_index, weights=routes["population"], minlength=n).astype(np.int64)
    within = np.bincount(origin_index, weights=routes["population"] * (routes["over_standard"] == 0), minlength=n)
    return placed, within.astype(np.int64)


def evacuee_frame(plan: ScenarioPlan, placed: np.ndarray, placed_within: np.ndarray) -> gpd.GeoDataFrame:
    frame = plan.evacuees.origins.copy()
    frame["placed"] = placed
    frame["placed_within_standard"] = placed_within
    frame["not_placed"] = frame["population"].to_numpy() - placed
    frame = frame.rename(columns={"population": "evacuees"})
    frame["geometry"] = shapely.centroid(frame.geometry.values)  # where the routes start, as for routing
    columns = ["origin", "name", "origin_kind", "township_code", "evacuees", "vulnerable", "priority", "trigger",
               "total_population", "placed", "placed_within_standard", "not_placed", "geometry"]
    return gpd.GeoDataFrame(frame[columns], geometry="geometry", crs=frame.crs)


def shortfall_frame(evacuees: gpd.GeoDataFrame, within: np.ndarray | None, rows: np.ndarray | None,
                    usable_capacity: np.ndarray, townships: gpd.GeoDataFrame | None, crs: CRS) -> gpd.GeoDataFrame:
    """Per township: evacuees, places of the shelters within the standard of any of its
    evacuees (a shelter near a boundary counts in each township it serves), placed,
    placed within the standard, and the shortfall = evacuees − placed within the standard."""
    codes = evacuees["township_code"].astype(str).to_numpy()
    reach = np.zeros((len(evacuees), len(usable_capacity)), dtype=bool)
    if within is not None and rows is not None and len(rows):
        reach[rows] = within
    out = []
    for code in sorted(set(codes)):
        mine = codes == code
        group = evacuees[mine]
        out.append({
            "township_code": code, "evacuees": int(group["evacuees"].sum()),
            "priority_1": int(group.loc[group["priority"] == 1, "evacuees"].sum()),
            "vulnerable": int(group["vulnerable"].sum()),
            "places_within_standard": int(usable_capacity[reach[mine].any(axis=0)].sum()),
            "placed": int(group["placed"].sum()), "placed_within_standard": int(group["placed_within_standard"].sum()),
            "not_placed": int(group["not_placed"].sum()),
            "shortfall": int(group["evacuees"].sum() - group["placed_within_standard"].sum()),
        })
    frame = pd.DataFrame(out,
                         columns=["township_code", "evacuees", "priority_1", "vulnerable", "places_within_standard",
                                       "placed", "placed_within_standard", "not_placed", "shortfall"])
    names = {t["code"]: t["name"] for t in domain_townships()}
    geometry = [None] * len(frame)
    if townships is not None and "code" in townships.columns:
        projected = to_crs(townships, crs, "townships")
        by_code = dict(zip(projected["code"].astype(str), projected.geometry.values))
        if "name" in projected.columns:
            names.update(dict(zip(projected["code"].astype(str), projected["name"].astype(str))))
        geometry = [_multi(by_code.get(c)) for c in frame["township_code"]]
    frame.insert(1, "township", [names.get(c, "") for c in frame["township_code"]])
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=crs), crs=crs)


def _multi(shape):
    """Polygons as multipolygons, so one layer holds both."""
    return shapely.MultiPolygon([shape]) if shape is not None and shape.geom_type == "Polygon" else shape


def propose(plan: ScenarioPlan, pairs: PairMeasureContext, candidate_nodes: np.ndarray, candidate_access: np.ndarray,
            demand: np.ndarray, priority: np.ndarray) -> tuple[Proposal, np.ndarray]:
    """Proposed new shelters for ``demand`` (people per origin not placed within the standard)."""
    rows = np.flatnonzero((demand > 0) & (pairs.starts >= 0))
    attached = np.flatnonzero(candidate_nodes >= 0)
    covers = np.zeros((len(demand), len(candidate_nodes)), dtype=bool)
    distance = np.full(covers.shape, np.inf)
    if len(rows) and len(attached):
        kind = np.full(len(attached), plan.scenario.proposal_kind, dtype=object)
        cost, within = _pairs_within(pairs, rows, candidate_nodes[attached], candidate_access[attached], kind)
        covers[np.ix_(rows, attached)] = within
        distance[np.ix_(rows, attached)] = cost
    capacity = plan.candidates["capacity"].to_numpy(dtype=float)
    return propose_sites(demand, priority, covers, distance, plan.max_new, capacity), covers


def proposal_frame(plan: ScenarioPlan, proposal: Proposal, evacuees: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per proposed site: needed capacity, people by priority, and from where."""
    sites = plan.candidates
    rows = []
    for site in proposal.sites:
        mine = proposal.site == site
        origin = evacuees.iloc[proposal.demand[mine]]
        people = proposal.people[mine]
        by_priority = pd.Series(people).groupby(origin["priority"].to_numpy()).sum()
        rows.append({
            "candidate": sites["candidate"].iloc[site], "name": sites["name"].iloc[site],
            "kind": plan.scenario.proposal_kind, "needed_capacity": int(people.sum()),
            "priority_1": int(by_priority.get(1, 0)), "other_priorities": int(people.sum() - by_priority.get(1, 0)),
            "origins": int(mine.sum()),
            "from_origins": "; ".join(f"{n} ({o}): {p}" for n, o, p in zip(origin["name"], origin["origin"], people)),
            "geometry": sites.geometry.iloc[site],
        })
    columns = ["candidate", "name", "kind", "needed_capacity", "priority_1", "other_priorities", "origins",
               "from_origins",
               "geometry"]
    frame = pd.DataFrame(rows, columns=columns).sort_values("needed_capacity", ascending=False, kind="stable")
    return gpd.GeoDataFrame(frame.reset_index(drop=True), geometry=gpd.GeoSeries(frame["geometry"].tolist(),
                            crs=sites.crs), crs=sites.crs)

