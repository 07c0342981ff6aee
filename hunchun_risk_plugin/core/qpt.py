"""Read sizes out of a QGIS layout template (.qpt) without QGIS: page planning needs
the main map frame of whichever template, shipped or the user's, will print a page."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .errors import InputError

_MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "m": 1000.0, "in": 25.4, "ft": 304.8, "pt": 25.4 / 72.0, "pi": 25.4 / 6.0}
PAGE_ITEM_TYPE = "65638"  # QgsLayoutItemRegistry::LayoutPage


def _size_mm(value: str) -> tuple[float, float]:
    width, height, unit = value.split(",")
    factor = _MM_PER_UNIT.get(unit.strip())
    if factor is None:
        raise InputError(f"The template sizes an item in '{unit.strip()}', which is not a paper unit; use mm.",
                         f"模板中的项目尺寸单位“{unit.strip()}”不是纸张单位，请改用毫米。")
    return float(width) * factor, float(height) * factor


def _items(path: Path):
    try:
        return ET.parse(path).getroot().iter("LayoutItem")
    except (ET.ParseError, OSError) as exc:
        raise InputError(f"Template '{path}' cannot be read as a QGIS layout template (.qpt): {exc}",
                         f"无法读取模板“{path}”（QGIS 打印布局模板 .qpt）：{exc}") from exc


def item_size_mm(path: str | Path, item_id: str) -> tuple[float, float] | None:
    """Width and height in mm of the item with ``item_id``, or None."""
    for item in _items(Path(path)):
        if item.get("id") == item_id and item.get("size"):
            return _size_mm(item.get("size"))
    return None


def page_size_mm(path: str | Path) -> tuple[float, float] | None:
    """The first page's width and height in mm."""
    for item in _items(Path(path)):
        if item.get("type") == PAGE_ITEM_TYPE and item.get("size"):
            return _size_mm(item.get("size"))
    return None


def main_map_frame_mm(path: str | Path) -> tuple[float, float]:
    size = item_size_mm(path, "main_map")
    if size is None:
        raise InputError(
            f"Template '{path}' has no map item with the id 'main_map'. In the layout designer give the main map "
            "that id (Item Properties → Item ID).",
            f"模板“{path}”中没有 ID 为 main_map 的地图项。请在布局设计器中把主地图的项目 ID 设为 main_map。")
    return size
