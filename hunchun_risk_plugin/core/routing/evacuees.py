"""Who must leave under a scenario: the threatened population, not everyone.

Each trigger of the scenario asks some people to leave, at its displacement rate and
priority (1 = first, the danger zone before the warning zone):

- ``hazard_polygons``: settlements in the polygons that meet the trigger's condition
  (``return_period_years <= 100``); a point settlement counts wholly when its point
  lies in the zone, a polygon settlement by its share of area in the zone;
- ``risk_raster``: the same over the cells of class ≥ ``min_class`` (polygonised);
- ``hazard_sites``: the ``threatened_people`` of the sites of the given kinds, attached
  to the settlements within ``radius_m`` of each site in proportion to their population
  (never more than a settlement holds), and to the site itself — as its own origin —
  when no settlement is near or for the people beyond what the settlements hold, so
  every threatened person the sites record is counted exactly once per trigger;
- ``everyone``: every settlement (a city-wide drill).

A settlement hit by several triggers leaves once: its evacuees are the largest count
any trigger asks of it (so the highest rate wins) and its priority the most urgent
among the triggers that ask anyone of it to leave. Within a priority the vulnerable
(``elderly_share`` × evacuees, from the settlements or else their township) go first.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from ..errors import InputError
from .hazards import ClassRaster
from .inputs import counts, layer_label, require_fields
from .metric import to_crs
from .scenario import EVERYONE, POLYGONS, RASTER, SITES, Condition, Scenario, Trigger
from .scenario_inputs import ScenarioInputs

SETTLEMENT, SITE = "settlement", "hazard_site"
VULNERABLE_FIELD = "elderly_share"


@dataclass
class TriggerZone:
    """The area a trigger covers (None for ``everyone``), for shelters and candidates."""

    trigger: Trigger
    geometry: object | None
    features: int  # polygons, cells-polygons or sites selected
    origins: int = 0
    evacuees: int = 0


@dataclass
class Evacuees:
    origins: gpd.GeoDataFrame      # one row per origin with evacuees > 0
    site_links: pd.DataFrame       # site -> origin -> people, per hazard-site trigger (for the ledger)
    zones: list[TriggerZone]
    closing_polygons: gpd.GeoDataFrame | None  # selected hazard polygons (they close roads)
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def by_priority(self) -> dict[int, int]:
        return {int(p): int(n) for p, n in self.origins.groupby("priority")["population"].sum().items()}


def who_must_leave(
    settlements: gpd.GeoDataFrame,
    ids: pd.Series,
    scenario: ScenarioInputs,
    crs: CRS,
    hazard_polygons: gpd.GeoDataFrame | None = None,
    hazard_raster: ClassRaster | None = None,
    population_field: str = "population",
    name_field: str | None = "name",
) -> Evacuees:
    """The origins who must leave under ``scenario`` (see the module doc). Every check
    runs before any geometry work; a scenario that moves nobody is an error."""
    _check_layers(scenario.scenario, hazard_polygons, hazard_raster, scenario.hazard_sites)
    people = _Settlements(ids, counts(settlements, population_field, "settlements"),
                          to_crs(settlements, crs, "settlements").geometry.values, crs)
    asked = _Asked.empty(len(scenario.scenario.triggers), len(settlements))
    for t, trigger in enumerate(scenario.scenario.triggers):
        _ask(asked, t, trigger, people, _TriggerLayers(hazard_polygons, hazard_raster, scenario.hazard_sites))
    names = _text(settlements, name_field, ids)
    township = _text(settlements, "township_code", pd.Series([""] * len(settlements)))
    origins = _settlement_origins(people, names, township, asked.by_settlement, scenario.scenario)
    origins = pd.concat([origins, _site_origins(asked.site_rows)], ignore_index=True) if asked.site_rows else origins
    origins = gpd.GeoDataFrame(origins, geometry="geometry", crs=crs)
    if origins["population"].sum() == 0:
        _nobody_moves(scenario.scenario, asked.zones)
    origins["vulnerable"] = _vulnerable(origins, settlements, ids, scenario.townships)
    polygons = pd.concat(asked.closing, ignore_index=True) if asked.closing else None
    return Evacuees(origins, pd.DataFrame(asked.links, columns=_LINK_COLUMNS), asked.zones, polygons, asked.warnings)


@dataclass
class _Settlements:
    """The settlements as the triggers read them: ids, people, geometry in ``crs``."""

    ids: pd.Series
    population: np.ndarray
    geometry: np.ndarray
    crs: CRS


@dataclass
class _TriggerLayers:
    polygons: gpd.GeoDataFrame | None
    raster: ClassRaster | None
    sites: gpd.GeoDataFrame | None


@dataclass
class _Asked:
    """What the triggers ask, filled trigger by trigger."""

    by_settlement: np.ndarray                            # (triggers, settlements) people asked to leave
    site_rows: list[dict] = field(default_factory=list)  # people staying at the sites, as own origins
    links: list[tuple] = field(default_factory=list)     # site -> origin -> people
    zones: list[TriggerZone] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    closing: list[gpd.GeoDataFrame] = field(default_factory=list)  # selected polygons (they close roads)

    @classmethod
    def empty(cls, triggers: int, settlements: int) -> _Asked:
        return cls(np.zeros((triggers, settlements)))


def _ask(asked: _Asked, t: int, trigger: Trigger, people: _Settlements, layers: _TriggerLayers) -> None:
    """Row ``t`` of ``asked``: the people ``trigger`` asks to leave, its zone and any warning."""
    if trigger.source == EVERYONE:
        asked.by_settlement[t] = np.rint(trigger.rate * people.population)
        asked.zones.append(TriggerZone(trigger, None, len(people.population)))
    elif trigger.source in (POLYGONS, RASTER):
        selected, zone = _zone(trigger, layers.polygons, layers.raster, people.crs)
        if trigger.source == POLYGONS:
            asked.closing.append(selected)
        asked.by_settlement[t] = np.rint(trigger.rate * people.population * _share_in(people.geometry, zone))
        asked.zones.append(TriggerZone(trigger, zone, len(selected) if selected is not None else 0))
    else:
        attached, extra, trigger_links, zone, count = _from_sites(trigger, layers.sites, people)
        asked.by_settlement[t] = attached
        asked.site_rows.extend(extra)
        asked.links.extend(trigger_links)
        asked.zones.append(TriggerZone(trigger, zone, count))
    hit = asked.by_settlement[t] > 0
    mine = [row for row in asked.site_rows if row["trigger"] == trigger.key]
    asked.zones[-1].origins = int(hit.sum()) + len(mine)
    asked.zones[-1].evacuees = int(asked.by_settlement[t].sum()) + sum(r["population"] for r in mine)
    if asked.zones[-1].evacuees == 0:
        asked.warnings.append(_nobody(trigger, asked.zones[-1].features))


def _nobody_moves(scenario: Scenario, zones: list[TriggerZone]) -> None:
    detail = "; ".join(f"{z.trigger.key}: {z.features} feature(s), 0 people" for z in zones)
    raise InputError(
        f"Scenario '{scenario.name}' moves nobody ({detail}). Check the triggers' conditions, kinds and "
        "radius against the layers, or the displacement rates.",
        f"疏散情景“{scenario.name}”没有需要转移的人员（{detail}）。请对照图层检查触发条件、类型和半径，或转移比例。",
    )


_LINK_COLUMNS = ["trigger", "site", "site_name", "site_kind", "origin", "people"]


def _check_layers(scenario: Scenario, polygons, raster, sites) -> None:
    """Every layer and field a trigger needs, before any work."""
    for trigger in scenario.triggers:
        where = f"trigger '{trigger.key}'" + (f" (line {trigger.line})" if trigger.line else "")
        where_zh = f"触发条件“{trigger.key}”" + (f"（第 {trigger.line} 行）" if trigger.line else "")
        needs = {POLYGONS: ("HAZARD_POLYGONS", polygons), RASTER: ("HAZARD_RASTER", raster),
                 SITES: ("HAZARD_SITES", sites)}.get(trigger.source)
        if needs and needs[1] is None:
            raise InputError(
                f"Scenario '{scenario.name}' {where} uses source '{trigger.source}', which needs the {needs[0]} layer. "
                "Give the layer or remove the trigger.",
                f"疏散情景“{scenario.name}”{where_zh}使用“{trigger.source}”，需要 {needs[0]} 图层。"
                "请提供图层或删除该触发条件。",
            )
        if trigger.source == POLYGONS and trigger.where is not None:
            _check_condition_field(polygons, trigger.where, where, where_zh)
        if trigger.source == SITES:
            require_fields(sites, ["kind", "threatened_people"], "hazard_sites")
            present = set(sites["kind"].astype("string").str.strip().dropna())
            if not present & set(trigger.site_kinds):
                raise InputError(
                    f"Scenario '{scenario.name}' {where}: none of the site_kinds {', '.join(trigger.site_kinds)} is in "
                    f"layer '{layer_label(sites, 'hazard_sites')}' field 'kind' (it "
                    f"has: {', '.join(sorted(present)) or '-'}).",
                    f"疏散情景“{scenario.name}”{where_zh}：site_kinds {', '.join(trigger.site_kinds)} 均不在图层"
                    f"“{layer_label(sites, 'hazard_sites')}”的 kind "
                    f"字段中（现有：{', '.join(sorted(present)) or '-'}）。",
                )


def _check_condition_field(polygons: gpd.GeoDataFrame, condition: Condition, where: str, where_zh: str) -> None:
    label = layer_label(polygons, "hazard polygons")
    if condition.field not in polygons.columns:
        have = ", ".join(str(c) for c in polygons.columns if c != polygons.geometry.name) or "-"
        raise InputError(
            f"{where}: condition '{condition.text()}' names field '{condition.field}', which layer '{label}' does not "
            f"have (it has: {have}).",
            f"{where_zh}：条件“{condition.text()}”中的字段“{condition.field}”不在图层“{label}”中（现有：{have}）。",
        )
    if not isinstance(condition.value, str):
        values = pd.to_numeric(polygons[condition.field], errors="coerce")
        if values.isna().all() and polygons[condition.field].notna().any():
            raise InputError(
                f"{where}: condition '{condition.text()}' compares with a number, but field '{condition.field}' of "
                f"layer '{label}' holds no numbers.",
                f"{where_zh}：条件“{condition.text()}”按数字比较，但图层“{label}”字段“{condition.field}”没有数字。",
            )


def matches(frame: pd.DataFrame, condition: Condition | None) -> np.ndarray:
    """Rows of ``frame`` that meet ``condition`` (all rows when None); NULL never matches."""
    if condition is None:
        return np.ones(len(frame), dtype=bool)
    column = frame[condition.field]
    if isinstance(condition.value, str):
        values = column.astype("string").str.strip()
        hit = values == condition.value if condition.op == "==" else values != condition.value
        return hit.fillna(False).to_numpy(dtype=bool)
    values = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
    compare = {"<=": np.less_equal, "<": np.less, ">=": np.greater_equal, ">": np.greater,
               "==": np.equal, "!=": np.not_equal}[condition.op]
    with np.errstate(invalid="ignore"):
        return compare(values, condition.value) & np.isfinite(values)


def _zone(trigger: Trigger, polygons, raster: ClassRaster | None, crs: CRS):
    """(selected polygons, their union in ``crs``) of a polygon or raster trigger."""
    if trigger.source == POLYGONS:
        selected = to_crs(polygons, crs, "hazard polygons")
        selected = selected[matches(selected, trigger.where)]
    else:
        selected = _raster_polygons(raster, trigger.min_class, crs)
    shapes = selected.geometry.values
    shapes = shapes[~(shapely.is_missing(shapes) | shapely.is_empty(shapes))]
    zone = shapely.union_all(shapely.make_valid(shapes)) if len(shapes) else None
    return selected, zone


def _raster_polygons(raster: ClassRaster, min_class: int, crs: CRS) -> gpd.GeoDataFrame:
    from rasterio import features

    mask = raster.values >= min_class
    shapes = [shapely.geometry.shape(g) for g, _ in features.shapes(mask.astype(np.uint8), mask=mask,
                                                                     transform=raster.transform)]
    return gpd.GeoDataFrame(geometry=shapes, crs=raster.crs).to_crs(crs)


def _share_in(geometry: np.ndarray, zone) -> np.ndarray:
    """Share of each settlement in ``zone``: 1/0 for points, area share for polygons."""
    share = np.zeros(len(geometry))
    if zone is None or len(geometry) == 0:
        return share
    present = ~(shapely.is_missing(geometry) | shapely.is_empty(geometry))
    shapely.prepare(zone)
    areal = present & np.isin(shapely.get_type_id(geometry), (3, 6))
    point_like = present & ~areal
    share[point_like] = shapely.intersects(zone, geometry[point_like])
    if areal.any():
        area = shapely.area(geometry[areal])
        inside = shapely.area(shapely.intersection(geometry[areal], zone))
        share[areal] = np.where(area > 0, inside / np.where(area > 0, area, 1), 0)
    return np.clip(share, 0.0, 1.0)


def _from_sites(trigger: Trigger, sites: gpd.GeoDataFrame, settled: _Settlements):
    """People of the trigger's sites attached to settlements within the radius; the rest
    stay at the site. Returns (per settlement, site origins, links, zone, sites used)."""
    geometry, population, ids = settled.geometry, settled.population, settled.ids
    frame = to_crs(sites, settled.crs, "hazard_sites")
    kind = frame["kind"].astype("string").str.strip()
    chosen = frame[kind.isin(trigger.site_kinds).fillna(False).to_numpy(dtype=bool)]
    people = np.rint(trigger.rate * counts(chosen, "threatened_people", "hazard_sites")).astype(np.int64)
    site_ids = _text(chosen, "code", pd.Series([f"site {i + 1}" for i in range(len(chosen))]))
    site_names = _text(chosen, "name", site_ids)
    site_geometry = chosen.geometry.values
    present = ~(shapely.is_missing(site_geometry) | shapely.is_empty(site_geometry))
    room = population.astype(np.int64).copy()  # a settlement never sends more than it holds
    attached = np.zeros(len(population), dtype=np.int64)
    tree = shapely.STRtree(geometry)
    extra, links = [], []
    for i in np.flatnonzero(present & (people > 0)):
        near = tree.query(site_geometry[i], predicate="dwithin", distance=trigger.radius_m)
        near = np.sort(near[room[near] > 0])
        given = _split(int(people[i]), room[near]) if len(near) else np.zeros(0, dtype=np.int64)
        for s, count in zip(near, given):
            if count:
                attached[s] += count
                room[s] -= count
                links.append((trigger.key, site_ids.iloc[i], site_names.iloc[i], kind.loc[chosen.index[i]],
                              ids.iloc[s], int(count)))
        left = int(people[i] - given.sum())
        if left:
            links.append(
                (trigger.key, site_ids.iloc[i], site_names.iloc[i], kind.loc[chosen.index[i]], site_ids.iloc[i], left))
            extra.append({"origin": site_ids.iloc[i], "name": site_names.iloc[i], "origin_kind": SITE,
                          "township_code": _text(chosen, "township_code", site_ids).iloc[i], "population": left,
                          "total_population": left, "priority": trigger.priority, "trigger": trigger.key,
                          "geometry": site_geometry[i]})
    zone = shapely.union_all(shapely.buffer(site_geometry[present], trigger.radius_m)) if present.any() else None
    return attached, extra, links, zone, int(present.sum())


def _split(total: int, room: np.ndarray) -> np.ndarray:
    """``total`` people over settlements in proportion to ``room`` (largest remainder),
    never more than ``room`` each."""
    if room.sum() <= total:
        return room.copy()
    exact = total * room / room.sum()
    given = np.floor(exact).astype(np.int64)
    order = np.argsort(-(exact - given), kind="stable")
    given[order[: total - int(given.sum())]] += 1
    return np.minimum(given, room)


def _settlement_origins(people: _Settlements, names, township, asked, scenario: Scenario) -> pd.DataFrame:
    evacuees = asked.max(axis=0).astype(np.int64)
    priorities = np.array([t.priority for t in scenario.triggers])[:, None]
    priority = np.where(asked > 0, priorities, np.iinfo(np.int64).max).min(axis=0)
    keys = np.array([t.key for t in scenario.triggers], dtype=object)
    rows = np.flatnonzero(evacuees > 0)
    return pd.DataFrame({
        "origin": people.ids.to_numpy()[rows], "name": names.to_numpy()[rows], "origin_kind": SETTLEMENT,
        "township_code": township.to_numpy()[rows], "population": evacuees[rows],
        "total_population": people.population[rows].astype(np.int64), "priority": priority[rows].astype(np.int64),
        "trigger": [",".join(keys[asked[:, r] > 0]) for r in rows], "geometry": people.geometry[rows],
    })


def _site_origins(rows: list[dict]) -> pd.DataFrame:
    """Sites with people left over; a site in several triggers counts once (largest
    count, most urgent priority)."""
    frame = pd.DataFrame(rows)
    grouped = frame.groupby("origin", sort=False)
    first = grouped.first()
    first["population"] = grouped["population"].max()
    first["total_population"] = first["population"]
    first["priority"] = grouped["priority"].min()
    first["trigger"] = grouped["trigger"].agg(lambda keys: ",".join(dict.fromkeys(keys)))
    return first.reset_index()


def _vulnerable(origins: pd.DataFrame, settlements, ids, townships) -> np.ndarray:
    """Vulnerable evacuees per origin: elderly_share of the settlement, else of its township."""
    share = pd.Series(np.nan, index=origins.index)
    if VULNERABLE_FIELD in settlements.columns:
        by_id = pd.Series(pd.to_numeric(settlements[VULNERABLE_FIELD], errors="coerce").to_numpy(),
                          index=ids.to_numpy())
        share = origins["origin"].map(by_id)
    if townships is not None and VULNERABLE_FIELD in townships.columns and "code" in townships.columns:
        by_code = pd.Series(pd.to_numeric(townships[VULNERABLE_FIELD], errors="coerce").to_numpy(),
                            index=townships["code"].astype(str).to_numpy())
        share = share.fillna(origins["township_code"].astype(str).map(by_code))
    share = share.fillna(0.0).clip(0.0, 1.0).to_numpy(dtype=float)
    return np.rint(share * origins["population"].to_numpy(dtype=float)).astype(np.int64)


def _nobody(trigger: Trigger, features: int) -> tuple[str, str]:
    at = f" (line {trigger.line})" if trigger.line else ""
    at_zh = f"（第 {trigger.line} 行）" if trigger.line else ""
    return (f"Trigger '{trigger.key}'{at} selects nobody: {features} feature(s) match, no settlement in them "
            "(or rate 0). Check the condition, kinds and radius.",
            f"触发条件“{trigger.key}”{at_zh}未选中任何人：匹配 {features} 个要素，其中没有居民点（或比例为 0）。"
            "请检查条件、类型和半径。")


def _text(frame: pd.DataFrame, name: str | None, default: pd.Series) -> pd.Series:
    if name and name in frame.columns:
        return frame[name].astype("string").fillna("").astype(str).reset_index(drop=True)
    return pd.Series(default).astype(str).reset_index(drop=True)
