"""Access to the domain definitions kept as data in ``core/data/domain.toml``."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

try:
    import tomllib  # Python 3.11+
except ModuleNotFoundError:  # Python 3.9/3.10 (QGIS 3.22 on Windows): the same parser, published as tomli
    import tomli as tomllib

DATA_DIR = Path(__file__).resolve().parent / "data"

TomlError = tomllib.TOMLDecodeError


def parse_toml(text: str) -> dict[str, Any]:
    """Parsed TOML text; raises ``TomlError`` on invalid TOML."""
    return tomllib.loads(text)


def read_toml(path: Path) -> dict[str, Any]:
    """A parsed TOML file (UTF-8, as TOML requires)."""
    with open(path, "rb") as handle:
        return tomllib.load(handle)


@cache
def data_file(name: str) -> dict[str, Any]:
    """A parsed TOML file of ``core/data`` (cached; treat as read-only)."""
    return read_toml(DATA_DIR / name)


def domain() -> dict[str, Any]:
    """The domain definitions (classes, colours, standards, townships)."""
    return data_file("domain.toml")


@dataclass(frozen=True)
class ClassDef:
    value: int
    key: str
    zh: str
    en: str
    color: tuple[int, int, int]

    def label(self, language: str = "en") -> str:
        return self.zh if language.startswith("zh") else self.en


def _class_defs(section: str) -> list[ClassDef]:
    return [
        ClassDef(int(c["value"]), c["key"], c["zh"], c["en"], tuple(c["color"]))
        for c in domain()[section]
    ]


def risk_classes() -> list[ClassDef]:
    """The five risk classes, lowest (1, 低) first."""
    return _class_defs("risk_classes")


def prevention_zones() -> list[ClassDef]:
    """The prevention zoning classes, general (1) first, key (3) last."""
    return _class_defs("prevention_zones")


def default_epsg() -> int:
    return int(domain()["crs"]["default_epsg"])


def scale(name: str) -> dict[str, Any]:
    """Scale definition by name: ``city`` (1:250000) or ``township`` (1:50000)."""
    return domain()["scales"][name]


def shelter_kinds() -> dict[str, dict[str, Any]]:
    return domain()["shelter_kinds"]


def road_classes() -> dict[str, dict[str, Any]]:
    return domain()["road_classes"]


def walking_speed_kmh() -> float:
    return float(domain()["walking"]["speed_kmh"])


def depot_items() -> dict[str, dict[str, Any]]:
    return domain()["depot_items"]


def depot_stock_field(item: str) -> str:
    return f"stock_{item}"


def hazard_site_kinds() -> dict[str, dict[str, Any]]:
    return domain()["hazard_site_kinds"]


def hazard_site_scales() -> dict[str, dict[str, Any]]:
    return domain()["hazard_site_scales"]


def hazard_kinds() -> dict[str, dict[str, Any]]:
    return domain()["hazard_kinds"]


def targets_hours() -> dict[str, float]:
    return {k: float(v) for k, v in domain()["targets"].items()}


def townships() -> list[dict[str, str]]:
    """Hunchun's 13 township-level units (code, name, name_en, kind)."""
    return list(domain()["townships"])
