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
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

from .. import qt_compat
from ..core.errors import InputError
from ..core.field_mapping import MappedLayer, map_layer
from ..core.input_geometry import repair_geometries
from ..core.layer_uri import uri_layer, uri_path
from ..core.schema import census_input, layer_specs
from ..core.shapefile_encoding import guess_encoding
from ..core.validation import LayerFacts, blocking_problems, field_type_of

# Algorithm parameters that hold a schema layer under another name (the rest are the
# schema's own parameter names, TOWNSHIPS, ROADS…); None: no schema layer (any polygons).
ROLE_LAYERS = {"ORIGINS": "settlements", "HAZARD_POLYGONS": None}

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


def _pyproj_crs(crs: QgsCoordinateReferenceSystem) -> str | None:
    """The CRS as pyproj reads it: its WKT, or its authority id when QGIS's WKT export
    comes back empty (seen late in long sessions), so a valid CRS is never taken for none."""
    if crs is None or not crs.isValid():
        return None
    return crs.toWkt(QgsCoordinateReferenceSystem.WktVariant.WKT_PREFERRED) or crs.authid() or None


def schema_layer_of(parameter: str) -> str | None:
    """The schema layer a parameter holds: ORIGINS -> settlements, TOWNSHIPS -> townships."""
    if parameter in ROLE_LAYERS:
        return ROLE_LAYERS[parameter]
    try:
        item = census_input(parameter)
    except KeyError:
        return None
    return None if item.is_raster else item.name


def decoded_source(source: QgsFeatureSource | None, layer, report=None):
    """``source``, or a copy of ``layer`` with the right provider encoding when it is a
    Chinese shapefile QGIS would read as mojibake (see core.shapefile_encoding). The
    user's file and the user's layer are left as they are; ``report(en, zh)`` hears why."""
    if source is None or layer is None or layer.providerType() != "ogr":
        return source
    guess = guess_encoding(layer.source())
    if guess.encoding is None:
        return source
    copy = QgsVectorLayer(layer.source(), layer.name(), "ogr")
    copy.setProviderEncoding(guess.encoding)
    if report is not None:
        report(*guess.note(uri_path(layer.source())))
    return copy if copy.isValid() else source


def layer_facts(name: str, source: QgsFeatureSource | None, source_uri: str = "",
                mapped: MappedLayer | None = None) -> LayerFacts | None:
    """``LayerFacts`` of a QGIS feature source for ``core.validation``; with ``mapped``,
    of its frame under the schema's field names."""
    if source is None:
        return None
    types = {f.name(): field_type_name(f) for f in source.fields()}
    crs_wkt = _pyproj_crs(source.sourceCrs())
    if mapped is None:
        return LayerFacts(name, source_to_frame(source), types, crs_wkt, source_uri)
    renamed = {m.schema_field: types.get(m.source_field, "other") for m in mapped.matches}
    renamed.update({name: field_type_of(mapped.frame[name]) for name in mapped.converted})
    sources = {m.source_field for m in mapped.matches}
    types = {**{k: v for k, v in types.items() if k not in sources}, **renamed}
    return LayerFacts(name, mapped.frame, types, crs_wkt, source_uri)


def read_layer(algorithm, parameters, name: str, context, target_crs=None,
               schema_layer: str | None = "") -> tuple[gpd.GeoDataFrame | None, str | None]:
    """A feature-source parameter as a GeoDataFrame (in its own CRS, or reprojected to
    ``target_crs``) and its source URI. A Chinese shapefile is decoded right; the fields
    and category values of the schema layer the parameter holds (``schema_layer``,
    default from the parameter's name) are matched and translated by core.field_mapping,
    with the user's FIELD_MAP first, and the run log says which field is which."""
    _, frame, uri, _ = read_mapped_layer(algorithm, parameters, name, context, target_crs, schema_layer)
    return frame, uri


