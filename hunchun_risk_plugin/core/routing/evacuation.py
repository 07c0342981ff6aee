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

from ..definitions import walking_speed_kmh
from ..errors import InputError
from ..progress import SILENT, Progress
from .assignment import Assignment, assign
from .capacity import ShelterCapacity, shelter_capacity
from .evacuation_frames import (
    Places, Routing, route_frame, scenario_summary, shelter_load_frame, summary, unreached_frame,
)
from .graph import WALKING, TravelGraph, build_travel_graph
from .hazards import ClassRaster, HazardRule, SegmentHazard, points_in_closed_area, segment_hazard
from .inputs import counts, default_id_field, feature_ids, point_coordinates, require_features
from .metric import metric_crs_for
from .nearest import cost_matrix, nearest_tree
from .network import NetworkReport, RoadNetwork, build_network, fallback_speed_kmh
from .plan import (
    PairMeasureContext, PlanInputs, PriorityAssignment, ScenarioPlan, ShelterSites, assign_with_priority, evacuee_frame,
    placed_by_origin, prepare_plan, propose, proposal_frame, shortfall_frame,
)
from .scenario_inputs import ScenarioInputs
from .snapping import attach_points, locate_points


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
class _Inputs:
    """The checked inputs; with a scenario, its evacuees as the origins."""

    origins: gpd.GeoDataFrame
    origin_ids: pd.Series
    population: np.ndarray
    shelters: gpd.GeoDataFrame
    shelter_ids: pd.Series
    capacity: ShelterCapacity
    settings: EvacuationSettings
    hazard_polygons: gpd.GeoDataFrame | None
    hazard_raster: ClassRaster | None
    plan: ScenarioPlan | None = None


def evacuate(
    roads: gpd.GeoDataFrame,
    origins: gpd.GeoDataFrame,
    shelters: gpd.GeoDataFrame,
    settings: EvacuationSettings = EvacuationSettings(),
    hazard_polygons: gpd.GeoDataFrame | None = None,
    hazard_raster: ClassRaster | None = None,
    progress: Progress = SILENT,
    scenario: ScenarioInputs | None = None,
) -> EvacuationResult:
    """Route every origin's population to shelters with room (see the module doc); with
    a ``scenario`` only those who must leave, by priority, to the shelters it allows."""
    inputs = _checked_inputs(origins, shelters, settings, hazard_polygons, hazard_raster)
    if scenario is not None:
        inputs = _with_plan(inputs, scenario, metric_crs_for(roads, "roads"), progress)
    progress.step(0.02)
    routing = _routing(roads, inputs, progress)
    progress.step(0.6)
    by_priority = _assign_by_priority(routing, inputs) if inputs.plan is not None else None
    assignment = by_priority.assignment if by_priority is not None else _assign_everyone(routing)
    progress.step(0.8)
    routes = route_frame(routing, assignment)
    progress.step(0.9)
    load = shelter_load_frame(routing, assignment, inputs.plan)
    unreached = unreached_frame(routing, assignment)
    report = routing.network.report
    result = EvacuationResult(routes, load, unreached, report, summary(routing, assignment, unreached, load, report),
                              plan=inputs.plan)
    if inputs.plan is not None:
        _scenario_outputs(result, inputs.plan, by_priority, routing, scenario.townships)
    progress.step(1.0)
    return result


def _checked_inputs(origins, shelters, settings: EvacuationSettings, hazard_polygons, hazard_raster) -> _Inputs:
    """Every check of the settings, fields, ids and capacities, before any work."""
    settings.hazard_rule.check()
    _check_settings(settings)
    require_features(origins, "settlements")
    require_features(shelters, "shelters")
    population = counts(origins, settings.population_field, "settlements")
    origin_ids = feature_ids(origins, _id_field(origins, settings.origin_id_field), "settlements")
    shelter_ids = feature_ids(shelters, _id_field(shelters, settings.shelter_id_field), "shelters")
    capacity = shelter_capacity(shelters, shelter_ids, settings.capacity_field, settings.area_field,
                                settings.kind_field)
    if capacity.people.sum() <= 0:
        raise InputError(
            "No shelter has any capacity (all are 0). Fill in capacities or effective areas.",
            "所有避难场所容量均为 0。请填写容量或有效面积。",
        )
    return _Inputs(origins, origin_ids, population, shelters, shelter_ids, capacity, settings, hazard_polygons,
                   hazard_raster)


def _with_plan(inputs: _Inputs, scenario: ScenarioInputs, crs, progress: Progress) -> _Inputs:
    """The scenario's checks and evacuees: they become the origins, in the scenario's mode;
    the polygons its triggers select close the roads."""
    settings = inputs.settings
    plan = prepare_plan(scenario, PlanInputs(
        inputs.origins, inputs.origin_ids, inputs.shelters, inputs.capacity.people, crs, settings.population_field,
        settings.origin_name_field, settings.kind_field, inputs.hazard_polygons, inputs.hazard_raster))
    for en, zh in plan.evacuees.warnings:
        progress.say(en, zh)
    origins = plan.evacuees.origins
    settings = replace(settings, mode=scenario.scenario.mode, origin_id_field="origin", origin_name_field="name",
                       population_field="population")
    closing = plan.evacuees.closing_polygons
    return replace(inputs, origins=origins, origin_ids=origins["origin"].astype(str),
                   population=origins["population"].to_numpy(dtype=np.int64), settings=settings,
                   hazard_polygons=closing if closing is not None else inputs.hazard_polygons, plan=plan)


