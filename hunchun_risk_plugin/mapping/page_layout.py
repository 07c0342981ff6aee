"""One printed page: a .qpt template loaded and filled for a ``PageSpec``.

Items are found by id (see ``TEMPLATE_ITEMS`` in scripts/build/template_builder.py and
docs/printed_maps.md); a template without an item simply goes without it, except
``main_map``. Text goes in as layout variables (``@hr_title`` …) so labels in a house
template pick it up wherever they sit.
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
    QgsGeometry,
    QgsLayoutFrame,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemMapGrid,
    QgsLayoutItemMapOverview,
    QgsLayoutItemPicture,
    QgsLayoutItemPolygon,
    QgsLayoutItemScaleBar,
    QgsLayoutMeasurement,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutUtils,
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
from ..core.map_pages import CITY, PageSpec, SheetProjector, shown_on_sheet
from ..core.map_specs import maps_config
from ..core.sheets import adjoining_sheets, sheet_at, sheet_from_number
from .evacuation_layers import EvacuationFacts
from .layout_parts import set_label_font
from .layout_check import legend_content_size
from .legend_fit import GROWN_TYPE_SCALES, fit_legend, keep_what_the_map_shows, own_layer_tree
from .map_project import KindProject
from .page_text import PageText
from .text_fit import fit_text_boxes
from ..core.coverage_text import coverage_rows
from ..core.evacuation_text import beyond_standard_note, evacuation_rows, fit_rows
from ..core.stats_tables import class_note, stats_rows
from ..paths import NORTH_ARROW


MM = QgsUnitTypes.LayoutUnit.LayoutMillimeters


@dataclass
class PageContext:
    """What a page needs besides its spec: the kind's project and the statistics."""
    maps: KindProject
    stats: dict[str, dict]             # township code -> statistics row (this page's scale)
    city_extent: QgsRectangle          # for the township inset
    context_extent: QgsRectangle | None  # the prefecture, for the city inset
    text: PageText
    evacuation: EvacuationFacts | None = None  # evacuation maps: the settlement → shelter table
    sheet_figures: dict | None = None          # sheet pages: area and people by class on the page (本图幅)
    settlement_times: list[dict] | None = None  # coverage maps: settlements by drive time
    core_extent: QgsRectangle | None = None     # city maps: the urban subdistricts, enlarged
    township_names: dict[str, str] | None = None


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
                         f"模板“{path}”中没有 ID 为 main_map 的地图项。请在布局设计器中把主地图的项目 ID 设为 "
                         "main_map。")
    return layout


def main_frame_mm(layout: QgsPrintLayout) -> tuple[float, float]:
    size = layout.itemById("main_map").sizeWithUnits()
    return size.width(), size.height()


def fill_page(layout: QgsPrintLayout, page: PageSpec, context: PageContext) -> None:
    for name, value in _page_variables(page, context).items():
        QgsExpressionContextUtils.setLayoutVariable(layout, name, value)
    main = layout.itemById("main_map")
    _restore_panel(layout)
    _fill_main_map(main, page, context.maps)
    if page.sheet:
        _arrow_below_corner(layout)
    _fill_scale_bar(layout.itemById("scale_bar"), main, page.scale)
    _fill_legend(layout.itemById("legend"), main, page)
    _fill_inset(layout.itemById("inset_map"), main, page, context)
    _fill_core_map(layout, main, page, context)
    _fill_adjoining(layout, page)
    _fill_stats(layout, page, context)
    fit_text_boxes(layout)  # last: it grows the notes into the room the tables left
    picture = layout.itemById("north_arrow")
    if isinstance(picture, QgsLayoutItemPicture) and not Path(picture.picturePath()).exists():
        picture.setPicturePath(str(NORTH_ARROW))  # a template made on another machine
    if picture is not None and not main.isLabelBlockingItem(picture):
        main.addLabelBlockingItem(picture)  # map labels keep clear of the north arrow
    # no layout.refresh() here: QgsLayoutExporter refreshes the layout before it exports


def _page_variables(page: PageSpec, context: PageContext) -> dict[str, str]:
    """The page's text; an evacuation page's notes lead with its routes beyond the standard."""
    variables = context.text.variables(page)
    facts = context.evacuation
    note = beyond_standard_note(page, facts.routes, facts.township_of) if facts is not None else ""
    if note:
        variables["hr_notes"] = "\n".join(line for line in (note, variables.get("hr_notes", "")) if line)
    return variables


