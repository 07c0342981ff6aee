"""The documented repair of input geometries, done once where a layer is read, and
reported: Z and M values are dropped (the analyses are planar), a multi-point in a
point layer becomes its one point (or the centroid of several), features without a
geometry (NULL or empty) are named in the log and kept (the routing engines list them
as "no_geometry" among the places not reached; zoning leaves them out), invalid geometries (a bow-tie polygon, a
self-touching ring) are made valid with GEOS ``make_valid`` keeping only the parts of
the layer's own kind. ``hunchunrisk:validateinputs`` reports the same cases as
warnings, so a user can fix them at the source instead.
"""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

# schema geometry kind -> the shapely type ids of its parts
_PART_TYPES = {"point": (0,), "line": (1, 2), "polygon": (3,)}


def _ids(frame: gpd.GeoDataFrame, mask: np.ndarray, id_field: str | None, limit: int = 5) -> str:
    if id_field and id_field in frame.columns:
        values = [str(v) for v in frame.loc[mask, id_field].tolist()]
    else:
        values = [f"#{i + 1}" for i in np.flatnonzero(mask)]
    return ", ".join(values[:limit]) + (f" … (+{len(values) - limit})" if len(values) > limit else "")


def _keep_kind(geometry, kind: str):
    """Only the parts of ``geometry`` of the layer's kind (make_valid can add lines or
    points to a polygon), as one geometry; None when nothing is left."""
    parts = shapely.get_parts(geometry)
    parts = parts[np.isin(shapely.get_type_id(parts), _PART_TYPES[kind])]
    if not len(parts):
        return None
    if len(parts) == 1:
        return parts[0]
    return shapely.union_all(parts) if kind == "polygon" else shapely.multipoints(parts) if kind == "point" \
        else shapely.multilinestrings(parts)


def _single_points(geometries: np.ndarray, frame, id_field, layer) -> tuple[np.ndarray, list[tuple[str, str]]]:
    """Multi-points in a point layer: one part -> that point; several -> their centroid."""
    multi = shapely.get_type_id(geometries) == 4
    if not multi.any():
        return geometries, []
    geometries = geometries.copy()
    parts = shapely.get_num_geometries(geometries)
    single, several = multi & (parts == 1), multi & (parts > 1)
    geometries[single] = shapely.get_geometry(geometries[single], 0)
    geometries[several] = shapely.centroid(geometries[several])
    notes = [(f"[{layer}] {int(single.sum())} single-part multi-point(s) read as points",
              f"[{layer}] {int(single.sum())} 个单部件多点已按点读取")] if single.any() else []
    if several.any():
        notes.append((f"[{layer}] {int(several.sum())} multi-point(s) of several points replaced by their centroid "
                      f"({_ids(frame, several, id_field)})",
                      f"[{layer}] {int(several.sum())} 个多部件多点已以其质心代替（{_ids(frame, several, id_field)}）"))
    return geometries, notes


def repair_geometries(frame: gpd.GeoDataFrame, kind: str | None, layer: str,
                      id_field: str | None = None) -> tuple[gpd.GeoDataFrame, list[tuple[str, str]]]:
    """``frame`` repaired as the module says (a copy), and an (en, zh) note per repair.
    ``kind`` is the schema geometry (point/line/polygon), None for any."""
    if frame.geometry.name not in frame.columns or not len(frame):
        return frame, []
    notes = []
    geometries = np.asarray(frame.geometry.values, dtype=object)
    has_zm = shapely.has_z(geometries)
    if has_zm.any():
        geometries = shapely.force_2d(geometries)
        notes.append((f"[{layer}] Z/M values of {int(has_zm.sum())} feature(s) dropped (the analyses are planar)",
                      f"[{layer}] 已去除 {int(has_zm.sum())} 个要素的 Z/M 值（分析为平面计算）"))
    missing = shapely.is_missing(geometries) | shapely.is_empty(geometries)
    invalid = ~missing & ~shapely.is_valid(geometries)
    if invalid.any():
        fixed = shapely.make_valid(geometries[invalid])
        if kind is not None:
            fixed = np.array([_keep_kind(g, kind) for g in fixed], dtype=object)
        geometries[invalid] = fixed
        notes.append((f"[{layer}] {int(invalid.sum())} invalid geometr(ies) repaired with make_valid "
                      f"({_ids(frame, invalid, id_field)}); fix them at the source with Fix Geometries",
                      f"[{layer}] 已用 make_valid 修复 {int(invalid.sum())} "
                      f"个无效几何（{_ids(frame, invalid, id_field)}）；"
                      "建议用“修复几何”工具在源数据中修正"))
        missing = shapely.is_missing(geometries) | shapely.is_empty(geometries)
    if kind == "point":
        geometries, note = _single_points(geometries, frame, id_field, layer)
        notes += note
    repaired = frame.copy()
    repaired[frame.geometry.name] = gpd.GeoSeries(geometries, index=frame.index, crs=frame.crs)
    if missing.any():
        notes.append((f"[{layer}] {int(missing.sum())} feature(s) have no geometry ({_ids(frame, missing, id_field)}): "
                      "they cannot be placed on the map",
                      f"[{layer}] {int(missing.sum())} 个要素没有几何（{_ids(frame, missing, id_field)}），无法定位"))
    repaired.attrs = dict(frame.attrs)
    return repaired, notes
