"""Which legend items a page's map shows, for the layers with many features.

QGIS 3.22's legend filter (QgsMapHitTest) writes the symbol of every feature it meets
out as XML to tell symbols apart: on the roads (6840 features) and the contours that
was 0.2 s a page, nearly all of a page's filtering. For a layer drawn with one symbol or
with categories of a field, the question is simpler: is there a feature inside the
map's extent (and the sheet's outline), and of which values. This answers it with one
feature request that reads only that field; the legend filter does the other layers.
The answer is QGIS's: the extent is matched by bounding box as its hit test does, the
outline by exact intersection, hidden categories and scale visibility as it treats
them."""
from __future__ import annotations

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsGeometry,
    QgsLayerTreeLayer,
    QgsLayerTreeUtils,
    QgsMapSettings,
    QgsProject,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
)

MANY_FEATURES = 300  # below this QGIS's own hit test takes a few milliseconds a page


def judged_here(node: QgsLayerTreeLayer) -> bool:
    """A layer this module answers for: many features, one symbol or categories of a
    plain field (no catch-all category), no legend filter expression of its own."""
    layer = node.layer()
    if not isinstance(layer, QgsVectorLayer) or layer.featureCount() < MANY_FEATURES:
        return False
    if QgsLayerTreeUtils.legendFilterByExpression(node)[0]:
        return False
    renderer = layer.renderer()
    if isinstance(renderer, QgsSingleSymbolRenderer):
        return True
    if type(renderer) is not QgsCategorizedSymbolRenderer:  # a graduated or subclass: QGIS decides
        return False
    categories = renderer.categories()
    return (layer.fields().lookupField(renderer.classAttribute()) >= 0
            and all(c.value() not in (None, "") and not isinstance(c.value(), list) for c in categories))


def shown_items(layer: QgsVectorLayer, settings: QgsMapSettings, outline: QgsGeometry | None) -> set[int]:
    """The renderer item indices (categories, or 0 for the one symbol) of ``layer``'s
    features inside ``settings``' extent and, when given, ``outline`` (map CRS)."""
    if not layer.isInScaleRange(settings.scale()):
        return set()
    to_layer = QgsCoordinateTransform(settings.destinationCrs(), layer.crs(), QgsProject.instance())
    request = QgsFeatureRequest().setFilterRect(to_layer.transformBoundingBox(settings.visibleExtent()))
    renderer = layer.renderer()
    wanted = _wanted_values(renderer)
    if wanted is None:
        request.setNoAttributes()
    else:
        request.setSubsetOfAttributes([renderer.classAttribute()], layer.fields())
    engine = None
    if outline is not None and not outline.isEmpty():
        shape = QgsGeometry(outline)
        shape.transform(to_layer)
        engine = QgsGeometry.createGeometryEngine(shape.constGet())
        engine.prepareGeometry()
    else:
        request.setFlags(QgsFeatureRequest.Flag.NoGeometry)
    found: set[int] = set()
    for feature in layer.getFeatures(request):
        if engine is not None and (not feature.hasGeometry() or not engine.intersects(feature.geometry().constGet())):
            continue
        if wanted is None:
            return {0}
        index = wanted.get(_key(feature[renderer.classAttribute()]))
        if index is not None:
            found.add(index)
            if len(found) == len(wanted):
                break
    return found


def _wanted_values(renderer) -> dict[str, int] | None:
    """Category value → item index for the categories drawn (None: one symbol)."""
    if isinstance(renderer, QgsSingleSymbolRenderer):
        return None
    return {_key(c.value()): i for i, c in enumerate(renderer.categories()) if c.renderState()}


def _key(value) -> str:
    """Values as QGIS's categories match them: 5, 5.0 and "5" alike."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)
