"""Where the plugin finds its sample data and styles.

In a source checkout they sit beside the plugin folder (``layers/``, ``styles/``);
in the installable zip ``make package`` puts them inside it.
"""
from __future__ import annotations

from pathlib import Path

PLUGIN_DIR = Path(__file__).resolve().parent


def _first_existing(name: str) -> Path:
    for candidate in (PLUGIN_DIR / name, PLUGIN_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    return PLUGIN_DIR.parent / name


def layers_dir() -> Path:
    return _first_existing("layers")


def styles_dir() -> Path:
    return _first_existing("styles")


def sample_gpkg() -> Path:
    return layers_dir() / "hunchun_sample.gpkg"


def sample_inputs() -> dict[str, str]:
    """Every census input of the synthetic sample dataset, as ``{parameter: uri}``
    (``TOWNSHIPS`` -> ``…/hunchun_sample.gpkg|layername=townships``, ``DEM`` -> ``…/dem.tif``)."""
    from .core.layer_uri import layer_uri
    from .core.schema import census_inputs, raster_specs

    uris = {}
    for item in census_inputs():
        if not item.is_raster:
            uris[item.parameter] = layer_uri(sample_gpkg(), item.name)
        elif raster_specs()[item.name].sample_file:
            uris[item.parameter] = str(layers_dir() / raster_specs()[item.name].sample_file)
    return uris


def style_for(layer_name: str) -> Path:
    return styles_dir() / f"{layer_name}.qml"


TEMPLATES_DIR = PLUGIN_DIR / "templates"
NORTH_ARROW = PLUGIN_DIR / "resources" / "north_arrow.svg"


def template_file(paper: str) -> Path:
    """The shipped print template for ``paper`` ('A3 landscape' -> templates/A3_landscape.qpt)."""
    return TEMPLATES_DIR / f"{paper.replace(' ', '_')}.qpt"
