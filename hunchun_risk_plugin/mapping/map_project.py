"""The QGIS project behind one kind of printed map: its styled layers in legend order,
plus the layers the layout draws without a legend entry (the veil outside the mapped
township, its outline, the location-inset layers).

Renderers that depend on the page read the layout variable ``@hr_area_code``, so one
project serves every page of a kind.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFillSymbol,
    QgsGeometry,
    QgsInvertedPolygonRenderer,
    QgsMapLayer,
    QgsProject,
    QgsPalLayerSettings,
    QgsRectangle,
    QgsRuleBasedRenderer,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor

from qgis.PyQt.QtXml import QDomDocument

from ..core.definitions import default_epsg
from ..core.map_pages import SheetProjector
from ..core.map_specs import MapKind, maps_config
from ..core.schema import layer_specs
from ..paths import style_for
from .context_layers import boundary_layer, land_layer, names_layer, relief_layer
from .contour_layers import ContourLayer
from .coverage_layers import size_key_layer, smoothed_with_uncovered
from .evacuation_layers import LABELLED, labelled_copy, numbers_from
from .street_labels import add_street_labels, labels_streets
from .zone_smoothing import smooth_zones_at_large_scales
from .layout_parts import text_format, with_halo

CURRENT_AREA = '"code" = @hr_area_code'
CURRENT_SHEET = '"number" = @hr_sheet'
OVERVIEW = "@hr_overview = '1' AND array_contains(string_to_array(@hr_sheet_numbers, ', '), \"number\")"
PRINTED_SHEET = 'array_contains(string_to_array(@hr_printed_sheets), "number")'


@dataclass
class MapSources:
    """Where each layer key's data is: ``"risk_zones@township"`` beats ``"risk_zones"``
    on township pages. Values are OGR URIs (``file.gpkg|layername=x``)."""
    uris: dict[str, str]

    def uri(self, key: str, scope: str) -> str | None:
        found = self.uris.get(f"{key}@{scope}") or self.uris.get(key)
        source = maps_config().get("layer_sources", {}).get(key)  # the same data in another style
        return found or (self.uri(source, scope) if source else None)


@dataclass
class KindProject:
    project: QgsProject
    legend_layers: list[QgsMapLayer]          # top first, as drawn
    veil: QgsVectorLayer | None               # white veil outside the page's township
    outline: QgsVectorLayer | None            # the page's township, bold
    sheet_layers: list[QgsMapLayer] = field(default_factory=list)  # the page's sheet neatline
    grid_layers: list[QgsMapLayer] = field(default_factory=list)   # overview pages: every sheet, numbered
    over_theme: list[QgsMapLayer] = field(default_factory=list)    # boundaries, over the theme's fill
    relief: list[QgsMapLayer] = field(default_factory=list)        # the hillshade, over the fill, under the contours
    contours: ContourLayer | None = None                           # township projects with a DEM: in the legend
    under_theme: list[QgsMapLayer] = field(default_factory=list)   # the land around the city
    inset_layers: dict[str, list[QgsMapLayer]] = field(default_factory=dict)  # by scope
    missing: list[str] = field(default_factory=list)

    def main_layers(self, scope: str, sheet: str | None = None, overview: bool = False,
                    contours: bool = False) -> list[QgsMapLayer]:
        """The main map's layers, top first; ``contours``: with the contour layer (after
        ``show_contours`` pointed it at the page)."""
        extra = [layer for layer in (self.outline, self.veil) if layer is not None] if scope == "township" else []
        grid = (self.sheet_layers if sheet else []) + (self.grid_layers if overview else [])
        points_and_lines, fill = self.legend_layers[:-1], self.legend_layers[-1:]  # the theme's fill is drawn last
        relief = ([self.contours.layer] if contours and self.contours is not None else []) + self.relief
        # the national and county boundaries over the township's bold outline: where the
        # township ends at the frontier the outline hid the national boundary's dash-dot
        over_outline, over_fill = (self.over_theme, []) if extra else ([], self.over_theme)
        return grid + over_outline + extra + points_and_lines + over_fill + relief + fill + self.under_theme

    def show_contours(self, extent: QgsRectangle, scale: int) -> bool:
        """Point the contour layer at ``extent`` (computed once per process for each
        extent and interval, whichever kind asks first); False where the page gets none."""
        return self.contours is not None and self.contours.show(extent, scale)


def layer_title(key: str) -> str:
    titles = maps_config()["layer_titles"]
    if key in titles:
        return titles[key]
    spec = layer_specs().get(key)
    return f"{spec.zh} {spec.en}" if spec else key


def open_layer(uri: str, title: str, style_key: str, prepare=None) -> QgsVectorLayer | None:
    """The layer at ``uri``, through ``prepare`` (e.g. a labelled copy) when given, styled."""
    layer = QgsVectorLayer(uri, title, "ogr")
    if not layer.isValid():
        return None
    if prepare is not None:
        layer = prepare(layer)
    style = style_for(style_key)
    if style.exists():
        # imported, not loadNamedStyle: that prefers a style stored in the GeoPackage (an
        # analysis run embeds the styles of its day), and every page must look the same
        document = QDomDocument()
        if document.setContent(style.read_text(encoding="utf-8")):
            layer.importNamedStyle(document)
    smooth_zones_at_large_scales(layer, style_key)
    return layer


def build_kind_project(kind: MapKind, scope: str, sources: MapSources) -> KindProject:
    project = QgsProject()
    project.setCrs(_map_crs())
    legend_layers, missing, by_key = [], [], {}
    numbers = numbers_from(sources.uri("shelter_load", scope)) if set(LABELLED) & set(kind.layers) else {}
    for key in kind.layers:
        uri = sources.uri(key, scope)
        layer = open_layer(uri, layer_title(key), key, _preparation(key, numbers, sources, scope)) if uri else None
        if layer is None:
            missing.append(key)
            continue
        if labels_streets(key):
            add_street_labels(layer)  # shown on the 1:10000 pages only
        project.addMapLayer(layer)  # in the layer tree: the legend follows it
        legend_layers.append(layer)
        by_key[key] = layer
    _order_tree(project, [by_key[key] for key in kind.legend_order() if key in by_key])  # the legend's order
    for key in maps_config()["size_key"]["layers"]:
        if key in by_key:
            _add_size_key(project, legend_layers, by_key[key])
    townships_uri = sources.uri("townships", scope)
    veil = outline = None
    if townships_uri:
        veil = _private(project, _veil_layer(townships_uri))
        outline = _private(project, _outline_layer(townships_uri))
    result = KindProject(project, legend_layers, veil, outline, missing=missing)
    if townships_uri and scope == "township":
        neatline, grid = _sheet_layers(townships_uri)
        result.sheet_layers = [_private(project, neatline)]
        result.grid_layers = [_private(project, grid)]
    result.inset_layers = {"township": _inset_for_township(project, sources, scope),
                           "city": _inset_for_city(project, sources)}
    if townships_uri:
        _add_context(project, result, sources, townships_uri, scope)
    return result


def _add_context(project: QgsProject, result: KindProject, sources: MapSources, townships_uri: str,
                 scope: str) -> None:
    """The land around the city, its national and city boundary, the relief shading and,
    on township projects, the contours."""
    epsg = default_epsg()
    city = shapely.union_all(_polygons_in_map_crs(townships_uri))
    counties = sources.uri("context_counties", "city")
    neighbours = sources.uri("context_neighbours", "city")
    dem = sources.uri("dem", "city")
    over = [boundary_layer(city, counties, epsg) if counties else None]
    under = [names_layer(neighbours, epsg) if neighbours else None,
             land_layer(counties, city, epsg) if counties else None]
    result.over_theme = [_private(project, layer) for layer in over if layer is not None]
    result.relief = [layer for layer in (_private(project, relief_layer(dem)),) if layer is not None]
    if dem and scope == "township":  # no contours on the city maps
        result.contours = ContourLayer(dem, epsg)
        project.addMapLayer(result.contours.layer, False)
        project.layerTreeRoot().addLayer(result.contours.layer)  # the legend's last entry
    result.under_theme = [_private(project, layer) for layer in under if layer is not None]


def _add_size_key(project: QgsProject, legend_layers: list[QgsMapLayer], sized: QgsVectorLayer) -> None:
    """The size key of ``sized``'s circles right under it in the legend; in the map's
    layers too (a legend filtered by the map shows only those), where it draws nothing."""
    key = size_key_layer(sized, project)
    if key is None:
        return
    project.addMapLayer(key, False)
    root = project.layerTreeRoot()
    node = root.findLayer(sized.id())
    parent = node.parent()
    parent.insertLayer(parent.children().index(node) + 1, key)
    legend_layers.insert(legend_layers.index(sized) + 1, key)


def _polygons_in_map_crs(uri: str, kinds: list[str] | None = None) -> list:
    """The townships' polygons in the map CRS (only those of ``kinds`` when given)."""
    layer = QgsVectorLayer(uri, "townships", "ogr")
    transform = QgsCoordinateTransform(layer.crs(), _map_crs(), QgsProject.instance().transformContext())
    parts = []
    has_kind = "kind" in layer.fields().names()
    for feature in layer.getFeatures():
        if kinds is not None and (not has_kind or str(feature["kind"]) not in kinds):
            continue
        geometry = QgsGeometry(feature.geometry())
        geometry.transform(transform)
        parts.append(shapely.from_wkb(bytes(geometry.asWkb())))
    return parts


