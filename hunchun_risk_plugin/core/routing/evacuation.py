"""Evacuation of settlements to shelters with room, around hazards.

Order of work: check inputs (fields, ids, capacities; with a scenario: who must
leave, which shelters are excluded, the candidate sites) -> build the road network ->
hazard state per segment -> attach origins, shelters and candidates to the roads ->
one multi-source Dijkstra from all usable shelters (nearest shelter of every origin) ->
capacity assignment (only if some nearest shelter would overflow; with a scenario
always, by priority, see ``plan``) -> route lines -> shortfall and proposed shelters.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..definitions import walking_speed_kmh
from ..errors import InputError
from ..progress import SILENT, Progress
from .assignment import Assignment, assign
from .capacity import shelter_capacity
from .graph import WALKING, TravelGraph, build_travel_graph
from .hazards import ClassRaster, HazardRule, SegmentHazard, points_in_closed_area, segment_hazard
from .inputs import counts, default_id_field, feature_ids, point_coordinates, require_features
from .metric import metric_crs_for
from .nearest import cost_matrix, nearest_tree, trees_from
from .network import NetworkReport, RoadNetwork, build_network, fallback_speed_kmh
from .plan import (
    PriorityAssignment, ScenarioPlan, assign_with_priority, evacuee_frame, placed_by_origin, prepare_plan, propose,
    proposal_frame, shortfall_frame, standard_limits,
)
from .routes import build_routes, walk_paths
from .scenario import Scenario
from .snapping import AccessPoints, attach_points, locate_points

# Why an origin's people (or part of them) got no shelter: key -> (English, Chinese).
REASONS = {
    "no_geometry": ("Settlement has no geometry", "居民点无几何"),
    "too_far_from_road": ("Farther than the access distance from any road", "距任何道路超过接入距离"),
    "disconnected_network": ("On a road piece with no usable shelter (disconnected)", "所在道路网络片段没有可用避难场所（不连通）"),
    "cut_off_by_hazard": ("Every shelter is cut off by closed roads", "所有避难场所均被封闭道路阻断"),
    "no_path": ("No path to any shelter (one-way streets)", "无路径通往任何避难场所（单行道限制）"),
    "no_capacity": ("Every reachable shelter is full", "所有可达避难场所均已满员"),
}
SHELTER_STATUS = {
    "open": ("Open", "可用"),
    "zero_capacity": ("Capacity 0", "容量为 0"),
    "too_far_from_road": ("Farther than the access distance from any road", "距任何道路超过接入距离"),
    "in_hazard_area": ("Inside a closed hazard area", "位于封闭危险区内"),
    "excluded": ("Excluded by the scenario", "情景排除"),
    "no_geometry": ("No geometry", "无几何"),
}


@dataclass(frozen=True)
class EvacuationSettings:
    mode: str = WALKING
    snap_tolerance_m: float = 1.0
    max_access_m: float = 2000.0
    hazard_rule: HazardRule = field(default_factory=HazardRule)
    origin_id_field: str | None = None  # None: "code" when present, else row numbers
    origin_name_field: str | None = "name"
    population_field: str = "population"
    shelter_id_field: str | None = None
    shelter_name_field: str | None = "name"
    capacity_field: str | None = "capacity"
    area_field: str | None = "effective_area_m2"
    kind_field: str | None = "kind"
    road_class_field: str | None = "road_class"
    speed_field: str | None = "speed_kmh"
    oneway_field: str | None = "oneway"
    fallback_speed_kmh: float | None = None
    max_lp_pairs: int = 2_000_000


@dataclass
class EvacuationResult:
    routes: gpd.GeoDataFrame
    shelter_load: gpd.GeoDataFrame
    unreached: gpd.GeoDataFrame
    network_report: NetworkReport
    summary: dict
    evacuees: gpd.GeoDataFrame | None = None    # with a scenario: who must leave, placed, within standard
    shortfall: gpd.GeoDataFrame | None = None   # per township
    proposed: gpd.GeoDataFrame | None = None    # proposed new shelters
    plan: ScenarioPlan | None = None


@dataclass
class _Places:
    """Origins or shelters after checks: ids, names, coordinates, access to the roads."""

    ids: pd.Series
    names: pd.Series
    xy: np.ndarray
    present: np.ndarray
    access: AccessPoints | None = None
    inside_hazard: np.ndarray | None = None


def evacuate(
    roads: gpd.GeoDataFrame,
    origins: gpd.GeoDataFrame,
    shelters: gpd.GeoDataFrame,
    settings: EvacuationSettings = EvacuationSettings(),
    hazard_polygons: gpd.GeoDataFrame | None = None,
    hazard_raster: ClassRaster | None = None,
    progress: Progress = SILENT,
    scenario: Scenario | None = None,
    hazard_sites: gpd.GeoDataFrame | None = None,
    townships: gpd.GeoDataFrame | None = None,
    candidates: gpd.GeoDataFrame | None = None,
    max_new_shelters: int = 0,
) -> EvacuationResult:
    """Route every origin's population to shelters with room (see the module doc); with
    a ``scenario`` only those who must leave, by priority, to the shelters it allows."""
    settings.hazard_rule.check()
    _check_settings(settings)
    require_features(origins, "settlements")
    require_features(shelters, "shelters")
    population = counts(origins, settings.population_field, "settlements")
    origin_ids = feature_ids(origins, _id_field(origins, settings.origin_id_field), "settlements")
    shelter_ids = feature_ids(shelters, _id_field(shelters, settings.shelter_id_field), "shelters")
    capacity = shelter_capacity(shelters, shelter_ids, settings.capacity_field, settings.area_field, settings.kind_field)
    if capacity.people.sum() <= 0:
        raise InputError(
            "No shelter has any capacity (all are 0). Fill in capacities or effective areas.",
            "所有避难场所容量均为 0。请填写容量或有效面积。",
        )
    plan = None
    if scenario is not None:
        plan = prepare_plan(
            scenario, origins, origin_ids, shelters, capacity.people, metric_crs_for(roads, "roads"),
            settings.population_field, settings.origin_name_field, settings.kind_field, hazard_polygons, hazard_raster,
            hazard_sites, townships, candidates, max_new_shelters,
        )
        for en, zh in plan.evacuees.warnings:
            progress.info(en)
        origins = plan.evacuees.origins
        settings = replace(settings, mode=scenario.mode, origin_id_field="origin", origin_name_field="name",
                           population_field="population")
        population = origins["population"].to_numpy(dtype=np.int64)
        origin_ids = origins["origin"].astype(str)
        if plan.evacuees.closing_polygons is not None:
            hazard_polygons = plan.evacuees.closing_polygons
    progress.step(0.02)

    network = build_network(
        roads, settings.snap_tolerance_m, settings.road_class_field, settings.speed_field,
        settings.oneway_field, settings.fallback_speed_kmh,
    )
    progress.info(" ".join(network.report.lines()))
    progress.step(0.25)
    hazard = segment_hazard(network, settings.hazard_rule, hazard_polygons, hazard_raster)
    if hazard.closed.all():
        raise InputError(
            "Every road segment is closed by the hazard layers, so nobody can be routed. Raise CLOSE_FROM_CLASS, "
            "use the 'penalise' action, or check the hazard layers.",
            "所有路段都被危险区封闭，无法规划路线。请提高 CLOSE_FROM_CLASS、改用“加权”方式，或检查危险区图层。",
        )
    progress.step(0.35)

    origin_places = _places(origins, origin_ids, settings.origin_name_field, network, "settlements")
    shelter_places = _places(shelters, shelter_ids, settings.shelter_name_field, network, "shelters")
    site_places = None
    if plan is not None and plan.candidates is not None:
        site_places = _places(plan.candidates, plan.candidates["candidate"], "name", network, "candidates")
    all_places = [p for p in (origin_places, shelter_places, site_places) if p is not None]
    for places in all_places:
        places.access = locate_points(network, _finite(places.xy), settings.max_access_m)
    if not (origin_places.access.segment >= 0).any():
        raise InputError(
            f"No settlement lies within {settings.max_access_m:g} m of a road. Check that the layers overlap "
            "(same area, correct CRS) or raise MAX_ACCESS_DISTANCE.",
            f"没有居民点位于道路 {settings.max_access_m:g} 米范围内。请检查图层是否重叠（区域、坐标系）或增大 MAX_ACCESS_DISTANCE。",
        )
    network, parent, attached = attach_points(network, [p.access for p in all_places])
    for places, access in zip(all_places, attached):
        places.access = access
    hazard = hazard.take(parent)
    for places in (origin_places, shelter_places):
        places.inside_hazard = _inside_closed_area(places, network, hazard, settings, hazard_polygons, hazard_raster)
    progress.step(0.45)

    status = _shelter_status(shelter_places, capacity.people, plan)
    usable = np.flatnonzero(status == "open")
    if len(usable) == 0:
        counts_by_status = ", ".join(f"{k}: {v}" for k, v in pd.Series(status).value_counts().items())
        raise InputError(
            f"No shelter can receive anyone ({counts_by_status}). Check capacities, MAX_ACCESS_DISTANCE and the hazard layers.",
            f"没有可接收人员的避难场所（{counts_by_status}）。请检查容量、MAX_ACCESS_DISTANCE 和危险区图层。",
        )
    graph = build_travel_graph(network, settings.mode, hazard)
    start = _start_nodes(origin_places, graph)
    tree = nearest_tree(graph, shelter_places.access.node[usable])
    progress.step(0.6)

    reachable = (start >= 0) & np.isfinite(tree.cost[np.maximum(start, 0)])
    nearest = np.where(reachable, usable[np.maximum(tree.facility[np.maximum(start, 0)], 0)], -1)
    served = reachable & (population > 0)
    by_priority = None
    if plan is not None:
        kinds = _column(shelters, settings.kind_field, len(shelters))
        by_priority = assign_with_priority(
            graph, network.node_xy, start, served, population, origins["vulnerable"].to_numpy(dtype=np.int64),
            origins["priority"].to_numpy(dtype=np.int64), shelter_places.access.node, usable, capacity.people,
            origin_places.access.access_m, shelter_places.access.access_m, kinds, settings.mode,
            _access_speed_kmh(settings), settings.max_lp_pairs)
        assignment = by_priority.assignment
    else:
        assignment = _assign_everyone(graph, population, capacity.people, status, nearest, served, start, usable,
                                      shelter_places, settings)
    progress.step(0.8)

    routes = _route_frame(graph, network, origin_places, shelter_places, shelters, assignment, start, tree, nearest, settings, usable)
    progress.step(0.9)
    load = _shelter_load_frame(shelters, shelter_places, capacity, status, assignment, network, settings.kind_field, plan)
    unreached = _unreached_frame(origins, origin_places, population, reachable, assignment, start, network,
                                 usable, shelter_places, hazard, settings)
    summary = _summary(population, assignment, unreached, load, settings, network.report)
    result = EvacuationResult(routes, load, unreached, network.report, summary, plan=plan)
    if plan is not None:
        _scenario_outputs(result, plan, by_priority, origins, capacity.people, usable, graph, network, start,
                          origin_places, site_places, townships, settings)
    progress.step(1.0)
    return result


def _assign_everyone(graph, population, capacity, status, nearest, served, start, usable, shelter_places, settings):
    """Today's assignment without a scenario: nearest shelter if it fits, else min cost."""
    times = None
    if not _fits(population, capacity, nearest, served):
        times = np.full((len(population), len(capacity)), np.inf)
        rows = np.flatnonzero(served)
        times[np.ix_(rows, usable)] = cost_matrix(graph, shelter_places.access.node[usable], start[rows])
    return assign(
        np.where(served, population, 0), np.where(status == "open", capacity, 0),
        times if times is not None else np.zeros((len(population), 0)), nearest=np.where(served, nearest, -1),
        max_lp_pairs=settings.max_lp_pairs,
    )


