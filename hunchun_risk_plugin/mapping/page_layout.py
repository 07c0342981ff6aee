"""One printed page: a .qpt template loaded and filled for a ``PageSpec``.

Items are found by id (see ``TEMPLATE_ITEMS`` in scripts/build/template_builder.py and docs/printed_maps.md); a template without an
item simply goes without it, except ``main_map``. Text goes in as layout variables
(``@hr_title`` …) so labels in a house template pick it up wherever they sit.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import shapely
from qgis.core import (
    QgsExpressionContextUtils,
    QgsFillSymbol,
    QgsLayoutFrame,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemMapOverview,
    QgsLayoutItemPicture,
    QgsLayoutItemPolygon,
    QgsLayoutItemScaleBar,
    QgsPrintLayout,
    QgsReadWriteContext,
    QgsRectangle,
    QgsScaleBarSettings,
    QgsTableCell,
    QgsTextFormat,
    QgsUnitTypes,
)
from qgis.PyQt.QtCore import QPointF, QRectF, Qt
from qgis.PyQt.QtGui import QColor, QPolygonF
from qgis.PyQt.QtXml import QDomDocument

from ..core.definitions import default_epsg
from ..core.errors import InputError
from ..core.map_pages import CITY, PageSpec, SheetProjector
from ..core.map_specs import maps_config
from ..core.sheets import adjoining_sheets, sheet_at, sheet_from_number
from .layout_parts import font
from .map_project import KindProject
from .page_text import PageText
from ..core.stats_tables import stats_rows
from ..paths import NORTH_ARROW


@dataclass
class PageContext:
    """What a page needs besides its spec: the kind's project and the statistics."""
    maps: KindProject
    stats: dict[str, dict]             # township code -> statistics row (this page's scale)
    city_extent: QgsRectangle          # for the township inset
    context_extent: QgsRectangle | None  # the prefecture, for the city inset
    text: PageText


def load_template(path: Path, maps: KindProject) -> QgsPrintLayout:
    document = QDomDocument()
    if not document.setContent(Path(path).read_text(encoding="utf-8")):
        raise InputError(f"Template '{path}' is not a QGIS layout template (.qpt).",
                         f"模板“{path}”不是 QGIS 打印布局模板（.qpt）。")
    layout = QgsPrintLayout(maps.project)
    layout.loadFromTemplate(document, QgsReadWriteContext())
    if not isinstance(layout.itemById("main_map"), QgsLayoutItemMap):
        raise InputError(f"Template '{path}' has no map item with the id 'main_map'. Give the main map that id "
                         "in the layout designer (Item Properties → Item ID).",
                         f"模板“{path}”中没有 ID 为 main_map 的地图项。请在布局设计器中把主地图的项目 ID 设为 main_map。")
    return layout


def main_frame_mm(layout: QgsPrintLayout) -> tuple[float, float]:
    size = layout.itemById("main_map").sizeWithUnits()
    return size.width(), size.height()


def fill_page(layout: QgsPrintLayout, page: PageSpec, context: PageContext) -> None:
    for name, value in context.text.variables(page).items():
        QgsExpressionContextUtils.setLayoutVariable(layout, name, value)
    main = layout.itemById("main_map")
    _fill_main_map(main, page, context.maps)
    _fill_scale_bar(layout.itemById("scale_bar"), main, page.scale)
    _fill_legend(layout.itemById("legend"))
    _fill_inset(layout.itemById("inset_map"), main, page, context)
    _fill_adjoining(layout, page)
    _fill_stats(layout, page, context)
    picture = layout.itemById("north_arrow")
    if isinstance(picture, QgsLayoutItemPicture) and not Path(picture.picturePath()).exists():
        picture.setPicturePath(str(NORTH_ARROW))  # a template made on another machine
    # no layout.refresh() here: QgsLayoutExporter refreshes the layout before it exports


