"""Measure a filled page: does every piece of furniture fit its box and keep clear of
the others? Read from the layout items' own geometry in QGIS (their scene rectangles,
the legend renderer's size for the legend's content and the legend as QGIS draws it,
rendered without its frame's clip, the tables' total size), not judged by eye. The
export logs what this finds; the layout tests fail on it."""
from __future__ import annotations

import numpy as np
from qgis.core import (
    QgsLayoutFrame,
    QgsLayoutItem,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemMapGrid,
    QgsLayoutItemPage,
    QgsLayoutUtils,
    QgsLegendRenderer,
    QgsPrintLayout,
)
from qgis.PyQt.QtCore import QRectF, QSizeF
from qgis.PyQt.QtGui import QFont, QImage, QPainter
from qgis.PyQt.QtWidgets import QStyleOptionGraphicsItem

from .text_measure import font_of, label_line_width_mm, label_text_height_mm, wrapped_lines

TOLERANCE_MM = 0.05
TEXT_TOLERANCE_MM = 0.3  # a line's descent may touch the box's edge
INK_DPI = 96                # the legend drawn at this resolution to find where its ink lies
INK_TOLERANCE_MM = 25.4 / INK_DPI  # one pixel
ON_MAP_ITEMS = ("north_arrow", "sheet_clip")  # drawn over the map face on purpose


def layout_problems(layout: QgsPrintLayout) -> list[str]:
    """Every overflow and overlap on the page, one line each; [] when the page is clean."""
    items = furniture(layout)
    problems = _off_page(layout, items) + _legend_overflow(layout) + _table_overflow(layout) + _text_overflow(items)
    problems += _overlaps(items)
    return problems


def legend_content_size(legend: QgsLayoutItemLegend) -> QSizeF:
    """The size (mm) the legend's items take when drawn with the legend's settings."""
    context = QgsLayoutUtils.createRenderContextForLayout(legend.layout(), None)
    return QgsLegendRenderer(legend.model(), legend.legendSettings()).minimumSize(context)


