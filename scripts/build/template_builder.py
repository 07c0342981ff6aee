"""The plugin's standard print templates (``templates/*.qpt``), one per paper.

Build-time code, not shipped in the plugin: ``scripts/make_templates.py`` runs this once
and the .qpt files ship with the plugin; exports load the .qpt, never this code, so a
bureau can replace a template with its own house design. The items a template may hold, all found by their item id, are
listed in ``TEMPLATE_ITEMS``; only ``main_map`` is required. Labels read their text
from layout variables (``[% @hr_title %]`` …), so a custom template can place them
anywhere (see docs/printed_maps.md).

Landscape papers put the legend, statistics, inset and notes in a panel right of the
map; portrait papers put them in a band below it. A4 (``Design.compact``) has no room
for the location inset next to a legend of seven or eight layers: it goes, the legend
takes its place (the sheet number and the adjoining-sheet diagram still locate the
page), and on portrait A4 the band is taller and the table's column wider.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from qgis.core import (
    QgsLayoutFrame,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemManualTable,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutMeasurement,
    QgsLayoutMultiFrame,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLegendStyle,
    QgsPrintLayout,
    QgsProject,
    QgsReadWriteContext,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor

from hunchun_risk_plugin.core.map_specs import paper_size_mm
from hunchun_risk_plugin.mapping.layout_parts import MM, add_graticule, add_label, font, place, text_format
from hunchun_risk_plugin.paths import NORTH_ARROW

# id -> what it shows. Labels: their text is an expression over the hr_ variables.
TEMPLATE_ITEMS = {
    "main_map": "the map (required)",
    "title": "[% @hr_title %]",
    "subtitle": "[% @hr_subtitle %]",
    "sheet_number": "[% @hr_sheet_label %]",
    "numeric_scale": "[% @hr_scale_text %]",
    "scale_bar": "scale bar linked to main_map",
    "north_arrow": "north arrow",
    "legend": "legend linked to main_map",
    "inset_title": "[% @hr_inset_title %]",
    "inset_map": "location inset (township in the city, city in Yanbian)",
    "adjoining_title": "[% @hr_adjoining_title %]",
    "adjoining_sheets": "3 x 3 adjoining-sheet diagram (manual table)",
    "class_note": "[% @hr_class_note %]",
    "stats_title": "[% @hr_stats_title %]",
    "stats_table": "area and population by class (manual table)",
    "datum_note": "[% @hr_datum_note %]",
    "compiled_note": "[% @hr_compiled_note %]",
    "notes": "[% @hr_notes %]",
    "synthetic_note": "[% @hr_synthetic_note %]",
}


COMPACT_BELOW_K = 0.9  # A4 (0.8 after the floor); A3 is 1.0
COMPACT_BAND = 0.33    # portrait A4: the band's share of the page height (0.24 on larger papers)
NOTES_MIN_MM = 16.0  # at A3 type: the notes' four lines and the synthetic-data warning's two


@dataclass(frozen=True)
class Design:
    """Box sizes for one paper, scaled from the A3 design by paper area."""
    width: float
    height: float
    k: float

    @classmethod
    def for_paper(cls, paper: str) -> Design:
        width, height = paper_size_mm(paper)
        k = min(2.2, max(0.8, math.sqrt(width * height / (420.0 * 297.0))))
        return cls(width, height, k)

    @property
    def type_scale(self) -> float:
        """Type grows faster than the boxes' margins with the paper (k^0.75: A1 about 1.7
        times A3), so an A1 read from further away stays as legible as an A3 in the hand."""
        return self.k ** 0.75

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def compact(self) -> bool:
        """A4 (k at its 0.8 floor): no location inset, the legend takes its room."""
        return self.k < COMPACT_BELOW_K

    @property
    def margin(self) -> float:
        return round(9 * math.sqrt(self.k), 1)

    @property
    def annotation(self) -> float:  # room outside the frame for graticule labels
        return round(6.5 * math.sqrt(self.k), 1)

    @property
    def header(self) -> float:
        return round(20 * math.sqrt(self.k), 1)

    @property
    def footer(self) -> float:
        return round(14 * math.sqrt(self.k), 1)

    @property
    def gap(self) -> float:
        return round(4 * math.sqrt(self.k), 1)

    def panel(self) -> float:
        """Panel width (landscape) or band height (portrait)."""
        if self.landscape:
            return round(95 * self.k, 1)
        if self.compact:  # the legend's two columns of 7-8 layers need about 95 mm
            return round(COMPACT_BAND * self.height, 1)
        return round(0.24 * self.height / self.k * self.k, 1)

    def map_box(self) -> tuple[float, float, float, float]:
        m, a = self.margin, self.annotation
        x, y = m + a, m + self.header + a
        if self.landscape:
            width = self.width - 2 * m - 2 * a - self.gap - self.panel()
            height = self.height - y - a - self.footer - m
        else:
            width = self.width - 2 * (m + a)
            height = self.height - y - a - self.footer - self.gap - self.panel() - m
        return x, y, round(width, 1), round(height, 1)


def build_template(paper: str, project: QgsProject | None = None) -> QgsPrintLayout:
    design = Design.for_paper(paper)
    layout = QgsPrintLayout(project or QgsProject.instance())
    layout.initializeDefaults()
    layout.setName(f"Hunchun Risk {paper}")
    layout.pageCollection().page(0).setPageSize(QgsLayoutSize(design.width, design.height, MM))
    map_item = _add_main_map(layout, design)
    _add_header(layout, design, map_item)
    _add_footer(layout, design, map_item)
    _add_panel(layout, design, map_item)
    return layout


def save_template(layout: QgsPrintLayout, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not layout.saveAsTemplate(str(path), QgsReadWriteContext()):
        raise RuntimeError(f"could not write template {path}")
    return path


def _add_main_map(layout: QgsPrintLayout, design: Design) -> QgsLayoutItemMap:
    map_item = QgsLayoutItemMap(layout)
    map_item.setId("main_map")
    place(map_item, layout, *design.map_box())
    map_item.setFrameEnabled(True)
    map_item.setFrameStrokeWidth(QgsLayoutMeasurement(0.5, MM))
    grid = add_graticule(map_item, 5 / 60)
    grid.setAnnotationTextFormat(text_format(6.5 * design.type_scale))
    size = 13 * math.sqrt(design.k)
    x, y, width, _ = design.map_box()
    arrow = QgsLayoutItemPicture(layout)
    arrow.setId("north_arrow")
    arrow.setPicturePath(str(NORTH_ARROW))
    place(arrow, layout, x + width - size - 3, y + 3, size * 0.6, size)
    return map_item


def _label(layout, item_id: str, box, size: float, bold=False, align=Qt.AlignmentFlag.AlignLeft,
           color: str | None = None):
    label = add_label(layout, TEMPLATE_ITEMS[item_id], *box, size, bold, align)
    label.setId(item_id)
    label.setMode(QgsLayoutItemLabel.Mode.ModeFont)
    if color:
        label.setFontColor(QColor(color))
    return label


def _add_header(layout, design: Design, map_item: QgsLayoutItemMap) -> None:
    x, y, width, _ = design.map_box()
    m, s = design.margin, design.type_scale
    _label(layout, "title", (x, m, width, design.header * 0.62), 20 * s, True, Qt.AlignmentFlag.AlignHCenter)
    # the subtitle centred in the middle 60 %, the sheet numbers right of it: boxes apart
    _label(layout, "subtitle", (x + width * 0.2, m + design.header * 0.62, width * 0.6, design.header * 0.32),
           9.5 * s, False, Qt.AlignmentFlag.AlignHCenter)
    _label(layout, "sheet_number", (x + width * 0.8, m + design.header * 0.62, width * 0.2, design.header * 0.32),
           7 * s, True, Qt.AlignmentFlag.AlignRight)  # four city sheet numbers take two lines


def _add_footer(layout, design: Design, map_item: QgsLayoutItemMap) -> None:
    x, y, width, height = design.map_box()
    top = y + height + design.annotation + 1
    s = design.type_scale
    third = width / 3
    _label(layout, "datum_note", (x, top, third, design.footer * 0.8), 7 * s)
    _label(layout, "numeric_scale", (x + third, top, third, design.footer * 0.35), 9 * s, True,
           Qt.AlignmentFlag.AlignHCenter)
    bar = QgsLayoutItemScaleBar(layout)
    bar.setId("scale_bar")
    bar.setStyle("Single Box")
    bar.setLinkedMap(map_item)
    bar.setUnits(QgsUnitTypes.DistanceUnit.DistanceKilometers)
    bar.setUnitLabel("km")
    bar.setNumberOfSegments(4)
    bar.setNumberOfSegmentsLeft(0)
    bar.setHeight(1.6 * s)
    bar.setTextFormat(text_format(6.5 * s))
    # QGIS's default spacing (3 mm above the bar, 1 mm inside the box) pushes the bar out
    # of the footer into the band below on portrait A3 and A4
    bar.setLabelBarSpace(1.0 * s)
    bar.setBoxContentSpace(0.5 * s)
    layout.addLayoutItem(bar)
    bar.attemptMove(QgsLayoutPoint(x + third + third * 0.15, top + design.footer * 0.38, MM))
    bar.applyDefaultSize()
    _label(layout, "compiled_note", (x + 2 * third, top, third, design.footer * 0.8), 7 * s, False,
           Qt.AlignmentFlag.AlignRight)


def _add_panel(layout, design: Design, map_item: QgsLayoutItemMap) -> None:
    x, y, width, height = design.map_box()
    s = design.type_scale
    if design.landscape:
        left = x + width + design.annotation + design.gap
        columns = [(left, design.margin + design.header * 0.3, design.width - design.margin - left,
                    design.height - design.margin - design.header * 0.3)] * 3
    else:
        top = y + height + design.annotation + design.footer + design.gap
        band = design.height - design.margin - top
        span = design.width - 2 * design.margin
        # A4: the evacuation table (five columns, 64 mm) needs a wider second column; the
        # third, without the inset, holds only the adjoining-sheet diagram and the notes
        shares = (0.36, 0.34, 0.30) if design.compact else (0.36, 0.30, 0.34)
        widths = (shares[0] * span, shares[1] * span, shares[2] * span - 2 * design.gap)
        lefts = (design.margin, design.margin + widths[0] + design.gap,
                 design.margin + widths[0] + widths[1] + 2 * design.gap)
        columns = [(lefts[i], top, widths[i], band) for i in range(3)]
    inset_col, legend_col, stats_col = (columns[0], columns[0], columns[0]) if design.landscape else (columns[2],
                                                                                                      columns[0],
                                                                                                      columns[1])
    cursor = {id(c): c[1] for c in columns}

    def take(column, item_height: float) -> tuple[float, float, float, float]:
        top_y = cursor[id(column)]
        cursor[id(column)] = top_y + item_height + design.gap * 0.6
        return column[0], top_y, column[2], item_height

    if not design.compact:
        _add_inset(layout, design, take, inset_col)
    _label(layout, "adjoining_title", take(inset_col, 5 * s), 8 * s, True)
    _add_table(layout, "adjoining_sheets", take(inset_col, 18 * s), 6 * s)
    if not design.landscape:
        _add_notes(layout, take(inset_col, inset_col[3] - (cursor[id(inset_col)] - inset_col[1])), s)
    legend = QgsLayoutItemLegend(layout)
    legend.setId("legend")
    legend.setTitle("图例 Legend")
    legend.setLinkedMap(map_item)
    legend.setLegendFilterByMapEnabled(True)
    legend.setColumnCount(2)
    legend.setSplitLayer(True)
    legend.setEqualColumnWidth(True)
    for style, size, bold in ((QgsLegendStyle.Style.Title, 10, True), (QgsLegendStyle.Style.Group, 7.5, True),
                              (QgsLegendStyle.Style.Subgroup, 7, True), (QgsLegendStyle.Style.SymbolLabel, 6, False)):
        legend.setStyleFont(style, font(size * s, bold))
    legend.setColumnSpace(1.5 * s)
    legend.setSymbolWidth(4.5 * s)
    legend.setSymbolHeight(2.8 * s)
    legend.setResizeToContents(False)
    legend.setFrameEnabled(False)
    stats_height = 32 * s if design.landscape else stats_col[3] * 0.6
    if design.landscape:  # 42 % of the column (A4, without the inset: all the items below leave)
        below = (7 + 5 + NOTES_MIN_MM) * s + stats_height + 4 * design.gap * 0.6
        room = legend_col[1] + legend_col[3] - cursor[id(legend_col)] - below
        legend_height = room if design.compact else min(0.42 * legend_col[3], room)
    else:
        legend_height = legend_col[3]
    place(legend, layout, *take(legend_col, legend_height))
    _label(layout, "class_note", take(stats_col, 7 * s), 6 * s)
    _label(layout, "stats_title", take(stats_col, 5 * s), 8 * s, True)
    _add_table(layout, "stats_table", take(stats_col, stats_height), 5.8 * s)
    if design.landscape:
        rest = stats_col[1] + stats_col[3] - cursor[id(stats_col)]
        _add_notes(layout, take(stats_col, rest), s)


def _add_inset(layout, design: Design, take, column) -> None:
    s = design.type_scale
    inset_height = column[2] * (0.62 if design.landscape else 0.5)
    _label(layout, "inset_title", take(column, 5 * s), 8 * s, True)
    inset = QgsLayoutItemMap(layout)
    inset.setId("inset_map")
    place(inset, layout, *take(column, inset_height))
    inset.setFrameEnabled(True)


def _add_notes(layout, box, s: float) -> None:
    x, y, width, height = box
    _label(layout, "notes", (x, y, width, height * 0.72), 6 * s)
    _label(layout, "synthetic_note", (x, y + height * 0.72, width, height * 0.28), 6.5 * s, True,
           Qt.AlignmentFlag.AlignLeft, "#c00000")


def _add_table(layout, item_id: str, box, font_pt: float) -> QgsLayoutItemManualTable:
    table = QgsLayoutItemManualTable.create(layout)
    table.setContentTextFormat(text_format(font_pt))
    table.setHeaderTextFormat(text_format(font_pt, True))
    table.setGridStrokeWidth(0.15)
    table.setCellMargin(0.8)
    table.setIncludeTableHeader(False)
    table.setEmptyTableBehavior(QgsLayoutItemManualTable.EmptyTableMode.HideTable)
    layout.addMultiFrame(table)
    frame = QgsLayoutFrame(layout, table)
    frame.setId(item_id)
    place(frame, layout, *box)
    table.addFrame(frame)
    table.setResizeMode(QgsLayoutMultiFrame.ResizeMode.UseExistingFrames)
    return table

