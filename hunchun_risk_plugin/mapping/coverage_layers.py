"""The drive-time zones as the coverage maps show them: a memory copy with the zones'
raster steps smoothed away (they come from a 200 m travel-time grid, which at 1:50000
is a 4 mm staircase) and one more feature, the rest of the city that no band reaches
(to_h empty: 未覆盖, not covered). The input layer is never changed.

The settlements' circles are sized by population: their size key is a layer of its own
(``size_key_layer``), under the settlements in the legend."""
from __future__ import annotations

from qgis.core import (
    QgsAnnotationLayer,
    QgsDataDefinedSizeLegend,
    QgsDataDefinedSizeLegendNode,
    QgsFeature,
    QgsFeatureRequest,
    QgsGeometry,
    QgsMapLayerLegend,
    QgsMarkerSymbol,
    QgsProject,
    QgsProperty,
    QgsRenderContext,
    QgsVectorLayer,
)
from qgis.PyQt import sip

from ..core.map_specs import maps_config
from .layout_parts import CJK_FONT

SIMPLIFY_M = 60.0   # below the travel-time cell, so no band moves by more than a cell
SMOOTH_ITERATIONS = 3


def smoothed_with_uncovered(zones: QgsVectorLayer, townships_uri: str | None) -> QgsVectorLayer:
    copy = zones.materialize(QgsFeatureRequest())
    copy.setName(zones.name())
    provider = copy.dataProvider()
    changes, parts = {}, []
    for feature in copy.getFeatures():
        geometry = QgsGeometry(feature.geometry())
        parts.append(QgsGeometry(geometry))
        changes[feature.id()] = geometry.simplify(SIMPLIFY_M).smooth(SMOOTH_ITERATIONS, 0.25)
    provider.changeGeometryValues(changes)
    rest = _not_reached(townships_uri, parts, copy)
    if rest is not None and not rest.isEmpty():
        feature = QgsFeature(copy.fields())
        feature.setGeometry(rest)  # every attribute empty: to_h IS NULL is the 未覆盖 class
        provider.addFeatures([feature])
    copy.updateExtents()
    return copy


def _not_reached(townships_uri: str | None, zones: list[QgsGeometry], copy: QgsVectorLayer) -> QgsGeometry | None:
    if not townships_uri:
        return None
    townships = QgsVectorLayer(townships_uri, "townships", "ogr")
    if not townships.isValid() or townships.crs() != copy.crs():
        return None
    city = QgsGeometry.unaryUnion([f.geometry() for f in townships.getFeatures()])
    reached = QgsGeometry.unaryUnion(zones) if zones else QgsGeometry()
    return city.difference(reached) if not reached.isEmpty() else city


class _SizeKeyLegend(QgsMapLayerLegend):
    """A legend of one node: the size key. Held by a layer that is no vector layer, so
    that a legend filtered by the map keeps it (QGIS 3.22 drops a vector layer's
    data-defined size node there: it matches no symbol the map draws)."""

    def __init__(self, settings: QgsDataDefinedSizeLegend) -> None:
        super().__init__()
        self.settings = settings

    def createLayerTreeModelLegendNodes(self, node):  # noqa: N802 (QGIS name)
        legend_node = QgsDataDefinedSizeLegendNode(node, self.settings)
        sip.transferto(legend_node, None)  # the layer tree model owns its nodes
        return [legend_node]


def size_key_layer(sized: QgsVectorLayer, project: QgsProject) -> QgsAnnotationLayer | None:
    """An empty layer whose legend is the size key of ``sized``'s circles (collapsed,
    at maps.toml [size_key]'s round values), drawn by the size transform of the layer's
    own symbols; None when its symbols have no data-defined size."""
    size = _data_defined_size(sized)
    if size is None:
        return None
    config = maps_config()["size_key"]
    settings = QgsDataDefinedSizeLegend()
    settings.setLegendType(QgsDataDefinedSizeLegend.LegendType.LegendCollapsed)
    settings.setTitle(config["title"])
    settings.setClasses([QgsDataDefinedSizeLegend.SizeClass(float(v), f"{int(v):,}".replace(",", " "))
                         for v in config["values"]])
    circle = QgsMarkerSymbol.createSimple({"name": "circle", "color": "255,255,255,0", "outline_color": "60,60,60",
                                           "outline_width": "0.2"})
    settings.updateFromSymbolAndProperty(circle, size)
    values_font = settings.font()
    values_font.setFamily(CJK_FONT)  # the maps' type (its size is the legend's own)
    settings.setFont(values_font)
    layer = QgsAnnotationLayer(config["title"], QgsAnnotationLayer.LayerOptions(project.transformContext()))
    legend = _SizeKeyLegend(settings)
    layer.setLegend(legend)
    layer.setCustomProperty("hr_size_key_of", sized.id())
    _KEYS.append(legend)  # kept alive with the layer (the layer owns it on the C++ side)
    return layer


_KEYS: list = []


def _data_defined_size(layer: QgsVectorLayer) -> QgsProperty | None:
    """The size property the layer's marker symbols share, with its scale transform
    (a ``scale_exp`` expression is turned into one)."""
    renderer = layer.renderer()
    symbols = [s for s in (renderer.symbols(QgsRenderContext()) if renderer else []) if isinstance(s, QgsMarkerSymbol)]
    sizes = [s.dataDefinedSize() for s in symbols if s.dataDefinedSize().isActive()]
    if not sizes:
        return None
    size = QgsProperty(sizes[0])
    if size.transformer() is None and not size.convertToTransformer():
        return None
    return size
