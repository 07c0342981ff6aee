"""Roads routed on the 150 m lattice: a street grid in the city, trunk routes, links
between town seats and a road to every village, each the cheapest path over the
terrain (so roads follow valleys)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from scipy import ndimage
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from .facts import CITY_CENTRE, FANGCHUAN
from .geometry import xy
from .grid import cost_graph, grid_edges
from .hydrology import River
from .surfaces import Surfaces, river_cells

ROAD_RANK = {"expressway": 0, "national": 1, "provincial": 2, "urban": 3, "county": 4, "township": 5, "village": 6}


@dataclass(frozen=True)
class RoadAttr:
    road_class: str
    name: str | None
    oneway: int = 0

    @property
    def rank(self) -> int:
        """Lower is more important: the better road wins a shared stretch."""
        return ROAD_RANK[self.road_class]


# Routes from the city, cheapest path over the terrain (so they follow valleys).
# Earlier (higher) classes win where routes share a stretch.
TRUNK_ROUTES: list[tuple[str, str, str | tuple[float, float]]] = [
    ("national", "G302", (130.080, 43.000)),  # west up the Tumen valley towards 图们/延吉
    ("national", "G302", (130.865, 42.842)),  # east to the crossing into Russia
    ("national", "G331", FANGCHUAN),  # the border road down the Tumen to 防川
    ("provincial", "S201", "春化镇"),
    ("county", "X101", "英安镇"), ("county", "X102", "哈达门乡"), ("county", "X103", "板石镇"),
    ("county", "X104", "杨泡满族乡"), ("county", "X105", "马川子乡"), ("county", "X106", "密江乡"),
    ("county", "X107", "三家子满族乡"), ("county", "X108", "敬信镇"),
]
# Links between town seats, so the rural network has loops.
CROSS_LINKS = [
    ("county", "X109", "哈达门乡", "春化镇"), ("county", "X110", "密江乡", "哈达门乡"),
    ("county", "X111", "板石镇", "杨泡满族乡"), ("township", "Y001", "英安镇", "板石镇"),
    ("township", "Y002", "三家子满族乡", "马川子乡"),
]
STREET_NAMES_EW = ["光明路", "新安路", "靖和路", "友谊路", "口岸大路", "森林山大路", "团结路", "民主路", "富民路",
                   "迎宾路", "站前路", "龙源路", "西环路", "和平路", "兴华路", "春华路", "长安路", "合作区一路",
                   "合作区二路", "合作区三路", "合作区四路", "河南大路", "滨河路", "建设路", "工业路", "学苑路"]
STREET_NAMES_NS = ["一马路", "二马路", "三马路", "四马路", "五马路", "六马路", "七马路", "八马路", "九马路", "十马路",
                   "西一街", "西二街", "西三街", "东一街", "东二街", "东三街", "东四街", "东五街", "东六街", "东七街",
                   "东八街", "东九街", "东十街", "东十一街", "东十二街", "东十三街", "东十四街", "东十五街", "东十六街",
                   "东十七街", "东十八街", "东十九街", "东二十街", "东二十一街", "东二十二街", "东二十三街"]


class RoadGraph:
    """Roads drawn on the 150 m routing lattice: edges between neighbouring cells, each
    with one attribute (the highest-ranked road that uses it)."""

    def __init__(self, surf: Surfaces, outline: shapely.Polygon, rivers: list[River]) -> None:
        self.s = surf
        g = surf.grid
        self.n = g.nx * g.ny
        rows, cols = np.indices(g.shape)
        self.street = surf.builtup & ((rows % 2 == 0) | (cols % 2 == 0))
        # Roads stay inside the city; in the built-up area they use only street nodes.
        self.valid = g.mask_of(outline.buffer(-80)) & ~(surf.builtup & ~self.street)
        tan = np.tan(np.radians(surf.slope))
        # Steep ground, height and river crossings are expensive, so roads keep to valleys.
        cost = 1.0 + 40.0 * tan**2 + 25.0 * (surf.slope > 22) + surf.dem / 700.0 + 4.0 * (river_cells(g, rivers) > 0)
        self.cost = cost
        self.a, self.b, self.length = grid_edges(self.valid)
        self.codes = np.minimum(self.a, self.b) * self.n + np.maximum(self.a, self.b)
        self.edges: dict[int, RoadAttr] = {}
        self.direction: dict[int, tuple[int, int]] = {}
        _, (ir, ic) = ndimage.distance_transform_edt(~self.valid, return_indices=True)
        self._nearest_valid = (ir * g.nx + ic).ravel()

    def node_at(self, point: Sequence[float]) -> int:
        """The valid lattice node nearest the point."""
        r, c = self.s.grid.rowcol(point[0], point[1])
        return int(self._nearest_valid[int(r) * self.s.grid.nx + int(c)])

    def add_edge(self, u: int, v: int, attr: RoadAttr) -> None:
        """Road u-v, unless a better-ranked road already uses it."""
        code = min(u, v) * self.n + max(u, v)
        old = self.edges.get(code)
        if old is None or attr.rank < old.rank:
            self.edges[code] = attr
            if attr.oneway:
                self.direction[code] = (u, v)

    def add_path(self, nodes: Sequence[int], attr: RoadAttr) -> None:
        for u, v in zip(nodes[:-1], nodes[1:]):
            self.add_edge(u, v, attr)

    def graph(self, discount: float = 1.0) -> csr_matrix:
        """The routing graph; existing roads cost ``discount`` times as much (reuse them)."""
        length = self.length.copy()
        if discount != 1.0 and self.edges:
            used = np.isin(self.codes, np.fromiter(self.edges.keys(), dtype=np.int64))
            length[used] *= discount
        return cost_graph(self.a, self.b, length * self.s.grid.cell, self.cost, self.n)

    def road_nodes(self) -> np.ndarray:
        """Every node some road passes through."""
        codes = np.fromiter(self.edges.keys(), dtype=np.int64)
        return np.unique(np.concatenate([codes // self.n, codes % self.n]))

    @staticmethod
    def trace(pred: np.ndarray, target: int) -> list[int]:
        """The path from target back to the search's source, by predecessors."""
        path = [target]
        while pred[path[-1]] >= 0:
            path.append(int(pred[path[-1]]))
        return path


