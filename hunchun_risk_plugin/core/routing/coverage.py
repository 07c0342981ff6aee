"""Relief-depot and rescue coverage against the plan's 3-hour and 10-hour targets.

Driving times go *from* the facilities *to* the people (one-way streets respected),
in two multi-source passes over the same graph:

- basic aid: from the nearest relief depot (target ``basic_aid_hours``, 10 h);
- rescue: from the nearest depot or fire-and-rescue station (target ``rescue_hours``, 3 h).

Drive-time zones (bands 0–1 h, 1–3 h, 3–10 h by default) are drawn from the rescue
times: the land within the zone width (by default the access distance, the distance
within which a settlement counts as served by a road) of a road point the first
team reaches in time — not a hull that would cover roadless mountains. See
``drive_time_zones`` for how it is computed.

Township seats: a settlement whose ``kind`` marks it as a seat (see
``SEAT_KINDS``); in a township without one, its most populous settlement.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.geometry
from affine import Affine
from scipy.spatial import cKDTree

from ..definitions import depot_items, depot_stock_field, targets_hours
from ..errors import InputError
from ..progress import SILENT, Progress
from .graph import DRIVING, build_travel_graph
from .inputs import counts, default_id_field, feature_ids, point_coordinates, require_features
from .metric import to_crs
from .nearest import nearest_tree
from .network import BACKWARD_ONLY, FORWARD_ONLY, NetworkReport, build_network
from .snapping import attach_points, locate_points

SEAT_KINDS = {"seat", "township_seat", "town_seat", "county_seat", "city_seat", "驻地", "乡镇驻地", "镇驻地",
              "政府驻地"}
DEPOT, FIRE_STATION = "depot", "fire_station"


@dataclass(frozen=True)
class CoverageSettings:
    thresholds_h: tuple[float, ...] = (1.0, 3.0, 10.0)
    snap_tolerance_m: float = 1.0
    max_access_m: float = 2000.0
    zone_buffer_m: float | None = None  # None: the access distance
    settlement_id_field: str | None = None
    population_field: str = "population"
    township_code_field: str = "township_code"
    settlement_kind_field: str = "kind"
    township_id_field: str = "code"
    road_class_field: str | None = "road_class"
    speed_field: str | None = "speed_kmh"
    oneway_field: str | None = "oneway"


@dataclass
class CoverageResult:
    settlements: gpd.GeoDataFrame
    facilities: gpd.GeoDataFrame
    townships: gpd.GeoDataFrame
    zones: gpd.GeoDataFrame
    network_report: NetworkReport
    summary: dict = field(default_factory=dict)


def check_thresholds(thresholds_h) -> tuple[float, ...]:
    values = tuple(sorted(float(v) for v in thresholds_h))
    if not values or values[0] <= 0 or len(set(values)) != len(values):
        raise InputError(
            f"Drive-time thresholds must be distinct positive hours, got {list(thresholds_h)}.",
            f"行车时间阈值必须为互不相同的正数（小时），当前为 {list(thresholds_h)}。",
        )
    return values


def depot_coverage(
    roads: gpd.GeoDataFrame,
    depots: gpd.GeoDataFrame,
    settlements: gpd.GeoDataFrame,
    townships: gpd.GeoDataFrame | None = None,
    fire_stations: gpd.GeoDataFrame | None = None,
    settings: CoverageSettings = CoverageSettings(),
    progress: Progress = SILENT,
) -> CoverageResult:
    """Drive times from depots (and fire stations) to every settlement, zones and summaries."""
    thresholds = check_thresholds(settings.thresholds_h)
    require_features(depots, "depots")
    require_features(settlements, "settlements")
    population = counts(settlements, settings.population_field, "settlements")
    settlement_ids = feature_ids(settlements, settings.settlement_id_field or default_id_field(settlements),
                                 "settlements")
    depot_ids = feature_ids(depots, default_id_field(depots), "depots")
    fire = fire_stations if fire_stations is not None and len(fire_stations) else None
    fire_ids = (feature_ids(fire, default_id_field(fire), "fire_stations") if fire is not None
                else pd.Series([], dtype=str))
    progress.step(0.02)

    network = build_network(roads, settings.snap_tolerance_m, settings.road_class_field, settings.speed_field,
                            settings.oneway_field)
    progress.info(" ".join(network.report.lines(progress.language)))
    progress.step(0.2)
    layers = [("settlements", settlements),
              ("depots", depots)] + ([("fire_stations", fire)] if fire is not None else [])
    coordinates = [point_coordinates(frame, network.crs, name) for name, frame in layers]
    located = [locate_points(network, np.where(np.isfinite(xy), xy, 1e15), settings.max_access_m)
               for xy, _ in coordinates]
    if not (located[1].segment >= 0).any():
        raise InputError(
            f"No depot lies within {settings.max_access_m:g} m of a road. Check that the layers overlap "
            "(same area, correct CRS) or raise MAX_ACCESS_DISTANCE.",
            f"没有储备库位于道路 {settings.max_access_m:g} 米范围内。请检查图层是否重叠或增大 MAX_ACCESS_DISTANCE。",
        )
    network, _, located = attach_points(network, located)
    graph = build_travel_graph(network, DRIVING)
    progress.step(0.35)

    depot_nodes = located[1].node
    facility_nodes = np.concatenate([depot_nodes] + ([located[2].node] if fire is not None else []))
    facility_ok = facility_nodes >= 0
    aid = nearest_tree(graph, depot_nodes[depot_nodes >= 0], toward_facilities=False)
    rescue = nearest_tree(graph, facility_nodes[facility_ok], toward_facilities=False)
    progress.step(0.5)

    node = located[0].node
    aid_s, aid_by = _read(aid, node, np.flatnonzero(depot_nodes >= 0))
    rescue_s, rescue_by = _read(rescue, node, np.flatnonzero(facility_ok))
    targets = targets_hours()
    facilities = _Facilities(depots, fire, depot_ids, fire_ids, coordinates[1:], located[1:], depot_nodes)
    reach = _Reach(aid_s, aid_by, rescue_s, rescue_by)
    people = _Settlements(settlements, settlement_ids, population, coordinates[0], located[0])
    settlement_frame = _settlement_frame(people, reach, facilities, targets, settings, network)
    progress.step(0.6)
    facility_frame = _facility_frame(facilities, settlement_frame, reach, population, network.crs)
    township_frame = _township_frame(townships, settlement_frame, settings, network.crs)
    progress.step(0.7)
    zones = drive_time_zones(network, rescue.cost[: network.n_nodes], thresholds,
                             settings.zone_buffer_m or settings.max_access_m, progress.sub(0.7, 1.0))
    summary = _summary(settlement_frame, targets, thresholds, zones)
    progress.step(1.0)
    return CoverageResult(settlement_frame, facility_frame, township_frame, zones, network.report, summary)


@dataclass(frozen=True)
class _Settlements:
    """The settlements as the network sees them."""
    frame: gpd.GeoDataFrame
    ids: pd.Series
    population: np.ndarray
    coordinates: tuple          # (xy, present) from point_coordinates
    access: object              # their located points on the network


@dataclass(frozen=True)
class _Facilities:
    """Depots then fire stations: one facility list, indexed as the trees report them."""
    depots: gpd.GeoDataFrame
    fire: gpd.GeoDataFrame | None
    depot_ids: pd.Series
    fire_ids: pd.Series
    coordinates: list           # depots' (and fire stations') point_coordinates
    access: list                # their located points
    depot_nodes: np.ndarray

    @property
    def ids(self) -> np.ndarray:
        return np.concatenate([self.depot_ids.to_numpy(), self.fire_ids.to_numpy()]).astype(object)

    @property
    def kinds(self) -> np.ndarray:
        return np.array([DEPOT] * len(self.depot_ids) + [FIRE_STATION] * len(self.fire_ids), dtype=object)


@dataclass(frozen=True)
class _Reach:
    """Seconds to, and index of, the nearest depot (aid) and nearest facility (rescue) per settlement."""
    aid_s: np.ndarray
    aid_by: np.ndarray
    rescue_s: np.ndarray
    rescue_by: np.ndarray


def _read(tree, node: np.ndarray, facility_index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Seconds and facility index (into the full facility list) at each settlement node."""
    ok = node >= 0
    seconds = np.full(len(node), np.inf)
    seconds[ok] = tree.cost[node[ok]]
    by = np.full(len(node), -1, dtype=np.int64)
    reached = ok & np.isfinite(seconds)
    by[reached] = facility_index[tree.facility[node[reached]]]
    return seconds, by


