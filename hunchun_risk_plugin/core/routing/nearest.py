"""Shortest-path trees over the travel graph, many facilities in one pass.

``nearest_tree`` runs one multi-source Dijkstra (scipy ``min_only=True``) from all
facilities at once: on the reversed graph it gives, for every node, the cost to its
nearest facility, which facility that is, and the next node toward it; on the
forward graph (depots driving out to people) the cost from the nearest facility.
This is one pass for all facilities, where the QGIS tools need one run each.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse.csgraph import dijkstra

from .graph import TravelGraph

NO_PREDECESSOR = -9999


@dataclass
class NearestTree:
    cost: np.ndarray      # (2n,) cost to/from the nearest facility (inf when none)
    next_node: np.ndarray  # (2n,) predecessor in the Dijkstra tree (NO_PREDECESSOR at roots / unreached)
    facility: np.ndarray  # (2n,) index into the facility list (-1 when unreached)


def nearest_tree(graph: TravelGraph, facility_nodes: np.ndarray, toward_facilities: bool = True) -> NearestTree:
    """One multi-source pass from ``facility_nodes`` (layer-1 node ids).

    ``toward_facilities``: costs of travelling *to* the facility (reversed graph);
    otherwise *from* it.
    """
    size = 2 * graph.n_nodes
    if len(facility_nodes) == 0:
        return NearestTree(np.full(size, np.inf), np.full(size, NO_PREDECESSOR), np.full(size, -1))
    matrix = graph.reversed_matrix() if toward_facilities else graph.matrix
    cost, predecessor, source = dijkstra(
        matrix, directed=True, indices=np.asarray(facility_nodes), min_only=True, return_predecessors=True
    )
    first_facility_at = np.full(size, -1, dtype=np.int64)
    order = np.arange(len(facility_nodes))[::-1]  # earlier facilities win on a shared node
    first_facility_at[np.asarray(facility_nodes)[order]] = order
    facility = np.where(source >= 0, first_facility_at[np.maximum(source, 0)], -1)
    return NearestTree(cost, predecessor, facility)


def cost_matrix(
    graph: TravelGraph, facility_nodes: np.ndarray, at_nodes: np.ndarray, toward_facilities: bool = True,
    batch: int = 16
) -> np.ndarray:
    """(len(at_nodes), len(facility_nodes)) costs, one Dijkstra per facility in batches
    so memory stays at ``batch`` × nodes."""
    matrix = graph.reversed_matrix() if toward_facilities else graph.matrix
    out = np.full((len(at_nodes), len(facility_nodes)), np.inf)
    for start in range(0, len(facility_nodes), batch):
        chunk = np.asarray(facility_nodes[start:start + batch])
        costs = dijkstra(matrix, directed=True, indices=chunk)
        out[:, start:start + len(chunk)] = costs[:, at_nodes].T
    return out


def trees_from(graph: TravelGraph, facility_nodes: np.ndarray,
               toward_facilities: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Cost and predecessor arrays (k, 2n) of one tree per facility."""
    matrix = graph.reversed_matrix() if toward_facilities else graph.matrix
    cost, predecessor = dijkstra(matrix, directed=True, indices=np.asarray(facility_nodes), return_predecessors=True)
    return np.atleast_2d(cost), np.atleast_2d(predecessor)
