"""Conversions between QGIS layers and the GeoDataFrames the core works on."""
from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import pandas as pd
import shapely
from qgis.core import (
    Qgis,
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
)
from qgis.PyQt.QtCore import QMetaType, QVariant

from ..core.layer_uri import uri_layer
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


# QGIS 3.38 builds a QgsField from a QMetaType.Type and deprecates the QVariant.Type
# constructor (a warning on 3.40); 3.22 has only the QVariant.Type one.
if Qgis.QGIS_VERSION_INT >= 33800:
    _FIELD_TYPE = {"i": QMetaType.Type.LongLong, "u": QMetaType.Type.LongLong, "f": QMetaType.Type.Double,
                   "b": QMetaType.Type.Bool}
    _TEXT_FIELD = QMetaType.Type.QString
else:
    _FIELD_TYPE = {"i": QVariant.Type.LongLong, "u": QVariant.Type.LongLong, "f": QVariant.Type.Double,
                   "b": QVariant.Type.Bool}
    _TEXT_FIELD = QVariant.Type.String


def frame_fields(frame: pd.DataFrame) -> QgsFields:
    """QGIS fields matching a (Geo)DataFrame's columns."""
    fields = QgsFields()
    geometry_name = frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None
    for column in frame.columns:
        if column == geometry_name:
            continue
        kind = frame[column].dtype.kind
        fields.append(QgsField(str(column), _FIELD_TYPE.get(kind, _TEXT_FIELD)))
    return fields


def qgis_crs(frame: gpd.GeoDataFrame) -> QgsCoordinateReferenceSystem:
    """The QGIS CRS of a frame (by EPSG code where it has one)."""
    epsg = frame.crs.to_epsg() if frame.crs is not None else None
    if epsg:
        return QgsCoordinateReferenceSystem(f"EPSG:{epsg}")
    if frame.crs is None:
        return QgsCoordinateReferenceSystem()
    return QgsCoordinateReferenceSystem.fromWkt(frame.crs.to_wkt())


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


def write_sink(algorithm, parameters, name: str, context, frame: gpd.GeoDataFrame, wkb_type) -> str:
    """Create sink ``name`` and fill it from ``frame``; returns the destination id.

    Call it only once all the work is done, so a failure leaves no output behind."""
    fields = frame_fields(frame)
    sink, dest_id = algorithm.parameterAsSink(parameters, name, context, fields, wkb_type, qgis_crs(frame))
    if sink is None:
        return ""
    names = [f.name() for f in fields]
    geometries = shapely.to_wkb(frame.geometry.values)
    for values, wkb in zip(frame[names].itertuples(index=False, name=None), geometries):
        feature = QgsFeature(fields)
        feature.setAttributes([_sink_value(v) for v in values])
        if wkb is not None:
            geometry = QgsGeometry()
            geometry.fromWkb(wkb)  # an instance method in QGIS 3.22
            feature.setGeometry(geometry)
        sink.addFeature(feature, QgsFeatureSink.FastInsert)
    return dest_id


def _sink_value(value):
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value
