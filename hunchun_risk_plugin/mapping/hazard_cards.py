"""The 防灾避险明白卡: one A5 page per hazard site of the ledger, in one PDF per township.

Each page is one feature of a QGIS atlas whose coverage is the sites' card extents: the
site and its facts, the table settlement → shelter (distance, time) and a small map of
the routes. Words go into the PDF as text (searchable), in the maps' font.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import shapely
from qgis.core import (
    Qgis,
    QgsFeature,
    QgsGeometry,
    QgsLayoutExporter,
    QgsLayoutFrame,
    QgsLayoutItemAttributeTable,
    QgsLayoutItemMap,
    QgsLayoutItemScaleBar,
    QgsLayoutMultiFrame,
    QgsLayoutSize,
    QgsLayoutTableColumn,
    QgsLineSymbol,
    QgsMarkerLineSymbolLayer,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsPrintLayout,
    QgsProject,
    QgsRuleBasedRenderer,
    QgsScaleBarSettings,
    QgsSimpleLineSymbolLayer,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QRectF, Qt
from qgis.PyQt.QtGui import QColor

from ..core.file_names import safe_file_name
from ..core.map_specs import maps_config
from ..core.routing.ledger import AT_SITE, ledger_config
from .layout_parts import MM, add_label, text_format, with_halo
from .page_exporter import pdf_export_settings

MAP_FRAME_MM = (132.0, 86.0)  # the card's map, width x height
THIS_SITE = "\"site\" = attribute(@atlas_feature, 'code')"
_TYPES = {"int64": "integer", "int32": "integer", "float64": "double"}


def card_file_name(township: str) -> str:
    title = ledger_config()["cards"]["title_zh"]
    return f"{safe_file_name(township or 'unknown')}_{title}.pdf"


def write_cards(sites: gpd.GeoDataFrame, links: gpd.GeoDataFrame, roads: QgsVectorLayer | None, folder: Path,
                footer: str, dpi: int = 200) -> list[Path]:
    """One PDF per township in ``folder`` (the ledger's ``sites`` and ``links``, both in
    one metric CRS); returns the files, in township-code order."""
    project = QgsProject()
    crs = f"EPSG:{sites.crs.to_epsg()}" if sites.crs.to_epsg() else sites.crs.to_wkt()
    coverage = _memory_layer(_card_extents(sites, links), "cards", crs)
    route_lines = _memory_layer(links[links.geometry.notna()], "routes", crs)
    ends = _route_ends(links)
    places = _memory_layer(ends, "places", crs)
    site_points = _memory_layer(sites, "sites", crs)
    _style_routes(route_lines)
    _style_places(places)
    _style_sites(site_points)
    base = []
    if roads is not None and roads.isValid():
        roads = roads.clone()
        roads.setRenderer(QgsRuleBasedRenderer(_rules([("ELSE", QgsLineSymbol.createSimple(
            {"line_color": "150,150,150", "line_width": "0.35"}))])))
        roads.setLabelsEnabled(False)
        base = [roads]
    for layer in [coverage, route_lines, places, site_points, *base]:
        project.addMapLayer(layer)
    layout = _card_layout(project, coverage, [places, site_points, route_lines, *base], links, crs, footer)
    written = []
    folder.mkdir(parents=True, exist_ok=True)
    for code, group in sites.groupby("township_code", sort=True):
        township = str(group["township"].iloc[0]) or str(code)
        atlas = layout.atlas()
        atlas.setFilterFeatures(True)
        atlas.setFilterExpression(f"\"township_code\" = '{code}'")
        path = folder / card_file_name(township)
        settings = pdf_export_settings(dpi)
        result, error = QgsLayoutExporter.exportToPdf(atlas, str(path), settings)
        if result != QgsLayoutExporter.ExportResult.Success:
            raise RuntimeError(f"cards of {township} could not be written: {error}")
        written.append(path)
    project.clear()
    return written


def _card_extents(sites: gpd.GeoDataFrame, links: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Each site's card map: the site and its routes with a margin, at least 1.5 km
    across, in the shape of the card's map frame."""
    aspect = MAP_FRAME_MM[0] / MAP_FRAME_MM[1]
    shapes = []
    for code, point in zip(sites["code"], sites.geometry):
        lines = links.loc[(links["site"] == code) & links.geometry.notna(), "geometry"].tolist()
        xmin, ymin, xmax, ymax = shapely.total_bounds([point, *lines])
        width = max(xmax - xmin, (ymax - ymin) * aspect, 1500.0) * 1.12
        height = width / aspect
        cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
        shapes.append(shapely.box(cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2))
    frame = sites.drop(columns=sites.geometry.name).copy()
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(shapes, crs=sites.crs), crs=sites.crs)


