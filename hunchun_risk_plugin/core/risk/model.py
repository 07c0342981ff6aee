"""The risk model file: a declarative TOML document, parsed and checked, never executed.

Structure (see ``data/hunchun_default_model.toml`` and docs/risk_zoning.md)::

    [model]        name, description
    [risk]         rule (weighted_sum | maximum | geometric_mean), capacity_alpha,
                   hazard weights = { kind = w } or ahp = { order = [...], matrix = [[...]] }
    [classes]      method (natural_breaks | quantiles | fixed), thresholds, sample_size
    [prevention]   key_min_class, secondary_class, low_capacity, dense_sites, site_density_factor
    [polygons]     min_mapping_unit_mm (side of the smallest zone on the printed map)
    [hazards.<kind>] / [exposure] / [vulnerability] / [capacity]
                   factors = [...], weights = [...] or ahp = [[...]], rule, floor, missing
    [factors.<name>]  source, layer, field, options…, transform = { kind = ... }, optional

Single-hazard risk R_h = H_h · E · V · (1 − α·C); the composite combines the R_h.
"""
from __future__ import annotations

import difflib
import math

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..definitions import TomlError, domain, hazard_kinds, parse_toml
from ..errors import InputError
from ..provenance import text_sha256
from ..schema import layer_specs, raster_specs
from .ahp import AhpResult, ahp_weights

DEFAULT_MODEL = Path(__file__).resolve().parent / "data" / "hunchun_default_model.toml"

RULES = ("weighted_sum", "maximum", "geometric_mean")
CLASS_METHODS = ("natural_breaks", "quantiles", "fixed")
TRANSFORMS = ("identity", "minmax", "reclass", "distance_decay")
DECAY_FUNCTIONS = ("exponential", "linear", "gaussian")
RASTER_LAYERS = tuple(raster_specs())
VECTOR_LAYERS = tuple(layer_specs())
# Which options each factor source needs (besides ``layer``) and which it may take.
SOURCES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "raster": ((), ("resampling",)),
    "slope": ((), ()),
    "height_above_river": (("rivers", "search_m"), ()),
    "polygon_field": (("field",), ("aggregate", "fill")),
    "kernel_density": (("bandwidth_m",), ("kernel", "filter", "weight_field", "weight_log", "weight_table")),
    "distance": (("max_m",), ("filter",)),
    "travel_time": (("roads", "offroad_kmh"), ("coarse_cell_m", "max_minutes", "filter")),
}
COMPONENTS = ("exposure", "vulnerability", "capacity")


@dataclass(frozen=True)
class TransformSpec:
    kind: str
    low: float | None = None
    high: float | None = None
    invert: bool = False
    log: bool = False
    table: tuple[tuple[float, float, float], ...] = ()
    default: float = 0.0
    function: str = "exponential"
    scale_m: float = 1000.0
    max_m: float = float("inf")


@dataclass(frozen=True)
class FactorSpec:
    name: str
    source: str
    layer: str
    options: Mapping[str, Any]
    transform: TransformSpec
    optional: bool = False
    optional_field: bool = False
    label: str = ""

    @property
    def field(self) -> str | None:
        return self.options.get("field")

    def fields_needed(self) -> dict[str, list[str]]:
        """Input fields this factor reads, by layer (so they can be checked up front)."""
        needed: dict[str, list[str]] = {}
        o = self.options
        names = [o.get("field"), o.get("weight_field"), (o.get("weight_table") or {}).get("field"),
                 (o.get("filter") or {}).get("field")]
        needed[self.layer] = [n for n in names if n]
        return needed


@dataclass(frozen=True)
class ComponentSpec:
    """A hazard, or exposure / vulnerability / capacity: factors combined by ``rule``."""

    name: str
    factors: tuple[str, ...]
    weights: tuple[float, ...]
    rule: str = "weighted_sum"
    floor: float = 0.0
    missing: float = 0.0
    ahp: AhpResult | None = None
    label_zh: str = ""
    label_en: str = ""


@dataclass(frozen=True)
class ClassesSpec:
    method: str = "natural_breaks"
    thresholds: tuple[float, ...] = ()
    sample_size: int = 20000


@dataclass(frozen=True)
class PreventionSpec:
    key_min_class: int = 4
    secondary_class: int = 3
    low_capacity: float = 0.3
    dense_sites: float = 0.5
    site_density_factor: str | None = None