def legend_ink_box(legend: QgsLayoutItemLegend) -> QRectF:
    """Where the legend's items leave ink (mm from the item's top-left corner): the
    legend drawn by QGIS's legend renderer as the item draws it, but on a canvas larger
    than its frame and without the frame's clip. Empty when nothing is drawn."""
    need = legend_content_size(legend)
    width_mm = max(legend.rect().width(), need.width()) * 1.5 + 20.0
    height_mm = max(legend.rect().height(), need.height()) * 1.5 + 20.0
    image = QImage(round(width_mm * INK_DPI / 25.4), round(height_mm * INK_DPI / 25.4), QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    context = QgsLayoutUtils.createRenderContextForLayout(legend.layout(), painter, INK_DPI)
    painter.scale(context.scaleFactor(), context.scaleFactor())  # the renderer draws in mm, as in the item's draw()
    renderer = QgsLegendRenderer(legend.model(), legend.legendSettings())
    renderer.setLegendSize(legend.rect().size())
    renderer.drawLegend(context)
    painter.end()
    alpha = _alpha(image)
    rows, columns = np.nonzero(alpha)
    if not len(rows):
        return QRectF()
    mm = 25.4 / INK_DPI
    return QRectF(columns.min() * mm, rows.min() * mm, (columns.max() + 1 - columns.min()) * mm,
                  (rows.max() + 1 - rows.min()) * mm)


def _as_exported(legend: QgsLayoutItemLegend) -> None:
    """The legend's items as an export draws them: QGIS filters a legend by its map
    only when the item is painted, so paint it once (on a scrap image) after asking for
    that filter, as the exporter's refresh does."""
    legend.updateFilterByMap(False)
    image = QImage(1, 1, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    legend.paint(painter, QStyleOptionGraphicsItem(), None)
    painter.end()


def _alpha(image: QImage) -> np.ndarray:
    bits = image.constBits()
    bits.setsize(image.sizeInBytes())
    pixels = np.frombuffer(bits, np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)
    return pixels[:, :image.width(), 3]  # ARGB32 little-endian: B, G, R, A


def drawn_box(item: QgsLayoutItem) -> QRectF:
    """What an item covers on the page. A map's own bounding box reserves the width of
    its longest graticule label on every side (QGIS's estimate); what is drawn is the
    frame, the gap and one line of label text (latitudes stand on end)."""
    if not isinstance(item, QgsLayoutItemMap):
        return item.sceneBoundingRect()
    box = item.mapToScene(item.rect()).boundingRect()
    grow = max((_grid_extension(grid) for grid in item.grids().asList() if grid.enabled()), default=0.0)
    return box.adjusted(-grow, -grow, grow, grow)


def _grid_extension(grid) -> float:
    frame = grid.frameWidth() if grid.frameStyle() != QgsLayoutItemMapGrid.FrameStyle.NoFrame else 0.0
    if not grid.annotationEnabled():
        return frame
    fmt = grid.annotationTextFormat()
    font = QFont(fmt.font())
    font.setPointSizeF(fmt.size())
    return frame + grid.annotationFrameDistance() + QgsLayoutUtils.fontHeightMM(font)


def furniture(layout: QgsPrintLayout) -> list[QgsLayoutItem]:
    """The visible items, by name (so the report reads the same every time)."""
    items = [item for item in layout.items() if isinstance(item, QgsLayoutItem)
             and not isinstance(item, QgsLayoutItemPage) and item.isVisible() and item.parentGroup() is None]
    return sorted(items, key=_name)


def _name(item: QgsLayoutItem) -> str:
    return item.id() or item.displayName()


def _off_page(layout: QgsPrintLayout, items) -> list[str]:
    page = layout.pageCollection().page(0).sceneBoundingRect()
    return [f"{_name(i)} leaves the page" for i in items if not _inside(drawn_box(i), page)]


def _legend_overflow(layout: QgsPrintLayout) -> list[str]:
    problems = []
    for legend in (i for i in layout.items() if isinstance(i, QgsLayoutItemLegend) and i.isVisible()):
        _as_exported(legend)
        need, have = legend_content_size(legend), legend.rect()
        if need.width() > have.width() + TOLERANCE_MM or need.height() > have.height() + TOLERANCE_MM:
            problems.append(f"legend {_name(legend)}: items need {need.width():.1f} x {need.height():.1f} mm, "
                            f"its frame is {have.width():.1f} x {have.height():.1f} mm")
            continue
        ink = legend_ink_box(legend)
        frame = QRectF(0, 0, have.width(), have.height()).adjusted(-INK_TOLERANCE_MM, -INK_TOLERANCE_MM,
                                                                   INK_TOLERANCE_MM, INK_TOLERANCE_MM)
        if not ink.isEmpty() and not _inside(ink, frame):
            problems.append(f"legend {_name(legend)}: items drawn over {ink.left():.1f}-{ink.right():.1f} x "
                            f"{ink.top():.1f}-{ink.bottom():.1f} mm, its frame is {have.width():.1f} x "
                            f"{have.height():.1f} mm")
    return problems


def _text_overflow(items) -> list[str]:
    """Labels whose text, broken at the box's width, is taller than the box."""
    problems = []
    for label in (i for i in items if isinstance(i, QgsLayoutItemLabel)):
        text = label.currentText()
        if not text.strip():
            continue
        lines = wrapped_lines(text, font_of(label), label_line_width_mm(label, slack=0.0))
        need = label_text_height_mm(label, lines, slack=0.0)
        if need > label.rect().height() + TEXT_TOLERANCE_MM:
            problems.append(f"label {_name(label)}: its {lines.count(chr(10)) + 1} lines need {need:.1f} mm, "
                            f"its box is {label.rect().height():.1f} mm")
    return problems


def _table_overflow(layout: QgsPrintLayout) -> list[str]:
    problems = []
    for frame in (i for i in layout.items() if isinstance(i, QgsLayoutFrame) and i.isVisible()):
        table = frame.multiFrame()
        if table is None or len(table.frames()) != 1:
            continue
        need, have = table.totalSize(), frame.rect()
        if need.width() > have.width() + TOLERANCE_MM or need.height() > have.height() + TOLERANCE_MM:
            problems.append(f"table {_name(frame)}: needs {need.width():.1f} x {need.height():.1f} mm, "
                            f"its frame is {have.width():.1f} x {have.height():.1f} mm")
    return problems


def _overlaps(items) -> list[str]:
    """Pairs of furniture whose boxes overlap. Items over the map face on purpose (north
    arrow, sheet-corner labels) are measured against each other and the furniture only."""
    main = next((i for i in items if isinstance(i, QgsLayoutItemMap) and i.id() == "main_map"), None)
    face = main.mapToScene(main.rect()).boundingRect() if main is not None else QRectF()
    problems = []
    for index, first in enumerate(items):
        for second in items[index + 1:]:
            if _on_map(first, main, face) and second is main or _on_map(second, main, face) and first is main:
                continue
            if first.id() == "sheet_clip" or second.id() == "sheet_clip":
                continue
            overlap = drawn_box(first).intersected(drawn_box(second))
            if overlap.width() > TOLERANCE_MM and overlap.height() > TOLERANCE_MM:
                problems.append(f"{_name(first)} overlaps {_name(second)} "
                                f"({overlap.width():.1f} x {overlap.height():.1f} mm)")
    return problems


def _on_map(item: QgsLayoutItem, main, face: QRectF) -> bool:
    if item is main:
        return False
    return item.id() in ON_MAP_ITEMS or item.id().startswith("sheet_corner_") or _inside(item.sceneBoundingRect(), face)


def _inside(inner: QRectF, outer: QRectF) -> bool:
    return (inner.left() >= outer.left() - TOLERANCE_MM and inner.top() >= outer.top() - TOLERANCE_MM
            and inner.right() <= outer.right() + TOLERANCE_MM and inner.bottom() <= outer.bottom() + TOLERANCE_MM)