def _scenario_outputs(result: EvacuationResult, plan: ScenarioPlan, by_priority: PriorityAssignment, origins,
                      capacity, usable, graph, network, start, origin_places, site_places, townships, settings) -> None:
    """Priority and vulnerable people on the routes, evacuees, shortfall, proposal, summary."""
    routes = result.routes
    priority = origins["priority"].to_numpy(dtype=np.int64)
    flow_origin = by_priority.assignment.origin
    routes["priority"] = priority[flow_origin]
    routes["vulnerable"] = by_priority.vulnerable
    placed, within = placed_by_origin(routes, len(origins), flow_origin)
    result.evacuees = evacuee_frame(plan, placed, within)
    result.shortfall = shortfall_frame(result.evacuees, by_priority.within, by_priority.rows, capacity[usable],
                                       townships, network.crs)
    proposal = None
    if site_places is not None:
        demand = result.evacuees["evacuees"].to_numpy() - within
        proposal, _ = propose(plan, graph, network.node_xy, start, site_places.access.node, site_places.access.access_m,
                              origin_places.access.access_m, demand, priority, settings.mode, _access_speed_kmh(settings))
        result.proposed = proposal_frame(plan, proposal, result.evacuees)
    result.summary.update(_scenario_summary(plan, result, proposal))