@dataclass(frozen=True)
class Model:
    name: str
    text: str
    sha256: str
    source: str
    rule: str
    hazards: dict[str, ComponentSpec]
    hazard_weights: dict[str, float]
    hazard_ahp: AhpResult | None
    components: dict[str, ComponentSpec]
    factors: dict[str, FactorSpec]
    capacity_alpha: float
    classes: ClassesSpec
    prevention: PreventionSpec
    description: str = ""
    min_mapping_unit_mm: float = 2.0

    def all_components(self) -> dict[str, ComponentSpec]:
        return {**self.hazards, **self.components}

    def required_layers(self) -> tuple[str, ...]:
        """The input layers a run of this model cannot do without, in schema order: the
        townships (the area and the statistics) and every layer a factor not marked
        optional reads."""
        needed = {"townships"} | {f.layer for f in self.factors.values() if not f.optional}
        return tuple(name for name in VECTOR_LAYERS + RASTER_LAYERS if name in needed)


def _fail(where: str, en: str, zh: str) -> InputError:
    return InputError(f"Risk model {where}: {en}", f"风险模型 {where}：{zh}")


def load_model(path: str | Path | None = None) -> Model:
    """Read and check a model file (``None`` or empty = the default Hunchun model)."""
    file = Path(path) if path else DEFAULT_MODEL
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"Risk model file '{file}' cannot be read ({exc.strerror}).",
                         f"无法读取风险模型文件“{file}”（{exc.strerror}）。") from exc
    return parse_model(text, str(file))


def parse_model(text: str, source: str = "<text>") -> Model:
    """Parse model TOML text into a checked ``Model`` (weights normalised, AHP solved)."""
    try:
        raw = parse_toml(text)
    except TomlError as exc:
        raise InputError(f"Risk model '{source}' is not valid TOML: {exc}",
                         f"风险模型“{source}”不是有效的 TOML 文件：{exc}") from exc
    _check_keys(raw)
    factors = {name: _parse_factor(name, spec) for name, spec in _table(raw, "factors", "").items()}
    hazards_raw = _table(raw, "hazards", "")
    if not hazards_raw:
        raise _fail("[hazards]", "at least one hazard is needed.", "至少需要一个灾种。")
    known = hazard_kinds()
    hazards = {}
    for name, spec in hazards_raw.items():
        labels = known.get(name, {})
        hazards[name] = _parse_component(f"[hazards.{name}]", name, spec, factors, labels)
    components = {}
    for name in COMPONENTS:
        spec = _table(raw, name, "")
        if not spec:
            raise _fail(f"[{name}]", "the section is missing.", "缺少该部分。")
        components[name] = _parse_component(f"[{name}]", name, spec, factors, {})
    risk = _table(raw, "risk", "")
    rule = _choice(risk.get("rule", "weighted_sum"), RULES, "[risk] rule")
    hazard_weights, hazard_ahp = _hazard_weights(risk, list(hazards))
    classes = _parse_classes(_table(raw, "classes", ""))
    prevention = _parse_prevention(_table(raw, "prevention", ""), factors)
    alpha = _real(risk.get("capacity_alpha", 0.0), "[risk] capacity_alpha")
    if not 0.0 <= alpha <= 1.0:
        raise _fail("[risk] capacity_alpha", f"must be within 0..1, got {alpha}.", f"须在 0～1 之间，当前为 {alpha}。")
    meta = _table(raw, "model", "")
    return Model(
        name=str(meta.get("name", Path(source).stem)),
        description=str(meta.get("description", "")),
        text=text,
        sha256=text_sha256(text),
        source=source,
        rule=rule,
        hazards=hazards,
        hazard_weights=hazard_weights,
        hazard_ahp=hazard_ahp,
        components=components,
        factors=factors,
        capacity_alpha=alpha,
        classes=classes,
        prevention=prevention,
        min_mapping_unit_mm=_real(_table(raw, "polygons", "").get("min_mapping_unit_mm", 2.0),
                                  "[polygons] min_mapping_unit_mm"),
    )