def _routing(roads: gpd.GeoDataFrame, inputs: _Inputs, progress: Progress) -> Routing:
    """The road network with its hazard state, every place attached to it, the usable
    shelters and one multi-source Dijkstra from them (nearest shelter of every origin)."""
    settings = inputs.settings
    network, hazard = _network_with_hazard(roads, inputs, progress)
    progress.step(0.35)
    network, hazard, origins, shelters, sites = _attached_places(network, hazard, inputs)
    progress.step(0.45)
    status = _shelter_status(shelters, inputs.capacity.people, inputs.plan)
    usable = np.flatnonzero(status == "open")
    if len(usable) == 0:
        counts_by_status = ", ".join(f"{k}: {v}" for k, v in pd.Series(status).value_counts().items())
        raise InputError(
            f"No shelter can receive anyone ({counts_by_status}). Check capacities, MAX_ACCESS_DISTANCE and the hazard "
            "layers.",
            f"没有可接收人员的避难场所（{counts_by_status}）。请检查容量、MAX_ACCESS_DISTANCE 和危险区图层。",
        )
    graph = build_travel_graph(network, settings.mode, hazard)
    start = _start_nodes(origins, graph)
    tree = nearest_tree(graph, shelters.access.node[usable])
    kind = _column(inputs.shelters, settings.kind_field, len(inputs.shelters))
    return Routing(network, hazard, graph, origins, shelters, sites, inputs.population, inputs.capacity, kind, status,
                   usable, start, tree, settings.mode, _access_speed_kmh(settings), settings.max_lp_pairs)


def _network_with_hazard(roads: gpd.GeoDataFrame, inputs: _Inputs, progress: Progress):
    settings = inputs.settings
    network = build_network(
        roads, settings.snap_tolerance_m, settings.road_class_field, settings.speed_field,
        settings.oneway_field, settings.fallback_speed_kmh,
    )
    progress.info(" ".join(network.report.lines(progress.language)))
    progress.step(0.25)
    hazard = segment_hazard(network, settings.hazard_rule, inputs.hazard_polygons, inputs.hazard_raster)
    if hazard.closed.all():
        raise InputError(
            "Every road segment is closed by the hazard layers, so nobody can be routed. Raise CLOSE_FROM_CLASS, "
            "use the 'penalise' action, or check the hazard layers.",
            "所有路段都被危险区封闭，无法规划路线。请提高 CLOSE_FROM_CLASS、改用“加权”方式，或检查危险区图层。",
        )
    return network, hazard


def _attached_places(network: RoadNetwork, hazard: SegmentHazard, inputs: _Inputs):
    """Origins, shelters and candidate sites located on the roads and attached as nodes
    (the network and its hazard state gain the split segments)."""
    settings, plan = inputs.settings, inputs.plan
    origins = _places(inputs.origins, inputs.origin_ids, settings.origin_name_field, network, "settlements")
    shelters = _places(inputs.shelters, inputs.shelter_ids, settings.shelter_name_field, network, "shelters")
    sites = None
    if plan is not None and plan.candidates is not None:
        sites = _places(plan.candidates, plan.candidates["candidate"], "name", network, "candidates")
    every = [p for p in (origins, shelters, sites) if p is not None]
    for places in every:
        places.access = locate_points(network, _finite(places.xy), settings.max_access_m)
    if not (origins.access.segment >= 0).any():
        raise InputError(
            f"No settlement lies within {settings.max_access_m:g} m of a road. Check that the layers overlap "
            "(same area, correct CRS) or raise MAX_ACCESS_DISTANCE.",
            f"没有居民点位于道路 {settings.max_access_m:g} 米范围内。请检查图层是否重叠（区域、坐标系）或增大 "
            "MAX_ACCESS_DISTANCE。",
        )
    network, parent, attached = attach_points(network, [p.access for p in every])
    for places, access in zip(every, attached):
        places.access = access
    hazard = hazard.take(parent)
    for places in (origins, shelters):
        places.inside_hazard = _inside_closed_area(places, network, hazard, inputs)
    return network, hazard, origins, shelters, sites


def _assign_everyone(routing: Routing) -> Assignment:
    """Today's assignment without a scenario: nearest shelter if it fits, else min cost."""
    population, capacity, usable = routing.population, routing.capacity.people, routing.usable
    nearest, served = routing.nearest, routing.served
    times = None
    if not _fits(population, capacity, nearest, served):
        times = np.full((len(population), len(capacity)), np.inf)
        rows = np.flatnonzero(served)
        shelter_nodes = routing.shelters.access.node[usable]
        times[np.ix_(rows, usable)] = cost_matrix(routing.graph, shelter_nodes, routing.start[rows])
    return assign(
        np.where(served, population, 0), np.where(routing.status == "open", capacity, 0),
        times if times is not None else np.zeros((len(population), 0)), nearest=np.where(served, nearest, -1),
        max_lp_pairs=routing.max_lp_pairs,
    )


