"""Shelter capacity (people) from the ``capacity`` field, or from the effective area
divided by the per-person area of the shelter's kind (domain.toml, GB 51143-2015).

A given capacity wins. Where it is missing (NULL), capacity = floor(effective_area_m2
÷ area_per_person_m2 of the kind). A negative capacity is an input error; zero is
allowed (the shelter is listed but receives nobody). A shelter without capacity and
without area, or with an unknown kind where the area is needed, is an input error
naming the shelter.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..definitions import shelter_kinds
from ..errors import InputError

FROM_FIELD, FROM_AREA = "field", "area"


@dataclass
class ShelterCapacity:
    people: np.ndarray   # (s,) int64
    source: np.ndarray   # (s,) "field" / "area"


def _numeric(frame: pd.DataFrame, field: str | None) -> np.ndarray:
    if not field or field not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[field], errors="coerce").to_numpy(dtype=float)


def shelter_capacity(
    shelters: pd.DataFrame,
    ids: pd.Series,
    capacity_field: str | None = "capacity",
    area_field: str | None = "effective_area_m2",
    kind_field: str | None = "kind",
    kinds: Mapping[str, Mapping[str, Any]] | None = None,
) -> ShelterCapacity:
    """Capacity per shelter (see the module doc for the rules)."""
    kinds = kinds if kinds is not None else shelter_kinds()
    has_capacity = bool(capacity_field and capacity_field in shelters.columns)
    has_area = bool(area_field and area_field in shelters.columns)
    if not has_capacity and not has_area:
        raise InputError(
            f"Shelters need a '{capacity_field}' field or an '{area_field}' field (with '{kind_field}') to know "
            "how many people they hold. Add one of them.",
            f"避难场所图层需要“{capacity_field}”字段，或“{area_field}”字段（及“{kind_field}”），才能确定容纳人数。请添加其一。",
        )
    capacity = _numeric(shelters, capacity_field)
    negative = np.flatnonzero(capacity < 0)
    if len(negative):
        bad = ", ".join(f"{ids.iloc[i]} ({capacity[i]:g})" for i in negative[:10])
        raise InputError(
            f"Shelters with a negative '{capacity_field}': {bad}. Correct the capacity (0 = closed shelter).",
            f"以下避难场所“{capacity_field}”为负数：{bad}。请改正容量（0 表示不开放）。",
        )
    need_area = ~np.isfinite(capacity)
    area = _numeric(shelters, area_field)
    per_person = _per_person_area(shelters, ids, kind_field, kinds, need_area)
    no_area = need_area & ~(np.isfinite(area) & (area >= 0))
    if no_area.any():
        bad = ", ".join(str(ids.iloc[i]) for i in np.flatnonzero(no_area)[:10])
        raise InputError(
            f"Shelters without '{capacity_field}' and without a usable '{area_field}': {bad}. "
            "Fill in either value.",
            f"以下避难场所既无“{capacity_field}”也无有效的“{area_field}”：{bad}。请填写其一。",
        )
    people = np.where(need_area, np.floor(area / per_person + 1e-9), np.floor(capacity))
    return ShelterCapacity(people.astype(np.int64), np.where(need_area, FROM_AREA, FROM_FIELD))


def _per_person_area(shelters, ids, kind_field, kinds, need_area) -> np.ndarray:
    per_person = np.full(len(shelters), np.nan)
    if not need_area.any():
        return per_person
    if not kind_field or kind_field not in shelters.columns:
        raise InputError(
            f"Some shelters have no capacity, so it is computed from the area, which needs the shelter kind "
            f"field '{kind_field}'. Add the field or fill in the capacity.",
            f"部分避难场所缺少容量，需按面积和类型计算，但缺少类型字段“{kind_field}”。请添加该字段或填写容量。",
        )
    values = shelters[kind_field].astype("string").str.strip()
    for i in np.flatnonzero(need_area):
        spec = kinds.get(str(values.iloc[i])) if values.iloc[i] is not pd.NA else None
        if spec is None:
            known = ", ".join(kinds)
            raise InputError(
                f"Shelter {ids.iloc[i]} has no capacity and an unknown kind '{values.iloc[i]}' in field "
                f"'{kind_field}'; known kinds: {known}. Fix the kind or fill in the capacity.",
                f"避难场所 {ids.iloc[i]} 无容量且类型“{values.iloc[i]}”未知（字段“{kind_field}”）；"
                f"可用类型：{known}。请改正类型或填写容量。",
            )
        per_person[i] = float(spec["area_per_person_m2"])
    return per_person
