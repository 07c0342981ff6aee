"""The input data schema (``core/data/schema.toml``) as typed objects."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .definitions import data_file, domain

GEOMETRY_KINDS = ("point", "line", "polygon")
FIELD_TYPES = ("string", "integer", "real", "boolean")


@dataclass(frozen=True)
class LayerSpec:
    name: str
    zh: str
    en: str
    geometry: str
    id_field: str
    required: bool
    fields: dict[str, str]
    id_used: bool = True  # the analyses use the ids (so they must be unique and present there too)
    allowed: dict[str, tuple] = None  # type: ignore[assignment]
    ranges: dict[str, tuple[float, float]] = None  # type: ignore[assignment]
    optional_fields: dict[str, str] = None  # type: ignore[assignment]  # used when present, no error when absent
    aliases: dict[str, tuple[str, ...]] = None  # type: ignore[assignment]
    value_aliases: dict[str, dict[str, str]] = None  # type: ignore[assignment]  # field -> {spelling: key}

    def label(self, language: str = "en") -> str:
        return self.zh if language.startswith("zh") else self.en

    @property
    def known_fields(self) -> dict[str, str]:
        """The schema fields and the optional ones: all a layer's columns are matched to."""
        return {**self.fields, **(self.optional_fields or {})}


@dataclass(frozen=True)
class RasterSpec:
    name: str
    zh: str
    en: str
    unit: str
    sample_file: str  # the sample dataset's file in layers/, "" when it has none

    def label(self, language: str = "en") -> str:
        return self.zh if language.startswith("zh") else self.en


@dataclass(frozen=True)
class CensusInput:
    """One input layer of the analyses, as every front end names it: the Processing
    parameter, the schema layer, what it holds and its label."""
    parameter: str          # "TOWNSHIPS"
    name: str               # the schema's name: "townships"
    geometry: str | None    # point | line | polygon; None for a raster
    zh: str
    en: str

    @property
    def is_raster(self) -> bool:
        return self.geometry is None

    def label(self, language: str = "en") -> str:
        """The label a user sees: '乡镇边界 (townships)'."""
        return f"{self.zh if language.startswith('zh') else self.en} ({self.name})"


def _schema() -> dict:
    return data_file("schema.toml")


@cache
def raster_specs() -> dict[str, RasterSpec]:
    """Every raster input of the schema by name, in file order."""
    return {name: RasterSpec(name, spec["zh"], spec["en"], spec.get("unit", ""), spec.get("sample_file", ""))
            for name, spec in _schema()["rasters"].items()}


@cache
def census_inputs() -> tuple[CensusInput, ...]:
    """The vector layers, then the rasters, of the schema: the one table of inputs the
    algorithms, the plugin's dialogs, the scripts and the tests build on."""
    vectors = [CensusInput(n.upper(), n, s.geometry, s.zh, s.en) for n, s in layer_specs().items()]
    rasters = [CensusInput(n.upper(), n, None, s.zh, s.en) for n, s in raster_specs().items()]
    return tuple(vectors + rasters)


def census_input(name: str) -> CensusInput:
    """The input for a schema name ('townships') or parameter name ('TOWNSHIPS')."""
    for item in census_inputs():
        if name in (item.name, item.parameter):
            return item
    raise KeyError(name)


@cache
def layer_specs() -> dict[str, LayerSpec]:
    """Every layer of the schema by name, in file order."""
    raw = _schema()["layers"]
    return {
        name: LayerSpec(
            name=name,
            zh=spec["zh"],
            en=spec["en"],
            geometry=spec["geometry"],
            id_field=spec.get("id_field", ""),
            required=bool(spec.get("required", False)),
            fields=dict(spec["fields"]),
            id_used=bool(spec.get("id_used", True)),
            allowed={f: allowed_values(v) for f, v in spec.get("allowed", {}).items()},
            ranges={f: (float(lo), float(hi)) for f, (lo, hi) in spec.get("ranges", {}).items()},
            optional_fields=dict(spec.get("optional_fields", {})),
            aliases=_field_aliases(name, spec),
            value_aliases={f: value_spellings(v, spec.get("value_aliases", {}).get(f, {}))
                           for f, v in spec.get("allowed", {}).items()},
        )
        for name, spec in raw.items()
    }


def layer_spec(name: str) -> LayerSpec:
    return layer_specs()[name]


def allowed_values(declared: list | str) -> tuple:
    """A field's allowed values: a literal list, or ``domain:<table>`` for its keys."""
    if isinstance(declared, str) and declared.startswith("domain:"):
        return tuple(domain()[declared.split(":", 1)[1]].keys())
    return tuple(declared)


def _field_aliases(layer: str, spec: dict) -> dict[str, tuple[str, ...]]:
    """The declared aliases of each field; the depots' ``stock_<item>`` fields also
    take the item's Chinese name from domain.toml."""
    fields = {**spec["fields"], **spec.get("optional_fields", {})}
    aliases = {f: tuple(spec.get("aliases", {}).get(f, ())) for f in fields}
    if layer == "depots":
        for key, item in domain()["depot_items"].items():
            if f"stock_{key}" in aliases:
                aliases[f"stock_{key}"] += (item["zh"],)
    return aliases


def value_spellings(declared: list | str, extra: dict[str, list[str]]) -> dict[str, str]:
    """Every accepted spelling of a field's allowed values -> the value itself: the key,
    and for a domain table each entry's ``zh``, ``en`` and ``aliases``; for a literal
    list the schema's ``value_aliases``."""
    spellings: dict[str, str] = {}
    if isinstance(declared, str) and declared.startswith("domain:"):
        for key, entry in domain()[declared.split(":", 1)[1]].items():
            names = [entry.get("zh"), entry.get("en"), *entry.get("aliases", ())] if isinstance(entry, dict) else []
            spellings.update({str(n): key for n in names if n})
    for key, names in extra.items():
        spellings.update({str(n): key for n in names})
    return spellings
