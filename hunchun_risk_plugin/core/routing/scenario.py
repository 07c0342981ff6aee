"""Evacuation scenarios: who must leave and where they may go, as a TOML file that is
parsed and checked, never executed (see ``hunchun_risk_plugin/scenarios/`` and
docs/evacuation_and_coverage.md).

Structure::

    [scenario]     name, title_zh, title_en, description, mode (walking | driving)
    [[triggers]]   key, label_zh, label_en, source, rate (0..1), priority (1 = first)
                   source = "hazard_polygons": where = "<field> <op> <value>" (optional)
                   source = "risk_raster":     min_class = 1..5
                   source = "hazard_sites":    site_kinds = [...], radius_m > 0
                   source = "everyone"
    [shelters]     exclude_in_zones (true), major_hazard_distance_m (1000; 0 = not checked),
                   indoor_only (false), allowed_kinds ([] = every kind)
    [proposal]     kind: the shelter kind whose standard a proposed new shelter must meet

Errors name the key and, where it can be found in the text, its line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..definitions import TomlError, hazard_site_kinds, parse_toml, risk_classes, shelter_kinds
from ..errors import InputError
from ..provenance import text_sha256
from .graph import MODES, WALKING

# The shipped scenarios: the folder listing is the registry.
SCENARIO_DIR = Path(__file__).resolve().parents[2] / "scenarios"
POLYGONS, RASTER, SITES, EVERYONE = "hazard_polygons", "risk_raster", "hazard_sites", "everyone"
SOURCES = (POLYGONS, RASTER, SITES, EVERYONE)
# Keys each source takes besides the common ones.
_SOURCE_KEYS = {POLYGONS: {"where"}, RASTER: {"min_class"}, SITES: {"site_kinds", "radius_m"}, EVERYONE: set()}
_TRIGGER_KEYS = {"key", "label_zh", "label_en", "source", "rate", "priority"}
_SECTIONS = {"scenario", "triggers", "shelters", "proposal"}
_SCENARIO_KEYS = {"name", "title_zh", "title_en", "description", "mode"}
_SHELTER_KEYS = {"exclude_in_zones", "major_hazard_distance_m", "indoor_only", "allowed_kinds"}
_PROPOSAL_KEYS = {"kind"}
MAJOR_HAZARD_KIND = "major_hazard_installation"
DEFAULT_MAJOR_HAZARD_DISTANCE_M = 1000.0  # GB 50413-2007 §8.2.7 (secondary source)
DEFAULT_PROPOSAL_KIND = "fixed_short"
_CONDITION = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|==|!=|<|>|=)\s*(.+?)\s*$")


@dataclass(frozen=True)
class Condition:
    """``field op value``: a single comparison, parsed (never evaluated as code)."""

    field: str
    op: str
    value: float | str

    def text(self) -> str:
        value = f"'{self.value}'" if isinstance(self.value, str) else f"{self.value:g}"
        return f"{self.field} {self.op} {value}"


@dataclass(frozen=True)
class Trigger:
    key: str
    source: str
    rate: float
    priority: int
    label_zh: str
    label_en: str
    line: int | None = None
    where: Condition | None = None
    min_class: int | None = None
    site_kinds: tuple[str, ...] = ()
    radius_m: float | None = None

    def label(self, language: str = "en") -> str:
        return self.label_zh if language.startswith("zh") else self.label_en


@dataclass(frozen=True)
class ShelterRules:
    exclude_in_zones: bool = True
    major_hazard_distance_m: float = DEFAULT_MAJOR_HAZARD_DISTANCE_M
    indoor_only: bool = False
    allowed_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scenario:
    name: str
    title_zh: str
    title_en: str
    description: str
    mode: str
    triggers: tuple[Trigger, ...]
    shelters: ShelterRules = field(default_factory=ShelterRules)
    proposal_kind: str = DEFAULT_PROPOSAL_KIND
    source: str = "<text>"
    sha256: str = ""

    def priorities(self) -> list[int]:
        return sorted({t.priority for t in self.triggers})

    def record(self) -> dict[str, Any]:
        """What the provenance keeps of the scenario."""
        return {"name": self.name, "source": self.source, "sha256": self.sha256, "mode": self.mode,
                "triggers": [t.key for t in self.triggers], "shelters": self.shelters.__dict__,
                "proposal_kind": self.proposal_kind}


def shipped_scenarios() -> list[str]:
    """Names of the scenarios shipped in ``hunchun_risk_plugin/scenarios/``."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def load_scenario(name_or_path: str | Path) -> Scenario:
    """A shipped scenario by name (``flood_100y``) or a scenario file by path."""
    text_value = str(name_or_path).strip()
    file = SCENARIO_DIR / f"{text_value}.toml" if text_value in shipped_scenarios() else Path(text_value)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        names = ", ".join(shipped_scenarios())
        raise InputError(
            f"Scenario '{text_value}' is neither a shipped scenario ({names}) nor a readable file ({exc.strerror}).",
            f"疏散情景“{text_value}”既不是内置情景（{names}），也不是可读取的文件（{exc.strerror}）。",
        ) from exc
    return parse_scenario(text, str(file))


