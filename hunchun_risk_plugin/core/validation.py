"""Checks of input layers against the data schema (``core/data/schema.toml``).

Every problem names the layer and, where it applies, the field, and says how to fix
it, in English and Chinese. Layers come in as ``LayerFacts`` so the same checks serve
QGIS layers (the Processing algorithm) and GeoDataFrames (scripts, tests).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from .field_mapping import close_field, known_values
from .schema import LayerSpec, layer_specs

ERROR = "error"
WARNING = "warning"

# Which declared geometry kinds each shapely type satisfies.
_GEOMETRY_KIND = {
    "Point": "point",
    "MultiPoint": "point",
    "LineString": "line",
    "MultiLineString": "line",
    "Polygon": "polygon",
    "MultiPolygon": "polygon",
}
# A value of the left type is accepted where the schema asks for the right type.
_COMPATIBLE = {
    ("integer", "real"),
    ("integer", "boolean"),
    ("boolean", "integer"),
}


@dataclass(frozen=True)
class Problem:
    severity: str
    layer: str
    field: str | None
    code: str
    en: str
    zh: str

    def message(self, language: str = "en") -> str:
        return self.zh if language.startswith("zh") else self.en


@dataclass
class LayerFacts:
    """What the checks need to know of one layer.

    ``field_types`` maps field name to string/integer/real/boolean/other;
    ``crs_wkt`` is None for a layer without a CRS.
    """

    name: str
    frame: gpd.GeoDataFrame
    field_types: Mapping[str, str]
    crs_wkt: str | None
    source: str = ""
    extra: dict = field(default_factory=dict)


def field_type_of(series: pd.Series) -> str:
    """The schema type name of a pandas column."""
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        non_null = series.dropna()
        if len(non_null) and np.all(np.equal(np.mod(non_null, 1), 0)) and series.isna().any():
            return "integer"  # an integer column with NULLs comes back as float
        return "real"
    if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
        return "string"
    return "other"


def facts_from_frame(name: str, frame: gpd.GeoDataFrame, source: str = "") -> LayerFacts:
    """``LayerFacts`` for a GeoDataFrame (field types inferred from the dtypes)."""
    types = {col: field_type_of(frame[col]) for col in frame.columns if col != frame.geometry.name}
    crs_wkt = frame.crs.to_wkt() if frame.crs is not None else None
    return LayerFacts(name, frame, types, crs_wkt, source)


def _problem(severity: str, spec: LayerSpec, field_name: str | None, code: str, en: str, zh: str) -> Problem:
    return Problem(severity, spec.name, field_name, code, f"[{spec.name}] {en}", f"[{spec.zh} {spec.name}] {zh}")


def check_crs(spec: LayerSpec, crs_wkt: str | None) -> list[Problem]:
    if not crs_wkt:
        return [_problem(ERROR, spec, None, "crs_missing",
                         "The layer has no coordinate reference system. Set it (Layer Properties > Source) to the CRS "
                         "the data is in, e.g. EPSG:4511.",
                         "图层没有坐标参考系。请在图层属性 > 源 中设置数据实际所用的坐标系，例如 EPSG:4511。")]
    crs = CRS.from_user_input(crs_wkt)  # WKT, or an authority id such as EPSG:4490
    # The analyses reproject every layer (docs/your_own_data.md), so a CRS in degrees or
    # feet is a warning: areas and lengths are right in the results, not in the layer.
    if crs.is_geographic:
        return [_problem(WARNING, spec, None, "crs_geographic",
                         f"The CRS '{crs.name}' is geographic (degrees); the analyses reproject the layer to EPSG:4511 "
                         "(CGCS2000 / Gauss-Kruger CM 129E). To measure it yourself, reproject it to a metric CRS such "
                         "as EPSG:4511.",
                         f"坐标系“{crs.name}”为地理坐标系（度），分析时将重投影到 EPSG:4511（CGCS2000 / 高斯-克吕格 "
                         "中央经线129°E）。如需自行量算，请将图层重投影到米制坐标系，例如 EPSG:4511。")]
    units = {axis.unit_name.lower() for axis in crs.axis_info}
    if not units or not units <= {"metre", "meter", "m"}:
        return [_problem(WARNING, spec, None, "crs_not_metric",
                         f"The CRS '{crs.name}' is not in metres ({', '.join(sorted(units)) or 'unknown units'}); the "
                         "analyses reproject the layer to EPSG:4511. To measure it yourself, reproject it to a metric "
                         "CRS.",
                         f"坐标系“{crs.name}”的单位不是米，分析时将重投影到 EPSG:4511。如需自行量算，"
                         "请将图层重投影到米制坐标系。")]
    return []


def check_fields(spec: LayerSpec, field_types: Mapping[str, str]) -> list[Problem]:
    problems = []
    for name, wanted in spec.fields.items():
        if name not in field_types:
            near = close_field(name, [f for f in field_types if f not in spec.fields])
            hint_en = (f" Did you mean '{near}'? Rename it, or map it in a FIELD_MAP file: [{spec.name}] {name} "
                       f"= \"{near}\"."
                       if near else "")
            hint_zh = (f"是否为“{near}”？请重命名，或在 FIELD_MAP 文件中写 [{spec.name}] {name} = \"{near}\"。"
                       if near else "")
            problems.append(_problem(ERROR, spec, name, "field_missing",
                                     f"Field '{name}' ({wanted}) is missing. Add it or rename the matching field to "
                                     f"'{name}'.{hint_en}",
                                     f"缺少字段“{name}”（{wanted}）。请添加该字段，"
                                     f"或将对应字段重命名为“{name}”。{hint_zh}"))
            continue
        found = field_types[name]
        if found != wanted and (found, wanted) not in _COMPATIBLE:
            problems.append(_problem(ERROR, spec, name, "field_type",
                                     f"Field '{name}' is {found}, expected {wanted}. Convert it with the Field "
                                     "Calculator or Refactor Fields.",
                                     f"字段“{name}”的类型为 {found}，应为 {wanted}。请用字段计算器或“重构字段”转换。"))
    return problems


def check_geometries(spec: LayerSpec, frame: gpd.GeoDataFrame, id_values: pd.Series) -> list[Problem]:
    geoms = frame.geometry.values
    problems = []
    type_names = [_type_name(t) for t in shapely.get_type_id(geoms)]
    kinds = pd.Series([_GEOMETRY_KIND.get(t, "other") if t else "none" for t in type_names])
    wrong = kinds[(kinds != spec.geometry) & (kinds != "none")]
    if len(wrong):
        found = ", ".join(sorted(set(wrong)))
        problems.append(_problem(ERROR, spec, None, "geometry_type",
                                 f"Geometry type is {found}, expected {spec.geometry}. Use a {spec.geometry} layer.",
                                 f"几何类型为 {found}，应为 {spec.geometry}。请使用{spec.geometry}图层。"))
    empty = np.asarray(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if empty.any():
        problems.append(_problem(WARNING, spec, None, "geometry_empty",
                                 f"{int(empty.sum())} feature(s) have no geometry (ids: {_sample(id_values[empty])}): "
                                 "they cannot be placed (zoning leaves them out, routing lists them as not reached). "
                                 "Delete or digitise them.",
                                 f"{int(empty.sum())} 个要素没有几何（编号：{_sample(id_values[empty])}），"
                                 "无法定位（区划时略去，疏散与覆盖分析列为未到达）。请删除或补绘。"))
    invalid = ~empty & ~np.asarray(shapely.is_valid(geoms))
    if invalid.any():
        problems.append(_problem(WARNING, spec, None, "geometry_invalid",
                                 f"{int(invalid.sum())} invalid geometr(ies) (ids: {_sample(id_values[invalid])}); the "
                                 "analyses repair them with make_valid and say so. Repair them at the source with "
                                 "Vector > Geometry Tools > Fix Geometries.",
                                 f"{int(invalid.sum())} 个几何无效（编号：{_sample(id_values[invalid])}），分析时将用 "
                                 "make_valid 修复并提示。建议用“修复几何”工具在源数据中修复。"))
    return problems


def _type_name(type_id: int) -> str | None:
    names = {0: "Point", 1: "LineString", 3: "Polygon", 4: "MultiPoint", 5: "MultiLineString", 6: "MultiPolygon",
             7: "GeometryCollection"}
    return names.get(int(type_id)) if type_id is not None and int(type_id) >= 0 else None


def check_ids(spec: LayerSpec, frame: gpd.GeoDataFrame) -> list[Problem]:
    if not spec.id_field or spec.id_field not in frame.columns:
        return []
    values = frame[spec.id_field]
    problems = []
    if values.isna().any():
        problems.append(_problem(ERROR, spec, spec.id_field, "id_null",
                                 f"{int(values.isna().sum())} feature(s) have an empty '{spec.id_field}'. Give every "
                                 "feature an id.",
                                 f"{int(values.isna().sum())} 个要素的“{spec.id_field}”为空。请为每个要素填写编号。"))
    duplicated = values[values.duplicated(keep=False) & values.notna()]
    if len(duplicated):
        problems.append(_problem(ERROR, spec, spec.id_field, "id_duplicate",
                                 f"Field '{spec.id_field}' has duplicate "
                                 f"values: {_sample(duplicated.drop_duplicates())}. Make every id unique.",
                                 f"字段“{spec.id_field}”有重复值：{_sample(duplicated.drop_duplicates())}。"
                                 "请保证编号唯一。"))
    return problems


def check_values(spec: LayerSpec, frame: gpd.GeoDataFrame) -> list[Problem]:
    """Values outside a field's allowed list (warning) or range (error)."""
    problems = []
    for name, allowed in (spec.allowed or {}).items():
        if name not in frame.columns:
            continue
        values = frame[name].dropna()
        unknown = values[~values.isin(allowed)]
        if len(unknown):
            shown = _sample(unknown.drop_duplicates())
            choices = known_values(spec, name)
            problems.append(_problem(WARNING, spec, name, "value_unknown",
                                     f"{len(unknown)} value(s) of '{name}' are not known ({shown}); expected one "
                                     f"of: {choices}. Analyses treat them with the documented defaults.",
                                     f"字段“{name}”有 {len(unknown)} 个未知取值（{shown}），应为：{choices}。"
                                     "分析时将按文档所述默认值处理。"))
    for name, (low, high) in (spec.ranges or {}).items():
        if name not in frame.columns:
            continue
        values = pd.to_numeric(frame[name], errors="coerce")
        outside = values[(values < low) | (values > high)]
        if len(outside):
            negative = low >= 0 and bool((outside < 0).any())
            span = f"{_plain(low)}–{_plain(high)}"
            shown = _sample(outside.map(_plain))
            problems.append(_problem(ERROR, spec, name, "value_out_of_range",
                                     f"{len(outside)} value(s) of '{name}' lie outside {span}"
                                     f"{' (negative values)' if negative else ''} (e.g. {shown}). Correct them.",
                                     f"字段“{name}”有 {len(outside)} "
                                     f"个取值超出 {span}{'（含负值）' if negative else ''}（如 {shown}）。请更正。"))
    return problems