def _scenario_summary(plan: ScenarioPlan, result: EvacuationResult, proposal) -> dict:
    evacuees = result.evacuees
    per_priority = {}
    for p, group in evacuees.groupby("priority"):
        per_priority[str(int(p))] = {
            "evacuees": int(group["evacuees"].sum()), "vulnerable": int(group["vulnerable"].sum()),
            "placed": int(group["placed"].sum()), "placed_within_standard": int(group["placed_within_standard"].sum()),
            "not_placed": int(group["not_placed"].sum()),
        }
    summary = {
        "scenario": plan.scenario.record(),
        "population_evacuees": int(evacuees["evacuees"].sum()),
        "population_placed_within_standard": int(evacuees["placed_within_standard"].sum()),
        "shortfall": int(result.shortfall["shortfall"].sum()),
        "by_priority": per_priority,
        "triggers": [{"key": z.trigger.key, "priority": z.trigger.priority, "rate": z.trigger.rate,
                      "features": z.features, "origins": z.origins, "evacuees": z.evacuees} for z in plan.evacuees.zones],
        "shelters_excluded": plan.exclusions.count(),
        "warnings": [en for en, _ in plan.evacuees.warnings],
    }
    if proposal is not None:
        summary["proposed_shelters"] = int(len(result.proposed))
        summary["proposed_people"] = int(result.proposed["needed_capacity"].sum()) if len(result.proposed) else 0
        summary["proposal_solved"] = bool(proposal.solved)
        summary["candidates"] = int(len(plan.candidates))
        summary["candidates_screened_out"] = plan.candidates_screened_out
    return summary