def parse_scenario(text: str, source: str = "<text>") -> Scenario:
    """Parse scenario TOML text into a checked ``Scenario``."""
    try:
        raw = parse_toml(text)
    except TomlError as exc:
        raise InputError(f"Scenario '{source}' is not valid TOML: {exc}",
                         f"疏散情景“{source}”不是有效的 TOML 文件：{exc}") from exc
    where = _Locator(text, source)
    where.unknown(raw, _SECTIONS, "", None)
    meta = where.table(raw, "scenario")
    where.unknown(meta, _SCENARIO_KEYS, "[scenario]", "scenario")
    mode = meta.get("mode", WALKING)
    if mode not in MODES:
        raise where.fail("[scenario] mode", f"'{mode}' is not one of {', '.join(MODES)}.",
                         f"“{mode}”不在可选值 {', '.join(MODES)} 中。", where.key_line("mode", "scenario"))
    triggers_raw = raw.get("triggers", [])
    if not isinstance(triggers_raw, list) or not triggers_raw:
        raise where.fail("[[triggers]]", "at least one trigger is needed (who must leave).",
                         "至少需要一个触发条件（哪些人需要转移）。", where.key_line("triggers", None))
    triggers = tuple(_parse_trigger(where, n, spec) for n, spec in enumerate(triggers_raw))
    keys = [t.key for t in triggers]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise where.fail("[[triggers]] key", f"duplicate key(s) {', '.join(twice)}.", f"键重复：{', '.join(twice)}。",
                         None)
    shelters = _parse_shelters(where, where.table(raw, "shelters"))
    proposal = where.table(raw, "proposal")
    where.unknown(proposal, _PROPOSAL_KEYS, "[proposal]", "proposal")
    kind = proposal.get("kind", DEFAULT_PROPOSAL_KIND)
    if kind not in shelter_kinds():
        raise where.fail("[proposal] kind", f"'{kind}' is not a shelter kind ({', '.join(shelter_kinds())}).",
                         f"“{kind}”不是避难场所类型（{', '.join(shelter_kinds())}）。",
                         where.key_line("kind", "proposal"))
    return Scenario(
        name=str(meta.get("name", Path(source).stem)), title_zh=str(meta.get("title_zh", "")),
        title_en=str(meta.get("title_en", "")), description=str(meta.get("description", "")), mode=mode,
        triggers=triggers, shelters=shelters, proposal_kind=kind, source=source, sha256=text_sha256(text),
    )