def _minutes(seconds: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(seconds), np.round(seconds / 60.0, 2), np.nan)


def _settlement_frame(people: _Settlements, reach: _Reach, facilities: _Facilities, targets: dict,
                      settings: CoverageSettings, network) -> gpd.GeoDataFrame:
    settlements, ids, population, access = people.frame, people.ids, people.population, people.access
    xy, present = people.coordinates
    aid_s, aid_by, rescue_s, rescue_by = reach.aid_s, reach.aid_by, reach.rescue_s, reach.rescue_by
    facility_ids, facility_kind = facilities.ids, facilities.kinds
    component, depot_nodes, crs = network.node_component, facilities.depot_nodes, network.crs
    rescue_h, aid_h = targets["rescue_hours"], targets["basic_aid_hours"]
    depot_pieces = set(component[depot_nodes[depot_nodes >= 0]].tolist())
    note = np.full(len(ids), "", dtype=object)
    note[~access.attached] = "too_far_from_road"
    on_depot_piece = np.array([n >= 0 and component[n] in depot_pieces for n in access.node])
    note[access.attached & ~on_depot_piece] = "disconnected_network"
    note[access.attached & on_depot_piece & ~np.isfinite(aid_s)] = "no_path"
    note[~present] = "no_geometry"
    frame = pd.DataFrame({
        "settlement": ids.to_numpy(),
        "name": _text(settlements, "name", ids),
        "township_code": _text(settlements, settings.township_code_field, pd.Series([""] * len(ids))),
        "population": population,
        "is_seat": _seats(settlements, population, settings).astype(np.int64),
        "nearest_depot": np.where(aid_by >= 0, facility_ids[np.maximum(aid_by, 0)], None),
        "depot_min": _minutes(aid_s),
        "nearest_rescue": np.where(rescue_by >= 0, facility_ids[np.maximum(rescue_by, 0)], None),
        "rescue_kind": np.where(rescue_by >= 0, facility_kind[np.maximum(rescue_by, 0)], None),
        "rescue_min": _minutes(rescue_s),
        "beyond_rescue_3h": (~(rescue_s <= rescue_h * 3600)).astype(np.int64),
        "beyond_aid_10h": (~(aid_s <= aid_h * 3600)).astype(np.int64),
        "access_m": np.round(access.access_m, 1),
        "unreached_reason": note,
    })
    geometry = shapely.points(xy)
    geometry[~present] = None
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=crs), crs=crs)


