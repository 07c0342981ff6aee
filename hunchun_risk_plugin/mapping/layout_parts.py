"""Building blocks of the printed maps: title, legend, scale, north arrow, graticule
frame and the notes every map must carry (datum, sources, synthetic-data warning)."""
from __future__ import annotations

from datetime import date

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsLayout,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemMapGrid,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLegendRenderer,
    QgsLegendStyle,
    QgsMapLayerType,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QFont

from ..core.definitions import domain
from ..core.map_specs import maps_config
from ..core.version import plugin_version

CJK_FONT = maps_config()["fonts"]["family"]
MM = QgsUnitTypes.LayoutUnit.LayoutMillimeters


def text_format(size_pt: float, bold: bool = False, color: str | QColor = "#000000") -> QgsTextFormat:
    fmt = QgsTextFormat()
    fmt.setFont(font(size_pt, bold))
    fmt.setSize(size_pt)
    fmt.setColor(QColor(color))
    return fmt


def with_halo(fmt: QgsTextFormat, size_mm: float, color: QColor) -> QgsTextFormat:
    """``fmt`` with a halo (text buffer) of ``size_mm`` millimetres: map labels over fills."""
    halo = QgsTextBufferSettings()
    halo.setEnabled(True)
    halo.setSize(size_mm)
    halo.setSizeUnit(QgsUnitTypes.RenderUnit.RenderMillimeters)
    halo.setColor(color)
    fmt.setBuffer(halo)
    return fmt


def place(item, layout: QgsLayout, x: float, y: float, width: float, height: float) -> None:
    layout.addLayoutItem(item)
    item.attemptMove(QgsLayoutPoint(x, y, MM))
    item.attemptResize(QgsLayoutSize(width, height, MM))


def set_label_font(label: QgsLayoutItemLabel, size_pt: float, bold: bool = False) -> None:
    """A layout label's type: a text format where QGIS has it (3.24+, where ``setFont`` is
    deprecated), else the font (3.22)."""
    if hasattr(label, "setTextFormat"):
        label.setTextFormat(text_format(size_pt, bold))
    else:
        label.setFont(font(size_pt, bold))


def add_label(layout: QgsLayout, text: str, x: float, y: float, width: float, height: float,
              size_pt: float = 9, bold: bool = False, align=Qt.AlignmentFlag.AlignLeft) -> QgsLayoutItemLabel:
    label = QgsLayoutItemLabel(layout)
    label.setText(text)
    set_label_font(label, size_pt, bold)
    label.setHAlign(align)
    label.setVAlign(Qt.AlignmentFlag.AlignVCenter)
    place(label, layout, x, y, width, height)
    return label


def add_graticule(map_item: QgsLayoutItemMap, interval_deg: float) -> QgsLayoutItemMapGrid:
    """A CGCS2000 geographic graticule with degree-minute labels on the frame."""
    grid = QgsLayoutItemMapGrid("graticule", map_item)
    grid.setCrs(QgsCoordinateReferenceSystem(f"EPSG:{domain()['crs']['geographic_epsg']}"))
    grid.setIntervalX(interval_deg)
    grid.setIntervalY(interval_deg)
    grid.setStyle(QgsLayoutItemMapGrid.GridStyle.FrameAnnotationsOnly)
    grid.setFrameStyle(QgsLayoutItemMapGrid.FrameStyle.Zebra)
    grid.setFrameWidth(1.2)
    grid.setAnnotationEnabled(True)
    grid.setAnnotationFormat(QgsLayoutItemMapGrid.AnnotationFormat.DegreeMinutePadded)  # 131°00′, as the corners
    grid.setAnnotationPrecision(0)
    grid.setAnnotationTextFormat(text_format(6.5))
    for side in (QgsLayoutItemMapGrid.BorderSide.Left, QgsLayoutItemMapGrid.BorderSide.Right):
        grid.setAnnotationDirection(QgsLayoutItemMapGrid.AnnotationDirection.Vertical, side)
        grid.setAnnotationDisplay(QgsLayoutItemMapGrid.DisplayMode.LatitudeOnly, side)
    for side in (QgsLayoutItemMapGrid.BorderSide.Top, QgsLayoutItemMapGrid.BorderSide.Bottom):
        grid.setAnnotationDisplay(QgsLayoutItemMapGrid.DisplayMode.LongitudeOnly, side)
    map_item.grids().addGrid(grid)
    return grid