def read_mapped_layer(algorithm, parameters, name: str, context, target_crs=None, schema_layer: str | None = "",
                      require_crs: bool = True, repair: bool = True):
    """``read_layer`` with the feature source read and the ``MappedLayer`` (None for a
    parameter holding no schema layer): (source, frame, uri, mapped). A layer with
    features but no CRS is refused (``require_crs``), saying how to set one; geometries
    are repaired as core.input_geometry documents (``repair``), and the log says so."""
    # Invalid geometries are repaired and reported below, so Processing must not stop on them.
    context.setInvalidGeometryCheck(QgsFeatureRequest.InvalidGeometryCheck.GeometryNoCheck)
    source = algorithm.parameterAsSource(parameters, name, context)
    if source is None:
        return None, None, None, None
    layer = algorithm.parameterAsVectorLayer(parameters, name, context)
    uri = layer.source() if layer is not None else str(parameters.get(name))
    if require_crs and not source.sourceCrs().isValid() and source.featureCount() != 0:
        raise crs_missing_error(layer_display_name(layer, uri), name)
    source = decoded_source(source, layer, algorithm.report_input)
    frame = source_to_frame(source, target_crs)
    frame.attrs["source_name"] = layer_display_name(layer, uri)  # lets core errors name the user's layer
    schema_layer = schema_layer_of(name) if schema_layer == "" else schema_layer
    spec = layer_specs().get(schema_layer)
    mapped = None
    if spec is not None:
        mapped = map_layer(schema_layer, frame, algorithm.field_map(parameters, context).get(schema_layer))
        for en, zh in mapped.log_pairs(schema_layer):
            algorithm.report_input(en, zh)
        frame = mapped.frame
        if repair:  # i.e. an analysis, not validateinputs, which lists these among the rest
            refuse_blocking(spec, frame, mapped)
    if repair:
        frame, notes = repair_geometries(frame, spec.geometry if spec else None, frame.attrs["source_name"],
                                         spec.id_field if spec else None)
        for en, zh in notes:
            algorithm.report_input(en, zh)
    return source, frame, uri, mapped


def refuse_blocking(spec, frame, mapped: MappedLayer) -> None:
    """Every value an analysis cannot use, in one error, before any work."""
    blocking = [(en, zh) for _, en, zh in mapped.problems]
    blocking += [(p.en, p.zh) for p in blocking_problems(spec, frame)]
    if blocking:
        name = frame.attrs.get("source_name") or spec.name
        raise InputError(f"Layer '{name}':\n" + "\n".join(en for en, _ in blocking),
                         f"图层“{name}”：\n" + "\n".join(zh for _, zh in blocking))


def crs_missing_error(layer: str, parameter: str) -> InputError:
    return InputError(
        f"Layer '{layer}' ({parameter}) has no coordinate reference system (e.g. a shapefile without its .prj), so "
        "its coordinates cannot be placed. Set the CRS the coordinates are in: Layer Properties > Source > Assigned "
        "Coordinate Reference System (or the Processing tool 'Assign projection'), e.g. EPSG:4511 (CGCS2000 / "
        "Gauss-Kruger CM 129E), EPSG:4490 (CGCS2000 longitude/latitude) or the 3-degree zone EPSG:4552/4553.",
        f"图层“{layer}”（{parameter}）没有坐标参考系（如缺少 .prj 的 shapefile），无法确定其坐标位置。"
        "请设置坐标实际所用的坐标系：图层属性 > 源 > 指定的坐标参考系（或使用处理工具“指定投影”），例如 "
        "EPSG:4511（CGCS2000 / 高斯-克吕格 中央经线 129°E）、EPSG:4490（CGCS2000 经纬度）或 3 度带 EPSG:4552/4553。")


def reads_differently(uri: str, mapped: MappedLayer | None) -> bool:
    """Whether a layer as read differs from its file as another program opens it:
    fields renamed, values translated, or a Chinese shapefile decoded."""
    if guess_encoding(uri).encoding is not None:
        return True
    if mapped is None:
        return False
    return bool(mapped.value_notes) or any(m.source_field != m.schema_field for m in mapped.matches)


def layer_display_name(layer, uri: str) -> str:
    """The name a user knows a layer by: the GeoPackage layer name, else the layer's."""
    named = uri_layer(uri)
    if named:
        return named
    return layer.name() if layer is not None else uri