@dataclass(frozen=True)
class _StreetPlan:
    """What decides a street edge: where the rivers are (bridges only on every third
    street) and the centre block of the one-way pair."""

    rivers: shapely.Geometry
    centre_r: int
    centre_c: int


def add_streets(rg: RoadGraph, rivers: list[River]) -> None:
    """A 300 m street grid over the built-up area, bridges every 900 m, and one pair of
    one-way streets through the centre."""
    g = rg.s.grid
    st = rg.street
    centre_r, centre_c = (int(v) for v in g.rowcol(*xy(*CITY_CENTRE)))
    plan = _StreetPlan(shapely.union_all([r.line for r in rivers]), centre_r - centre_r % 2, centre_c)
    ew_rows = sorted({int(r) for r in np.flatnonzero(st.any(axis=1)) if r % 2 == 0})
    ns_cols = sorted({int(c) for c in np.flatnonzero(st.any(axis=0)) if c % 2 == 0})
    ew_name = {r: STREET_NAMES_EW[i % len(STREET_NAMES_EW)] for i, r in enumerate(ew_rows)}
    ns_name = {c: STREET_NAMES_NS[i % len(STREET_NAMES_NS)] for i, c in enumerate(ns_cols)}
    for r in ew_rows:
        for c in range(g.nx - 1):
            if st[r, c] and st[r, c + 1]:
                _add_street_edge(rg, (r, c), (r, c + 1), ew_name[r], r % 6 == 0, plan)
    for c in ns_cols:
        for r in range(g.ny - 1):
            if st[r, c] and st[r + 1, c]:
                _add_street_edge(rg, (r, c), (r + 1, c), ns_name[c], c % 6 == 0, plan)