def _plain(value: float) -> str:
    """10000000 rather than 1e+07; -3 rather than -3.0."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _sample(values: pd.Series, limit: int = 5) -> str:
    items = [str(v) for v in list(values)[:limit]]
    more = len(values) - len(items)
    return ", ".join(items) + (f" … (+{more})" if more > 0 else "")


def blocking_problems(spec: LayerSpec, frame: gpd.GeoDataFrame) -> list[Problem]:
    """The errors every analysis refuses before any work (validateinputs reports them
    among the rest): values out of range and, where the analyses use them, empty or
    duplicate ids."""
    problems = check_values(spec, frame) + (check_ids(spec, frame) if spec.id_used else [])
    return [p for p in problems if p.severity == ERROR]


def validate_layer(spec: LayerSpec, facts: LayerFacts | None) -> list[Problem]:
    """Every problem of one layer against its spec (missing layer included)."""
    if facts is None:
        severity = ERROR if spec.required else WARNING
        return [_problem(severity, spec, None, "layer_missing",
                         "The layer is missing."
                         + (" It is required." if spec.required else " Analyses that need it will skip it."),
                         "缺少该图层。" + ("该图层为必需图层。" if spec.required else "需要它的分析将跳过该项。"))]
    problems = check_crs(spec, facts.crs_wkt)
    if len(facts.frame) == 0:
        problems.append(_problem(ERROR, spec, None, "layer_empty",
                                 "The layer has no features. Choose the layer that holds the data.",
                                 "图层没有要素。请选择包含数据的图层。"))
        return problems + check_fields(spec, facts.field_types)
    problems += check_fields(spec, facts.field_types)
    ids = facts.frame[spec.id_field] if spec.id_field in facts.frame.columns else pd.Series(facts.frame.index)
    problems += check_geometries(spec, facts.frame, ids.reset_index(drop=True))
    problems += check_ids(spec, facts.frame)
    problems += check_values(spec, facts.frame)
    return problems


def validate_dataset(layers: Mapping[str, LayerFacts | None]) -> list[Problem]:
    """Problems of every schema layer; layers absent from ``layers`` count as missing."""
    problems: list[Problem] = []
    for name, spec in layer_specs().items():
        problems += validate_layer(spec, layers.get(name))
    return problems