def _fill_main_map(main: QgsLayoutItemMap, page: PageSpec, maps: KindProject) -> None:
    main.setCrs(maps.project.crs())
    main.setLayers(maps.main_layers(page.scope, page.sheet))
    main.setKeepLayerSet(True)
    size = main.sizeWithUnits()
    half_w, half_h = size.width() * page.scale / 2000.0, size.height() * page.scale / 2000.0
    x, y = page.centre
    main.setExtent(QgsRectangle(x - half_w, y - half_h, x + half_w, y + half_h))
    main.setScale(page.scale)
    if page.sheet:
        _clip_to_sheet(main, page.sheet)
    else:
        main.itemClippingSettings().setEnabled(False)
        for corner in ("nw", "ne", "sw", "se"):
            _show((main.layout().itemById(f"sheet_corner_{corner}"),), False)
    minutes = maps_config()["graticule_minutes"].get(str(page.scale), 15)
    for grid in main.grids().asList():
        if grid.crs().isGeographic():
            grid.setIntervalX(minutes / 60.0)
            grid.setIntervalY(minutes / 60.0)


def _clip_to_sheet(main: QgsLayoutItemMap, number: str) -> None:
    """Show only the sheet, labels included, as a printed standard sheet does: the map
    is clipped to the sheet's trapezoid (drawn in layout coordinates)."""
    sheet = sheet_from_number(number)
    outline = _projector().outline(sheet)
    polygon = QPolygonF([_on_page(main, x, y) for x, y in outline.exterior.coords])
    _label_corners(main, sheet)
    previous = main.layout().itemById("sheet_clip")
    if previous is not None:  # the layout serves page after page; setNodes misplaces the clip
        main.layout().removeLayoutItem(previous)
    shape = QgsLayoutItemPolygon(polygon, main.layout())
    shape.setSymbol(QgsFillSymbol.createSimple({"style": "no", "outline_style": "no"}))
    shape.setId("sheet_clip")
    main.layout().addLayoutItem(shape)
    clipping = main.itemClippingSettings()
    clipping.setSourceItem(shape)
    clipping.setForceLabelsInsideClipPath(True)
    clipping.setEnabled(True)


def _on_page(main: QgsLayoutItemMap, x: float, y: float) -> QPointF:
    """Layout position (mm) of map coordinates ``x``, ``y`` in the main map."""
    extent, frame, origin = main.extent(), main.rect(), main.pos()
    return QPointF(origin.x() + (x - extent.xMinimum()) / extent.width() * frame.width(),
                   origin.y() + (extent.yMaximum() - y) / extent.height() * frame.height())


def _label_corners(main: QgsLayoutItemMap, sheet) -> None:
    """Longitude and latitude at the four corners of the sheet's neatline, as a
    standard topographic sheet prints them."""
    layout = main.layout()
    corners = {"nw": (sheet.west, sheet.north), "ne": (sheet.east, sheet.north),
               "sw": (sheet.west, sheet.south), "se": (sheet.east, sheet.south)}
    for name, (lon, lat) in corners.items():
        previous = layout.itemById(f"sheet_corner_{name}")
        if previous is not None:
            layout.removeLayoutItem(previous)
        point = _on_page(main, *_projector().to_map(lon, lat))
        width, height = 22.0, 9.0
        x = point.x() - width - 1 if name.endswith("w") else point.x() + 1
        y = point.y() - height - 1 if name.startswith("n") else point.y() + 1
        label = QgsLayoutItemLabel(layout)
        label.setId(f"sheet_corner_{name}")
        label.setText(f"{_dms(lon)}E\n{_dms(lat)}N")
        label.setFont(font(7))
        label.setHAlign(Qt.AlignmentFlag.AlignRight if name.endswith("w") else Qt.AlignmentFlag.AlignLeft)
        label.setVAlign(Qt.AlignmentFlag.AlignBottom if name.startswith("n") else Qt.AlignmentFlag.AlignTop)
        layout.addLayoutItem(label)
        label.attemptSetSceneRect(QRectF(x, y, width, height))


def _dms(degrees: float) -> str:
    whole = int(degrees)
    minutes = round((degrees - whole) * 60, 1)
    return f"{whole}°{minutes:02.0f}′" if minutes == int(minutes) else f"{whole}°{minutes:04.1f}′"


@lru_cache(maxsize=1)
def _projector() -> SheetProjector:
    return SheetProjector(default_epsg())


