"""Which of a project's layers is which input of the data schema: the one matcher the
algorithm dialogs, the plugin's menu actions and the dock use (plain data in, plain
data out; the QGIS side is ``processing_provider/project_layers.py``).

A layer matches a schema input by name first (its name or short name equals the
schema's name, its Chinese or English label, a label pair such as "乡镇边界 Township
boundaries", or one of the layer's ``layer_aliases`` in ``schema.toml``), then, for vector
layers no name claimed, by fields (the right geometry and every field of the schema
layer, by name or alias, when exactly one layer fits). An input nothing matches stays empty: a wrong
layer chosen silently is worse than a box left to fill."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .schema import CensusInput, census_inputs, layer_specs, raster_specs


@dataclass(frozen=True)
class LayerFacts:
    """What the matcher needs to know of one project layer."""
    id: str
    name: str
    short_name: str = ""
    geometry: str | None = None          # point | line | polygon; None for a raster
    fields: frozenset[str] = field(default_factory=frozenset)
    is_raster: bool = False


def normalised(text: str) -> str:
    """Case, spaces, brackets and punctuation do not count: 'Township boundaries' ==
    'township_boundaries' == '乡镇边界'…"""
    return re.sub(r"[\s_\-()（）\[\]【】:：,，.·/]+", "", (text or "").lower())


def names_of(item: CensusInput) -> set[str]:
    """Every name that identifies ``item``'s layer, normalised."""
    spec = layer_specs().get(item.name) or raster_specs().get(item.name)
    aliases = _schema_aliases(item.name)
    names = {item.name, item.zh, item.en, f"{item.zh} {item.en}", f"{item.en} {item.zh}", *aliases}
    if spec is not None and getattr(spec, "sample_file", ""):
        names.add(spec.sample_file.rsplit(".", 1)[0])
    return {normalised(n) for n in names if n}


def _schema_aliases(name: str) -> tuple[str, ...]:
    from .schema import _schema

    raw = _schema()
    spec = raw.get("layers", {}).get(name) or raw.get("rasters", {}).get(name) or {}
    return tuple(spec.get("layer_aliases", ()))  # ``aliases`` are the fields' other names


def _kind_fits(item: CensusInput, layer: LayerFacts) -> bool:
    if item.is_raster:
        return layer.is_raster
    return not layer.is_raster and layer.geometry == item.geometry


def _has_every_field(name: str, layer: LayerFacts) -> bool:
    """Every field of the schema layer is there, by its name or one of its aliases."""
    from .schema import _schema

    aliases = _schema()["layers"][name].get("aliases", {})
    present = {normalised(f) for f in layer.fields}
    if not isinstance(aliases, dict):
        aliases = {}
    return all({normalised(n) for n in (field, *aliases.get(field, ()))} & present
               for field in layer_specs()[name].fields)


def match_layers(layers: Sequence[LayerFacts], inputs: Iterable[CensusInput] | None = None) -> dict[str, str]:
    """Schema input name ('townships') -> the id of the layer that is it; inputs with no
    match are left out. A layer serves at most one input."""
    inputs = tuple(inputs if inputs is not None else census_inputs())
    chosen: dict[str, str] = {}
    used: set[str] = set()
    for item in inputs:  # names first: they say what the user meant
        names = names_of(item)
        hits = [layer for layer in layers if layer.id not in used and _kind_fits(item, layer)
                and (normalised(layer.short_name) in names or normalised(layer.name) in names)]
        by_short = [layer for layer in hits if normalised(layer.short_name) in names]
        pick = by_short or hits
        if len(pick) >= 1:
            chosen[item.name] = pick[0].id
            used.add(pick[0].id)
    for item in inputs:  # then fields, for a vector input still empty
        if item.name in chosen or item.is_raster:
            continue
        fits = [layer for layer in layers if layer.id not in used and _kind_fits(item, layer)
                and _has_every_field(item.name, layer)]
        if len(fits) == 1:
            chosen[item.name] = fits[0].id
            used.add(fits[0].id)
    return chosen
