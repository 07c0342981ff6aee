"""Which field of a user's layer is which field of the data schema, and which of its
category values is which schema value.

Fields are matched, for each schema field, in this order:

1. the user's ``FIELD_MAP`` file (a TOML table per layer, ``[townships]``
   ``population = "常住人口"``), which wins over everything else;
2. the schema name itself (case-insensitive: shapefiles often come in upper case);
3. the field's aliases in ``schema.toml`` (the names census and bureau data use), in
   the order listed;
4. a 10-byte shapefile (DBF) truncation of the schema name or an alias (``elderly_sh``
   for ``elderly_share``), when it stands for that one field of the layer only.

Category values (hazard kinds, scales, road classes, shelter kinds…) are accepted in
any spelling ``schema.value_spellings`` lists (the key, the Chinese and English names of
``domain.toml`` and their aliases) and translated to the key. Everything here works on
plain column names and pandas frames: no QGIS.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .definitions import TomlError, parse_toml
from .errors import InputError
from .schema import LayerSpec, layer_spec, layer_specs

DBF_NAME_BYTES = 10  # a dBase field name holds at most 10 bytes
# Encodings a DBF field name is truncated in (UTF-8 for a .cpg-declared file, GBK for most
# Chinese office data): a Chinese alias is cut at a different character in each.
_TRUNCATION_ENCODINGS = ("utf-8", "gbk")

BY_FIELD_MAP, BY_NAME, BY_ALIAS, BY_TRUNCATION = "field_map", "name", "alias", "truncation"
_HOW = {
    BY_FIELD_MAP: ("the field map", "字段映射文件"),
    BY_NAME: ("its name", "同名"),
    BY_ALIAS: ("an alias", "别名"),
    BY_TRUNCATION: ("a 10-character shapefile truncation", "shapefile 10 字符截断名"),
}


@dataclass(frozen=True)
class FieldMatch:
    schema_field: str
    source_field: str
    how: str  # BY_FIELD_MAP | BY_NAME | BY_ALIAS | BY_TRUNCATION

    def text(self, language: str = "en") -> str:
        """'population ← 常住人口 (an alias)'; a field found under its own name is just named."""
        if self.how == BY_NAME and self.source_field == self.schema_field:
            return self.schema_field
        en, zh = _HOW[self.how]
        return f"{self.schema_field} ← {self.source_field}（{zh}）" if language.startswith("zh") else \
            f"{self.schema_field} ← {self.source_field} ({en})"


@dataclass
class MappedLayer:
    """A layer's frame with schema field names and schema values, and what was done."""
    frame: pd.DataFrame
    matches: list[FieldMatch]
    value_notes: list[tuple[str, str]] = field(default_factory=list)  # (en, zh)
    converted: set[str] = field(default_factory=set)  # fields whose type changed (text -> boolean or number)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (field, en, zh): values that cannot be read

    def log_pairs(self, layer: str) -> list[tuple[str, str]]:
        """(en, zh) lines for the run log: which source field each schema field came
        from, and which values were translated."""
        spec = layer_spec(layer)
        missing = [f for f in spec.fields if f not in {m.schema_field for m in self.matches}]
        en = f"[{layer}] fields used: " + (", ".join(m.text("en") for m in self.matches) or "none")
        zh = f"[{spec.zh} {layer}] 使用字段：" + ("，".join(m.text("zh") for m in self.matches) or "无")
        if missing:
            en += f"; not found: {', '.join(missing)}"
            zh += f"；未找到：{'，'.join(missing)}"
        used = {m.source_field for m in self.matches}
        spare = [c for c in self.frame.columns if c not in used and c not in spec.fields]
        for name in missing:
            near = close_field(name, spare)
            if near:
                en += f" ('{near}' looks like a misspelling of {name}: rename it or map it in FIELD_MAP)"
                zh += f"（“{near}”疑为 {name} 的误拼：请重命名或在 FIELD_MAP 中映射）"
        return [(en, zh)] + list(self.value_notes)

    def log_lines(self, layer: str, language: str = "en") -> list[str]:
        return [zh if language.startswith("zh") else en for en, zh in self.log_pairs(layer)]


def _fold(name: str) -> str:
    return str(name).strip().casefold()


def close_field(name: str, candidates) -> str | None:
    """A field name that looks like a misspelling of ``name`` ('populaton'), or None."""
    found = difflib.get_close_matches(name.casefold(), [str(c).casefold() for c in candidates], n=1, cutoff=0.8)
    return next((str(c) for c in candidates if str(c).casefold() == found[0]), None) if found else None


