"""The roads layer: lattice roads turned into smooth lines, the expressway added, the
network noded (lines meet only at shared end points), pruned to one connected
component and cut into ~200 m segments."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from hunchun_risk_plugin.core import definitions as defs

from .geometry import chaikin, xy_array
from .hydrology import River
from .randomness import rng
from .road_lattice import RoadAttr, RoadGraph, add_streets, route_roads
from .settings import EPSG
from .surfaces import Surfaces
from .townships import seat_of

EXPRESSWAY = ("G12", [(130.318, 42.878), (130.27, 42.898), (130.20, 42.922), (130.14, 42.95), (130.10, 42.978),
                      (130.078, 43.012)])
SEGMENT_M = 200.0  # roads are cut into segments of about this length
MISSING_SPEED_SHARE = 0.07


def make_roads(surf: Surfaces, outline: shapely.Polygon, rivers: list[River], townships: gpd.GeoDataFrame,
               settlements: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The roads layer (see the module docstring)."""
    rg = RoadGraph(surf, outline, rivers)
    add_streets(rg, rivers)
    seats = {row["name"]: seat_of(row) for _, row in townships.iterrows()}
    route_roads(rg, seats, settlements)
    lines, attrs = chain_lines(rg, edge_chains(rg))
    lines.append(expressway_line(rg, outline))
    attrs.append(RoadAttr("expressway", EXPRESSWAY[0]))
    lines, attrs = node_network(lines, attrs)
    lines, attrs = prune_network(lines, attrs)
    segments, seg_attrs = [], []
    for ln, at in zip(lines, attrs):
        for part in split_line(ln, SEGMENT_M):
            segments.append(part)
            seg_attrs.append(at)
    check_noding(segments)
    return gpd.GeoDataFrame({
        "road_id": np.arange(1, len(segments) + 1, dtype=np.int64),
        "name": [a.name for a in seg_attrs],
        "road_class": [a.road_class for a in seg_attrs],
        "speed_kmh": pd.array(_speeds(seg_attrs), dtype="Float64"),
        "oneway": np.array([a.oneway for a in seg_attrs], dtype=np.int32),
    }, geometry=segments, crs=EPSG)


def _speeds(attrs: list[RoadAttr]) -> list[float | None]:
    """The class's design speed, but some missing, so defaulting by class gets exercised
    downstream."""
    r = rng("roads")
    classes = defs.road_classes()
    speed = [float(classes[a.road_class]["speed_kmh"]) for a in attrs]
    return [None if r.random() < MISSING_SPEED_SHARE else s for s in speed]


class _ChainWalker:
    """Walks the lattice roads into runs of one attribute (see edge_chains)."""

    def __init__(self, rg: RoadGraph) -> None:
        self.edges = rg.edges
        self.adj: dict[int, list[tuple[int, int]]] = {}
        for code in sorted(rg.edges):
            a, b = divmod(code, rg.n)
            self.adj.setdefault(a, []).append((b, code))
            self.adj.setdefault(b, []).append((a, code))
        self.seen: set[int] = set()

    def is_break(self, v: int) -> bool:
        """A junction, a dead end, or a change of attribute."""
        nb = self.adj[v]
        return len(nb) != 2 or self.edges[nb[0][1]] != self.edges[nb[1][1]]

    def walk(self, v: int, w: int, code: int) -> list[int]:
        """Nodes from v through w onwards until a break (or back round a loop)."""
        path = [v, w]
        self.seen.add(code)
        cur, last = w, code
        while not self.is_break(cur):
            (n1, c1), (n2, c2) = self.adj[cur]
            nxt, cn = (n1, c1) if c1 != last else (n2, c2)
            if cn in self.seen:
                break
            self.seen.add(cn)
            path.append(nxt)
            cur, last = nxt, cn
        return path


