"""The plugin version, read from metadata.txt (the single source of truth)."""
from __future__ import annotations

import configparser
from functools import cache
from pathlib import Path

_METADATA = Path(__file__).resolve().parent.parent / "metadata.txt"


@cache
def plugin_version() -> str:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(_METADATA, encoding="utf-8")
    return parser.get("general", "version", fallback="unknown")
