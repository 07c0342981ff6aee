"""Geographic context under and over the map's theme: the land around the city filled
pale grey and named (the Yanbian counties, and Russia and the DPRK beyond them), the
national boundary drawn with its own symbol, the city boundary, and a faint relief
shading from the DEM.

``layers/context.gpkg`` is schematic and synthetic (scripts/make_context_data.py): its
counties and the national boundary derived from them are not official boundaries, and
the pages printed from them say so (the synthetic-data note)."""
from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import shapely
from qgis.core import (
    Qgis,
    QgsColorRampShader,
    QgsFeature,
    QgsFillSymbol,
    QgsGeometry,
    QgsGeometryGeneratorSymbolLayer,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsRasterLayer,
    QgsRasterShader,
    QgsRuleBasedRenderer,
    QgsSimpleLineSymbolLayer,
    QgsSingleBandPseudoColorRenderer,
    QgsSingleSymbolRenderer,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor

from .layout_parts import text_format, with_halo

NEIGHBOUR_FILL = "236,236,236,255"     # the land outside the city: pale grey, no class colour
FOREIGN_FILL = "224,224,224,255"       # beyond the national boundary, a shade darker
BORDER_GAP_M = 3000.0                  # city boundary this far from any county: the national boundary
RELIEF_CELL_M = 60.0                   # the shading's cell: finer than the eye sees at 1:50000 print
SHADOW_ALPHA = 45                      # the darkest shadow, of 255: faint, so class colours stay true


def land_layer(counties_uri: str, city: shapely.Geometry, epsg: int) -> QgsVectorLayer | None:
    """The other counties pale grey and named; the land beyond them (Russia, the DPRK)
    a shade darker, out to well past the city's frame."""
    counties = _counties(counties_uri)
    if not counties:
        return None
    memory = QgsVectorLayer(f"Polygon?crs=EPSG:{epsg}&field=name:string&field=foreign:integer", "land", "memory")
    features, parts = [], []
    for geometry, hunchun, name in counties:
        parts.append(geometry)
        if not hunchun:
            features.append(_feature(memory, geometry.difference(city), name, 0))
    beyond = shapely.box(*shapely.union_all(parts + [city]).buffer(60000).bounds)
    features.append(_feature(memory, beyond.difference(shapely.union_all(parts + [city])), "", 1))
    memory.dataProvider().addFeatures(features)
    root = QgsRuleBasedRenderer.Rule(None)
    for rule, colour in (('"foreign" = 0', NEIGHBOUR_FILL), ('"foreign" = 1', FOREIGN_FILL)):
        root.appendChild(QgsRuleBasedRenderer.Rule(QgsFillSymbol.createSimple(
            {"color": colour, "outline_color": "170,170,170", "outline_width": "0.25"}), 0, 0, rule))
    memory.setRenderer(QgsRuleBasedRenderer(root))
    memory.setLabeling(QgsVectorLayerSimpleLabeling(_labels('"name"', 12, "#8a8a8a")))
    memory.setLabelsEnabled(True)
    return memory


def names_layer(neighbours_uri: str, epsg: int) -> QgsVectorLayer | None:
    """Russia and the DPRK (the context's country points) named in large grey type; a
    memory copy (the context file is only read)."""
    source = QgsVectorLayer(neighbours_uri, "neighbours", "ogr")
    if not source.isValid():
        return None
    layer = QgsVectorLayer(f"Point?crs=EPSG:{epsg}&field=name:string&field=name_en:string", "neighbour names", "memory")
    features = []
    for feature in source.getFeatures():
        if str(feature["kind"]) == "country":
            copy = QgsFeature(layer.fields())
            copy.setAttributes([str(feature["name"]), str(feature["name_en"])])
            copy.setGeometry(QgsGeometry(feature.geometry()))
            features.append(copy)
    layer.dataProvider().addFeatures(features)
    del source
    layer.setRenderer(QgsSingleSymbolRenderer(_invisible_marker()))
    layer.setLabeling(QgsVectorLayerSimpleLabeling(_labels("\"name\" || '\n' || \"name_en\"", 16, "#7a7a7a")))
    layer.setLabelsEnabled(True)
    return layer


def boundary_layer(city: shapely.Geometry, counties_uri: str, epsg: int) -> QgsVectorLayer:
    """The city boundary in two parts: where no other county lies within BORDER_GAP_M it
    is the national boundary (the Tumen and the Russian frontier; GB/T 20257 symbol: a
    broad band under a dash-dot line), elsewhere the county-level boundary (dash-dot-dot,
    heavier than the township boundaries)."""
    others = [p for p, hunchun, _ in _counties(counties_uri) if not hunchun]
    outline = city.boundary
    near = shapely.union_all(others).buffer(BORDER_GAP_M) if others else shapely.Polygon()
    national = outline.difference(near)
    county = outline.intersection(near)
    memory = QgsVectorLayer(f"LineString?crs=EPSG:{epsg}&field=national:integer", "boundaries", "memory")
    memory.dataProvider().addFeatures([_feature(memory, g, None, n, field="national")
                                       for g, n in ((national, 1), (county, 0)) if not g.is_empty])
    root = QgsRuleBasedRenderer.Rule(None)
    root.appendChild(QgsRuleBasedRenderer.Rule(_national_symbol(), 0, 0, '"national" = 1'))
    root.appendChild(QgsRuleBasedRenderer.Rule(_county_symbol(), 0, 0, '"national" = 0'))
    memory.setRenderer(QgsRuleBasedRenderer(root))
    return memory


def relief_layer(dem_path: str | None) -> QgsRasterLayer | None:
    """Shadows only, in black of at most SHADOW_ALPHA: lit and flat ground keeps its
    class colour. Computed once per process (every kind and page uses the same file)."""
    path = _hillshade(dem_path) if dem_path else None
    if path is None:
        return None
    layer = QgsRasterLayer(str(path), "relief", "gdal")
    if not layer.isValid():
        return None
    ramp = QgsColorRampShader(0, 255)
    ramp.setColorRampType(QgsColorRampShader.Type.Interpolated)
    ramp.setColorRampItemList([QgsColorRampShader.ColorRampItem(0, QColor(0, 0, 0, SHADOW_ALPHA)),
                               QgsColorRampShader.ColorRampItem(175, QColor(0, 0, 0, 0)),
                               QgsColorRampShader.ColorRampItem(255, QColor(0, 0, 0, 0))])
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(ramp)
    layer.setRenderer(QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader))
    return layer