def _text(frame: pd.DataFrame, name: str, fallback: pd.Series) -> np.ndarray:
    if name in frame.columns:
        return frame[name].astype("string").fillna("").to_numpy(dtype=object)
    return fallback.to_numpy(dtype=object)


def _seats(settlements: pd.DataFrame, population: np.ndarray, settings: CoverageSettings) -> np.ndarray:
    """Marked seats, and the most populous settlement of each township that has none."""
    kind = settlements[settings.settlement_kind_field].astype("string").fillna("").to_numpy(dtype=object) \
        if settings.settlement_kind_field in settlements.columns else np.full(len(settlements), "", dtype=object)
    seat = np.array([str(k).strip().lower() in SEAT_KINDS for k in kind])
    if settings.township_code_field not in settlements.columns:
        return seat
    township = settlements[settings.township_code_field].astype("string").fillna("").to_numpy(dtype=object)
    for code in set(township) - {""}:
        members = np.flatnonzero(township == code)
        if not seat[members].any():
            seat[members[np.argmax(population[members])]] = True
    return seat


def _facility_frame(facilities: _Facilities, settlement_frame: gpd.GeoDataFrame, reach: _Reach,
                    population: np.ndarray, crs) -> gpd.GeoDataFrame:
    depots, fire, depot_ids, fire_ids = facilities.depots, facilities.fire, facilities.depot_ids, facilities.fire_ids
    coordinates, access, aid_by, rescue_by = facilities.coordinates, facilities.access, reach.aid_by, reach.rescue_by
    n_depots = len(depot_ids)
    n_all = n_depots + len(fire_ids)
    aid_pop = np.bincount(aid_by[aid_by >= 0], weights=population[aid_by >= 0], minlength=n_all)
    rescue_pop = np.bincount(rescue_by[rescue_by >= 0], weights=population[rescue_by >= 0], minlength=n_all)
    aid_count = np.bincount(aid_by[aid_by >= 0], minlength=n_all)
    aid_worst = _worst_by(aid_by, settlement_frame["depot_min"].to_numpy(), n_all)
    frame = pd.DataFrame({
        "facility": np.concatenate([depot_ids.to_numpy(), fire_ids.to_numpy()]).astype(object),
        "name": np.concatenate([_text(depots, "name", depot_ids)]
                               + ([_text(fire, "name", fire_ids)] if fire is not None else [])),
        "kind": [DEPOT] * n_depots + [FIRE_STATION] * len(fire_ids),
        "level": np.concatenate(
            [_text(depots, "level", pd.Series([""] * n_depots)), np.full(len(fire_ids), "", dtype=object)]),
        "served_population": aid_pop.astype(np.int64),
        "served_settlements": aid_count.astype(np.int64),
        "worst_depot_min": aid_worst,
        "rescue_population": rescue_pop.astype(np.int64),
        "access_m": np.round(np.concatenate([a.access_m for a in access]), 1),
    })
    for item in depot_items():
        stock_field = depot_stock_field(item)
        stock = pd.to_numeric(depots[stock_field], errors="coerce").to_numpy(dtype=float) \
            if stock_field in depots.columns else np.full(n_depots, np.nan)
        frame[stock_field] = np.concatenate([stock, np.full(len(fire_ids), np.nan)])
        with np.errstate(divide="ignore", invalid="ignore"):
            per_person = np.where(aid_pop[:n_depots] > 0, stock / aid_pop[:n_depots], np.nan)
        frame[f"per_person_{item}"] = np.concatenate([np.round(per_person, 5), np.full(len(fire_ids), np.nan)])
    xy = np.vstack([c[0] for c in coordinates])
    present = np.concatenate([c[1] for c in coordinates])
    geometry = shapely.points(xy)
    geometry[~present] = None
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs=crs), crs=crs)