# The keys each section of a model file may hold ([factors.*] check their own options);
# anything else is most likely a misspelling that would silently fall back to a default.
_SECTION_KEYS = {
    "": {"model", "risk", "classes", "prevention", "polygons", "hazards", "factors", *COMPONENTS},
    "model": {"name", "description"},
    "risk": {"rule", "capacity_alpha", "ahp", "weights"},
    "classes": {"method", "thresholds", "sample_size"},
    "prevention": {"key_min_class", "secondary_class", "low_capacity", "dense_sites", "site_density_factor"},
    "polygons": {"min_mapping_unit_mm"},
}
_COMPONENT_KEYS = {"factors", "weights", "ahp", "rule", "floor", "missing", "label_zh", "label_en"}


def _check_keys(raw: Mapping[str, Any]) -> None:
    """Every key of the file is one the model knows."""
    sections = [("", raw)] + [(k, raw.get(k)) for k in _SECTION_KEYS if k]
    sections += [(f"hazards.{n}", v) for n, v in _table(raw, "hazards", "").items()]
    sections += [(n, raw.get(n)) for n in COMPONENTS]
    if isinstance(raw.get("risk"), dict) and isinstance(raw["risk"].get("ahp"), dict):
        sections.append(("risk.ahp", raw["risk"]["ahp"]))
    for name, table in sections:
        if not isinstance(table, dict):
            continue
        known = _SECTION_KEYS.get(name, {"order", "matrix"} if name == "risk.ahp" else _COMPONENT_KEYS)
        for key in table:
            if key not in known:
                near = difflib.get_close_matches(key, sorted(known), n=1)
                hint_en, hint_zh = (f" Did you mean '{near[0]}'?", f"是否为“{near[0]}”？") if near else ("", "")
                raise _fail(f"[{name}]" if name else "(top level)",
                            f"unknown key '{key}'.{hint_en} Known keys: {', '.join(sorted(known))}.",
                            f"未知的键“{key}”。{hint_zh}可用的键：{', '.join(sorted(known))}。")