@lru_cache(maxsize=2)
def _hillshade(dem_path: str) -> Path | None:
    try:
        from osgeo import gdal
    except ImportError:
        return None
    folder = Path(tempfile.mkdtemp(prefix="hunchun-relief-"))
    atexit.register(shutil.rmtree, folder, True)
    coarse, shade = folder / "dem.tif", folder / "hillshade.tif"
    if gdal.Warp(str(coarse), dem_path, xRes=RELIEF_CELL_M, yRes=RELIEF_CELL_M, resampleAlg="average") is None:
        return None
    done = gdal.DEMProcessing(str(shade), str(coarse), "hillshade", zFactor=2.0, azimuth=315, altitude=45,
                              computeEdges=True)
    return shade if done is not None else None


@lru_cache(maxsize=4)
def _counties(uri: str) -> tuple[tuple[shapely.Geometry, bool, str], ...]:
    """(outline, is Hunchun, name) of the context's counties, read once per process."""
    layer = QgsVectorLayer(uri, "counties", "ogr")
    if not layer.isValid():
        return ()
    return tuple((shapely.from_wkb(bytes(f.geometry().asWkb())), str(f["is_hunchun"]) == "1", str(f["name"]))
                 for f in layer.getFeatures())


def _feature(layer, geometry, name, flag, field: str = "foreign") -> QgsFeature:
    feature = QgsFeature(layer.fields())
    if name is not None:
        feature.setAttribute("name", str(name))
    feature.setAttribute(field, flag)
    feature.setGeometry(QgsGeometry.fromWkt(geometry.wkt))
    return feature


def _labels(expression: str, size: float, colour: str) -> QgsPalLayerSettings:
    settings = QgsPalLayerSettings()
    settings.isExpression = True
    settings.fieldName = expression
    settings.setFormat(with_halo(text_format(size, color=colour), 0.8, QColor(255, 255, 255, 200)))
    settings.placement = QgsPalLayerSettings.Placement.OverPoint
    settings.priority = 2
    return settings


def _invisible_marker() -> QgsMarkerSymbol:
    return QgsMarkerSymbol.createSimple({"name": "circle", "size": "0", "color": "0,0,0,0", "outline_style": "no"})


# The band is translucent, so Qt's PDF engine fills its outline instead of stroking it;
# a part of the boundary that the map clips away entirely left an empty path filled
# ("h f": "No current point in closepath", an error to PDF readers) on every map whose
# frame the boundary's box overlaps but the line misses. The band is drawn only for
# the line inside the map's extent.
_INSIDE_THE_MAP = "CASE WHEN intersects($geometry, @map_extent) THEN intersection($geometry, @map_extent) END"


def _national_symbol() -> QgsLineSymbol:
    band = QgsLineSymbol()
    band.changeSymbolLayer(0, QgsSimpleLineSymbolLayer(QColor(200, 170, 200, 170), 2.6))
    clipped = QgsGeometryGeneratorSymbolLayer.create({"geometryModifier": _INSIDE_THE_MAP})
    clipped.setSymbolType(Qgis.SymbolType.Line)
    clipped.setSubSymbol(band)
    line = QgsSimpleLineSymbolLayer(QColor(20, 20, 20), 0.7)
    line.setUseCustomDashPattern(True)
    line.setCustomDashVector([5.0, 1.2, 0.8, 1.2])  # in line widths: dash, gap, dot, gap
    symbol = QgsLineSymbol()
    symbol.changeSymbolLayer(0, clipped)
    symbol.appendSymbolLayer(line)
    return symbol


def _county_symbol() -> QgsLineSymbol:
    line = QgsSimpleLineSymbolLayer(QColor(40, 40, 40), 0.6)
    line.setUseCustomDashPattern(True)
    line.setCustomDashVector([6.0, 1.5, 1.0, 1.5, 1.0, 1.5])  # dash-dot-dot
    symbol = QgsLineSymbol()
    symbol.changeSymbolLayer(0, line)
    return symbol