def _worst_by(group: np.ndarray, minutes: np.ndarray, n: int) -> np.ndarray:
    worst = np.full(n, np.nan)
    ok = (group >= 0) & np.isfinite(minutes)
    if ok.any():
        values = np.full(n, -np.inf)
        np.maximum.at(values, group[ok], minutes[ok])
        worst = np.where(np.isfinite(values), values, np.nan)
    return worst


def _township_frame(townships, settlements: gpd.GeoDataFrame, settings: CoverageSettings, crs) -> gpd.GeoDataFrame:
    """Worst and population-weighted mean times per township (by code, or by location)."""
    if townships is None or len(townships) == 0:
        return gpd.GeoDataFrame({"township": []}, geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    polygons = to_crs(townships, crs, "townships").reset_index(drop=True)
    codes = feature_ids(polygons,
                        settings.township_id_field if settings.township_id_field in polygons.columns else None,
                        "townships")
    member = _township_of(settlements, polygons, codes)
    rows = []
    for index, code in enumerate(codes):
        mine = settlements[member == index]
        rows.append(_township_row(code, polygons, index, mine))
    frame = pd.DataFrame(rows)
    return gpd.GeoDataFrame(frame, geometry=polygons.geometry.values, crs=crs)


def _township_of(settlements: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame, codes: pd.Series) -> np.ndarray:
    by_code = {c: i for i, c in enumerate(codes)}
    member = np.array([by_code.get(str(c), -1) for c in settlements["township_code"]], dtype=np.int64)
    missing = np.flatnonzero(member < 0)
    if len(missing):
        tree = shapely.STRtree(polygons.geometry.values)
        points, shapes = tree.query(settlements.geometry.values[missing], predicate="within")
        member[missing[points]] = shapes
    return member


def _township_row(code, polygons, index, mine: pd.DataFrame) -> dict:
    pop = mine["population"].to_numpy(dtype=float)
    row = {"township": code, "name": _text(polygons, "name", pd.Series([""] * len(polygons)))[index],
           "population": int(pop.sum()), "settlements": len(mine)}
    for key in ("depot", "rescue"):
        minutes = mine[f"{key}_min"].to_numpy(dtype=float)
        ok = np.isfinite(minutes)
        row[f"worst_{key}_min"] = float(minutes[ok].max()) if ok.any() else np.nan
        weight = pop[ok].sum()
        row[f"mean_{key}_min"] = round(float((minutes[ok] * pop[ok]).sum() / weight), 2) if weight > 0 else np.nan
        row[f"unreached_{key}_pop"] = int(pop[~ok].sum())
    row["pop_beyond_rescue_3h"] = int(pop[mine["beyond_rescue_3h"].to_numpy() == 1].sum())
    row["pop_beyond_aid_10h"] = int(pop[mine["beyond_aid_10h"].to_numpy() == 1].sum())
    seats = mine[mine["is_seat"] == 1]
    row["seat"] = str(seats["name"].iloc[0]) if len(seats) else ""
    row["seat_depot_min"] = float(seats["depot_min"].iloc[0]) if len(seats) else np.nan
    row["seat_rescue_min"] = float(seats["rescue_min"].iloc[0]) if len(seats) else np.nan
    return row


def drive_time_zones(network, node_seconds: np.ndarray, thresholds_h: tuple[float, ...], buffer_m: float,
                     progress: Progress = SILENT) -> gpd.GeoDataFrame:
    """Bands between consecutive thresholds: land within ``buffer_m`` of a road point
    reachable in time (see the module doc).

    Roads are sampled every half grid cell with the exact drive time at each sample
    (a point inside a segment is reached from whichever end is sooner, one-way
    streets only from their start); a grid cell belongs to the first band whose
    reachable samples lie within ``buffer_m`` of its centre. Buffering and merging
    tens of thousands of road pieces as vectors takes minutes; the grid takes
    seconds, and its cells (at most 1/8 of the buffer) are far below map precision.
    """
    samples_xy, samples_s = _road_samples(network, node_seconds, _cell_size(network, buffer_m) / 2)
    cell = _cell_size(network, buffer_m)
    limits = np.array(thresholds_h) * 3600.0
    reachable = samples_s <= limits[-1]
    rows = []
    band = None
    if reachable.any():
        band, transform = _band_grid(samples_xy[reachable], samples_s[reachable], limits, buffer_m, cell, progress)
        polygons = _polygonise(band, transform, len(limits))
    else:
        polygons = [shapely.Polygon()] * len(limits)
    lower = 0.0
    for hours, shape in zip(thresholds_h, polygons):
        rows.append({"from_h": lower, "to_h": hours, "label": f"{_h(lower)}–{_h(hours)} h",
                     "label_zh": f"{_h(lower)}–{_h(hours)} 小时", "area_km2": round(shape.area / 1e6, 3),
                     "geometry": shape})
        lower = hours
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=network.crs)