def _fill_scale_bar(bar, main: QgsLayoutItemMap, scale: int) -> None:
    if not isinstance(bar, QgsLayoutItemScaleBar):
        return
    bar.setLinkedMap(main)
    bar.setUnits(QgsUnitTypes.DistanceUnit.DistanceKilometers)
    bar.setUnitLabel("km")
    bar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeMode.SegmentSizeFixed)
    # about 20 mm per segment, rounded to 1, 2 or 5 × 10^n km
    raw = 20.0 * scale / 1e6
    magnitude = 10 ** math.floor(math.log10(raw))
    step = min((f * magnitude for f in (1, 2, 5, 10)), key=lambda v: abs(v - raw))
    bar.setUnitsPerSegment(step)
    bar.refreshItemSize()


def _fill_legend(legend) -> None:
    if isinstance(legend, QgsLayoutItemLegend):
        legend.updateLegend()


def _fill_inset(inset, main: QgsLayoutItemMap, page: PageSpec, context: PageContext) -> None:
    if not isinstance(inset, QgsLayoutItemMap):
        return
    layers = context.maps.inset_layers.get(page.scope, [])
    extent = context.context_extent if page.scope == CITY else context.city_extent
    inset.setVisibility(bool(layers) and extent is not None)
    if not inset.isVisible():
        return
    inset.setCrs(context.maps.project.crs())
    inset.setLayers(layers)
    inset.setKeepLayerSet(True)
    inset.setExtent(_with_aspect(extent, inset))
    if page.scope != CITY:  # the page's map frame drawn on the city inset
        if inset.overviews().size() == 0:
            inset.overviews().addOverview(QgsLayoutItemMapOverview("page", inset))
        overview = inset.overviews().overview(0)
        overview.setLinkedMap(main)
        overview.setFrameSymbol(_overview_symbol())


def _with_aspect(extent: QgsRectangle, item: QgsLayoutItemMap) -> QgsRectangle:
    """``extent`` widened to the item's shape, so that setting it keeps the item's size."""
    size = item.sizeWithUnits()
    aspect = size.width() / size.height()
    width, height = extent.width(), extent.height()
    if width / height < aspect:
        width = height * aspect
    else:
        height = width / aspect
    centre = extent.center()
    return QgsRectangle(centre.x() - width / 2, centre.y() - height / 2, centre.x() + width / 2, centre.y() + height / 2)


def _overview_symbol():
    return QgsFillSymbol.createSimple({"style": "no", "outline_color": "0,0,0", "outline_width": "0.4"})


def _table(layout, item_id: str):
    frame = layout.itemById(item_id)
    return (frame, frame.multiFrame()) if isinstance(frame, QgsLayoutFrame) else (None, None)


def _fill_adjoining(layout, page: PageSpec) -> None:
    frame, table = _table(layout, "adjoining_sheets")
    title = layout.itemById("adjoining_title")
    if table is None:
        return
    _show((frame, title), page.scope != CITY)
    if page.scope == CITY:
        return
    centre = page.sheet or _sheet_of_area(page)
    table.setTableContents([[_cell(table, n or "", emphasis=(r, c) == (1, 1)) for c, n in enumerate(numbers)]
                            for r, numbers in enumerate(adjoining_sheets(centre))])


def _sheet_of_area(page: PageSpec) -> str:
    """The middle sheet of the diagram when the page holds a whole township: the sheet
    its centre lies on."""
    if len(page.sheets) == 1:
        return page.sheets[0]
    centre = _projector().to_lonlat(shapely.Point(page.centre))
    return sheet_at(centre.x, centre.y, maps_config()["scales"]["township"]).number


def _fill_stats(layout, page: PageSpec, context: PageContext) -> None:
    frame, table = _table(layout, "stats_table")
    title = layout.itemById("stats_title")
    rows = stats_rows(page, context.stats) if table is not None else []
    _show((frame, title), bool(rows))
    if rows:
        table.setTableContents([[_cell(table, v, emphasis=(i == 0)) for v in row] for i, row in enumerate(rows)])


def _show(items, visible: bool) -> None:
    """Show or hide template items (the layout is reused page after page)."""
    for item in items:
        if item is not None:
            item.setVisibility(visible)


def _cell(table, text: str, emphasis: bool = False) -> QgsTableCell:
    """A table cell in the template's type; header and current sheet bold on grey."""
    cell = QgsTableCell(text)
    if emphasis:
        cell.setBackgroundColor(QColor(225, 225, 225))
        fmt = QgsTextFormat(table.contentTextFormat())
        font = fmt.font()
        font.setBold(True)
        fmt.setFont(font)
        cell.setTextFormat(fmt)
    return cell
