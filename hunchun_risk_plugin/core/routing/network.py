"""Road lines -> a graph of straight segments between snapped vertices.

Every vertex of every line is a candidate node, and vertices closer than the snap
tolerance are merged into one node (as QGIS's graph builder does with its topology
tolerance), so roads connect where they share a vertex, not only at their ends.
Each pair of consecutive vertices is one straight segment; a route is therefore a
chain of nodes and its polyline length is exactly the sum of its segment lengths.

Speeds: a positive ``speed_kmh`` wins; otherwise the default of the ``road_class``
from domain.toml (English key or Chinese name); otherwise the fallback speed (by
default the slowest class in the table: an unknown road is assumed slow). Direction
(``oneway``): 1 / yes / true / FT = digitised direction only, -1 / TF = against it,
anything else (0, NULL) = both ways.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from ..definitions import road_classes
from ..errors import InputError
from .metric import metric_crs_for, to_crs

BOTH_WAYS, FORWARD_ONLY, BACKWARD_ONLY = 0, 1, -1
_FORWARD_VALUES = {"1", "yes", "true", "y", "t", "ft", "forward"}
_BACKWARD_VALUES = {"-1", "tf", "backward", "reverse"}


@dataclass(frozen=True)
class NetworkReport:
    """What was found while building the network (for the log and provenance)."""

    features_read: int
    features_without_geometry: int
    multipart_features: int
    had_z_or_m: bool
    reprojected_from: str | None
    segments: int
    nodes: int
    merged_vertices: int
    components: int
    largest_component_share: float
    dangling_ends: int
    speed_sources: dict[str, int] = field(default_factory=dict)
    unknown_classes: tuple[str, ...] = ()

    def lines(self, language: str = "en") -> list[str]:
        zh = language.startswith("zh")
        out = [
            (f"道路网络：{self.segments} 条路段，{self.nodes} 个节点，{self.components} 个连通分量"
             f"（最大分量占节点 {self.largest_component_share:.1%}），{self.dangling_ends} 个断头端点，"
             f"{self.merged_vertices} 个顶点按容差合并。")
            if zh else
            (f"Road network: {self.segments} segments, {self.nodes} nodes, {self.components} connected "
             f"component(s) (largest holds {self.largest_component_share:.1%} of nodes), {self.dangling_ends} "
             f"dangling end(s), {self.merged_vertices} vertices merged within the snap tolerance.")
        ]
        if self.multipart_features or self.had_z_or_m or self.features_without_geometry:
            out.append(
                f"多部件要素 {self.multipart_features} 个已拆分；Z/M 值已忽略：{'是' if self.had_z_or_m else '否'}；"
                f"{self.features_without_geometry} 个要素无几何已跳过。" if zh else
                f"{self.multipart_features} multipart feature(s) split into parts; Z/M values dropped: "
                f"{'yes' if self.had_z_or_m else 'no'}; {self.features_without_geometry} feature(s) without geometry "
                "skipped."
            )
        if self.reprojected_from:
            out.append(f"道路已从 {self.reprojected_from} 投影到米制坐标系后计算。" if zh else
                       f"Roads reprojected from {self.reprojected_from} to a metric CRS for costs.")
        sources = ", ".join(f"{k}: {v}" for k, v in self.speed_sources.items())
        out.append(f"速度来源（要素数）：{sources}" if zh else f"Speed sources (features): {sources}")
        if self.unknown_classes:
            names = ", ".join(self.unknown_classes[:10])
            out.append(f"未知道路等级（使用默认速度）：{names}" if zh else
                       f"Unknown road classes (fallback speed used): {names}")
        return out


@dataclass
class RoadNetwork:
    """Undirected-geometry road graph; directions and costs are made per mode in ``graph``."""

    crs: CRS
    node_xy: np.ndarray        # (n, 2) float64
    seg_from: np.ndarray       # (m,) int64 node ids
    seg_to: np.ndarray         # (m,) int64 node ids
    seg_speed_kmh: np.ndarray  # (m,) float64 driving speed
    seg_direction: np.ndarray  # (m,) int8: BOTH_WAYS / FORWARD_ONLY / BACKWARD_ONLY
    seg_road: np.ndarray       # (m,) int64 row of the source road frame
    node_component: np.ndarray  # (n,) int64 connected-component label
    report: NetworkReport | None = None

    @property
    def n_nodes(self) -> int:
        return len(self.node_xy)

    @property
    def n_segments(self) -> int:
        return len(self.seg_from)

    @property
    def seg_length(self) -> np.ndarray:
        delta = self.node_xy[self.seg_to] - self.node_xy[self.seg_from]
        return np.hypot(delta[:, 0], delta[:, 1])

    def segment_lines(self) -> np.ndarray:
        """Shapely LineStrings of the segments (for spatial queries)."""
        pairs = np.stack([self.node_xy[self.seg_from], self.node_xy[self.seg_to]], axis=1)
        return shapely.linestrings(pairs)


def fallback_speed_kmh() -> float:
    """Speed of a road whose class and speed are both unknown: the slowest class."""
    return float(min(float(c["speed_kmh"]) for c in road_classes().values()))


def class_speed_table() -> dict[str, float]:
    """Lower-case English key and Chinese name -> default speed (km/h), from domain.toml."""
    table: dict[str, float] = {}
    for key, spec in road_classes().items():
        table[key.lower()] = float(spec["speed_kmh"])
        table[str(spec["zh"])] = float(spec["speed_kmh"])
    return table


def build_network(
    roads: gpd.GeoDataFrame,
    snap_tolerance: float = 1.0,
    class_field: str | None = "road_class",
    speed_field: str | None = "speed_kmh",
    oneway_field: str | None = "oneway",
    fallback_kmh: float | None = None,
    crs: CRS | None = None,
    layer_name: str = "roads",
) -> RoadNetwork:
    """Build the road graph from any line layer (see the module doc for the rules)."""
    if snap_tolerance < 0:
        raise InputError(
            f"Snap tolerance must be zero or positive, got {snap_tolerance}.",
            f"节点捕捉容差必须大于或等于 0，当前为 {snap_tolerance}。",
        )
    if len(roads) == 0:
        raise InputError(
            f"Layer '{layer_name}' has no features: a road network is needed.",
            f"图层“{layer_name}”没有要素：需要道路网络。",
        )
    _check_line_geometries(roads, layer_name)
    target = crs or metric_crs_for(roads, layer_name)
    source_crs = CRS.from_user_input(roads.crs)
    frame = to_crs(roads, target, layer_name)
    geometries = frame.geometry.values
    present = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))
    had_zm = bool(np.any(shapely.has_z(geometries[present])))
    multipart = int(np.sum(shapely.get_type_id(geometries[present]) == 5))

    speed, speed_sources, unknown = _feature_speeds(frame, class_field, speed_field, fallback_kmh)
    direction = _feature_directions(frame, oneway_field)

    rows = np.flatnonzero(present)
    parts, part_row = shapely.get_parts(geometries[rows], return_index=True)
    part_row = rows[part_row]
    coords, vertex_part = shapely.get_coordinates(parts, return_index=True)  # drops Z/M
    if len(coords) < 2:
        raise InputError(
            f"Layer '{layer_name}' has no usable line geometry.",
            f"图层“{layer_name}”没有可用的线几何。",
        )
    vertex_node, node_xy, merged = _snap_vertices(coords, snap_tolerance)

    consecutive = np.flatnonzero(vertex_part[1:] == vertex_part[:-1])
    seg_from = vertex_node[consecutive]
    seg_to = vertex_node[consecutive + 1]
    seg_row = part_row[vertex_part[consecutive]]
    keep = seg_from != seg_to  # segments shorter than the tolerance collapse
    seg_from, seg_to, seg_row = seg_from[keep], seg_to[keep], seg_row[keep]
    if len(seg_from) == 0:
        raise InputError(
            f"Layer '{layer_name}' gives no road segment longer than the snap tolerance ({snap_tolerance} m).",
            f"图层“{layer_name}”中没有长于捕捉容差（{snap_tolerance} 米）的路段。",
        )
    # Drop nodes no segment uses (isolated vertices of collapsed segments).
    used, inverse = np.unique(np.concatenate([seg_from, seg_to]), return_inverse=True)
    node_xy = node_xy[used]
    seg_from, seg_to = inverse[: len(seg_from)], inverse[len(seg_from):]

    labels, n_comp, share, dangling = _topology(len(node_xy), seg_from, seg_to)
    report = NetworkReport(
        features_read=len(roads),
        features_without_geometry=int(np.sum(~present)),
        multipart_features=multipart,
        had_z_or_m=had_zm,
        reprojected_from=None if source_crs == target else source_crs.to_string(),
        segments=len(seg_from),
        nodes=len(node_xy),
        merged_vertices=merged,
        components=n_comp,
        largest_component_share=share,
        dangling_ends=dangling,
        speed_sources=speed_sources,
        unknown_classes=unknown,
    )
    return RoadNetwork(
        crs=target,
        node_xy=node_xy,
        seg_from=seg_from.astype(np.int64),
        seg_to=seg_to.astype(np.int64),
        seg_speed_kmh=speed[seg_row],
        seg_direction=direction[seg_row],
        seg_road=seg_row.astype(np.int64),
        node_component=labels,
        report=report,
    )


def _check_line_geometries(roads: gpd.GeoDataFrame, layer_name: str) -> None:
    kinds = set(roads.geometry.dropna().geom_type) - {"LineString", "MultiLineString", "LinearRing"}
    if kinds:
        raise InputError(
            f"Layer '{layer_name}' must hold lines; found {', '.join(sorted(kinds))}.",
            f"图层“{layer_name}”必须是线图层；发现 {', '.join(sorted(kinds))}。",
        )


def _snap_vertices(coords: np.ndarray, tolerance: float) -> tuple[np.ndarray, np.ndarray, int]:
    """Node id per vertex, node coordinates, and how many distinct points were merged."""
    unique_xy, vertex_unique = np.unique(coords, axis=0, return_inverse=True)
    vertex_unique = vertex_unique.reshape(-1)
    if tolerance > 0 and len(unique_xy) > 1:
        pairs = cKDTree(unique_xy).query_pairs(tolerance, output_type="ndarray")
    else:
        pairs = np.empty((0, 2), dtype=np.int64)
    if len(pairs) == 0:
        return vertex_unique, unique_xy, 0
    n = len(unique_xy)
    adjacency = sparse.coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, cluster = connected_components(adjacency, directed=False)
    # A cluster's node sits on its first (lowest-index) point so merged nodes stay on a road vertex.
    clusters, first = np.unique(cluster, return_index=True)
    node_of_unique = np.searchsorted(clusters, cluster)
    return node_of_unique[vertex_unique], unique_xy[first], int(n - len(clusters))


def _topology(n_nodes: int, seg_from: np.ndarray, seg_to: np.ndarray) -> tuple[np.ndarray, int, float, int]:
    adjacency = sparse.coo_matrix((np.ones(len(seg_from)), (seg_from, seg_to)), shape=(n_nodes, n_nodes)).tocsr()
    n_comp, labels = connected_components(adjacency, directed=False)
    sizes = np.bincount(labels)
    undirected = adjacency + adjacency.T
    undirected.data[:] = 1  # count distinct neighbours, not parallel segments
    degree = np.asarray(undirected.sum(axis=1)).ravel()
    return labels.astype(np.int64), int(n_comp), float(sizes.max() / n_nodes), int(np.sum(degree == 1))


def _feature_speeds(
    frame: gpd.GeoDataFrame, class_field: str | None, speed_field: str | None, fallback_kmh: float | None
) -> tuple[np.ndarray, dict[str, int], tuple[str, ...]]:
    n = len(frame)
    fallback = float(fallback_kmh) if fallback_kmh and fallback_kmh > 0 else fallback_speed_kmh()
    speed = np.full(n, np.nan)
    given = np.zeros(n, dtype=bool)
    if speed_field and speed_field in frame.columns:
        values = pd.to_numeric(frame[speed_field], errors="coerce").to_numpy(dtype=float)
        given = np.isfinite(values) & (values > 0)
        speed[given] = values[given]
    from_class = np.zeros(n, dtype=bool)
    unknown: set[str] = set()
    if class_field and class_field in frame.columns:
        table = class_speed_table()
        classes = frame[class_field].astype("string").str.strip()
        lookup = np.array([_class_speed(table, v) for v in classes], dtype=float)
        from_class = ~given & np.isfinite(lookup)
        speed[from_class] = lookup[from_class]
        unknown = {str(v) for v in classes[~given & ~np.isfinite(lookup)].dropna().unique()}
    missing = ~given & ~from_class
    speed[missing] = fallback
    sources = {"speed_field": int(given.sum()), "road_class": int(from_class.sum()), "fallback": int(missing.sum())}
    return speed, sources, tuple(sorted(unknown))


def _class_speed(table: dict[str, float], value) -> float:
    if value is None or value is pd.NA:
        return np.nan
    return table.get(value.lower(), table.get(value, np.nan))


def _feature_directions(frame: gpd.GeoDataFrame, oneway_field: str | None) -> np.ndarray:
    direction = np.zeros(len(frame), dtype=np.int8)
    if not oneway_field or oneway_field not in frame.columns:
        return direction
    text = frame[oneway_field].astype("string").str.strip().str.lower()
    text = text.str.replace(r"\.0+$", "", regex=True)  # 1.0 read from a real field
    direction[text.isin(_FORWARD_VALUES).fillna(False).to_numpy(dtype=bool)] = FORWARD_ONLY
    direction[text.isin(_BACKWARD_VALUES).fillna(False).to_numpy(dtype=bool)] = BACKWARD_ONLY
    return direction
