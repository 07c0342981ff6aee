"""The output tables of an evacuation, built from the routing state the steps share:
routes, shelter load, the people not placed (and why), and the summary."""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .assignment import Assignment
from .capacity import ShelterCapacity
from .graph import WALKING, TravelGraph
from .hazards import SegmentHazard
from .nearest import NearestTree, trees_from
from .network import NetworkReport, RoadNetwork
from .plan import ScenarioPlan, standard_limits
from .routes import build_routes, walk_paths
from .snapping import AccessPoints

# Why an origin's people (or part of them) got no shelter: key -> (English, Chinese).
REASONS = {
    "no_geometry": ("Settlement has no geometry", "居民点无几何"),
    "too_far_from_road": ("Farther than the access distance from any road", "距任何道路超过接入距离"),
    "disconnected_network": ("On a road piece with no usable shelter (disconnected)",
                             "所在道路网络片段没有可用避难场所（不连通）"),
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


@dataclass
class Places:
    """Origins, shelters or candidate sites after checks: ids, names, coordinates, access to the roads."""

    ids: pd.Series
    names: pd.Series
    xy: np.ndarray
    present: np.ndarray
    access: AccessPoints | None = None
    inside_hazard: np.ndarray | None = None


@dataclass
class Routing:
    """What the steps after the network share: the network with every place attached,
    its hazard state, the travel graph, the places and the nearest usable shelter."""

    network: RoadNetwork
    hazard: SegmentHazard
    graph: TravelGraph
    origins: Places
    shelters: Places
    sites: Places | None            # candidate sites (scenario with proposals only)
    population: np.ndarray          # (origins,) people to move
    capacity: ShelterCapacity
    shelter_kind: np.ndarray        # (shelters,) kind, "" when unknown
    status: np.ndarray              # (shelters,) key of SHELTER_STATUS
    usable: np.ndarray              # indices of the open shelters
    start: np.ndarray               # (origins,) layered start node, -1 when not on the roads
    tree: NearestTree               # toward the usable shelters
    mode: str
    access_kmh: float               # speed on the off-road access legs
    max_lp_pairs: int

    @property
    def reachable(self) -> np.ndarray:
        return (self.start >= 0) & np.isfinite(self.tree.cost[np.maximum(self.start, 0)])

    @property
    def nearest(self) -> np.ndarray:
        """Nearest usable shelter of each origin (-1 when none is reachable)."""
        return np.where(self.reachable, self.usable[np.maximum(self.tree.facility[np.maximum(self.start, 0)], 0)], -1)

    @property
    def served(self) -> np.ndarray:
        return self.reachable & (self.population > 0)


def route_frame(routing: Routing, assignment: Assignment) -> gpd.GeoDataFrame:
    """One route line per flow, from the settlement itself to the shelter itself."""
    built = build_routes(routing.graph, routing.network.node_xy, _paths(routing, assignment))
    origins, shelters = routing.origins, routing.shelters
    o, s = assignment.origin, assignment.shelter
    access_o, access_s = origins.access.access_m[o], shelters.access.access_m[s]
    access_m = access_o + access_s
    access_s_time = access_m / (routing.access_kmh / 3.6)
    distance_m = built.length_m + access_m
    time_min = (built.time_s + access_s_time) / 60.0
    kind = routing.shelter_kind[s]
    over, note = _standard_check(kind, distance_m, time_min, routing.mode)
    geometry = _with_access_legs(built.geometry, origins.xy[o], shelters.xy[s], access_o, access_s)
    frame = pd.DataFrame({
        "origin": origins.ids.to_numpy()[o],
        "origin_name": origins.names.to_numpy()[o],
        "shelter": shelters.ids.to_numpy()[s],
        "shelter_name": shelters.names.to_numpy()[s],
        "shelter_kind": kind,
        "population": assignment.people.astype(np.int64),
        "distance_m": np.round(distance_m, 2),
        "time_min": np.round(time_min, 3),
        "network_m": np.round(built.length_m, 2),
        "access_m": np.round(access_m, 2),
        "escape_m": np.round(built.closed_m, 1),
        "over_standard": over.astype(np.int64),
        "standard_note": note,
        "mode": routing.mode,
    })
    return _geo(frame, geometry, routing.network)


def _paths(routing: Routing, assignment: Assignment) -> list[np.ndarray | None]:
    """Node path of every flow: along the nearest-shelter tree when the flow goes to the
    nearest shelter, else along a tree grown from its shelter (16 shelters at a time)."""
    start = routing.start
    paths: list[np.ndarray | None] = [None] * len(assignment.origin)
    flows = np.arange(len(assignment.origin))
    on_tree = assignment.shelter == routing.nearest[assignment.origin]
    for flow, path in zip(flows[on_tree], walk_paths(routing.tree.next_node, start[assignment.origin[on_tree]])):
        paths[flow] = path
    others = flows[~on_tree]
    shelters_needed = np.unique(assignment.shelter[others])
    for first in range(0, len(shelters_needed), 16):
        batch = shelters_needed[first:first + 16]
        _, predecessors = trees_from(routing.graph, routing.shelters.access.node[batch])
        for row, shelter in enumerate(batch):
            mine = others[assignment.shelter[others] == shelter]
            for flow, path in zip(mine, walk_paths(predecessors[row], start[assignment.origin[mine]])):
                paths[flow] = path
    return paths


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


def shelter_load_frame(routing: Routing, assignment: Assignment, plan: ScenarioPlan | None = None) -> gpd.GeoDataFrame:
    """Every shelter: capacity, people assigned, room left, status and why."""
    places, capacity, status = routing.shelters, routing.capacity, routing.status
    assigned = np.bincount(assignment.shelter, weights=assignment.people, minlength=len(status)).astype(np.int64)
    origins = np.bincount(assignment.shelter, minlength=len(status)).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        utilisation = np.where(capacity.people > 0, assigned / capacity.people, np.nan)
    no_reason = np.full(len(status), "", dtype=object)
    frame = pd.DataFrame({
        "shelter": places.ids.to_numpy(),
        "name": places.names.to_numpy(),
        "kind": routing.shelter_kind,
        "capacity": capacity.people,
        "capacity_source": capacity.source,
        "assigned": assigned,
        "free": np.maximum(capacity.people - assigned, 0),
        "utilisation": np.round(utilisation, 4),
        "origins": origins,
        "status": status,
        "status_zh": [SHELTER_STATUS[s][1] for s in status],
        "reason_en": plan.exclusions.reason_en if plan is not None else no_reason,
        "reason_zh": plan.exclusions.reason_zh if plan is not None else no_reason,
        "access_m": np.round(places.access.access_m, 1),
    })
    return _points(frame, places, slice(None), routing.network)


def unreached_frame(routing: Routing, assignment: Assignment) -> gpd.GeoDataFrame:
    """Every origin with people not placed: how many, and why (a key of ``REASONS``)."""
    places, population = routing.origins, routing.population
    left = assignment.unplaced.copy()
    not_reached = ~routing.reachable & (population > 0)
    left[not_reached] = population[not_reached]
    reason = _unreached_reason(routing, not_reached, left)
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
    return _points(frame, places, rows, routing.network)


def _unreached_reason(routing: Routing, not_reached: np.ndarray, left: np.ndarray) -> np.ndarray:
    places, network = routing.origins, routing.network
    reason = np.full(len(routing.population), "", dtype=object)
    reason[not_reached & ~places.access.attached] = "too_far_from_road"
    reason[not_reached & ~places.present] = "no_geometry"
    snapped = not_reached & places.access.attached
    shelter_components = set(network.node_component[routing.shelters.access.node[routing.usable]].tolist())
    same_piece = np.array([network.node_component[n] in shelter_components if n >= 0 else False
                           for n in places.access.node])
    reason[snapped & ~same_piece] = "disconnected_network"
    any_hazard = bool(routing.hazard.closed.any())
    reason[snapped & same_piece] = "cut_off_by_hazard" if any_hazard else "no_path"
    reason[routing.reachable & (left > 0)] = "no_capacity"
    return reason


def _points(frame: pd.DataFrame, places: Places, rows, network: RoadNetwork) -> gpd.GeoDataFrame:
    """``frame`` with the points of ``places[rows]`` (None where a place has no geometry)."""
    geometry = shapely.points(places.xy[rows])
    geometry[~places.present[rows]] = None
    return _geo(frame, geometry, network)


def _geo(frame: pd.DataFrame, geometry: np.ndarray, network: RoadNetwork) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=network.crs), crs=network.crs)