def _preparation(key: str, numbers: dict[str, int], sources: MapSources, scope: str):
    """What a layer goes through before it is styled: evacuation layers get their
    labels, drive-time zones their smoothing and the 未覆盖 remainder."""
    if key in LABELLED:
        return lambda layer: labelled_copy(layer, key, numbers)
    if key == "drive_time_zones":
        return lambda layer: smoothed_with_uncovered(layer, sources.uri("townships", scope))
    return None


def _map_crs() -> QgsCoordinateReferenceSystem:
    """Maps are drawn in the city's CGCS2000 Gauss-Krüger zone, whatever the inputs' CRS."""
    return QgsCoordinateReferenceSystem(f"EPSG:{default_epsg()}")


def _order_tree(project: QgsProject, layers: list[QgsMapLayer]) -> None:
    root = project.layerTreeRoot()
    for position, layer in enumerate(layers):
        node = root.findLayer(layer.id())
        clone = node.clone()
        root.insertChildNode(position, clone)
        root.removeChildNode(node)


def _private(project: QgsProject, layer: QgsVectorLayer | None) -> QgsVectorLayer | None:
    """Add ``layer`` to the project without a legend entry."""
    if layer is not None:
        project.addMapLayer(layer, False)
    return layer


def _veil_layer(uri: str) -> QgsVectorLayer | None:
    layer = QgsVectorLayer(uri, "veil", "ogr")
    if not layer.isValid():
        return None
    veil = QgsFillSymbol.createSimple({"color": "255,255,255,150", "outline_style": "no"})
    root = QgsRuleBasedRenderer.Rule(None)
    root.appendChild(QgsRuleBasedRenderer.Rule(veil, 0, 0, CURRENT_AREA))
    layer.setRenderer(QgsInvertedPolygonRenderer(QgsRuleBasedRenderer(root)))
    return layer