def _real(value: Any, where: str) -> float:
    """A number of the model file (an integer or a decimal, not text or true/false)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(where, f"must be a number, got {value!r}. Write it without quotes, e.g. 0.4.",
                    f"必须是数字，当前为 {value!r}。请不加引号书写，例如 0.4。")
    return float(value)


def _whole(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(where, f"must be a whole number, got {value!r}.", f"必须是整数，当前为 {value!r}。")
    return int(value)


def _table(raw: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    return _as_table(raw.get(key, {}), f"{where}[{key}]")


def _as_table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(where, "must be a table.", "必须是表（table）。")
    return value


def _choice(value: Any, allowed: tuple[str, ...], where: str) -> str:
    if value not in allowed:
        raise _fail(where, f"'{value}' is not one of {', '.join(allowed)}.",
                    f"“{value}”不在可选值 {', '.join(allowed)} 中。")
    return str(value)


def _parse_factor(name: str, spec: Mapping[str, Any]) -> FactorSpec:
    where = f"[factors.{name}]"
    spec = _as_table(spec, where)
    source = _choice(spec.get("source"), tuple(SOURCES), f"{where} source")
    layer = spec.get("layer")
    if layer not in VECTOR_LAYERS + RASTER_LAYERS:
        raise _fail(f"{where} layer", f"'{layer}' is not an input layer ({', '.join(VECTOR_LAYERS + RASTER_LAYERS)}).",
                    f"“{layer}”不是输入图层。")
    needs_raster = source in ("raster", "slope", "height_above_river")
    if needs_raster != (layer in RASTER_LAYERS):
        kind = "a raster (dem, forest, population)" if needs_raster else "a vector layer"
        raise _fail(f"{where} layer", f"source '{source}' needs {kind}, got '{layer}'.",
                    f"数据源“{source}”需要{kind}，当前为“{layer}”。")
    required, allowed = SOURCES[source]
    options = {k: v for k, v in spec.items()
               if k not in ("source", "layer", "transform", "optional", "optional_field", "label")}
    for key in required:
        if key not in options:
            raise _fail(where, f"source '{source}' needs '{key}'.", f"数据源“{source}”需要参数“{key}”。")
    unknown = set(options) - set(required) - set(allowed)
    if unknown:
        raise _fail(where, f"unknown option(s) {', '.join(sorted(unknown))} for source '{source}'.",
                    f"数据源“{source}”没有参数 {', '.join(sorted(unknown))}。")
    return FactorSpec(name, source, str(layer), options, _parse_transform(where, spec.get("transform", {})),
                      bool(spec.get("optional", False)), bool(spec.get("optional_field", False)),
                      str(spec.get("label", name)))


def _parse_transform(where: str, spec: Mapping[str, Any]) -> TransformSpec:
    spec = _as_table(spec, f"{where} transform")
    kind = _choice(spec.get("kind", "identity"), TRANSFORMS, f"{where} transform kind")
    if kind == "reclass":
        rows = spec.get("table", ())
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            rows = [[None]]  # refused below, with the form it must take
        table = tuple(tuple(_real(v, f"{where} transform table") for v in row) for row in rows)
        if not table or any(len(row) != 3 or row[0] >= row[1] for row in table):
            raise _fail(f"{where} transform", "reclass needs table = [[low, high, score], …] with low < high.",
                        "重分类需要 table = [[下限, 上限, 分值], …]，且下限 < 上限。")
        return TransformSpec(kind, table=table, default=_real(spec.get("default", 0.0), f"{where} transform default"))
    if kind == "distance_decay":
        function = _choice(spec.get("function", "exponential"), DECAY_FUNCTIONS, f"{where} transform function")
        scale_m = _real(spec.get("scale_m", 1000.0), f"{where} transform scale_m")
        max_m = _real(spec.get("max_m", float("inf")), f"{where} transform max_m")
        if scale_m <= 0 or max_m <= 0 or (function == "linear" and max_m == float("inf")):
            raise _fail(f"{where} transform", "distance decay needs scale_m > 0 and max_m > 0 (linear needs max_m).",
                        "距离衰减需要 scale_m > 0 且 max_m > 0（线性衰减必须给出 max_m）。")
        return TransformSpec(kind, function=function, scale_m=scale_m, max_m=max_m)
    low, high = spec.get("min"), spec.get("max")
    return TransformSpec(kind, low=None if low is None else _real(low, f"{where} transform min"),
                         high=None if high is None else _real(high, f"{where} transform max"),
                         invert=bool(spec.get("invert", False)), log=bool(spec.get("log", False)))


def _number(value: Any, where: str) -> float:
    """A matrix entry: a number or a fraction written as text, "1/3" (parsed, not evaluated)."""
    if isinstance(value, str):
        parts = value.split("/")
        try:
            numbers = [float(p) for p in parts]
            if len(numbers) in (1, 2):
                return numbers[0] / numbers[1] if len(numbers) == 2 else numbers[0]
        except (ValueError, ZeroDivisionError):
            pass
        raise _fail(where, f"'{value}' is not a number or a fraction like \"1/3\".",
                    f"“{value}”不是数字或形如“1/3”的分数。")
    return _real(value, where)


def _matrix(value: Any, where: str) -> list[list[float]]:
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise _fail(where, "the AHP matrix must be a list of rows.", "AHP 判断矩阵必须是由行组成的列表。")
    return [[_number(v, where) for v in row] for row in value]


def _weights(where: str, names: list[str], spec: Mapping[str, Any]) -> tuple[tuple[float, ...], AhpResult | None]:
    """Weights given directly (normalised to sum 1) or from an AHP matrix."""
    if "ahp" in spec:
        result = ahp_weights(_matrix(spec["ahp"], where), f"Risk model {where}")
        if len(result.weights) != len(names):
            raise _fail(where, f"the AHP matrix has {len(result.weights)} rows for {len(names)} entries.",
                        f"AHP 矩阵有 {len(result.weights)} 行，但有 {len(names)} 项。")
        return result.weights, result
    weights = spec.get("weights", [1.0] * len(names))
    if not isinstance(weights, list):
        raise _fail(f"{where} weights", "must be a list of numbers, e.g. [0.6, 0.4].",
                    "必须是数字列表，例如 [0.6, 0.4]。")
    weights = [_real(w, f"{where} weights") for w in weights]
    if (len(weights) != len(names) or any(w < 0 or not math.isfinite(w) for w in weights)
            or not 0 < sum(weights) < math.inf):
        raise _fail(where, f"weights must be {len(names)} non-negative numbers with a positive sum.",
                    f"权重须为 {len(names)} 个非负数且总和大于 0。")
    total = sum(float(w) for w in weights)
    return tuple(float(w) / total for w in weights), None


def _parse_component(where: str, name: str, spec: Mapping[str, Any], factors: Mapping[str, FactorSpec],
                     labels: Mapping[str, str]) -> ComponentSpec:
    spec = _as_table(spec, where)
    names = _names(spec.get("factors", []), f"{where} factors")
    if not names:
        raise _fail(where, "lists no factors.", "没有列出任何因子。")
    for factor in names:
        if factor not in factors:
            raise _fail(where, f"factor '{factor}' has no [factors.{factor}] section.",
                        f"因子“{factor}”缺少 [factors.{factor}] 定义。")
    weights, ahp = _weights(where, names, spec)
    floor = _real(spec.get("floor", 0.0), f"{where} floor")
    if not 0.0 <= floor < 1.0:
        raise _fail(f"{where} floor", "must be within 0..1 (exclusive of 1).", "须在 0～1 之间（不含 1）。")
    return ComponentSpec(name, tuple(names), weights, _choice(spec.get("rule", "weighted_sum"), RULES, f"{where} rule"),
                         floor, _real(spec.get("missing", 0.0), f"{where} missing"), ahp,
                         str(spec.get("label_zh", labels.get("zh", name))),
                         str(spec.get("label_en", labels.get("en", name))))


def _names(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(where, f"must be a list of names, got {value!r}.", f"必须是名称列表，当前为 {value!r}。")
    return list(value)


def _hazard_weights(risk: Mapping[str, Any], hazards: list[str]) -> tuple[dict[str, float], AhpResult | None]:
    if "ahp" in risk:
        ahp = _as_table(risk["ahp"], "[risk.ahp]")
        order = _names(ahp.get("order", []), "[risk.ahp] order")
        if sorted(order) != sorted(hazards):
            raise _fail("[risk.ahp] order", f"must list exactly the hazards {', '.join(hazards)}.",
                        f"必须恰好列出灾种 {', '.join(hazards)}。")
        weights, result = _weights("[risk.ahp]", order, {"ahp": ahp.get("matrix")})
        return dict(zip(order, weights)), result
    given = _as_table(risk.get("weights", {name: 1.0 for name in hazards}), "[risk] weights")
    missing = [h for h in hazards if h not in given]
    if missing or set(given) - set(hazards):
        raise _fail("[risk] weights", f"must give a weight for exactly the hazards {', '.join(hazards)}.",
                    f"必须为灾种 {', '.join(hazards)} 各给出权重。")
    weights, _ = _weights("[risk] weights", hazards, {"weights": [given[h] for h in hazards]})
    return dict(zip(hazards, weights)), None


def _parse_classes(spec: Mapping[str, Any]) -> ClassesSpec:
    method = _choice(spec.get("method", "natural_breaks"), CLASS_METHODS, "[classes] method")
    given = spec.get("thresholds", ())
    if not isinstance(given, (list, tuple)):
        raise _fail("[classes] thresholds", "must be a list of numbers, e.g. [0.05, 0.1, 0.15, 0.25].",
                    "必须是数字列表，例如 [0.05, 0.1, 0.15, 0.25]。")
    thresholds = tuple(_real(t, "[classes] thresholds") for t in given)
    count = len(domain()["risk_classes"])
    if method == "fixed" and (len(thresholds) != count - 1 or list(thresholds) != sorted(set(thresholds))):
        raise _fail("[classes] thresholds", f"fixed classes need {count - 1} increasing thresholds.",
                    f"固定阈值分级需要 {count - 1} 个递增的阈值。")
    return ClassesSpec(method, thresholds, _whole(spec.get("sample_size", 20000), "[classes] sample_size"))


def _parse_prevention(spec: Mapping[str, Any], factors: Mapping[str, FactorSpec]) -> PreventionSpec:
    factor = spec.get("site_density_factor")
    if factor is not None and (not isinstance(factor, str) or factor not in factors):
        raise _fail("[prevention] site_density_factor", f"'{factor}' is not a factor.", f"“{factor}”不是已定义的因子。")
    return PreventionSpec(_whole(spec.get("key_min_class", 4), "[prevention] key_min_class"),
                          _whole(spec.get("secondary_class", 3), "[prevention] secondary_class"),
                          _real(spec.get("low_capacity", 0.3), "[prevention] low_capacity"),
                          _real(spec.get("dense_sites", 0.5), "[prevention] dense_sites"), factor)