class _Locator:
    """Finds the line of a key in the scenario text, so errors can point at it."""

    def __init__(self, text: str, source: str) -> None:
        self.lines = text.splitlines()
        self.source = source

    def fail(self, where: str, en: str, zh: str, line: int | None) -> InputError:
        at_en = f" (line {line})" if line else ""
        at_zh = f"（第 {line} 行）" if line else ""
        return InputError(f"Scenario '{self.source}' {where}{at_en}: {en}",
                          f"疏散情景“{self.source}” {where}{at_zh}：{zh}")

    def _section(self, header: str, occurrence: int = 0) -> tuple[int, int]:
        """(first, end) line indexes of the ``occurrence``-th table ``header``."""
        pattern = re.compile(rf"^\s*\[\[?\s*{re.escape(header)}\s*\]\]?\s*(#.*)?$")
        starts = [i for i, line in enumerate(self.lines) if pattern.match(line)]
        if occurrence >= len(starts):
            return 0, 0
        first = starts[occurrence]
        end = next((i for i in range(first + 1, len(self.lines)) if self.lines[i].lstrip().startswith("[")),
                   len(self.lines))
        return first, end

    def key_line(self, key: str, header: str | None, occurrence: int = 0) -> int | None:
        first, end = self._section(header, occurrence) if header else (0, len(self.lines))
        if header and first == end == 0:
            return None
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        for i in range(first, end):
            if pattern.match(self.lines[i]) or (i == first and header == key):
                return i + 1
        return first + 1 if header else None

    def table(self, raw: dict, key: str) -> dict:
        value = raw.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(f"[{key}]", "must be a table.", "必须是表（table）。", self.key_line(key, None))
        return value

    def unknown(self, table: dict, allowed: set[str], where: str, header: str | None, occurrence: int = 0) -> None:
        extra = sorted(set(table) - allowed)
        if extra:
            line = self.key_line(extra[0], header, occurrence)
            raise self.fail(where or "top level",
                            f"unknown key(s) {', '.join(extra)}; allowed: {', '.join(sorted(allowed))}.",
                            f"未知的键 {', '.join(extra)}；可用：{', '.join(sorted(allowed))}。", line)


def _parse_trigger(where: _Locator, n: int, spec: Any) -> Trigger:
    label = f"[[triggers]] #{n + 1}"
    if not isinstance(spec, dict):
        raise where.fail(label, "must be a table.", "必须是表（table）。", None)
    header_line = where.key_line("triggers", "triggers", n)

    def line(key: str) -> int | None:
        return where.key_line(key, "triggers", n)

    source = spec.get("source")
    if source not in SOURCES:
        raise where.fail(f"{label} source", f"'{source}' is not one of {', '.join(SOURCES)}.",
                         f"“{source}”不在可选值 {', '.join(SOURCES)} 中。", line("source"))
    where.unknown(spec, _TRIGGER_KEYS | _SOURCE_KEYS[source], f"{label} (source {source})", "triggers", n)
    key = spec.get("key", f"trigger_{n + 1}")
    if not isinstance(key, str) or not key.strip():
        raise where.fail(f"{label} key", "must be a non-empty text.", "必须为非空文本。", line("key"))
    label = f"[[triggers]] {key}"
    rate = _number(where, spec.get("rate", 1.0), f"{label} rate", line("rate"))
    if not 0.0 <= rate <= 1.0:
        raise where.fail(f"{label} rate", f"must be within 0..1, got {rate:g}.", f"须在 0～1 之间，当前为 {rate:g}。",
                         line("rate"))
    priority = spec.get("priority", 1)
    if isinstance(priority, bool) or not isinstance(priority, int) or priority < 1:
        raise where.fail(f"{label} priority", f"must be a whole number ≥ 1 (1 = first), got {priority!r}.",
                         f"须为 ≥ 1 的整数（1 = 最先转移），当前为 {priority!r}。", line("priority"))
    common = dict(key=key, source=source, rate=rate, priority=priority, line=header_line,
                  label_zh=str(spec.get("label_zh", key)), label_en=str(spec.get("label_en", key)))
    if source == POLYGONS:
        text = spec.get("where", "")
        condition = parse_condition(text,
                                    lambda en, zh: where.fail(f"{label} where", en, zh,
                                                              line("where"))) if text else None
        return Trigger(**common, where=condition)
    if source == RASTER:
        classes = [c.value for c in risk_classes()]
        min_class = spec.get("min_class")
        if isinstance(min_class, bool) or min_class not in classes:
            raise where.fail(f"{label} min_class",
                             f"must be a risk class {min(classes)}–{max(classes)}, got {min_class!r}.",
                             f"须为风险等级 {min(classes)}–{max(classes)}，当前为 {min_class!r}。", line("min_class"))
        return Trigger(**common, min_class=int(min_class))
    if source == SITES:
        kinds = spec.get("site_kinds")
        known = hazard_site_kinds()
        if not isinstance(kinds, list) or not kinds or any(k not in known for k in kinds):
            bad = [k for k in kinds if k not in known] if isinstance(kinds, list) else kinds
            raise where.fail(f"{label} site_kinds",
                             f"needs a list of hazard-site kinds ({', '.join(known)}); bad: {bad!r}.",
                             f"需要隐患点类型列表（{', '.join(known)}）；有误：{bad!r}。", line("site_kinds"))
        radius = _number(where, spec.get("radius_m"), f"{label} radius_m", line("radius_m"))
        if radius <= 0:
            raise where.fail(f"{label} radius_m", f"must be positive (metres), got {radius:g}.",
                             f"必须为正数（米），当前为 {radius:g}。", line("radius_m"))
        return Trigger(**common, site_kinds=tuple(kinds), radius_m=radius)
    return Trigger(**common)


