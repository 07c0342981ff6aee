"""Predecessor trees -> routes: node chains, line geometry, distance and time.

On a tree grown over the reversed graph the predecessor of a node is the next node
toward the facility, so following it from an origin walks the route forward. Every
step is a straight segment between two nodes, so the route polyline's length is the
sum of the edge lengths reported as its distance.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from .graph import TravelGraph
from .nearest import NO_PREDECESSOR, trees_from


@dataclass
class Routes:
    geometry: np.ndarray   # (r,) shapely LineStrings in the network CRS
    length_m: np.ndarray   # (r,)
    time_s: np.ndarray     # (r,) physical travel time
    closed_m: np.ndarray   # (r,) metres driven/walked on closed roads (escaping a hazard)


def walk_paths(next_node: np.ndarray, starts: np.ndarray) -> list[np.ndarray]:
    """Layered node chains from each start along ``next_node`` until a tree root.

    All routes advance together, one numpy step per hop, rather than node by node.
    """
    starts = np.asarray(starts, dtype=np.int64)
    current = starts.copy()
    steps = [current]
    active = next_node[current] != NO_PREDECESSOR
    while active.any():
        current = np.where(active, next_node[np.where(active, current, 0)], -1)
        steps.append(current)
        active = active & (current >= 0)
        active[active] = next_node[current[active]] != NO_PREDECESSOR
    table = np.stack(steps, axis=1)
    lengths = (table >= 0).sum(axis=1)
    return [table[i, : lengths[i]] for i in range(len(starts))]


def build_routes(graph: TravelGraph, node_xy: np.ndarray, paths: list[np.ndarray]) -> Routes:
    """Geometry and measures of layered node chains (each at least one node long)."""
    count = len(paths)
    if count == 0:
        empty = np.empty(0)
        return Routes(np.empty(0, dtype=object), empty, empty, empty)
    nodes, route_of, length, time_s, closed = _measure(graph, paths)
    return Routes(_polylines(node_xy, nodes % graph.n_nodes, route_of), length, time_s, closed)


def _measure(graph: TravelGraph, paths: list[np.ndarray]):
    """Concatenated nodes, route of each node, and per route length, time, closed metres."""
    count = len(paths)
    sizes = np.array([len(p) for p in paths])
    nodes = np.concatenate(paths)
    route_of = np.repeat(np.arange(count), sizes)
    same_route = route_of[1:] == route_of[:-1]
    tails, heads = nodes[:-1][same_route], nodes[1:][same_route]
    edge = graph.edge_index(tails, heads)
    edge_route = route_of[1:][same_route]
    length = np.bincount(edge_route, weights=graph.length_m[edge], minlength=count)
    time_s = np.bincount(edge_route, weights=graph.time_s[edge], minlength=count)
    on_closed = (tails >= graph.n_nodes) & (heads >= graph.n_nodes)
    closed = np.bincount(edge_route, weights=graph.length_m[edge] * on_closed, minlength=count)
    return nodes, route_of, length, time_s, closed


def pair_measures(graph: TravelGraph, facility_nodes: np.ndarray, starts: np.ndarray, node_xy: np.ndarray | None = None,
                  reach_m: np.ndarray | None = None, batch: int = 16) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(starts, facilities) routing cost, physical time (s) and length (m) of the route
    each start would take to each facility (inf where unreachable; starts < 0 never
    reach). One Dijkstra per facility, in batches; the physical measures follow the
    cost-optimal path, as the route lines do. With ``reach_m`` (per facility) and
    ``node_xy``, time and length are left inf where the straight line alone is longer
    (a route is never shorter than it): walking the long paths is most of the work."""
    shape = (len(starts), len(facility_nodes))
    cost, time_s, length = np.full(shape, np.inf), np.full(shape, np.inf), np.full(shape, np.inf)
    rows = np.flatnonzero(np.asarray(starts) >= 0)
    for first in range(0, len(facility_nodes), batch):
        chunk = np.asarray(facility_nodes[first:first + batch])
        costs, predecessors = trees_from(graph, chunk)
        for k in range(len(chunk)):
            at = costs[k, starts[rows]]
            reach = rows[np.isfinite(at)]
            cost[reach, first + k] = at[np.isfinite(at)]
            if reach_m is not None and node_xy is not None and len(reach):
                gap = node_xy[starts[reach] % graph.n_nodes] - node_xy[chunk[k] % graph.n_nodes]
                reach = reach[np.hypot(gap[:, 0], gap[:, 1]) <= reach_m[first + k]]
            if len(reach):
                _, _, metres, seconds, _ = _measure(graph, walk_paths(predecessors[k], starts[reach]))
                length[reach, first + k], time_s[reach, first + k] = metres, seconds
    return cost, time_s, length


def _polylines(node_xy: np.ndarray, physical: np.ndarray, route_of: np.ndarray) -> np.ndarray:
    """One LineString per route; the free layer change repeats a node, which is dropped.
    A route that never leaves its node gets a zero-length two-point line."""
    repeat = np.zeros(len(physical), dtype=bool)
    repeat[1:] = (physical[1:] == physical[:-1]) & (route_of[1:] == route_of[:-1])
    physical, route_of = physical[~repeat], route_of[~repeat]
    single = np.bincount(route_of) == 1
    if single.any():
        extra = np.flatnonzero(single[route_of])
        physical = np.insert(physical, extra, physical[extra])
        route_of = np.insert(route_of, extra, route_of[extra])
    return shapely.linestrings(node_xy[physical], indices=route_of)
