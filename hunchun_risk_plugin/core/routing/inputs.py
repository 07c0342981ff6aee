"""Checks and conversions of the point layers (settlements, shelters, depots) shared
by the evacuation and coverage engines. Everything here runs before any long work."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from ..errors import InputError
from .metric import to_crs


def layer_label(frame: pd.DataFrame, role: str) -> str:
    """The role of a layer (settlements, shelters…) and, when it differs, the name the
    user gave it, so an error points at the layer they actually chose."""
    name = frame.attrs.get("source_name")
    return f"{role} ({name})" if name and name != role else role


def require_fields(frame: pd.DataFrame, fields: list[str], layer: str) -> None:
    layer = layer_label(frame, layer)
    missing = [f for f in fields if f not in frame.columns]
    if missing:
        geometry = getattr(frame, "geometry", None)  # None: a plain table, or no active geometry
        geometry_name = geometry.name if geometry is not None else None
        have = ", ".join(str(c) for c in frame.columns if c != geometry_name) or "-"
        raise InputError(
            f"Layer '{layer}' lacks the field(s) {', '.join(missing)} (it has: {have}). "
            "Add the field or choose the right one in the parameters.",
            f"图层“{layer}”缺少字段 {', '.join(missing)}（现有：{have}）。请添加字段或在参数中选择正确的字段。",
        )


def require_features(frame: pd.DataFrame, layer: str) -> None:
    layer = layer_label(frame, layer)
    if len(frame) == 0:
        raise InputError(f"Layer '{layer}' has no features.", f"图层“{layer}”没有要素。")


def feature_ids(frame: pd.DataFrame, id_field: str | None, layer: str) -> pd.Series:
    """String ids from ``id_field`` (unique, non-empty), or 1..n when no field is given."""
    if not id_field:
        return pd.Series([str(i + 1) for i in range(len(frame))], index=frame.index)
    require_fields(frame, [id_field], layer)
    layer = layer_label(frame, layer)
    ids = frame[id_field].astype("string").str.strip()
    empty = ids.isna() | (ids == "")
    if empty.any():
        raise InputError(
            f"Layer '{layer}' has {int(empty.sum())} feature(s) with an empty '{id_field}'. Give every feature an id.",
            f"图层“{layer}”有 {int(empty.sum())} 个要素的“{id_field}”为空。请为每个要素填写编号。",
        )
    duplicated = ids[ids.duplicated(keep=False)].unique()
    if len(duplicated):
        listed = ", ".join(str(v) for v in duplicated[:10])
        raise InputError(
            f"Layer '{layer}' has duplicate '{id_field}' values: {listed}. "
            "Ids must be unique so results can be joined.",
            f"图层“{layer}”的“{id_field}”有重复值：{listed}。编号必须唯一，以便关联结果。",
        )
    return ids.astype(str)


def default_id_field(frame: pd.DataFrame, preferred: str = "code") -> str | None:
    return preferred if preferred in frame.columns else None


def counts(frame: pd.DataFrame, field: str, layer: str) -> np.ndarray:
    """Non-negative whole numbers from ``field`` (NULL -> 0); negative values are an error."""
    require_fields(frame, [field], layer)
    layer = layer_label(frame, layer)
    values = pd.to_numeric(frame[field], errors="coerce").to_numpy(dtype=float)
    negative = np.flatnonzero(values < 0)
    if len(negative):
        raise InputError(
            f"Layer '{layer}' field '{field}' has negative values "
            f"(rows {', '.join(str(i + 1) for i in negative[:10])}). "
            "Counts cannot be negative.",
            f"图层“{layer}”字段“{field}”有负值（第 {', '.join(str(i + 1) for i in negative[:10])} 行）。人数不能为负。",
        )
    return np.nan_to_num(np.rint(values), nan=0.0).astype(np.int64)


def point_coordinates(frame: gpd.GeoDataFrame, crs: CRS, layer: str) -> tuple[np.ndarray, np.ndarray]:
    """(n, 2) coordinates in ``crs`` — points as they are, anything else by its centroid —
    and a mask of features that have a geometry."""
    projected = to_crs(frame, crs, layer)
    geometries = projected.geometry.values
    present = ~(shapely.is_missing(geometries) | shapely.is_empty(geometries))
    xy = np.full((len(frame), 2), np.nan)
    if present.any():
        centres = shapely.centroid(geometries[present])
        xy[present] = shapely.get_coordinates(centres)
    return xy, present
