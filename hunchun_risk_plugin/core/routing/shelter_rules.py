"""Which shelters a scenario may use, and why the others are excluded.

Rules (``[shelters]`` of the scenario), each exclusion with its reason:

- not inside a triggered zone (``exclude_in_zones``): "inside 100-year flood zone";
- not within ``major_hazard_distance_m`` of a hazard site of kind
  ``major_hazard_installation`` (GB 50413-2007 §8.2.7 asks ≥ 1,000 m from major fire
  and explosion hazard sources; a setting): "640 m from major hazard installation 某化工厂";
- indoor only (``indoor_only``: a Hunchun winter, tents and open squares are no place
  to stay): needs the shelters' ``indoor`` field;
- allowed kinds (``allowed_kinds``; empty = all).

The same rules screen candidate sites for new shelters (indoor only where the
candidate layer has an ``indoor`` field: a settlement is not known to be indoor or not).
"""
from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from ..definitions import shelter_kinds
from ..errors import InputError
from .evacuees import TriggerZone
from .inputs import layer_label, require_fields
from .metric import to_crs
from .scenario import MAJOR_HAZARD_KIND, ShelterRules

INDOOR_FIELD = "indoor"
_TRUE = {"1", "true", "t", "yes", "y", "是"}


@dataclass
class Exclusions:
    excluded: np.ndarray   # (s,) bool
    reason_en: np.ndarray  # (s,) object, "" when allowed
    reason_zh: np.ndarray
    major_hazard_checked: bool

    def count(self) -> int:
        return int(self.excluded.sum())


def major_hazard_sites(sites: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
    if sites is None or "kind" not in sites.columns:
        return None
    return sites[(sites["kind"].astype("string").str.strip() == MAJOR_HAZARD_KIND).fillna(False).to_numpy(dtype=bool)]


def exclusions(
    places: gpd.GeoDataFrame,
    rules: ShelterRules,
    zones: list[TriggerZone],
    crs: CRS,
    hazard_sites: gpd.GeoDataFrame | None = None,
    kind_field: str | None = "kind",
    layer: str = "shelters",
    indoor_required: bool = True,
) -> Exclusions:
    """Exclusion and reason of every row of ``places`` (shelters or candidate sites)."""
    n = len(places)
    geometry = to_crs(places, crs, layer).geometry.values
    reasons: list[list[tuple[str, str]]] = [[] for _ in range(n)]
    if rules.allowed_kinds:
        require_fields(places, [kind_field], layer)
        kinds = places[kind_field].astype("string").str.strip().fillna("").to_numpy(dtype=object)
        for i in np.flatnonzero(~np.isin(kinds, rules.allowed_kinds)):
            zh = shelter_kinds().get(kinds[i], {}).get("zh", kinds[i])
            reasons[i].append((f"kind '{kinds[i]}' not allowed by the scenario", f"情景不允许的类型“{zh}”"))
    if rules.indoor_only and (indoor_required or INDOOR_FIELD in places.columns):
        require_fields(places, [INDOOR_FIELD], layer)
        for i in np.flatnonzero(~_is_true(places[INDOOR_FIELD])):
            reasons[i].append(
                ("not indoor (open-air: no stay in a Hunchun winter)", "非室内场所（露天，冬季不宜驻留）"))
    if rules.exclude_in_zones:
        inside = np.zeros(n, dtype=bool)
        for zone in sorted(zones, key=lambda z: z.trigger.priority):  # the most urgent zone names the reason
            if zone.geometry is None:
                continue
            shapely.prepare(zone.geometry)
            for i in np.flatnonzero(shapely.intersects(zone.geometry, geometry) & ~inside):
                inside[i] = True
                reasons[i].append((f"inside {zone.trigger.label_en}", f"位于{zone.trigger.label_zh}内"))
    checked = False
    major = major_hazard_sites(hazard_sites)
    if rules.major_hazard_distance_m > 0 and major is not None:
        checked = True
        _near_major_hazards(geometry, to_crs(major, crs, "hazard_sites"), rules.major_hazard_distance_m, reasons)
    excluded = np.array([bool(r) for r in reasons], dtype=bool)
    return Exclusions(excluded, np.array(["; ".join(e for e, _ in r) for r in reasons], dtype=object),
                      np.array(["；".join(z for _, z in r) for r in reasons], dtype=object), checked)


def _near_major_hazards(geometry, major: gpd.GeoDataFrame, limit_m: float, reasons) -> None:
    sites = major.geometry.values
    keep = ~(shapely.is_missing(sites) | shapely.is_empty(sites))
    sites = sites[keep]
    names = (major["name"] if "name" in major.columns else major.get("code", pd.Series(range(len(major))))) \
        .astype("string").fillna("").to_numpy(dtype=object)[keep]
    if len(sites) == 0:
        return
    present = ~(shapely.is_missing(geometry) | shapely.is_empty(geometry))
    tree = shapely.STRtree(sites)
    shelter_index, site_index = tree.query(geometry[present], predicate="dwithin", distance=limit_m)
    rows = np.flatnonzero(present)[shelter_index]
    distance = shapely.distance(geometry[rows], sites[site_index])
    nearest: dict[int, tuple[float, int]] = {}
    for row, site, d in zip(rows, site_index, distance):
        if row not in nearest or d < nearest[row][0]:
            nearest[row] = (float(d), int(site))
    for row, (d, site) in nearest.items():
        reasons[row].append((f"{d:.0f} m from major hazard installation {names[site]} (< {limit_m:g} m)",
                             f"距重大危险源{names[site]} {d:.0f} 米（< {limit_m:g} 米）"))


def _is_true(values: pd.Series) -> np.ndarray:
    text = values.astype("string").str.strip().str.lower().str.replace(r"\.0+$", "", regex=True)
    return text.isin(_TRUE).fillna(False).to_numpy(dtype=bool)


def require_shelters_left(exclusions: Exclusions, usable_before: np.ndarray, scenario_name: str, layer_frame) -> None:
    """No shelter left after the scenario's exclusions is an error, listing the reasons."""
    if (usable_before & ~exclusions.excluded).any():
        return
    reasons = pd.Series(exclusions.reason_en[exclusions.excluded]).value_counts().head(5)
    listed = "; ".join(f"{r} ({c})" for r, c in reasons.items()) or "-"
    label = layer_label(layer_frame, "shelters")
    raise InputError(
        f"Scenario '{scenario_name}' leaves no shelter of layer '{label}' to use ({listed}). "
        "Relax [shelters] in the scenario or add shelters.",
        f"疏散情景“{scenario_name}”排除后图层“{label}”没有可用的避难场所（{listed}）。请放宽情景中的 [shelters] "
        "规则或增加避难场所。",
    )
