"""The printed-map definitions kept as data in ``core/data/maps.toml``: map kinds,
scales, paper sizes and notes."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .definitions import data_file


def maps_config() -> dict[str, Any]:
    """The printed-map definitions (kinds, papers, fonts, notes)."""
    return data_file("maps.toml")


@dataclass(frozen=True)
class MapKind:
    key: str
    zh: str
    en: str
    layers: tuple[str, ...]
    stats: str
    legend_first: tuple[str, ...] = ()   # the theme's layers, first in the legend
    scenario_from: str = ""               # the result whose run's scenario the page names (subtitle, notes)

    def legend_order(self) -> list[str]:
        """Layer keys in legend order: the thematic block first, then the rest top first."""
        first = [k for k in self.legend_first if k in self.layers]
        return first + [k for k in self.layers if k not in first]

    def title(self, language: str = "zh") -> str:
        return self.zh if language.startswith("zh") else self.en


def map_kinds() -> list[MapKind]:
    return [MapKind(k["key"], k["zh"], k["en"], tuple(k["layers"]), k["stats"], tuple(k.get("legend_first", ())),
                    k.get("scenario_from", "")) for k in maps_config()["kinds"]]


def map_kind(key: str) -> MapKind:
    for kind in map_kinds():
        if kind.key == key:
            return kind
    raise KeyError(f"unknown map kind {key!r}; known: {', '.join(k.key for k in map_kinds())}")


def paper_names() -> list[str]:
    """'A3 landscape', 'A3 portrait', … smallest sheet first."""
    return [f"{size} {orientation}" for size in maps_config()["paper"]["order"]
            for orientation in ("landscape", "portrait")]


def paper_size_mm(paper: str) -> tuple[float, float]:
    """Page width and height in mm of e.g. 'A3 landscape'."""
    size, _, orientation = paper.partition(" ")
    sizes = maps_config()["paper"]
    if size not in sizes or orientation not in ("landscape", "portrait"):
        raise ValueError(f"unknown paper {paper!r}; use one of: {', '.join(paper_names())}")
    width, height = sizes[size]
    return (float(height), float(width)) if orientation == "landscape" else (float(width), float(height))


def paper_name_of(width_mm: float, height_mm: float) -> str:
    """'A2 portrait' for a 420 x 594 mm page; 'W x H mm' for a size outside the A series."""
    for name in paper_names():
        if all(abs(a - b) < 1.0 for a, b in zip(paper_size_mm(name), (width_mm, height_mm))):
            return name
    return f"{width_mm:.0f} x {height_mm:.0f} mm"


def larger_papers(paper: str) -> list[str]:
    """``paper`` and every larger A size, both orientations, the given one first."""
    order = maps_config()["paper"]["order"]
    size, _, orientation = paper.partition(" ")
    other = "portrait" if orientation == "landscape" else "landscape"
    return [f"{s} {o}" for s in order[order.index(size):] for o in (orientation, other)]


def scale_text(scale: float) -> str:
    """1:50000 written the way Chinese maps print it: '1:50 000'."""
    return "1:" + f"{round(scale):,}".replace(",", " ")
