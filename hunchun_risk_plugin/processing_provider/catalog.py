"""Id, title and group of every algorithm, from ``core/data/algorithms.toml`` (standard
library only: the placeholders shown while packages are missing read it too)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CATALOG = Path(__file__).resolve().parent.parent / "core" / "data" / "algorithms.toml"


@dataclass(frozen=True)
class AlgorithmEntry:
    id: str
    title_en: str
    title_zh: str
    group_id: str
    group_en: str
    group_zh: str
    group_order: str = ""   # "1": the toolbox lists groups by name, this keeps the workflow order


def read_toml(text: str) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python < 3.11
        try:
            import tomli as tomllib
        except ModuleNotFoundError:  # not installed yet: the file keeps to what the fallback reads
            return simple_toml(text)
    return tomllib.loads(text)


_TABLE = re.compile(r"^\[([A-Za-z0-9_.]+)\]$")
_ARRAY_TABLE = re.compile(r"^\[\[([A-Za-z0-9_]+)\]\]$")
_STRING = re.compile(r'^([A-Za-z0-9_]+)\s*=\s*("(?:[^"\\]|\\.)*")$')


def simple_toml(text: str) -> dict:
    """TOML limited to ``[a.b]`` tables, ``[[a]]`` arrays of tables and ``key = "string"``."""
    root: dict = {}
    current = root
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if match := _ARRAY_TABLE.match(line):
            current = {}
            root.setdefault(match[1], []).append(current)
        elif match := _TABLE.match(line):
            current = root
            for key in match[1].split("."):
                current = current.setdefault(key, {})
        elif match := _STRING.match(line):
            current[match[1]] = json.loads(match[2])
        else:
            raise ValueError(f"{CATALOG.name}:{number}: not understood by the fallback reader: {line}")
    return root


@cache
def algorithm_entries() -> tuple[AlgorithmEntry, ...]:
    raw = read_toml(CATALOG.read_text(encoding="utf-8"))
    groups = raw["groups"]
    return tuple(AlgorithmEntry(a["id"], a["title_en"], a["title_zh"], a["group"], groups[a["group"]]["en"],
                                groups[a["group"]]["zh"], groups[a["group"]].get("order", ""))
                 for a in raw["algorithms"])


def entry(algorithm_id: str) -> AlgorithmEntry:
    for candidate in algorithm_entries():
        if candidate.id == algorithm_id:
            return candidate
    raise KeyError(f"{algorithm_id} is not in {CATALOG}")