def truncations(name: str) -> set[str]:
    """What a shapefile writer leaves of ``name`` in a 10-byte DBF field name, in each
    encoding such files are written in (nothing when the name fits)."""
    cut = set()
    for encoding in _TRUNCATION_ENCODINGS:
        raw = name.encode(encoding, errors="ignore")
        if len(raw) > DBF_NAME_BYTES:
            cut.add(raw[:DBF_NAME_BYTES].decode(encoding, errors="ignore"))
    return cut


def _truncation_owners(spec: LayerSpec) -> dict[str, set[str]]:
    """Folded truncated name -> the schema fields it may stand for."""
    owners: dict[str, set[str]] = {}
    for schema_field in spec.known_fields:
        for name in (schema_field, *spec.aliases.get(schema_field, ())):
            for cut in truncations(name):
                owners.setdefault(_fold(cut), set()).add(schema_field)
    return owners


def match_fields(spec: LayerSpec, columns: Iterable[str],
                 user_fields: Mapping[str, str] | None = None) -> list[FieldMatch]:
    """For each schema field of ``spec``, the source column standing for it (fields
    with no match are left out: validation reports them). A source column serves one
    schema field only."""
    columns = [str(c) for c in columns]
    by_fold: dict[str, str] = {}
    for column in columns:
        by_fold.setdefault(_fold(column), column)
    taken: set[str] = set()
    matches: dict[str, FieldMatch] = {}
    for schema_field, source in (user_fields or {}).items():
        if source not in columns:
            raise _user_field_missing(spec, schema_field, source, columns)
        matches[schema_field] = FieldMatch(schema_field, source, BY_FIELD_MAP)
        taken.add(source)

    def take(schema_field: str, candidates: Iterable[str], how: str) -> None:
        for candidate in candidates:
            source = by_fold.get(_fold(candidate))
            if source is not None and source not in taken:
                matches[schema_field] = FieldMatch(schema_field, source, how)
                taken.add(source)
                return

    rest = [f for f in spec.known_fields if f not in matches]
    for schema_field in rest:  # exact names first, so an alias never steals a named field
        take(schema_field, [schema_field], BY_NAME)
    for schema_field in [f for f in rest if f not in matches]:
        take(schema_field, spec.aliases.get(schema_field, ()), BY_ALIAS)
    owners = _truncation_owners(spec)
    for schema_field in [f for f in rest if f not in matches]:
        names = (schema_field, *spec.aliases.get(schema_field, ()))
        cuts = [c for n in names for c in sorted(truncations(n)) if owners[_fold(c)] == {schema_field}]
        take(schema_field, cuts, BY_TRUNCATION)
    return [matches[f] for f in spec.known_fields if f in matches]


def _user_field_missing(spec: LayerSpec, schema_field: str, source: str, columns: list[str]) -> InputError:
    have = ", ".join(columns) or "-"
    return InputError(
        f"The field map sets [{spec.name}] {schema_field} = \"{source}\", but the layer has no field '{source}' "
        f"(it has: {have}). Correct the field map.",
        f"字段映射文件中 [{spec.name}] {schema_field} = \"{source}\"，但图层没有字段“{source}”（现有：{have}）。"
        "请更正字段映射文件。")


def map_layer(layer: str, frame: pd.DataFrame, user_fields: Mapping[str, str] | None = None) -> MappedLayer:
    """``frame`` with its matched fields renamed to the schema names and its category
    values translated to the schema keys (a copy; the input is not changed)."""
    spec = layer_spec(layer)
    geometry = getattr(frame, "_geometry_column_name", None)
    columns = [c for c in frame.columns if c != geometry]
    matches = match_fields(spec, columns, user_fields)
    renames = {m.source_field: m.schema_field for m in matches if m.source_field != m.schema_field}
    # A column already holding a schema name that another field now stands for keeps
    # its data under a new name, so nothing is silently overwritten.
    displaced = {c: f"{c}_source" for c in columns if c in renames.values() and c not in renames}
    mapped = frame.rename(columns={**displaced, **renames})
    mapped.attrs = dict(frame.attrs)
    mapped.attrs["field_sources"] = {m.schema_field: m.source_field for m in matches}
    notes = translate_values(spec, mapped)
    converted = translate_booleans(spec, mapped)
    notes += [(f"[{layer}] '{name}' read as yes/no from its text values",
               f"[{spec.zh} {layer}] 字段“{name}”的文本取值已按是/否读取") for name in sorted(converted)]
    numbers, problems = translate_numbers(spec, mapped)
    notes += [(f"[{layer}] '{name}' read as numbers from its text values (thousands separators, full-width digits)",
               f"[{spec.zh} {layer}] 字段“{name}”的文本取值已按数字读取（千位分隔符、全角数字）")
              for name in sorted(numbers)]
    return MappedLayer(mapped, matches, notes, converted | numbers, problems)


