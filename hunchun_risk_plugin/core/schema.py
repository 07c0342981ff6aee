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
    allowed: dict[str, tuple] = None  # type: ignore[assignment]
    ranges: dict[str, tuple[float, float]] = None  # type: ignore[assignment]

    def label(self, language: str = "en") -> str:
        return self.zh if language.startswith("zh") else self.en


@cache
def layer_specs() -> dict[str, LayerSpec]:
    """Every layer of the schema by name, in file order."""
    raw = data_file("schema.toml")["layers"]
    return {
        name: LayerSpec(
            name=name,
            zh=spec["zh"],
            en=spec["en"],
            geometry=spec["geometry"],
            id_field=spec.get("id_field", ""),
            required=bool(spec.get("required", False)),
            fields=dict(spec["fields"]),
            allowed={f: allowed_values(v) for f, v in spec.get("allowed", {}).items()},
            ranges={f: (float(lo), float(hi)) for f, (lo, hi) in spec.get("ranges", {}).items()},
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