def _fill_main_map(main: QgsLayoutItemMap, page: PageSpec, maps: KindProject) -> None:
    main.setCrs(maps.project.crs())
    shown = shown_on_sheet(page, _projector()) if page.sheet else None
    x, y = page.centre
    if shown is not None:
        _frame_around(main, shown, page.scale)
        x, y = _centre_of(shown)
    size = main.sizeWithUnits()
    half_w, half_h = size.width() * page.scale / 2000.0, size.height() * page.scale / 2000.0
    main.setExtent(QgsRectangle(x - half_w, y - half_h, x + half_w, y + half_h))
    main.setScale(page.scale)
    contours = maps.show_contours(main.extent(), page.scale)  # the same extent for every kind of the page
    main.setLayers(maps.main_layers(page.scope, page.sheet, page.overview, contours))
    main.setKeepLayerSet(True)
    if page.sheet:
        _clip_to_sheet(main, page.sheet, shown)
    else:
        main.itemClippingSettings().setEnabled(False)
        for corner in ("nw", "ne", "sw", "se"):
            _show((main.layout().itemById(f"sheet_corner_{corner}"),), False)
    minutes = maps_config()["graticule_minutes"].get(str(page.scale), 15)
    for number, grid in enumerate(main.grids().asList()):
        if grid.crs().isGeographic():
            grid.setIntervalX(minutes / 60.0)
            grid.setIntervalY(minutes / 60.0)
            _grid_format(main, number, grid, with_seconds=minutes != int(minutes))


SECONDS_FORMAT = QgsLayoutItemMapGrid.AnnotationFormat.DegreeMinuteSecondPadded


def _grid_format(main: QgsLayoutItemMap, number: int, grid, with_seconds: bool) -> None:
    """Coordinates with seconds where the interval needs them (1′15″ at 1:10000), else
    the template's own format (kept on the map item: the layout serves page after page)."""
    key = f"hr_grid_format_{number}"
    if main.customProperty(key) is None:
        main.setCustomProperty(key, int(grid.annotationFormat()))
    grid.setAnnotationFormat(SECONDS_FORMAT if with_seconds
                             else QgsLayoutItemMapGrid.AnnotationFormat(int(main.customProperty(key))))


FRAME_ROOM_MM = (25.0, 11.0)             # around the neatline: the corner coordinates


def _centre_of(geometry: shapely.Geometry) -> tuple[float, float]:
    x0, y0, x1, y1 = geometry.bounds
    return (x0 + x1) / 2.0, (y0 + y1) / 2.0


def _frame_around(main: QgsLayoutItemMap, shown: shapely.Geometry, scale: int) -> None:
    """The map frame shrunk to what the sheet page shows (with room for the corner
    coordinates), centred where the template put it: the neatline fills the frame. The
    north arrow follows (``_arrow_below_corner``)."""
    x0, y0, x1, y1 = shown.bounds
    base = main.rect()
    width = min(base.width(), (x1 - x0) * 1000.0 / scale + 2 * FRAME_ROOM_MM[0])
    height = min(base.height(), (y1 - y0) * 1000.0 / scale + 2 * FRAME_ROOM_MM[1])
    left = main.pos().x() + (base.width() - width) / 2.0
    top = main.pos().y() + (base.height() - height) / 2.0
    main.attemptMove(QgsLayoutPoint(left, top, MM))
    main.attemptResize(QgsLayoutSize(width, height, MM))


def _arrow_below_corner(layout) -> None:
    """On a sheet page the north arrow stands under the north-east corner's coordinates,
    inside the frame (the frame has shrunk to the sheet)."""
    arrow, corner, main = (layout.itemById(i) for i in ("north_arrow", "sheet_corner_ne", "main_map"))
    if arrow is None or corner is None or not corner.isVisible():
        return
    box, face = corner.sceneBoundingRect(), main.sceneBoundingRect()
    x = min(box.right() - arrow.rect().width(), face.right() - arrow.rect().width() - 3.0)
    arrow.attemptMove(QgsLayoutPoint(x, box.bottom() + 2.0, MM))