def _number(where: _Locator, value: Any, label: str, line: int | None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise where.fail(label, f"must be a number, got {value!r}.", f"必须为数字，当前为 {value!r}。", line)
    return float(value)


def _parse_shelters(where: _Locator, spec: dict) -> ShelterRules:
    where.unknown(spec, _SHELTER_KEYS, "[shelters]", "shelters")
    flags = {}
    for key, default in (("exclude_in_zones", True), ("indoor_only", False)):
        value = spec.get(key, default)
        if not isinstance(value, bool):
            raise where.fail(f"[shelters] {key}", f"must be true or false, got {value!r}.",
                             f"必须为 true 或 false，当前为 {value!r}。", where.key_line(key, "shelters"))
        flags[key] = value
    distance = _number(where, spec.get("major_hazard_distance_m", DEFAULT_MAJOR_HAZARD_DISTANCE_M),
                       "[shelters] major_hazard_distance_m", where.key_line("major_hazard_distance_m", "shelters"))
    if distance < 0:
        raise where.fail("[shelters] major_hazard_distance_m", f"must be ≥ 0 (0 = not checked), got {distance:g}.",
                         f"必须 ≥ 0（0 表示不检查），当前为 {distance:g}。",
                         where.key_line("major_hazard_distance_m", "shelters"))
    kinds = spec.get("allowed_kinds", [])
    if not isinstance(kinds, list) or any(k not in shelter_kinds() for k in kinds):
        raise where.fail("[shelters] allowed_kinds",
                         f"needs a list of shelter kinds ({', '.join(shelter_kinds())}), got {kinds!r}.",
                         f"需要避难场所类型列表（{', '.join(shelter_kinds())}），当前为 {kinds!r}。",
                         where.key_line("allowed_kinds", "shelters"))
    return ShelterRules(flags["exclude_in_zones"], distance, flags["indoor_only"], tuple(kinds))


def parse_condition(text: str, fail=None) -> Condition:
    """``return_period_years <= 100`` -> Condition; numbers compare as numbers, quoted
    text ('图们江') only with == / !=."""
    def error(en: str, zh: str) -> InputError:
        return fail(en, zh) if fail else InputError(en, zh)

    match = _CONDITION.match(str(text))
    if not match:
        raise error(f"'{text}' is not a condition like \"return_period_years <= 100\" (field, operator, value).",
                    f"“{text}”不是形如“return_period_years <= 100”的条件（字段、运算符、值）。")
    name, op, raw = match.groups()
    op = "==" if op == "=" else op
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "'\"":
        if op not in ("==", "!="):
            raise error(f"'{text}': text values compare only with == or !=.", f"“{text}”：文本值只能用 == 或 != 比较。")
        return Condition(name, op, raw[1:-1])
    try:
        return Condition(name, op, float(raw))
    except ValueError:
        raise error(f"'{text}': '{raw}' is neither a number nor quoted text.",
                    f"“{text}”：“{raw}”既不是数字也不是带引号的文本。") from None