def _pair_context(routing: Routing) -> PairMeasureContext:
    return PairMeasureContext(routing.graph, routing.network.node_xy, routing.start, routing.origins.access.access_m,
                              routing.mode, routing.access_kmh)


def _assign_by_priority(routing: Routing, inputs: _Inputs) -> PriorityAssignment:
    shelters = ShelterSites(routing.shelters.access.node, routing.shelters.access.access_m, routing.shelter_kind,
                            routing.capacity.people)
    origins = inputs.origins
    return assign_with_priority(
        _pair_context(routing), shelters, routing.usable, routing.served, routing.population,
        origins["vulnerable"].to_numpy(dtype=np.int64), origins["priority"].to_numpy(dtype=np.int64),
        routing.max_lp_pairs)


def _scenario_outputs(result: EvacuationResult, plan: ScenarioPlan, by_priority: PriorityAssignment, routing: Routing,
                      townships: gpd.GeoDataFrame | None) -> None:
    """Priority and vulnerable people on the routes, evacuees, shortfall, proposal, summary."""
    routes, origins = result.routes, plan.evacuees.origins
    priority = origins["priority"].to_numpy(dtype=np.int64)
    flow_origin = by_priority.assignment.origin
    routes["priority"] = priority[flow_origin]
    routes["vulnerable"] = by_priority.vulnerable
    placed, within = placed_by_origin(routes, len(origins), flow_origin)
    result.evacuees = evacuee_frame(plan, placed, within)
    result.shortfall = shortfall_frame(result.evacuees, by_priority.within, by_priority.rows,
                                       routing.capacity.people[routing.usable], townships, routing.network.crs)
    proposal = None
    if routing.sites is not None:
        demand = result.evacuees["evacuees"].to_numpy() - within
        proposal, _ = propose(plan, _pair_context(routing), routing.sites.access.node, routing.sites.access.access_m,
                              demand, priority)
        result.proposed = proposal_frame(plan, proposal, result.evacuees)
    result.summary.update(scenario_summary(plan, result.evacuees, result.shortfall, result.proposed, proposal))


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


def _places(frame, ids, name_field, network: RoadNetwork, layer: str) -> Places:
    xy, present = point_coordinates(frame, network.crs, layer)
    names = frame[name_field].astype("string").fillna("") if name_field and name_field in frame.columns else ids
    return Places(ids.reset_index(drop=True), pd.Series(names).reset_index(drop=True).astype(str), xy, present)


def _inside_closed_area(places: Places, network: RoadNetwork, hazard: SegmentHazard, inputs: _Inputs) -> np.ndarray:
    """In a closed hazard area: the point itself lies in one, or every road at its access node is closed."""
    open_node = np.zeros(network.n_nodes, dtype=bool)
    open_node[network.seg_from[~hazard.closed]] = True
    open_node[network.seg_to[~hazard.closed]] = True
    node = places.access.node
    cut_off = (node >= 0) & ~open_node[np.maximum(node, 0)]
    return cut_off | points_in_closed_area(_finite(places.xy), network.crs, inputs.settings.hazard_rule,
                                           inputs.hazard_polygons, inputs.hazard_raster)


def _shelter_status(shelters: Places, capacity: np.ndarray, plan: ScenarioPlan | None = None) -> np.ndarray:
    status = np.full(len(capacity), "open", dtype=object)
    status[capacity <= 0] = "zero_capacity"
    status[shelters.inside_hazard] = "in_hazard_area"
    if plan is not None:
        status[plan.exclusions.excluded] = "excluded"
    status[~shelters.access.attached] = "too_far_from_road"
    status[~shelters.present] = "no_geometry"
    return status


def _start_nodes(origins: Places, graph: TravelGraph) -> np.ndarray:
    """Layered start node per origin: the escape layer for origins inside a closed area."""
    node = origins.access.node
    return np.where(node < 0, -1, np.where(origins.inside_hazard, graph.escape_node(node), node))


def _fits(population, capacity, nearest, served) -> bool:
    load = np.bincount(nearest[served], weights=population[served], minlength=len(capacity))
    return bool(np.all(load <= capacity))


def _access_speed_kmh(settings: EvacuationSettings) -> float:
    """Off-road access legs: walked when walking; when driving, taken at the fallback
    (slowest road-class) speed, as an unmapped village track."""
    if settings.mode == WALKING:
        return walking_speed_kmh()
    return float(settings.fallback_speed_kmh or fallback_speed_kmh())


def _column(frame: pd.DataFrame, name: str | None, n: int) -> np.ndarray:
    if name and name in frame.columns:
        return frame[name].astype("string").fillna("").to_numpy(dtype=object)
    return np.full(n, "", dtype=object)