def _check_settings(settings: EvacuationSettings) -> None:
    if settings.max_access_m <= 0:
        raise InputError(
            f"MAX_ACCESS_DISTANCE must be positive, got {settings.max_access_m}.",
            f"MAX_ACCESS_DISTANCE 必须为正数，当前为 {settings.max_access_m}。",
        )


def _id_field(frame: pd.DataFrame, wanted: str | None) -> str | None:
    """The named id field (must exist), or by default ``code`` when present, else row numbers."""
    return wanted if wanted else default_id_field(frame)


def _finite(xy: np.ndarray) -> np.ndarray:
    """Coordinates with missing points moved far away, so they attach to nothing."""
    return np.where(np.isfinite(xy), xy, 1e15)


def _places(frame, ids, name_field, network: RoadNetwork, layer: str) -> _Places:
    xy, present = point_coordinates(frame, network.crs, layer)
    names = frame[name_field].astype("string").fillna("") if name_field and name_field in frame.columns else ids
    return _Places(ids.reset_index(drop=True), pd.Series(names).reset_index(drop=True).astype(str), xy, present)


def _inside_closed_area(places: _Places, network: RoadNetwork, hazard: SegmentHazard, settings, polygons, raster):
    """In a closed hazard area: the point itself lies in one, or every road at its access node is closed."""
    open_node = np.zeros(network.n_nodes, dtype=bool)
    open_node[network.seg_from[~hazard.closed]] = True
    open_node[network.seg_to[~hazard.closed]] = True
    node = places.access.node
    cut_off = (node >= 0) & ~open_node[np.maximum(node, 0)]
    return cut_off | points_in_closed_area(_finite(places.xy), network.crs, settings.hazard_rule, polygons, raster)


def _shelter_status(shelters: _Places, capacity: np.ndarray, plan: ScenarioPlan | None = None) -> np.ndarray:
    status = np.full(len(capacity), "open", dtype=object)
    status[capacity <= 0] = "zero_capacity"
    status[shelters.inside_hazard] = "in_hazard_area"
    if plan is not None:
        status[plan.exclusions.excluded] = "excluded"
    status[~shelters.access.attached] = "too_far_from_road"
    status[~shelters.present] = "no_geometry"
    return status