def _clip_to_sheet(main: QgsLayoutItemMap, number: str, shown: shapely.Geometry) -> None:
    """Show only the sheet (and the slivers of the township it takes from its
    neighbours), labels included, as a printed standard sheet does: the map is clipped
    to that shape (drawn in layout coordinates)."""
    sheet = sheet_from_number(number)
    outline = shown if shown.geom_type == "Polygon" else max(shown.geoms, key=lambda g: g.area)
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
        seconds = not _whole_minutes(sheet.east - sheet.west) or not _whole_minutes(sheet.north - sheet.south)
        label.setText(f"{_dms(lon, seconds)}E\n{_dms(lat, seconds)}N")
        set_label_font(label, 7)
        label.setHAlign(Qt.AlignmentFlag.AlignRight if name.endswith("w") else Qt.AlignmentFlag.AlignLeft)
        label.setVAlign(Qt.AlignmentFlag.AlignBottom if name.startswith("n") else Qt.AlignmentFlag.AlignTop)
        layout.addLayoutItem(label)
        label.attemptSetSceneRect(QRectF(x, y, width, height))


def _whole_minutes(degrees: float) -> bool:
    return abs(degrees * 60 - round(degrees * 60)) < 1e-6


def _dms(degrees: float, seconds: bool = False) -> str:
    """130°15′ (a 1:50000 sheet's corner) or, with ``seconds``, 130°18′45″ (1:10000)."""
    if seconds:
        total = round(degrees * 3600)
        return f"{total // 3600}°{total // 60 % 60:02d}′{total % 60:02d}″"
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
    spec = maps_config()["scale_bar"]
    metres = scale <= spec["metres_up_to"]  # 200 m reads better than 0.2 km
    bar.setUnits(QgsUnitTypes.DistanceUnit.DistanceMeters if metres else QgsUnitTypes.DistanceUnit.DistanceKilometers)
    bar.setUnitLabel("m" if metres else "km")
    bar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeMode.SegmentSizeFixed)
    # about segment_mm per segment, rounded to 1, 2 or 5 × 10^n (m or km)
    raw = float(spec["segment_mm"]) * scale / (1e3 if metres else 1e6)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = min((f * magnitude for f in (1, 2, 5, 10)), key=lambda v: abs(v - raw))
    bar.setUnitsPerSegment(step)
    bar.refreshItemSize()
    # refreshItemSize only ever widens: the box the template's default size left (twice
    # the bar's height) ran into the band below the footer on portrait A3 and A4
    size = bar.minimumSize()
    bar.attemptResize(QgsLayoutSize(size.width(), size.height(), MM))


def _fill_legend(legend, main: QgsLayoutItemMap, page: PageSpec) -> None:
    if isinstance(legend, QgsLayoutItemLegend):
        own_layer_tree(legend)
        shown = shown_on_sheet(page, _projector()) if page.sheet else None
        keep_what_the_map_shows(legend, main, QgsGeometry.fromWkt(shown.wkt) if shown is not None else None)
        fit_legend(legend, alone=not _items_under_legend(legend.layout()))


BELOW_LEGEND = ("class_note", "stats_title", "stats_table")  # moved up when the legend is short
LEGEND_PAD_MM = 2.0
MIN_TABLE_ROWS = 4  # header, a row, "… more" and the total: what a legend may leave the table


def _restore_panel(layout) -> None:
    """The legend and the items under it back where the template put them (the layout
    serves page after page, and a page may have moved them)."""
    for item_id in ("main_map", "north_arrow", "legend", *BELOW_LEGEND):
        item = layout.itemById(item_id)
        if item is None:
            continue
        base = item.customProperty("hr_base_rect")
        if base:
            x, y, width, height = (float(v) for v in str(base).split(","))
            item.attemptMove(QgsLayoutPoint(x, y, MM))
            item.attemptResize(QgsLayoutSize(width, height, MM))
        else:
            item.setCustomProperty("hr_base_rect", f"{item.pos().x()},{item.pos().y()},{item.rect().width()},"
                                                   f"{item.rect().height()}")


def _items_under_legend(layout) -> list:
    """The table and its title and note when the template stacks them under the legend
    in its column (the standard landscape panel), else none (a portrait band puts them
    in a column of their own)."""
    legend = layout.itemById("legend")
    if not isinstance(legend, QgsLayoutItemLegend) or not legend.customProperty("hr_base_rect"):
        return []
    below = [layout.itemById(i) for i in BELOW_LEGEND if layout.itemById(i) is not None]
    x, y, width, height = (float(v) for v in str(legend.customProperty("hr_base_rect")).split(","))
    if any(i.pos().y() < y + height - 0.1 or abs(i.pos().x() - x) > 1.0 for i in below):
        return []
    return below