def _route_ends(links: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The settlements (route starts) and shelters (route ends) of every site."""
    rows = []
    for link in links[links.geometry.notna()].itertuples():
        coords = list(link.geometry.coords)
        if link.origin_kind != "hazard_site":
            rows.append({"site": link.site, "role": "settlement", "name": link.origin_name,
                         "geometry": shapely.Point(coords[0])})
        rows.append(
            {"site": link.site, "role": "shelter", "name": link.shelter_name, "geometry": shapely.Point(coords[-1])})
    frame = gpd.GeoDataFrame(rows, columns=["site", "role", "name", "geometry"], geometry="geometry", crs=links.crs)
    return frame


def _memory_layer(frame: gpd.GeoDataFrame, name: str, crs: str) -> QgsVectorLayer:
    """A memory layer holding ``frame`` (geometry and plain columns)."""
    kinds = {"Point": "Point", "LineString": "LineString", "Polygon": "Polygon"}
    present = frame.geometry.dropna()
    kind = kinds.get(present.iloc[0].geom_type, "Point") if len(present) else "Point"
    columns = [c for c in frame.columns if c != frame.geometry.name]
    fields = "&".join(f"field={c}:{_TYPES.get(str(frame[c].dtype), 'string')}" for c in columns)
    layer = QgsVectorLayer(f"{kind}?crs={crs}&{fields}", name, "memory")
    features = []
    for row in frame.itertuples(index=False):
        values = row._asdict()
        feature = QgsFeature(layer.fields())
        feature.setAttributes([_plain(values[c]) for c in columns])
        shape = values[frame.geometry.name]
        if shape is not None:
            feature.setGeometry(QgsGeometry.fromWkt(shape.wkt))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    layer.updateExtents()
    return layer


def _plain(value):
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def _rules(pairs: Iterable[tuple[str, object]]) -> QgsRuleBasedRenderer.Rule:
    root = QgsRuleBasedRenderer.Rule(None)
    for expression, symbol in pairs:
        root.appendChild(QgsRuleBasedRenderer.Rule(symbol, 0, 0, expression, "", "", expression == "ELSE"))
    return root


def _style_routes(layer: QgsVectorLayer) -> None:
    """A cased blue line along the roads, arrowheads every 12 mm and at the shelter."""
    symbol = QgsLineSymbol.createSimple({"line_color": "255,255,255", "line_width": "1.5", "capstyle": "round",
                                         "joinstyle": "round"})
    line = QgsSimpleLineSymbolLayer(QColor(0, 90, 200), 0.8)
    line.setPenJoinStyle(Qt.PenJoinStyle.RoundJoin)
    symbol.appendSymbolLayer(line)
    for placement, interval in (("Interval", 12.0), ("LastVertex", 0)):
        arrows = QgsMarkerLineSymbolLayer(True, interval or 1.0)
        if hasattr(arrows, "setPlacements"):  # QGIS 3.24+: placement flags (setPlacement is deprecated)
            arrows.setPlacements(getattr(getattr(Qgis, "MarkerLinePlacement"), placement))
        else:
            arrows.setPlacement(getattr(QgsMarkerLineSymbolLayer.Placement, placement))
        head = QgsMarkerSymbol.createSimple(
            {"name": "filled_arrowhead", "color": "0,90,200", "outline_color": "255,255,255",
                                             "outline_width": "0.2", "size": "3.0"})
        arrows.setSubSymbol(head)
        symbol.appendSymbolLayer(arrows)
    layer.setRenderer(QgsRuleBasedRenderer(_rules([(THIS_SITE, symbol)])))


def _style_places(layer: QgsVectorLayer) -> None:
    shelter = QgsMarkerSymbol.createSimple({"name": "square", "color": "0,150,60", "outline_color": "255,255,255",
                                            "outline_width": "0.4", "size": "3.6"})
    settlement = QgsMarkerSymbol.createSimple({"name": "circle", "color": "40,40,40", "outline_color": "255,255,255",
                                               "outline_width": "0.3", "size": "2.4"})
    layer.setRenderer(QgsRuleBasedRenderer(_rules([(f"{THIS_SITE} AND \"role\" = 'shelter'", shelter),
                                                   (f"{THIS_SITE} AND \"role\" = 'settlement'", settlement)])))
    _label(layer, "name", f"{THIS_SITE}")


def _style_sites(layer: QgsVectorLayer) -> None:
    here = QgsMarkerSymbol.createSimple({"name": "triangle", "color": "220,0,0", "outline_color": "255,255,255",
                                         "outline_width": "0.4", "size": "4.2"})
    other = QgsMarkerSymbol.createSimple(
        {"name": "triangle", "color": "200,120,120", "outline_style": "no", "size": "2.2"})
    here_rule = "\"code\" = attribute(@atlas_feature, 'code')"
    layer.setRenderer(QgsRuleBasedRenderer(_rules([(here_rule, here), ("ELSE", other)])))
    _label(layer, "name", here_rule)


def _label(layer: QgsVectorLayer, field: str, only: str) -> None:
    settings = QgsPalLayerSettings()
    settings.fieldName = f"if({only}, \"{field}\", '')"
    settings.isExpression = True
    settings.setFormat(with_halo(text_format(7.5), 0.8, QColor(255, 255, 255)))
    settings.placement = QgsPalLayerSettings.Placement.OrderedPositionsAroundPoint
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def _card_layout(project: QgsProject, coverage: QgsVectorLayer, map_layers, links, crs: str,
                 footer: str) -> QgsPrintLayout:
    cards = ledger_config()["cards"]
    width, height = float(cards["width_mm"]), float(cards["height_mm"])
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.pageCollection().page(0).setPageSize(QgsLayoutSize(width, height, MM))
    margin = 8.0
    inner = width - 2 * margin
    add_label(layout, f"{cards['title_zh']}  {cards['title_en']}", margin, 6, inner, 9, 15, True,
              Qt.AlignmentFlag.AlignHCenter)
    add_label(layout, '[% "name" %]（[% "code" %]）', margin, 15, inner, 7, 11.5, True, Qt.AlignmentFlag.AlignHCenter)
    facts = add_label(layout, _facts_text(), margin, 23, inner, 24, 8)
    facts.setVAlign(Qt.AlignmentFlag.AlignTop)
    facts.setFrameEnabled(True)
    facts.setMarginX(2)
    facts.setMarginY(1.5)
    main = QgsLayoutItemMap(layout)
    main.setId("card_map")
    layout.addLayoutItem(main)
    main.attemptSetSceneRect(QRectF(margin, 49, *MAP_FRAME_MM))
    main.setFrameEnabled(True)
    main.setCrs(coverage.crs())
    main.setLayers(map_layers)
    main.setKeepLayerSet(True)
    main.setAtlasDriven(True)
    main.setAtlasScalingMode(QgsLayoutItemMap.AtlasScalingMode.Auto)
    main.setAtlasMargin(0.0)  # the coverage extents have their margin
    _scale_bar(layout, main, margin + 2, 128.5)
    add_label(layout,
              "▲ 隐患点 Hazard site   ● 受威胁居民点 Threatened settlement   ■ 避难场所 Shelter   → 疏散路线 Route",
              margin, 134.5, inner, 5, 6.5)
    _links_table(layout, project, links, crs, margin, 141, inner, 44)
    notes = add_label(layout, footer, margin, 186, inner, 18, 6.2)
    notes.setVAlign(Qt.AlignmentFlag.AlignTop)
    atlas = layout.atlas()
    atlas.setCoverageLayer(coverage)
    atlas.setEnabled(True)
    atlas.setSortFeatures(True)
    atlas.setSortExpression('"code"')
    return layout


def _facts_text() -> str:
    """The site's facts as expressions of the atlas feature; blank facts stay blank."""
    labels = ledger_config()["optional_fields"]
    return "\n".join([
        '隐患类型 Kind：[% "kind_zh" %] [% "kind_en" %]　　规模 Scale：[% "scale_zh" %] [% "scale_en" %]',
        '所在乡镇 Township：[% "township" %]　　编号 Code：[% "code" %]',
        '威胁人数 Threatened people：[% "threatened_people" %]　　需转移 To evacuate：[% "evacuees" %]'
        '　　未能安置 Not placed：[% "not_placed" %]',
        f'{labels["warning_signal"]["zh"]} {labels["warning_signal"]["en"]}：[% "warning_signal" %]',
        f'{labels["monitor"]["zh"]} {labels["monitor"]["en"]}：[% "monitor" %]　　'
        f'{labels["phone"]["zh"]} {labels["phone"]["en"]}：[% "phone" %]',
    ])


def _scale_bar(layout, main: QgsLayoutItemMap, x: float, y: float) -> None:
    bar = QgsLayoutItemScaleBar(layout)
    bar.setStyle("Single Box")
    bar.setLinkedMap(main)
    bar.setUnits(QgsUnitTypes.DistanceUnit.DistanceKilometers)
    bar.setUnitLabel("km")
    bar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeMode.SegmentSizeFitWidth)
    bar.setMinimumBarWidth(15)
    bar.setMaximumBarWidth(30)
    bar.setNumberOfSegments(2)
    bar.setNumberOfSegmentsLeft(0)
    bar.setTextFormat(text_format(6))
    bar.setHeight(1.2)
    bar.setBackgroundEnabled(True)
    layout.addLayoutItem(bar)
    bar.attemptSetSceneRect(QRectF(x, y, 34, 6))