def _start_nodes(origins: _Places, graph: TravelGraph) -> np.ndarray:
    """Layered start node per origin: the escape layer for origins inside a closed area."""
    node = origins.access.node
    return np.where(node < 0, -1, np.where(origins.inside_hazard, graph.escape_node(node), node))


def _fits(population, capacity, nearest, served) -> bool:
    load = np.bincount(nearest[served], weights=population[served], minlength=len(capacity))
    return bool(np.all(load <= capacity))


def _route_frame(graph, network, origins, shelters_places, shelters, assignment: Assignment, start, tree, nearest,
                 settings, usable) -> gpd.GeoDataFrame:
    paths: list[np.ndarray | None] = [None] * len(assignment.origin)
    flows = np.arange(len(assignment.origin))
    on_tree = assignment.shelter == nearest[assignment.origin]
    for flow, path in zip(flows[on_tree], walk_paths(tree.next_node, start[assignment.origin[on_tree]])):
        paths[flow] = path
    others = flows[~on_tree]
    shelters_needed = np.unique(assignment.shelter[others])
    for first in range(0, len(shelters_needed), 16):
        batch = shelters_needed[first:first + 16]
        _, predecessors = trees_from(graph, shelters_places.access.node[batch])
        for row, shelter in enumerate(batch):
            mine = others[assignment.shelter[others] == shelter]
            for flow, path in zip(mine, walk_paths(predecessors[row], start[assignment.origin[mine]])):
                paths[flow] = path
    built = build_routes(graph, network.node_xy, paths)
    o, s = assignment.origin, assignment.shelter
    access_o, access_s = origins.access.access_m[o], shelters_places.access.access_m[s]
    access_m = access_o + access_s
    access_s_time = access_m / (_access_speed_kmh(settings) / 3.6)
    distance_m = built.length_m + access_m
    time_min = (built.time_s + access_s_time) / 60.0
    kind = _column(shelters, settings.kind_field, len(shelters))[s]
    over, note = _standard_check(kind, distance_m, time_min, settings.mode)
    geometry = _with_access_legs(built.geometry, origins.xy[o], shelters_places.xy[s], access_o, access_s)
    frame = pd.DataFrame({
        "origin": origins.ids.to_numpy()[o],
        "origin_name": origins.names.to_numpy()[o],
        "shelter": shelters_places.ids.to_numpy()[s],
        "shelter_name": shelters_places.names.to_numpy()[s],
        "shelter_kind": kind,
        "population": assignment.people.astype(np.int64),
        "distance_m": np.round(distance_m, 2),
        "time_min": np.round(time_min, 3),
        "network_m": np.round(built.length_m, 2),
        "access_m": np.round(access_m, 2),
        "escape_m": np.round(built.closed_m, 1),
        "over_standard": over.astype(np.int64),
        "standard_note": note,
        "mode": settings.mode,
    })
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=network.crs), crs=network.crs)


def _access_speed_kmh(settings: EvacuationSettings) -> float:
    """Off-road access legs: walked when walking; when driving, taken at the fallback
    (slowest road-class) speed, as an unmapped village track."""
    if settings.mode == WALKING:
        return walking_speed_kmh()
    return float(settings.fallback_speed_kmh or fallback_speed_kmh())


def _with_access_legs(lines: np.ndarray, origin_xy: np.ndarray, shelter_xy: np.ndarray,
                      access_o: np.ndarray, access_s: np.ndarray) -> np.ndarray:
    """Route lines from the settlement itself to the shelter itself: the straight access
    legs are added at both ends (where they have a length), so the line's length is the
    reported distance and the arrow ends at the shelter symbol."""
    out = np.empty(len(lines), dtype=object)
    for i, line in enumerate(lines):
        coords = shapely.get_coordinates(line)
        if access_o[i] > 0:
            coords = np.vstack([origin_xy[i], coords])
        if access_s[i] > 0:
            coords = np.vstack([coords, shelter_xy[i]])
        out[i] = shapely.linestrings(coords)
    return out


def _column(frame: pd.DataFrame, name: str | None, n: int) -> np.ndarray:
    if name and name in frame.columns:
        return frame[name].astype("string").fillna("").to_numpy(dtype=object)
    return np.full(n, "", dtype=object)