def _stack_panel(layout) -> None:
    """A legend shorter than its box gives the room to the table under it: the legend
    shrinks to its items, the items below move up and the table's frame grows, so a long
    table (the evacuation map's) shows more rows. A legend whose items do not fit its
    box (a small paper) takes room from the table instead, down to ``MIN_TABLE_ROWS``
    rows, and is fitted again in the larger box. Only for the standard arrangement:
    the items stacked under the legend in its column."""
    legend = layout.itemById("legend")
    frame = layout.itemById("stats_table")
    if not isinstance(legend, QgsLayoutItemLegend) or not isinstance(frame, QgsLayoutFrame) or not frame.isVisible():
        return
    below = _items_under_legend(layout)
    if not below:
        return
    x, y, width, height = (float(v) for v in str(legend.customProperty("hr_base_rect")).split(","))
    used = legend_content_size(legend).height() + LEGEND_PAD_MM
    if used > height:  # too tall: fitted again in the box the table can give up
        room = max(0.0, frame.rect().height() - MIN_TABLE_ROWS * _row_height(frame.multiFrame()))
        legend.attemptResize(QgsLayoutSize(width, height + room, MM))
        fit_legend(legend)
        used = min(height + room, legend_content_size(legend).height() + LEGEND_PAD_MM)
    legend.attemptResize(QgsLayoutSize(width, used, MM))
    shift = height - used  # > 0: the items below move up; < 0: down
    for item, after in zip(below, below[1:] + [None]):
        item.attemptMove(QgsLayoutPoint(item.pos().x(), item.pos().y() - shift, MM))
        if not item.isVisible() and after is not None:  # a hidden note gives its room too
            shift += after.pos().y() - item.pos().y() - shift
    frame.attemptResize(QgsLayoutSize(frame.rect().width(), frame.rect().height() + shift, MM))


CORE_SCALE = 100000        # the 局部放大图 of the urban core on the city maps
CORE_BOX_MM = (150.0, 105.0)
CORE_ID, CORE_TITLE_ID = "core_map", "core_title"


def _fill_core_map(layout, main: QgsLayoutItemMap, page: PageSpec, context: PageContext) -> None:
    """On a city page, the urban subdistricts (街道) enlarged to 1:100000 in the map
    face's lower left corner (outside the city there), framed and titled, with their
    area outlined on the main map."""
    core, title = layout.itemById(CORE_ID), layout.itemById(CORE_TITLE_ID)
    wanted = page.scope == CITY and context.core_extent is not None
    if not wanted:
        _show((core, title), False)
        return
    if core is None:
        core = QgsLayoutItemMap(layout)
        core.setId(CORE_ID)
        core.setFrameEnabled(True)
        core.setFrameStrokeWidth(QgsLayoutMeasurement(0.4, MM))
        core.setBackgroundColor(QColor(255, 255, 255))
        layout.addLayoutItem(core)
        title = QgsLayoutItemLabel(layout)
        title.setId(CORE_TITLE_ID)
        title.setText("局部放大图 Urban core（城区 1:100 000）")
        set_label_font(title, 10, True)
        title.setBackgroundEnabled(True)
        title.setBackgroundColor(QColor(255, 255, 255))
        layout.addLayoutItem(title)
        for item in (core, title):  # the main map's labels keep clear of the enlargement
            main.addLabelBlockingItem(item)
    _show((core, title), True)
    face = main.mapToScene(main.rect()).boundingRect()
    width, height = CORE_BOX_MM
    core.attemptMove(QgsLayoutPoint(face.left() + 4, face.bottom() - height - 4, MM))
    core.attemptResize(QgsLayoutSize(width, height, MM))
    title.attemptMove(QgsLayoutPoint(face.left() + 4, face.bottom() - height - 11, MM))
    title.attemptResize(QgsLayoutSize(width, 6, MM))
    core.setCrs(context.maps.project.crs())
    core.setLayers(context.maps.main_layers(page.scope))
    core.setKeepLayerSet(True)
    centre = context.core_extent.center()
    half_w, half_h = width * CORE_SCALE / 2000.0, height * CORE_SCALE / 2000.0
    core.setExtent(QgsRectangle(centre.x() - half_w, centre.y() - half_h, centre.x() + half_w, centre.y() + half_h))
    core.setScale(CORE_SCALE)
    if core.overviews().size() == 0:  # where it is, on the main map: drawn by an overview of the main map
        main.overviews().addOverview(QgsLayoutItemMapOverview("core", main))
        overview = main.overviews().overview(main.overviews().size() - 1)
        overview.setLinkedMap(core)
        overview.setFrameSymbol(_overview_symbol())
        core.overviews().addOverview(QgsLayoutItemMapOverview("marker", core))  # marks the set-up as done
        core.overviews().overview(0).setEnabled(False)


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
    return QgsRectangle(centre.x() - width / 2, centre.y() - height / 2, centre.x() + width / 2,
                        centre.y() + height / 2)


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
    return sheet_at(centre.x, centre.y, page.series_scale).number


