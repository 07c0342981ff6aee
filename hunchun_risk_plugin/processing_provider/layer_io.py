"""Conversions between QGIS layers and the GeoDataFrames the core works on."""
from __future__ import annotations

from typing import Iterable

import geopandas as gpd
import pandas as pd
import shapely
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsFeatureSource,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProject,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ..core.validation import LayerFacts

_QVARIANT_TYPE = {
    QVariant.String: "string",
    QVariant.Int: "integer",
    QVariant.UInt: "integer",
    QVariant.LongLong: "integer",
    QVariant.ULongLong: "integer",
    QVariant.Double: "real",
    QVariant.Bool: "boolean",
}


def field_type_name(field: QgsField) -> str:
    return _QVARIANT_TYPE.get(field.type(), "other")


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
    return crs.toWkt(QgsCoordinateReferenceSystem.WKT_PREFERRED)


def layer_facts(name: str, source: QgsFeatureSource | None, source_uri: str = "") -> LayerFacts | None:
    """``LayerFacts`` of a QGIS feature source for ``core.validation``."""
    if source is None:
        return None
    types = {f.name(): field_type_name(f) for f in source.fields()}
    crs = source.sourceCrs()
    crs_wkt = crs.toWkt(QgsCoordinateReferenceSystem.WKT_PREFERRED) if crs.isValid() else None
    frame = source_to_frame(source)
    return LayerFacts(name, frame, types, crs_wkt, source_uri)


_DTYPE_TO_QVARIANT = {"i": QVariant.LongLong, "u": QVariant.LongLong, "f": QVariant.Double, "b": QVariant.Bool}


def frame_fields(frame: pd.DataFrame) -> QgsFields:
    """QGIS fields matching a (Geo)DataFrame's columns."""
    fields = QgsFields()
    geometry_name = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    for column in frame.columns:
        if column == geometry_name:
            continue
        kind = frame[column].dtype.kind
        fields.append(QgsField(str(column), _DTYPE_TO_QVARIANT.get(kind, QVariant.String)))
    return fields


def frame_to_sink(frame: pd.DataFrame, sink: QgsFeatureSink, fields: QgsFields) -> int:
    """Write every row to ``sink``; returns the number of features written."""
    geometry_name = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    columns = [f.name() for f in fields]
    count = 0
    for record in frame.to_dict("records"):
        feature = QgsFeature(fields)
        feature.setAttributes([_sink_value(record.get(c)) for c in columns])
        if geometry_name is not None:
            geometry = record.get(geometry_name)
            if geometry is not None and not geometry.is_empty:
                feature.setGeometry(QgsGeometry.fromWkb(shapely.to_wkb(geometry)))
        sink.addFeature(feature, QgsFeatureSink.FastInsert)
        count += 1
    return count


def _sink_value(value):
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value


def wkb_type_of(frame: gpd.GeoDataFrame) -> int:
    kinds = set(frame.geometry.geom_type.dropna())
    if kinds <= {"LineString", "MultiLineString"}:
        return QgsWkbTypes.MultiLineString if "MultiLineString" in kinds else QgsWkbTypes.LineString
    if kinds <= {"Polygon", "MultiPolygon"}:
        return QgsWkbTypes.MultiPolygon
    if kinds <= {"Point"}:
        return QgsWkbTypes.Point
    return QgsWkbTypes.Unknown
