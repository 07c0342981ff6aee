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


def style_for(layer_name: str) -> Path:
    return styles_dir() / f"{layer_name}.qml"