def _fill_stats(layout, page: PageSpec, context: PageContext) -> None:
    note = class_note(page, context.stats)
    QgsExpressionContextUtils.setLayoutVariable(layout, "hr_class_note", note)
    _show((layout.itemById("class_note"),), bool(note))
    frame, table = _table(layout, "stats_table")
    title = layout.itemById("stats_title")
    rows = _table_rows(page, context) if table is not None else []
    _show((frame, title), bool(rows))
    if rows:
        alone = not _items_under_legend(layout)  # before the stacking moves them up
        _stack_panel(layout)
        for scale in (*GROWN_TYPE_SCALES, 1.0) if alone else (1.0,):
            _set_table_type(table, frame, scale)
            shown = fit_rows(rows, _rows_that_fit(table, frame))
            last = len(shown) - 1
            table.setTableContents([[_cell(table, v, emphasis=(i == 0), total=(i == last and i > 1)) for v in row]
                                    for i, row in enumerate(shown)])
            if scale == 1.0 or (len(shown) == len(rows) and table.totalWidth() <= frame.rect().width()):
                break  # a grown type only when every row still fits, in the frame's width


def _set_table_type(table, frame, scale: float) -> None:
    """The table's type at ``scale`` times the template's (kept on the frame: the layout
    serves page after page). A table alone in its column of a portrait band grows its
    type into room no other item can use, as the legend beside it does."""
    stored = frame.customProperty("hr_table_pt")
    if stored is None:
        stored = f"{table.contentTextFormat().size()},{table.headerTextFormat().size()}"
        frame.setCustomProperty("hr_table_pt", stored)
    content, header = (float(v) for v in str(stored).split(","))
    for getter, setter, size in ((table.contentTextFormat, table.setContentTextFormat, content),
                                 (table.headerTextFormat, table.setHeaderTextFormat, header)):
        fmt = QgsTextFormat(getter())
        fmt.setSize(size * scale)
        setter(fmt)


def _table_rows(page: PageSpec, context: PageContext) -> list[list[str]]:
    if page.kind.key == "evacuation" and context.evacuation is not None:
        facts = context.evacuation
        return evacuation_rows(page, facts.routes, facts.unreached, facts.township_of, facts.numbers,
                               facts.township_names)
    if page.kind.key == "coverage" and context.settlement_times is not None:
        return coverage_rows(page, context.settlement_times, context.township_names)
    return stats_rows(page, context.stats, context.sheet_figures)


def _rows_that_fit(table, frame) -> int:
    """How many rows the table's frame holds at the table's type size."""
    return max(3, int((frame.rect().height() - table.gridStrokeWidth()) // _row_height(table)))


def _row_height(table) -> float:
    """One table row's height (mm) at the table's type size."""
    fmt = table.contentTextFormat()
    qfont = fmt.font()
    qfont.setPointSizeF(fmt.size())
    return QgsLayoutUtils.fontHeightMM(qfont) + 2 * table.cellMargin() + table.gridStrokeWidth()


def _show(items, visible: bool) -> None:
    """Show or hide template items (the layout is reused page after page)."""
    for item in items:
        if item is not None:
            item.setVisibility(visible)


def _cell(table, text: str, emphasis: bool = False, total: bool = False) -> QgsTableCell:
    """A table cell in the template's type; header and current sheet bold on grey, the
    total row bold."""
    cell = QgsTableCell(text)
    if total:
        fmt = QgsTextFormat(table.contentTextFormat())
        bold = fmt.font()
        bold.setBold(True)
        fmt.setFont(bold)
        cell.setTextFormat(fmt)
    if emphasis:
        cell.setBackgroundColor(QColor(225, 225, 225))
        fmt = QgsTextFormat(table.contentTextFormat())
        font = fmt.font()
        font.setBold(True)
        fmt.setFont(font)
        cell.setTextFormat(fmt)
    return cell