def _cell_size(network, buffer_m: float) -> float:
    """At most buffer / 8, coarser only to keep the grid near a million cells."""
    x0, y0 = network.node_xy.min(axis=0) - buffer_m
    x1, y1 = network.node_xy.max(axis=0) + buffer_m
    return float(max(buffer_m / 8.0, np.sqrt((x1 - x0) * (y1 - y0) / 1e6), 1.0))


def _road_samples(network, node_seconds: np.ndarray, spacing: float) -> tuple[np.ndarray, np.ndarray]:
    length = network.seg_length
    seconds = length / (network.seg_speed_kmh / 3.6)
    count = np.maximum(2, np.ceil(length / spacing).astype(np.int64) + 1)
    seg = np.repeat(np.arange(network.n_segments), count)
    first = np.repeat(np.cumsum(count) - count, count)
    share = (np.arange(len(seg)) - first) / np.repeat(count - 1, count)
    via_start = node_seconds[network.seg_from][seg] + share * seconds[seg]
    via_end = node_seconds[network.seg_to][seg] + (1 - share) * seconds[seg]
    direction = network.seg_direction[seg]
    via_start[direction == BACKWARD_ONLY] = np.inf
    via_end[direction == FORWARD_ONLY] = np.inf
    a = network.node_xy[network.seg_from][seg]
    b = network.node_xy[network.seg_to][seg]
    return a + share[:, None] * (b - a), np.minimum(via_start, via_end)


