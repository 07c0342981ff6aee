"""Points (settlements, shelters, depots) -> access nodes on the road graph.

Each point is projected onto the nearest road segment (not just the nearest vertex:
on a long straight road the nearest vertex can be kilometres away). When the
projection falls inside a segment the segment is split there and a new node is
inserted; several points on one segment split it into a chain, so two points on
the same road connect directly. Points farther than the access distance from every
road are not attached and are reported. The straight access leg from the point to
the road is reported as ``access_m`` and is not part of the network route.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import shapely

from .network import RoadNetwork

# Projections closer than this to a segment end reuse the end node (no sliver segment).
_END_EPSILON_M = 1e-6


@dataclass
class AccessPoints:
    """Where each point meets the network (``segment`` = -1 when too far from any road)."""

    segment: np.ndarray   # (p,) int64 segment index in the network the points were located on
    fraction: np.ndarray  # (p,) position along the segment, 0 = from node, 1 = to node
    access_m: np.ndarray  # (p,) straight distance point -> road (nan when not attached)
    node: np.ndarray      # (p,) node id in the network returned by ``attach_points`` (-1 when not attached)

    @property
    def attached(self) -> np.ndarray:
        return self.node >= 0


def locate_points(network: RoadNetwork, points_xy: np.ndarray, max_distance: float) -> AccessPoints:
    """Nearest segment and position on it for each point within ``max_distance``."""
    n = len(points_xy)
    segment = np.full(n, -1, dtype=np.int64)
    fraction = np.zeros(n)
    access = np.full(n, np.nan)
    if n == 0:
        return AccessPoints(segment, fraction, access, np.full(0, -1, dtype=np.int64))
    tree = shapely.STRtree(network.segment_lines())
    points = shapely.points(points_xy)
    (point_idx, seg_idx), distance = tree.query_nearest(
        points, max_distance=max_distance, return_distance=True, all_matches=False
    )
    a = network.node_xy[network.seg_from[seg_idx]]
    b = network.node_xy[network.seg_to[seg_idx]]
    ab = b - a
    t = np.einsum("ij,ij->i", points_xy[point_idx] - a, ab) / np.einsum("ij,ij->i", ab, ab)
    segment[point_idx] = seg_idx
    fraction[point_idx] = np.clip(t, 0.0, 1.0)
    access[point_idx] = distance
    return AccessPoints(segment, fraction, access, np.full(n, -1, dtype=np.int64))


def attach_points(network: RoadNetwork,
                  located: list[AccessPoints]) -> tuple[RoadNetwork, np.ndarray, list[AccessPoints]]:
    """Split segments at the located points and give every attached point its node.

    Returns the new network, ``parent`` (for each new segment the index of the segment
    it was cut from, so per-segment attributes such as hazards carry over) and the
    ``AccessPoints`` with ``node`` filled in.
    """
    segment = np.concatenate([p.segment for p in located]) if located else np.empty(0, np.int64)
    fraction = np.concatenate([p.fraction for p in located]) if located else np.empty(0)
    node = np.full(len(segment), -1, dtype=np.int64)
    ok = segment >= 0
    length = network.seg_length
    along = np.where(ok, fraction * length[np.maximum(segment, 0)], 0.0)
    at_start = ok & (along <= _END_EPSILON_M)
    at_end = ok & ~at_start & (along >= length[np.maximum(segment, 0)] - _END_EPSILON_M)
    node[at_start] = network.seg_from[segment[at_start]]
    node[at_end] = network.seg_to[segment[at_end]]
    inside = ok & ~at_start & ~at_end

    cuts, cut_of_point = np.unique(
        np.stack([segment[inside].astype(float), fraction[inside]], axis=1), axis=0, return_inverse=True
    )
    cut_seg = cuts[:, 0].astype(np.int64)
    cut_t = cuts[:, 1]
    new_ids = network.n_nodes + np.arange(len(cuts))
    node[np.flatnonzero(inside)] = new_ids[cut_of_point.reshape(-1)]
    new_network, parent = _split_segments(network, cut_seg, cut_t, new_ids)

    filled, start = [], 0
    for points in located:
        end = start + len(points.segment)
        filled.append(replace(points, node=node[start:end]))
        start = end
    return new_network, parent, filled


def _split_segments(
    network: RoadNetwork, cut_seg: np.ndarray, cut_t: np.ndarray, new_ids: np.ndarray
) -> tuple[RoadNetwork, np.ndarray]:
    """Replace each cut segment by the chain through its cut points (sorted by position)."""
    keep = np.ones(network.n_segments, dtype=bool)
    keep[cut_seg] = False
    parent = np.concatenate([np.flatnonzero(keep), cut_seg, cut_seg[_last_of_each(cut_seg)]])
    # Cuts arrive sorted by (segment, fraction) from np.unique.
    first_of_seg = np.ones(len(cut_seg), dtype=bool)
    first_of_seg[1:] = cut_seg[1:] != cut_seg[:-1]
    previous = np.where(first_of_seg, network.seg_from[cut_seg], np.roll(new_ids, 1))
    last = _last_of_each(cut_seg)
    piece_from = np.concatenate([network.seg_from[keep], previous, new_ids[last]])
    piece_to = np.concatenate([network.seg_to[keep], new_ids, network.seg_to[cut_seg[last]]])
    a = network.node_xy[network.seg_from[cut_seg]]
    b = network.node_xy[network.seg_to[cut_seg]]
    new_xy = a + cut_t[:, None] * (b - a)
    split = replace(
        network,
        node_xy=np.vstack([network.node_xy, new_xy]),
        seg_from=piece_from,
        seg_to=piece_to,
        seg_speed_kmh=network.seg_speed_kmh[parent],
        seg_direction=network.seg_direction[parent],
        seg_road=network.seg_road[parent],
        node_component=np.concatenate([network.node_component, network.node_component[network.seg_from[cut_seg]]]),
    )
    return split, parent


def _last_of_each(sorted_keys: np.ndarray) -> np.ndarray:
    """Index of the last element of each run of equal keys."""
    if len(sorted_keys) == 0:
        return np.empty(0, dtype=np.int64)
    return np.flatnonzero(np.append(sorted_keys[1:] != sorted_keys[:-1], True))