def _outline_layer(uri: str) -> QgsVectorLayer | None:
    layer = QgsVectorLayer(uri, "outline", "ogr")
    if not layer.isValid():
        return None
    ring = QgsFillSymbol.createSimple({"style": "no", "outline_color": "120,0,120,230", "outline_width": "0.9"})
    root = QgsRuleBasedRenderer.Rule(None)
    root.appendChild(QgsRuleBasedRenderer.Rule(ring, 0, 0, CURRENT_AREA))
    layer.setRenderer(QgsRuleBasedRenderer(root))
    return layer


def _highlighted_areas(uri: str, name: str, rule: str) -> QgsVectorLayer | None:
    """Every area grey, the one ``rule`` picks red: the inset's way of saying 'here'."""
    layer = QgsVectorLayer(uri, name, "ogr")
    if not layer.isValid():
        return None
    root = QgsRuleBasedRenderer.Rule(None)
    here = QgsFillSymbol.createSimple({"color": "230,0,0,255", "outline_color": "120,0,0", "outline_width": "0.2"})
    other = QgsFillSymbol.createSimple(
        {"color": "235,235,235,255", "outline_color": "130,130,130", "outline_width": "0.15"})
    root.appendChild(QgsRuleBasedRenderer.Rule(here, 0, 0, rule))
    root.appendChild(QgsRuleBasedRenderer.Rule(other, 0, 0, "ELSE"))
    layer.setRenderer(QgsRuleBasedRenderer(root))
    return layer


