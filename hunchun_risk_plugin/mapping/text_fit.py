"""Text boxes that hold their text: a label whose text changes from page to page (the
notes: scenario, sources with the data date, software, provenance) is wrapped at its
box's width here, the lines measured, and the box grown upward into the free room
above it or, when there is none, its type made a little smaller, so that no line runs
over the item below (QGIS 3.22) or is cut at the box (3.40).

The lines are broken here, not by QGIS, so that both versions draw the lines that were
measured."""
from __future__ import annotations

import json

from qgis.core import QgsLayoutItemLabel, QgsLayoutPoint, QgsLayoutSize, QgsUnitTypes

from .layout_check import drawn_box, furniture
from .legend_fit import TYPE_SCALES
from .text_measure import font_of, label_line_width_mm, label_text_height_mm, set_font_size, wrapped_lines

MM = QgsUnitTypes.LayoutUnit.LayoutMillimeters
# the labels whose text is the page's own, in stacks: each from the bottom of its column up
FITTED_STACKS = (("synthetic_note", "notes"), ("subtitle",))
GAP_MM = 1.5                 # kept clear between a grown box and the item above it
_BASE = "hr_text_base"       # the template's text, type size and box, kept on the item


def fit_text_boxes(layout) -> None:
    """Fit the labels of ``FITTED_STACKS`` the page shows."""
    for stack in FITTED_STACKS:
        _fit_stack(layout, stack)


def _fit_stack(layout, stack: tuple[str, ...]) -> None:
    """From the bottom of the column up: a label that grows lifts the ones above it
    by as much."""
    labels = [item for item in (layout.itemById(i) for i in stack) if isinstance(item, QgsLayoutItemLabel)]
    lift = 0.0
    for index, label in enumerate(labels):
        base = _restore(label)
        label.attemptMove(QgsLayoutPoint(base["x"], base["y"] - lift, MM))
        if label.isVisible() and label.currentText().strip():
            lift += fit_text_box(label, base, movable=labels[index + 1:])


def fit_text_box(label: QgsLayoutItemLabel, base: dict, movable=()) -> float:
    """The label's current text in lines that fit its width, at the largest type size
    whose lines fit the box grown by the room above it (down to the legends' smallest
    scale; ``movable`` items above make way); the box grows upward, its bottom stays.
    Returns how much it grew."""
    text = label.currentText()
    room = room_above(label, movable)
    width = label_line_width_mm(label)
    for scale in TYPE_SCALES:
        set_font_size(label, base["size"] * scale)
        lines = wrapped_lines(text, font_of(label), width)
        need = label_text_height_mm(label, lines)
        if need <= base["h"] + room:
            break
    label.setText(lines)
    grow = min(max(0.0, need - base["h"]), room)
    label.attemptMove(QgsLayoutPoint(label.pos().x(), label.pos().y() - grow, MM))
    label.attemptResize(QgsLayoutSize(base["w"], base["h"] + grow, MM))
    return grow


def room_above(label: QgsLayoutItemLabel, movable=()) -> float:
    """How far the label's box may grow upward before it comes within ``GAP_MM`` of a
    piece of furniture above it in its column, other than ``movable`` ones (0 when
    there is none: the page's top is no place for notes)."""
    box = drawn_box(label)
    others = [drawn_box(item) for item in furniture(label.layout()) if item is not label and item not in movable]
    bottoms = [other.bottom() for other in others
               if other.right() > box.left() and other.left() < box.right() and other.bottom() <= box.top() + 0.5]
    return max(0.0, box.top() - max(bottoms) - GAP_MM) if bottoms else 0.0


def _restore(label: QgsLayoutItemLabel) -> dict:
    """The template's text, size and box, put back (the layout serves page after page)."""
    stored = label.customProperty(_BASE)
    if not stored:
        base = {"text": label.text(), "size": font_of(label).pointSizeF(), "x": label.pos().x(),
                "y": label.pos().y(), "w": label.rect().width(), "h": label.rect().height()}
        label.setCustomProperty(_BASE, json.dumps(base))
        return base
    base = json.loads(str(stored))
    label.setText(base["text"])
    set_font_size(label, base["size"])
    label.attemptMove(QgsLayoutPoint(base["x"], base["y"], MM))
    label.attemptResize(QgsLayoutSize(base["w"], base["h"], MM))
    return base