def _band_grid(xy, seconds, limits, buffer_m, cell, progress):
    """uint8 grid: 1 + index of the first threshold reached within ``buffer_m``, 0 = none."""
    x0, y0 = xy.min(axis=0) - buffer_m - cell
    x1, y1 = xy.max(axis=0) + buffer_m + cell
    cols, rows = int(np.ceil((x1 - x0) / cell)), int(np.ceil((y1 - y0) / cell))
    cx = x0 + (np.arange(cols) + 0.5) * cell
    cy = y1 - (np.arange(rows) + 0.5) * cell
    centres = np.column_stack([np.tile(cx, rows), np.repeat(cy, cols)])
    band = np.zeros(rows * cols, dtype=np.uint8)
    for index in range(len(limits) - 1, -1, -1):  # widest first, nearer bands overwrite
        inside = seconds <= limits[index]
        if inside.any():
            distance, _ = cKDTree(xy[inside]).query(centres, distance_upper_bound=buffer_m)
            band[np.isfinite(distance)] = index + 1
        progress.step((len(limits) - index) / len(limits))
    return band.reshape(rows, cols), Affine(cell, 0, x0, 0, -cell, y1)


def _polygonise(band: np.ndarray, transform, count: int) -> list:
    from rasterio.features import shapes

    parts: dict[int, list] = {value: [] for value in range(1, count + 1)}
    for geometry, value in shapes(band, mask=band > 0, transform=transform, connectivity=4):
        parts[int(value)].append(shapely.geometry.shape(geometry))
    return [shapely.MultiPolygon(parts[v]) if parts[v] else shapely.Polygon() for v in range(1, count + 1)]


def _h(value: float) -> str:
    return f"{value:g}"


def _summary(settlements: gpd.GeoDataFrame, targets, thresholds, zones) -> dict:
    pop = settlements["population"].to_numpy(dtype=float)
    return {
        "settlements": len(settlements),
        "population": int(pop.sum()),
        "targets_hours": targets,
        "thresholds_hours": list(thresholds),
        "pop_beyond_rescue_3h": int(pop[settlements["beyond_rescue_3h"].to_numpy() == 1].sum()),
        "pop_beyond_aid_10h": int(pop[settlements["beyond_aid_10h"].to_numpy() == 1].sum()),
        "settlements_unreached": int((settlements["unreached_reason"] != "").sum()),
        "zone_area_km2": {row.label: row.area_km2 for row in zones.itertuples()},
    }