def edge_chains(rg: RoadGraph) -> list[tuple[list[int], RoadAttr]]:
    """Maximal runs of edges with one attribute through nodes of degree two. Every
    junction or change of attribute ends a run, so junctions stay shared end points.
    One-way runs follow their direction of travel."""
    walker = _ChainWalker(rg)
    chains = []
    for v in sorted(walker.adj):
        if walker.is_break(v):
            for w, code in walker.adj[v]:
                if code not in walker.seen:
                    chains.append((walker.walk(v, w, code), rg.edges[code]))
    for code in sorted(rg.edges):  # closed loops without any junction
        if code not in walker.seen:
            a, b = divmod(code, rg.n)
            chains.append((walker.walk(a, b, code), rg.edges[code]))
    out = []
    for path, attr in chains:
        if attr.oneway:
            first = min(path[0], path[1]) * rg.n + max(path[0], path[1])
            if rg.direction.get(first, (path[0], path[1]))[0] != path[0]:
                path = path[::-1]
        out.append((path, attr))
    return out


def chain_lines(rg: RoadGraph, chains: list[tuple[list[int], RoadAttr]]) -> tuple[list[shapely.LineString],
                                                                                  list[RoadAttr]]:
    """Chains as lines: lattice staircases simplified and smoothed (end points fixed)."""
    g = rg.s.grid
    lines, attrs = [], []
    for path, attr in chains:
        nodes = np.asarray(path)
        coords = g.centre(nodes // g.nx, nodes % g.nx)
        if attr.road_class != "urban" and len(coords) > 2:
            coords = shapely.get_coordinates(shapely.simplify(shapely.LineString(coords), 45.0))
            coords = chaikin(coords, 3)
        lines.append(shapely.LineString(coords))
        attrs.append(attr)
    return lines, attrs


def expressway_line(rg: RoadGraph, outline: shapely.Polygon) -> shapely.LineString:
    """The 珲乌 expressway: an engineered smooth curve from the west edge of the street
    grid up the Tumen valley; its city end is exactly a street node."""
    g = rg.s.grid
    pts = xy_array(EXPRESSWAY[1])
    street_nodes = np.flatnonzero((rg.street & rg.valid).ravel())
    sc = g.centre(street_nodes // g.nx, street_nodes % g.nx)
    start = sc[np.argmin(np.linalg.norm(sc - pts[0], axis=1))]
    coords = chaikin(np.vstack([start, pts[1:]]), 5)
    line = shapely.LineString(coords)
    inside = shapely.intersection(line, outline.buffer(-60))
    parts = shapely.get_parts(inside)
    line = min(parts, key=lambda p: p.distance(shapely.Point(start)))
    c = shapely.get_coordinates(line)
    if np.linalg.norm(c[-1] - start) < np.linalg.norm(c[0] - start):
        c = c[::-1]
    c[0] = start
    return shapely.LineString(c)


def node_network(lines: list[shapely.LineString], attrs: list[RoadAttr]) -> tuple[list[shapely.LineString],
                                                                                  list[RoadAttr]]:
    """Split every line wherever it meets another (snap-rounded to 1 cm), so lines only
    meet at shared end points, and give each piece the best-ranked source's attribute
    and the source's digitising direction (one-way streets keep their sense)."""
    merged = shapely.unary_union(np.asarray(lines, dtype=object), grid_size=0.01)
    pieces = [p for p in shapely.get_parts(merged) if p.length > 0]
    mids = shapely.line_interpolate_point(np.asarray(pieces, dtype=object), 0.5, normalized=True)
    tree = shapely.STRtree(np.asarray(lines, dtype=object))
    piece_idx, line_idx = tree.query(mids, predicate="dwithin", distance=0.05)
    best: dict[int, int] = {}
    for p, line in zip(piece_idx.tolist(), line_idx.tolist()):
        if p not in best or attrs[line].rank < attrs[best[p]].rank:
            best[p] = line
    out_lines, out_attrs = [], []
    for p, piece in enumerate(pieces):
        src = lines[best[p]]
        c = shapely.get_coordinates(piece)
        if src.project(shapely.Point(c[0])) > src.project(shapely.Point(c[-1])):
            c = c[::-1]
        out_lines.append(shapely.LineString(c))
        out_attrs.append(attrs[best[p]])
    return out_lines, out_attrs


def _node_ids(lines: list[shapely.LineString]) -> tuple[np.ndarray, np.ndarray, int]:
    """Start and end node ids of lines, end points matched at 1 cm."""
    ends = np.array([[ln.coords[0], ln.coords[-1]] for ln in lines])  # (n, 2, 2)
    keys = np.round(ends.reshape(-1, 2) * 100).astype(np.int64)
    _, ids = np.unique(keys, axis=0, return_inverse=True)
    ids = ids.reshape(-1, 2)
    return ids[:, 0], ids[:, 1], int(ids.max()) + 1


def prune_network(lines: list[shapely.LineString], attrs: list[RoadAttr]) -> tuple[list, list]:
    """Drop stubs under 20 m left by noding and anything not in the main component."""
    for _ in range(3):
        a, b, n = _node_ids(lines)
        degree = np.bincount(np.concatenate([a, b]), minlength=n)
        keep = [not (ln.length < 20.0 and (degree[a[i]] == 1 or degree[b[i]] == 1)) for i, ln in enumerate(lines)]
        lines = [ln for ln, k in zip(lines, keep) if k]
        attrs = [at for at, k in zip(attrs, keep) if k]
    a, b, n = _node_ids(lines)
    graph = coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    _, comp = connected_components(graph, directed=False)
    main = np.argmax(np.bincount(comp[a]))
    keep = comp[a] == main
    return [ln for ln, k in zip(lines, keep) if k], [at for at, k in zip(attrs, keep) if k]


def split_line(line: shapely.LineString, target: float) -> list[shapely.LineString]:
    """Cut a line into equal parts of about ``target`` metres; neighbouring parts share
    the exact cut point."""
    c = shapely.get_coordinates(line)
    seg = np.linalg.norm(np.diff(c, axis=0), axis=1)
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    n = max(1, round(cum[-1] / target))
    if n == 1:
        return [line]
    cuts = cum[-1] * np.arange(1, n) / n
    i = np.clip(np.searchsorted(cum, cuts, side="right") - 1, 0, len(seg) - 1)
    t = (cuts - cum[i]) / seg[i]
    points = c[i] + t[:, None] * (c[i + 1] - c[i])
    bounds = np.concatenate([[0.0], cuts, [cum[-1]]])
    ends = np.vstack([c[:1], points, c[-1:]])
    parts = []
    for k in range(n):
        inner = c[(cum > bounds[k]) & (cum < bounds[k + 1])]
        parts.append(shapely.LineString(np.vstack([ends[k:k + 1], inner, ends[k + 1:k + 2]])))
    return parts


def check_noding(lines: list[shapely.LineString]) -> None:
    """Raise unless lines meet only at shared end points."""
    arr = np.asarray(lines, dtype=object)
    tree = shapely.STRtree(arr)
    i, j = tree.query(arr, predicate="intersects")
    pairs = i < j
    i, j = i[pairs], j[pairs]
    inter = shapely.intersection(arr[i], arr[j])
    ends = {k: {tuple(np.round(ln.coords[0], 2)), tuple(np.round(ln.coords[-1], 2))} for k, ln in enumerate(lines)}
    bad = sum(not _meets_at_ends(g, ends[a], ends[b]) for a, b, g in zip(i.tolist(), j.tolist(), inter))
    if bad:
        raise RuntimeError(f"road network is not noded: {bad} bad meetings")


def _meets_at_ends(meeting: shapely.Geometry, ends_a: set, ends_b: set) -> bool:
    """True if two lines meet only in points that are end points of both."""
    if meeting.geom_type not in ("Point", "MultiPoint"):
        return False
    return all(tuple(np.round(pt, 2)) in ends_a and tuple(np.round(pt, 2)) in ends_b
               for pt in shapely.get_coordinates(meeting))
