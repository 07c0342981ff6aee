"""The drive-time zones as the coverage maps show them: a memory copy with the zones'
raster steps smoothed away (they come from a 200 m travel-time grid, which at 1:50000
is a 4 mm staircase) and one more feature, the rest of the city that no band reaches
(to_h empty: 未覆盖, not covered). The input layer is never changed."""
from __future__ import annotations

from qgis.core import QgsFeature, QgsFeatureRequest, QgsGeometry, QgsVectorLayer

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