def _standard_check(kind, distance_m, time_min, mode) -> tuple[np.ndarray, np.ndarray]:
    """Flag routes longer than the shelter kind's evacuation distance, or (walking only)
    longer than its walking time; kinds not in the table are never flagged."""
    limit_m, limit_min = standard_limits(kind)
    too_far = distance_m > limit_m
    too_long = (mode == WALKING) & (time_min > limit_min)
    notes = []
    for far, slow, d, lim_d, t, lim_t in zip(too_far, too_long, distance_m, limit_m, time_min, limit_min):
        parts = []
        if far:
            parts.append(f"{d:.0f} m > {lim_d:.0f} m")
        if slow:
            parts.append(f"{t:.0f} min > {lim_t:.0f} min")
        notes.append("; ".join(parts))
    return too_far | too_long, np.array(notes, dtype=object)


def _shelter_load_frame(shelters, places: _Places, capacity, status, assignment, network, kind_field,
                        plan: ScenarioPlan | None = None) -> gpd.GeoDataFrame:
    assigned = np.bincount(assignment.shelter, weights=assignment.people, minlength=len(status)).astype(np.int64)
    origins = np.bincount(assignment.shelter, minlength=len(status)).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        utilisation = np.where(capacity.people > 0, assigned / capacity.people, np.nan)
    frame = pd.DataFrame({
        "shelter": places.ids.to_numpy(),
        "name": places.names.to_numpy(),
        "kind": _column(shelters, kind_field, len(status)),
        "capacity": capacity.people,
        "capacity_source": capacity.source,
        "assigned": assigned,
        "free": np.maximum(capacity.people - assigned, 0),
        "utilisation": np.round(utilisation, 4),
        "origins": origins,
        "status": status,
        "status_zh": [SHELTER_STATUS[s][1] for s in status],
        "reason_en": plan.exclusions.reason_en if plan is not None else np.full(len(status), "", dtype=object),
        "reason_zh": plan.exclusions.reason_zh if plan is not None else np.full(len(status), "", dtype=object),
        "access_m": np.round(places.access.access_m, 1),
    })
    geometry = shapely.points(places.xy)
    geometry[~places.present] = None
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=network.crs), crs=network.crs)


def _unreached_frame(origins, places: _Places, population, reachable, assignment, start, network, usable,
                     shelters: _Places, hazard: SegmentHazard, settings) -> gpd.GeoDataFrame:
    reason = np.full(len(population), "", dtype=object)
    left = assignment.unplaced.copy()
    not_reached = ~reachable & (population > 0)
    left[not_reached] = population[not_reached]
    reason[not_reached & ~places.access.attached] = "too_far_from_road"
    reason[not_reached & ~places.present] = "no_geometry"
    snapped = not_reached & places.access.attached
    shelter_components = set(network.node_component[shelters.access.node[usable]].tolist())
    same_piece = np.array([network.node_component[n] in shelter_components if n >= 0 else False
                           for n in places.access.node])
    reason[snapped & ~same_piece] = "disconnected_network"
    any_hazard = bool(hazard.closed.any())
    reason[snapped & same_piece] = "cut_off_by_hazard" if any_hazard else "no_path"
    reason[reachable & (left > 0)] = "no_capacity"
    rows = np.flatnonzero(left > 0)
    frame = pd.DataFrame({
        "origin": places.ids.to_numpy()[rows],
        "name": places.names.to_numpy()[rows],
        "population": left[rows].astype(np.int64),
        "total_population": population[rows].astype(np.int64),
        "reason": reason[rows],
        "reason_en": [REASONS[r][0] for r in reason[rows]],
        "reason_zh": [REASONS[r][1] for r in reason[rows]],
        "access_m": np.round(places.access.access_m[rows], 1),
    })
    geometry = shapely.points(places.xy[rows])
    geometry[~places.present[rows]] = None
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=network.crs), crs=network.crs)


def _summary(population, assignment, unreached, load, settings, report) -> dict:
    by_reason = unreached.groupby("reason")["population"].sum().astype(int).to_dict() if len(unreached) else {}
    return {
        "mode": settings.mode,
        "assignment_method": assignment.method,
        "population_total": int(population.sum()),
        "population_placed": int(assignment.people.sum()),
        "population_unreached": int(unreached["population"].sum()) if len(unreached) else 0,
        "unreached_by_reason": by_reason,
        "shelters_open": int((load["status"] == "open").sum()),
        "shelters_full": int(((load["status"] == "open") & (load["free"] == 0)).sum()),
        "network": report.__dict__ if report else {},
    }