_UNREADABLE = "unreadable"


def _number(text) -> float | str | None:
    """'12,345', '１２３', ' 7 ' -> a number; None when it is none."""
    if text is None or (isinstance(text, float) and text != text):
        return None
    if isinstance(text, (int, float)):
        return float(text)
    cleaned = unicodedata.normalize("NFKC", str(text)).strip().replace(",", "").replace("，", "").replace(" ", "")
    if cleaned == "":
        return None
    try:
        return float(cleaned)
    except ValueError:
        return _UNREADABLE


def translate_numbers(spec: LayerSpec, frame: pd.DataFrame) -> tuple[set[str], list[tuple[str, str, str]]]:
    """Integer and real fields held as text turned into numbers, in place; text that is
    no number is listed as a problem (field, en, zh) naming the values and rows."""
    changed, problems = set(), []
    for name, kind in spec.fields.items():
        if kind not in ("integer", "real") or name not in frame.columns:
            continue
        values = frame[name]
        if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
            continue
        numbers = values.map(_number)
        unreadable = numbers.map(lambda v: isinstance(v, str))
        if unreadable.any():
            rows = [str(i + 1) for i in range(len(values)) if unreadable.iloc[i]][:10]
            shown = ", ".join(f"'{v}'" for v in values[unreadable].drop_duplicates().head(5))
            problems.append((name,
                             f"[{spec.name}] Field '{name}' should hold {kind} numbers, but has text that is no "
                             f"number: {shown} (rows {', '.join(rows)}). Correct the values (or map another field in "
                             "FIELD_MAP).",
                             f"[{spec.zh} {spec.name}] 字段“{name}”应为数字（{kind}），但含有非数字文本：{shown}（第 "
                             f"{', '.join(rows)} 行）。请更正取值（或在 FIELD_MAP 中指定其他字段）。"))
            continue
        frame[name] = pd.to_numeric(numbers, errors="coerce")
        changed.add(name)
    return changed, problems


def translate_values(spec: LayerSpec, frame: pd.DataFrame) -> list[tuple[str, str]]:
    """Category values in another accepted spelling (滑坡, 高速, Landslide…) replaced by
    the schema key, in place; returns a note per translated field."""
    notes = []
    for name, spellings in (spec.value_aliases or {}).items():
        if name not in frame.columns or not spellings:
            continue
        lookup = {_fold(k): v for k, v in spellings.items()}
        lookup.update({_fold(k): k for k in spec.allowed.get(name, ()) if isinstance(k, str)})
        original = frame[name]
        texts = original.map(lambda v: v if not isinstance(v, str) else lookup.get(_fold(v), v))
        changed = original.notna() & (texts != original)
        if changed.any():
            frame[name] = texts
            pairs = sorted({f"{a}→{b}" for a, b in zip(original[changed], texts[changed])})
            shown = ", ".join(pairs[:8]) + (" …" if len(pairs) > 8 else "")
            notes.append((f"[{spec.name}] {int(changed.sum())} value(s) of '{name}' read as schema values: {shown}",
                          f"[{spec.zh} {spec.name}] 字段“{name}”的 {int(changed.sum())} 个取值已按规范值读取：{shown}"))
    return notes


# Shapefiles have no boolean type: writers store yes/no as text.
BOOLEAN_SPELLINGS = {"true": True, "t": True, "yes": True, "y": True, "1": True, "是": True, "有": True, "室内": True,
                     "false": False, "f": False, "no": False, "n": False, "0": False, "否": False, "无": False,
                     "室外": False}


def translate_booleans(spec: LayerSpec, frame: pd.DataFrame) -> set[str]:
    """Boolean fields held as text (True/False, 是/否, 1/0…) turned into booleans, in
    place, when every value is one of those spellings; returns the fields changed."""
    changed = set()
    for name, kind in spec.fields.items():
        if kind != "boolean" or name not in frame.columns:
            continue
        values = frame[name]
        if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
            continue
        present = values.dropna()
        folded = present.map(_fold)
        if len(present) and folded.isin(list(BOOLEAN_SPELLINGS)).all():
            frame[name] = values.map(lambda v: None if v is None or v != v
                                     else BOOLEAN_SPELLINGS[_fold(v)]).astype("boolean")
            changed.add(name)
    return changed


def known_values(spec: LayerSpec, name: str) -> str:
    """The allowed values of a field with their Chinese names: 'landslide (滑坡), …'."""
    zh_of: dict[str, str] = {}
    for spelling, key in (spec.value_aliases or {}).get(name, {}).items():
        if re.search(r"[\u4e00-\u9fff]", spelling):
            zh_of.setdefault(key, spelling)
    return ", ".join(f"{k} ({zh_of[k]})" if k in zh_of and zh_of[k] != k else str(k) for k in spec.allowed[name])


