"""Directed travel graph for one mode, in scipy.sparse CSR, with a hazard escape layer.

Modes: ``driving`` uses each segment's speed and respects one-way streets;
``walking`` uses the walking speed from domain.toml on every segment, both ways.

Hazards: closed segments are removed from the normal graph. To let people who are
*inside* a closed area still leave it, the graph has two layers over the same nodes:

- layer 1 ("normal", node ids ``0..n-1``): every open segment, cost = time × penalty;
- layer 0 ("escaping", node ids ``n..2n-1``): only the closed segments, at their
  plain travel time, plus a free one-way step from every node of layer 0 to the same
  node of layer 1.

An origin inside a closed area starts in layer 0: it may move along the connected
closed roads it stands on until it reaches a node with an open road, then continues
in layer 1, where closed roads do not exist, so once out it never comes back onto a
closed road. Time on closed roads weighs ``ESCAPE_WEIGHT`` times more than time on
open roads, which makes the escape the *shortest way out* first and the fastest way
on to a shelter second (rather than a long drive through the hazard toward a
shelter behind it). Everyone else starts in layer 1 and never touches a closed road.
Reported distances and times are always the physical ones.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from ..definitions import walking_speed_kmh
from ..errors import InputError
from .hazards import SegmentHazard
from .network import BACKWARD_ONLY, FORWARD_ONLY, RoadNetwork

WALKING, DRIVING = "walking", "driving"
ESCAPE_WEIGHT = 1000.0
MODES = (WALKING, DRIVING)


@dataclass
class TravelGraph:
    """Directed edges (layered node ids), their physical time/length and routing cost."""

    n_nodes: int           # physical nodes; layered ids are node (layer 1) and node + n (layer 0)
    tail: np.ndarray
    head: np.ndarray
    cost: np.ndarray       # routing cost, seconds × penalty
    time_s: np.ndarray     # physical travel time, seconds
    length_m: np.ndarray
    matrix: sparse.csr_matrix
    edge_key: np.ndarray   # sorted tail * 2n + head of the kept (cheapest) edges

    def reversed_matrix(self) -> sparse.csr_matrix:
        return self.matrix.T.tocsr()

    def escape_node(self, node: np.ndarray) -> np.ndarray:
        return node + self.n_nodes

    def edge_index(self, tail: np.ndarray, head: np.ndarray) -> np.ndarray:
        """Index of the kept edge tail -> head (both layered ids)."""
        key = tail.astype(np.int64) * (2 * self.n_nodes) + head
        index = np.searchsorted(self.edge_key, key)
        return index


def build_travel_graph(network: RoadNetwork, mode: str, hazard: SegmentHazard | None = None) -> TravelGraph:
    """The directed, layered graph of ``network`` for ``mode`` (see the module doc)."""
    if mode not in MODES:
        raise InputError(f"Unknown mode '{mode}'; use walking or driving.",
                         f"未知出行方式“{mode}”；请用 walking 或 driving。")
    hazard = hazard or SegmentHazard.none(network.n_segments)
    n = network.n_nodes
    length = network.seg_length
    speed_kmh = network.seg_speed_kmh if mode == DRIVING else np.full(network.n_segments, walking_speed_kmh())
    time_s = length / (speed_kmh / 3.6)
    forward = np.ones(network.n_segments, dtype=bool)
    backward = np.ones(network.n_segments, dtype=bool)
    if mode == DRIVING:
        forward = network.seg_direction != BACKWARD_ONLY
        backward = network.seg_direction != FORWARD_ONLY
    tail = np.concatenate([network.seg_from[forward], network.seg_to[backward]])
    head = np.concatenate([network.seg_to[forward], network.seg_from[backward]])
    seg = np.concatenate([np.flatnonzero(forward), np.flatnonzero(backward)])
    closed = hazard.closed[seg]
    # Open roads in layer 1 with their penalty; closed ones only in the escape layer.
    layer_shift = np.where(closed, n, 0)
    tail, head = tail + layer_shift, head + layer_shift
    cost = time_s[seg] * np.where(closed, ESCAPE_WEIGHT, hazard.factor[seg])
    nodes = np.arange(n)
    tail = np.concatenate([tail, nodes + n])
    head = np.concatenate([head, nodes])
    cost = np.concatenate([cost, np.zeros(n)])
    edge_time = np.concatenate([time_s[seg], np.zeros(n)])
    edge_length = np.concatenate([length[seg], np.zeros(n)])
    return _cheapest_edges(n, tail, head, cost, edge_time, edge_length)


def _cheapest_edges(n, tail, head, cost, time_s, length_m) -> TravelGraph:
    """Keep the cheapest of parallel edges (CSR would otherwise add their costs)."""
    size = 2 * n
    key = tail.astype(np.int64) * size + head
    order = np.lexsort((cost, key))
    key_sorted = key[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = key_sorted[1:] != key_sorted[:-1]
    kept = order[first]
    matrix = sparse.csr_matrix((cost[kept], (tail[kept], head[kept])), shape=(size, size))
    return TravelGraph(n, tail[kept], head[kept], cost[kept], time_s[kept], length_m[kept], matrix, key_sorted[first])
