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
    QgsRuleBasedRenderer,
    QgsVectorLayer,
)

from ..core.definitions import default_epsg
from ..core.map_pages import SheetProjector
from ..core.map_specs import MapKind, maps_config
from ..core.schema import layer_specs
from ..paths import style_for

CURRENT_AREA = '"code" = @hr_area_code'
CURRENT_SHEET = '"number" = @hr_sheet'


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
    inset_layers: dict[str, list[QgsMapLayer]] = field(default_factory=dict)  # by scope
    missing: list[str] = field(default_factory=list)

    def main_layers(self, scope: str, sheet: str | None = None) -> list[QgsMapLayer]:
        extra = [layer for layer in (self.outline, self.veil) if layer is not None] if scope == "township" else []
        return (self.sheet_layers if sheet else []) + extra + self.legend_layers


def layer_title(key: str) -> str:
    titles = maps_config()["layer_titles"]
    if key in titles:
        return titles[key]
    spec = layer_specs().get(key)
    return f"{spec.zh} {spec.en}" if spec else key


def open_layer(uri: str, title: str, style_key: str) -> QgsVectorLayer | None:
    layer = QgsVectorLayer(uri, title, "ogr")
    if not layer.isValid():
        return None
    style = style_for(style_key)
    if style.exists():
        layer.loadNamedStyle(str(style))
    return layer


def build_kind_project(kind: MapKind, scope: str, sources: MapSources) -> KindProject:
    project = QgsProject()
    project.setCrs(_map_crs())
    legend_layers, missing = [], []
    for key in kind.layers:
        uri = sources.uri(key, scope)
        layer = open_layer(uri, layer_title(key), key) if uri else None
        if layer is None:
            missing.append(key)
            continue
        project.addMapLayer(layer)  # in the layer tree: the legend follows it
        legend_layers.append(layer)
    _order_tree(project, legend_layers)
    townships_uri = sources.uri("townships", scope)
    veil = outline = None
    if townships_uri:
        veil = _private(project, _veil_layer(townships_uri))
        outline = _private(project, _outline_layer(townships_uri))
    result = KindProject(project, legend_layers, veil, outline, missing=missing)
    if townships_uri and scope == "township":
        result.sheet_layers = [_private(project, layer) for layer in _sheet_layers(townships_uri)]
    result.inset_layers = {"township": _inset_for_township(project, sources, scope),
                           "city": _inset_for_city(project, sources)}
    return result


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
    other = QgsFillSymbol.createSimple({"color": "235,235,235,255", "outline_color": "130,130,130", "outline_width": "0.15"})
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


def _sheet_layers(townships_uri: str) -> list[QgsVectorLayer]:
    """The 1:50000 sheets the townships touch, drawn as the neatline of the page's
    sheet (``@hr_sheet``); the page clips the map to it."""
    townships = QgsVectorLayer(townships_uri, "townships", "ogr")
    transform = QgsCoordinateTransform(townships.crs(), _map_crs(), QgsProject.instance().transformContext())
    parts = []
    for feature in townships.getFeatures():
        geometry = QgsGeometry(feature.geometry())
        geometry.transform(transform)
        parts.append(shapely.from_wkb(bytes(geometry.asWkb())))
    sheets = SheetProjector(default_epsg()).touching(shapely.union_all(parts), maps_config()["scales"]["township"])
    memory = QgsVectorLayer(f"Polygon?crs=EPSG:{default_epsg()}&field=number:string(12)", "sheets", "memory")
    features = []
    for sheet in sheets:
        feature = QgsFeature(memory.fields())
        feature.setAttribute("number", sheet.number)
        feature.setGeometry(QgsGeometry.fromWkt(SheetProjector(default_epsg()).outline(sheet).wkt))
        features.append(feature)
    memory.dataProvider().addFeatures(features)
    memory.setName("sheet neatline")
    memory.setRenderer(_only_current(QgsFillSymbol.createSimple(
        {"style": "no", "outline_color": "0,0,0", "outline_width": "0.7"}), CURRENT_SHEET))
    return [memory]


def _only_current(symbol, rule: str) -> QgsRuleBasedRenderer:
    root = QgsRuleBasedRenderer.Rule(None)
    root.appendChild(QgsRuleBasedRenderer.Rule(symbol, 0, 0, rule))
    return QgsRuleBasedRenderer(root)