# The FIELD_MAP file -------------------------------------------------------------------

def load_field_map(path: str | Path | None) -> dict[str, dict[str, str]]:
    """The user's field map: ``{layer: {schema_field: source_field}}``. Every mistake
    is an ``InputError`` naming the key and its line."""
    if not path:
        return {}
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"The field map '{path}' cannot be read: {exc}. Save it as UTF-8 text.",
                         f"无法读取字段映射文件“{path}”：{exc}。请保存为 UTF-8 文本。") from exc
    try:
        raw = parse_toml(text)
    except TomlError as exc:
        raise InputError(f"The field map '{path.name}' is not valid TOML: {exc}.",
                         f"字段映射文件“{path.name}”不是有效的 TOML：{exc}。") from exc
    specs = layer_specs()
    result: dict[str, dict[str, str]] = {}
    for layer, table in raw.items():
        where = f"{path.name}, line {_line_of(text, layer)}"
        where_zh = f"{path.name} 第 {_line_of(text, layer)} 行"
        if layer not in specs:
            raise InputError(f"{where}: [{layer}] is not a layer of the data schema; use one of {', '.join(specs)}.",
                             f"{where_zh}：[{layer}] 不是数据规范中的图层；应为 {', '.join(specs)} 之一。")
        if not isinstance(table, dict):
            raise InputError(f"{where}: '{layer}' must be a table: [{layer}] then lines field = \"source field\".",
                             f"{where_zh}：“{layer}”必须是表：先写 [{layer}]，再逐行写 字段 = \"源字段\"。")
        result[layer] = {}
        for key, value in table.items():
            line = _line_of(text, layer, key)
            if key not in specs[layer].known_fields:
                raise InputError(
                    f"{path.name}, line {line}: [{layer}] has no field '{key}'; its fields are "
                    f"{', '.join(specs[layer].known_fields)}.",
                    f"{path.name} 第 {line} 行：[{layer}] 没有字段“{key}”；"
                    f"其字段为 {', '.join(specs[layer].known_fields)}。")
            if not isinstance(value, str) or not value.strip():
                raise InputError(
                    f"{path.name}, line {line}: [{layer}] {key} must be the name of a field in quotes, e.g. "
                    f"{key} = \"常住人口\".",
                    f"{path.name} 第 {line} 行：[{layer}] {key} 应为带引号的源字段名，例如 {key} = \"常住人口\"。")
            result[layer][key] = value.strip()
    return result


def _line_of(text: str, table: str, key: str | None = None) -> int:
    """The line (1-based) of ``[table]`` or of ``key`` inside it; 1 when not found
    (e.g. a dotted or inline form)."""
    lines = text.splitlines()
    header = re.compile(r"^\s*\[\s*\"?%s\"?\s*\]" % re.escape(table))
    start = next((i for i, line in enumerate(lines) if header.match(line)), None)
    if start is None:
        return 1
    if key is None:
        return start + 1
    pattern = re.compile(r"^\s*\"?%s\"?\s*=" % re.escape(key))
    for i in range(start + 1, len(lines)):
        if lines[i].lstrip().startswith("["):
            break
        if pattern.match(lines[i]):
            return i + 1
    return start + 1


def propose_field_map(columns_by_layer: Mapping[str, Iterable[str]]) -> str:
    """A FIELD_MAP file for the given layers: every schema field with the source field
    matched automatically, and the unmatched ones commented out with the layer's
    fields to choose from, for the user to check and complete."""
    out = ["# Field map proposed by hunchunrisk:validateinputs. Check each line, complete the",
           "# commented ones, and give this file as FIELD_MAP to any algorithm.",
           "# 由“检查输入数据”生成的字段映射文件：请逐行核对，补全以 # 开头的行，然后作为 FIELD_MAP 参数使用。",
           "# schema field = \"field of your layer\" / 规范字段 = \"图层中的字段\"", ""]
    for layer, columns in columns_by_layer.items():
        spec = layer_spec(layer)
        columns = [str(c) for c in columns]
        found = {m.schema_field: m for m in match_fields(spec, columns)}
        out.append(f"[{layer}]  # {spec.zh}; fields of the layer / 图层字段: {', '.join(columns) or '-'}")
        for schema_field, kind in spec.fields.items():
            match = found.get(schema_field)
            if match is not None:
                out.append(f"{schema_field} = {_quoted(match.source_field)}  # {_HOW[match.how][0]}")
            else:
                out.append(f"# {schema_field} = \"\"  # {kind}: not found / 未找到")
        out.append("")
    return "\n".join(out)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