def _add_street_edge(rg: RoadGraph, p: tuple[int, int], q: tuple[int, int], name: str, bridge: bool,
                     plan: _StreetPlan) -> None:
    g = rg.s.grid
    seg = shapely.LineString(g.centre(np.array([p[0], q[0]]), np.array([p[1], q[1]])))
    if not bridge and seg.intersects(plan.rivers):
        return
    u, v = p[0] * g.nx + p[1], q[0] * g.nx + q[1]
    oneway = 0
    if p[0] == q[0] and p[0] in (plan.centre_r, plan.centre_r + 2) and abs(p[1] - plan.centre_c) <= 8:
        oneway = 1  # a one-way pair: eastbound on one street, westbound on the next
        if p[0] == plan.centre_r + 2:
            u, v = v, u
    rg.add_edge(u, v, RoadAttr("urban", name, oneway))


def route_roads(rg: RoadGraph, seats: dict[str, np.ndarray], settlements: gpd.GeoDataFrame) -> None:
    """Trunk routes from the street grid, links between seats, then every village joined
    to the network along its cheapest path (villages farther out join nearer ones)."""
    _route_trunks(rg, seats)
    _route_cross_links(rg, seats)
    usage = _route_villages(rg, settlements)
    # Stretches shared by three or more villages become township roads (乡道).
    for code, count in sorted(usage.items()):
        if count >= 3 and rg.edges[code].road_class == "village":
            rg.edges[code] = RoadAttr("township", None)


def _route_trunks(rg: RoadGraph, seats: dict[str, np.ndarray]) -> None:
    sources = np.flatnonzero((rg.street & rg.valid).ravel())
    _, pred = dijkstra(rg.graph(), directed=False, indices=sources, min_only=True, return_predecessors=True)[:2]
    for road_class, name, target in TRUNK_ROUTES:
        point = seats[target] if isinstance(target, str) else np.asarray(xy(*target))
        rg.add_path(rg.trace(pred, rg.node_at(point)), RoadAttr(road_class, name))


def _route_cross_links(rg: RoadGraph, seats: dict[str, np.ndarray]) -> None:
    for road_class, name, start, end in CROSS_LINKS:
        graph = rg.graph(discount=0.35)
        _, pred = dijkstra(graph, directed=False, indices=rg.node_at(seats[start]), return_predecessors=True)
        rg.add_path(rg.trace(pred, rg.node_at(seats[end])), RoadAttr(road_class, name))


def _route_villages(rg: RoadGraph, settlements: gpd.GeoDataFrame) -> dict[int, int]:
    """Village roads in four rounds by distance from the trunk network; returns how many
    villages use each edge."""
    rural = settlements[~shapely.contains_xy(shapely.union_all(_builtup_cells(rg)), settlements.geometry.x,
                                             settlements.geometry.y)]
    nodes = np.array([rg.node_at((p.x, p.y)) for p in rural.geometry])
    trunk_dist = dijkstra(rg.graph(), directed=False, indices=rg.road_nodes(), min_only=True)
    order = np.argsort(trunk_dist[nodes], kind="stable")
    usage: dict[int, int] = {}
    for group in np.array_split(order, 4):
        _, pred = dijkstra(rg.graph(discount=0.5), directed=False, indices=rg.road_nodes(), min_only=True,
                           return_predecessors=True)[:2]
        for i in group:
            path = rg.trace(pred, int(nodes[i]))
            for u, v in zip(path[:-1], path[1:]):
                code = min(u, v) * rg.n + max(u, v)
                usage[code] = usage.get(code, 0) + 1
            rg.add_path(path, RoadAttr("village", None))
    return usage


def _builtup_cells(rg: RoadGraph) -> list[shapely.Polygon]:
    g = rg.s.grid
    rows, cols = np.nonzero(rg.s.builtup)
    c = g.centre(rows, cols)
    h = g.cell / 2
    return list(shapely.box(c[:, 0] - h, c[:, 1] - h, c[:, 0] + h, c[:, 1] + h))
