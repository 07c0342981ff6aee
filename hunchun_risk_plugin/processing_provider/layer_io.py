"""Conversions between QGIS layers and the GeoDataFrames the core works on."""
from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import pandas as pd
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsFeatureSource,
    QgsField,
    QgsGeometry,
    QgsProject,
)
from qgis.PyQt.QtCore import QVariant

from .. import qt_compat
from ..core.layer_uri import uri_layer
from ..core.validation import LayerFacts

_FIELD_TYPE = {
    qt_compat.STRING: "string",
    qt_compat.INT: "integer",
    qt_compat.UINT: "integer",
    qt_compat.LONG_LONG: "integer",
    qt_compat.ULONG_LONG: "integer",
    qt_compat.DOUBLE: "real",
    qt_compat.BOOL: "boolean",
}


def field_type_name(field: QgsField) -> str:
    return _FIELD_TYPE.get(field.type(), "other")


def _python_value(value):
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return None
    if isinstance(value, QVariant):
        return None if value.isNull() else value.value()
    return value


def source_to_frame(
    source: QgsFeatureSource,
    target_crs: QgsCoordinateReferenceSystem | None = None,
    fields: Iterable[str] | None = None,
) -> gpd.GeoDataFrame:
    """Read a feature source into a GeoDataFrame (optionally reprojected)."""
    wanted = list(fields) if fields is not None else [f.name() for f in source.fields()]
    names = [n for n in wanted if source.fields().indexOf(n) >= 0]
    crs = source.sourceCrs()
    transform = None
    if target_crs is not None and target_crs.isValid() and crs.isValid() and target_crs != crs:
        transform = QgsCoordinateTransform(crs, target_crs, QgsProject.instance().transformContext())
        crs = target_crs
    rows: dict[str, list] = {n: [] for n in names}
    geometries = []
    request = QgsFeatureRequest()
    for feature in source.getFeatures(request):
        for n in names:
            rows[n].append(_python_value(feature[n]))
        geometry = feature.geometry()
        if geometry is None or geometry.isNull():
            geometries.append(None)
            continue
        geometry = QgsGeometry(geometry)
        if transform is not None:
            geometry.transform(transform)
        geometries.append(shapely.from_wkb(bytes(geometry.asWkb())))
    frame = pd.DataFrame(rows, columns=names)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometries, crs=_pyproj_crs(crs)), crs=_pyproj_crs(crs))


def _pyproj_crs(crs: QgsCoordinateReferenceSystem):
    if crs is None or not crs.isValid():
        return None
    return crs.toWkt(QgsCoordinateReferenceSystem.WktVariant.WKT_PREFERRED)


def layer_facts(name: str, source: QgsFeatureSource | None, source_uri: str = "") -> LayerFacts | None:
    """``LayerFacts`` of a QGIS feature source for ``core.validation``."""
    if source is None:
        return None
    types = {f.name(): field_type_name(f) for f in source.fields()}
    crs = source.sourceCrs()
    crs_wkt = crs.toWkt(QgsCoordinateReferenceSystem.WktVariant.WKT_PREFERRED) if crs.isValid() else None
    frame = source_to_frame(source)
    return LayerFacts(name, frame, types, crs_wkt, source_uri)


def read_layer(algorithm, parameters, name: str, context) -> tuple[gpd.GeoDataFrame | None, str | None]:
    """A feature-source parameter as a GeoDataFrame in its own CRS, and its source URI."""
    source = algorithm.parameterAsSource(parameters, name, context)
    if source is None:
        return None, None
    layer = algorithm.parameterAsVectorLayer(parameters, name, context)
    uri = layer.source() if layer is not None else str(parameters.get(name))
    frame = source_to_frame(source)
    frame.attrs["source_name"] = layer_display_name(layer, uri)  # lets core errors name the user's layer
    return frame, uri


def layer_display_name(layer, uri: str) -> str:
    """The name a user knows a layer by: the GeoPackage layer name, else the layer's."""
    named = uri_layer(uri)
    if named:
        return named
    return layer.name() if layer is not None else uri