def summary(routing: Routing, assignment: Assignment, unreached: gpd.GeoDataFrame, load: gpd.GeoDataFrame,
            report: NetworkReport | None) -> dict:
    by_reason = unreached.groupby("reason")["population"].sum().astype(int).to_dict() if len(unreached) else {}
    return {
        "mode": routing.mode,
        "assignment_method": assignment.method,
        "population_total": int(routing.population.sum()),
        "population_placed": int(assignment.people.sum()),
        "population_unreached": int(unreached["population"].sum()) if len(unreached) else 0,
        "unreached_by_reason": by_reason,
        "shelters_open": int((load["status"] == "open").sum()),
        "shelters_full": int(((load["status"] == "open") & (load["free"] == 0)).sum()),
        "network": report.__dict__ if report else {},
    }


def scenario_summary(plan: ScenarioPlan, evacuees: gpd.GeoDataFrame, shortfall: gpd.GeoDataFrame,
                     proposed: gpd.GeoDataFrame | None, proposal) -> dict:
    """The summary's scenario part: evacuees per priority, triggers, exclusions, proposal."""
    per_priority = {}
    for p, group in evacuees.groupby("priority"):
        per_priority[str(int(p))] = {
            "evacuees": int(group["evacuees"].sum()), "vulnerable": int(group["vulnerable"].sum()),
            "placed": int(group["placed"].sum()), "placed_within_standard": int(group["placed_within_standard"].sum()),
            "not_placed": int(group["not_placed"].sum()),
        }
    out = {
        "scenario": plan.scenario.record(),
        "population_evacuees": int(evacuees["evacuees"].sum()),
        "population_placed_within_standard": int(evacuees["placed_within_standard"].sum()),
        "shortfall": int(shortfall["shortfall"].sum()),
        "by_priority": per_priority,
        "triggers": [{"key": z.trigger.key, "priority": z.trigger.priority, "rate": z.trigger.rate,
                      "features": z.features, "origins": z.origins, "evacuees": z.evacuees}
                     for z in plan.evacuees.zones],
        "shelters_excluded": plan.exclusions.count(),
        "warnings": [en for en, _ in plan.evacuees.warnings],
    }
    if proposal is not None:
        out["proposed_shelters"] = int(len(proposed))
        out["proposed_people"] = int(proposed["needed_capacity"].sum()) if len(proposed) else 0
        out["proposal_solved"] = bool(proposal.solved)
        out["candidates"] = int(len(plan.candidates))
        out["candidates_screened_out"] = plan.candidates_screened_out
    return out