def add_scale_bar(layout: QgsLayout, map_item: QgsLayoutItemMap, x: float, y: float,
                  km: float) -> QgsLayoutItemScaleBar:
    bar = QgsLayoutItemScaleBar(layout)
    bar.setStyle("Single Box")
    bar.setLinkedMap(map_item)
    bar.setUnits(QgsUnitTypes.DistanceUnit.DistanceKilometers)
    bar.setUnitLabel("km")
    bar.setUnitsPerSegment(km)
    bar.setNumberOfSegments(4)
    bar.setNumberOfSegmentsLeft(0)
    bar.setTextFormat(text_format(7))
    layout.addLayoutItem(bar)
    bar.attemptMove(QgsLayoutPoint(x, y, MM))
    bar.applyDefaultSize()
    return bar


def add_numeric_scale(layout: QgsLayout, map_item: QgsLayoutItemMap, x: float, y: float) -> QgsLayoutItemLabel:
    return add_label(layout, f"1:{round(map_item.scale()):,}".replace(",", " "), x, y, 50, 6, 9)


def add_north_arrow(layout: QgsLayout, x: float, y: float, size: float = 14) -> QgsLayoutItemPicture:
    arrow = QgsLayoutItemPicture(layout)
    arrow.setPicturePath("/usr/share/qgis/svg/arrows/NorthArrow_02.svg")
    place(arrow, layout, x, y, size, size)
    return arrow


def add_legend(layout: QgsLayout, map_item: QgsLayoutItemMap, title: str, x: float, y: float,
               columns: int = 1) -> QgsLayoutItemLegend:
    legend = QgsLayoutItemLegend(layout)
    legend.setColumnCount(columns)
    legend.setSplitLayer(True)
    legend.setTitle(title)
    legend.setLinkedMap(map_item)
    legend.setLegendFilterByMapEnabled(True)
    legend.setStyleFont(QgsLegendStyle.Style.Title, font(10, True))
    legend.setStyleFont(QgsLegendStyle.Style.Group, font(8, True))
    legend.setStyleFont(QgsLegendStyle.Style.Subgroup, font(8, True))
    legend.setStyleFont(QgsLegendStyle.Style.SymbolLabel, font(7))
    legend.setSymbolWidth(5)
    legend.setSymbolHeight(3)
    legend.setFrameEnabled(True)
    legend.setBackgroundEnabled(True)
    layout.addLayoutItem(legend)
    legend.attemptMove(QgsLayoutPoint(x, y, MM))
    return legend


def hide_rasters_and_group_titles(legend: QgsLayoutItemLegend) -> None:
    """Keep the legend to the vector symbols: drop raster ramps and group headings."""
    legend.setAutoUpdateModel(False)
    root = legend.model().rootGroup()
    for group in root.findGroups(True):
        QgsLegendRenderer.setNodeLegendStyle(group, QgsLegendStyle.Style.Hidden)
    for node in root.findLayers():
        if node.layer() is not None and node.layer().type() == QgsMapLayerType.RasterLayer:
            node.parent().removeChildNode(node)
    legend.adjustBoxSize()


def font(size: float, bold: bool = False) -> QFont:
    """The maps' font (core/data/maps.toml [fonts]) at ``size`` points."""
    qfont = QFont(CJK_FONT)
    qfont.setPointSizeF(size)
    qfont.setBold(bold)
    return qfont


def standard_notes(sources: str, compiled_by: str = "珲春市应急管理局（示例）") -> str:
    """The footer every map carries: datum, compiler, date, sources, version, warning."""
    crs = domain()["crs"]
    return (
        f"坐标系 / Datum: {crs['note_zh']}（{crs['note_en']}），高斯-克吕格投影 EPSG:{crs['default_epsg']}\n"
        f"编制单位 / Compiled by: {compiled_by}　编制日期 / Date: {date.today().isoformat()}\n"
        f"数据来源 / Sources: {sources}\n"
        f"制图软件 / Software: Hunchun Risk {plugin_version()} (QGIS)\n"
        f"{maps_config()['notes']['synthetic_zh']} {maps_config()['notes']['synthetic_en']}"
    )