def _inset_for_township(project: QgsProject, sources: MapSources, scope: str) -> list[QgsMapLayer]:
    uri = sources.uri("townships", scope)
    layer = _private(project, _highlighted_areas(uri, "inset townships", CURRENT_AREA)) if uri else None
    return [layer] if layer is not None else []


def _inset_for_city(project: QgsProject, sources: MapSources) -> list[QgsMapLayer]:
    layers = []
    neighbours = sources.uri("context_neighbours", "city")
    if neighbours:
        layers.append(_private(project, open_layer(neighbours, "neighbours", "context_neighbours")))
    counties = sources.uri("context_counties", "city")
    if counties:
        layers.append(_private(project, _highlighted_areas(counties, "counties", '"is_hunchun" = 1')))
    return [layer for layer in layers if layer is not None]


def _sheet_layers(townships_uri: str) -> tuple[QgsVectorLayer, QgsVectorLayer]:
    """The 1:50000 sheets the townships touch (and the 1:10000 sheets the subdistricts
    touch): drawn as the neatline of the page's sheet (``@hr_sheet``; the page clips the
    map to it), and as the numbered sheet grid of an overview page (the sheets with a
    page of their own solid, the others dashed)."""
    projector, scales = SheetProjector(default_epsg()), maps_config()["scales"]
    sheets = projector.touching(shapely.union_all(_polygons_in_map_crs(townships_uri)), scales["township"])
    subdistricts = _polygons_in_map_crs(townships_uri, maps_config()["subdistrict"]["kinds"])
    if subdistricts:
        sheets += projector.touching(shapely.union_all(subdistricts), scales["subdistrict"])
    memory, grid = _sheet_memory(sheets), _sheet_memory(sheets)
    memory.setName("sheet neatline")
    memory.setRenderer(_only_current(QgsFillSymbol.createSimple(
        {"style": "no", "outline_color": "0,0,0", "outline_width": "0.7"}), CURRENT_SHEET))
    grid.setName("sheet grid")
    root = QgsRuleBasedRenderer.Rule(None)
    printed = QgsFillSymbol.createSimple({"style": "no", "outline_color": "20,20,20", "outline_width": "0.6"})
    sliver = QgsFillSymbol.createSimple({"style": "no", "outline_color": "120,120,120", "outline_width": "0.3",
                                         "outline_style": "dash"})
    root.appendChild(QgsRuleBasedRenderer.Rule(printed, 0, 0, f"{OVERVIEW} AND {PRINTED_SHEET}"))
    root.appendChild(QgsRuleBasedRenderer.Rule(sliver, 0, 0, f"{OVERVIEW} AND NOT {PRINTED_SHEET}"))
    grid.setRenderer(QgsRuleBasedRenderer(root))
    grid.setLabeling(QgsVectorLayerSimpleLabeling(_sheet_number_labels()))
    grid.setLabelsEnabled(True)
    return memory, grid


def _sheet_memory(sheets) -> QgsVectorLayer:
    memory = QgsVectorLayer(f"Polygon?crs=EPSG:{default_epsg()}&field=number:string(12)", "sheets", "memory")
    features = []
    for sheet in sheets:
        feature = QgsFeature(memory.fields())
        feature.setAttribute("number", sheet.number)
        feature.setGeometry(QgsGeometry.fromWkt(SheetProjector(default_epsg()).outline(sheet).wkt))
        features.append(feature)
    memory.dataProvider().addFeatures(features)
    return memory


def _sheet_number_labels() -> QgsPalLayerSettings:
    """Each sheet's number at its centre, bold where the sheet has a page (the others'
    slivers are on a neighbour's page)."""
    settings = QgsPalLayerSettings()
    settings.isExpression = True
    settings.fieldName = f"CASE WHEN {PRINTED_SHEET} THEN \"number\" ELSE \"number\" || '\n（并入邻幅）' END"
    settings.setFormat(with_halo(text_format(11, True, QColor(20, 20, 20)), 1.0, QColor(255, 255, 255, 230)))
    settings.placement = QgsPalLayerSettings.Placement.OverPoint
    settings.priority = 10
    return settings


def _only_current(symbol, rule: str) -> QgsRuleBasedRenderer:
    root = QgsRuleBasedRenderer.Rule(None)
    root.appendChild(QgsRuleBasedRenderer.Rule(symbol, 0, 0, rule))
    return QgsRuleBasedRenderer(root)