def _links_table(layout, project: QgsProject, links, crs: str, x: float, y: float, width: float, height: float) -> None:
    """Settlement → shelter rows of the page's site."""
    rows = links.drop(columns=links.geometry.name).copy()
    rows["from_words"] = [AT_SITE if k == "hazard_site" else n
                          for k, n in zip(rows["origin_kind"], rows["origin_name"])]
    table_layer = QgsVectorLayer(f"None?{_fields(rows)}", "card rows", "memory")
    features = []
    for row in rows.itertuples(index=False):
        feature = QgsFeature(table_layer.fields())
        feature.setAttributes([_plain(v) for v in row])
        features.append(feature)
    table_layer.dataProvider().addFeatures(features)
    project.addMapLayer(table_layer)
    table = QgsLayoutItemAttributeTable.create(layout)
    table.setVectorLayer(table_layer)
    table.setFilterFeatures(True)
    table.setFeatureFilter(THIS_SITE)
    table.setMaximumNumberOfFeatures(int(ledger_config()["cards"]["max_rows"]))
    columns = []
    for heading, expression, share in (
            ("受威胁居民点 Settlement", '"from_words"', 0.26), ("受威胁 People", '"people"', 0.16),
            ("避难场所 Shelter", "coalesce(nullif(\"shelter_name\", ''), '未能安置 not placed')", 0.24),
            ("分配 Assigned", '"shelter_people"', 0.13),
            ("距离 km", "if(\"distance_m\" IS NULL, '', format_number(\"distance_m\" / 1000, 1))", 0.09),
            ("步行 min", "if(\"time_min\" IS NULL, '', format_number(\"time_min\", 0) || "
                        "if(\"over_standard\" = 1, ' *', ''))", 0.11)):
        column = QgsLayoutTableColumn(heading)
        column.setAttribute(expression)
        column.setWidth(width * share - 2.2)
        columns.append(column)
    table.setColumns(columns)
    table.setHeaderTextFormat(text_format(7, True))
    table.setContentTextFormat(text_format(7))
    table.setCellMargin(1.0)
    table.setResizeMode(QgsLayoutMultiFrame.ResizeMode.UseExistingFrames)
    layout.addMultiFrame(table)
    frame = QgsLayoutFrame(layout, table)
    frame.attemptSetSceneRect(QRectF(x, y, width, height))
    table.addFrame(frame)


def _fields(frame) -> str:
    return "&".join(f"field={c}:{_TYPES.get(str(frame[c].dtype), 'string')}" for c in frame.columns)


def footer_text(scenario_title: str, compiled_by: str, compiled_date: str, synthetic: bool) -> str:
    notes = maps_config()["notes"]
    lines = [f"疏散情景 Scenario：{scenario_title}",
             f"编制单位 Compiled by：{compiled_by}　　编制日期 Date：{compiled_date}　　"
             "距离、时间按道路步行计算 walked along the roads；* 超出该类避难场所标准 beyond the shelter kind's "
             "standard"]
    if synthetic:
        lines.append(f"{notes['synthetic_zh']} {notes['synthetic_en']}")
    return "\n".join(lines)

