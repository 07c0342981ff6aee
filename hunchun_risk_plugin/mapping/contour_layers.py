"""Contours from the DEM on the township (1:50000) and subdistrict (1:10000) pages, thin
and faint brown under the theme's points and lines, every index contour heavier and
labelled with its height (core/data/maps.toml ``[contours]``).

GDAL's contour algorithm (``gdal.ContourGenerate``) traces them over the page's map
extent, once per process for each extent and interval: the pages of every kind of one
township (or sheet) have the same extent, so the kinds after the first reuse the file.
Each kind's project has one contour layer, in its legend, pointed at the page's file
before the page is drawn (``ContourLayer.show``)."""
from __future__ import annotations

import atexit
import hashlib
import math
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

from qgis.core import (
    QgsLabelLineSettings,
    QgsLabeling,
    QgsPalLayerSettings,
    QgsProperty,
    QgsRectangle,
    QgsSimpleLineSymbolLayer,
    QgsLineSymbol,
    QgsSingleSymbolRenderer,
    QgsSymbolLayer,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor

from ..core.map_specs import maps_config
from .layout_parts import text_format, with_halo

LAYER_NAME = "contours"   # the layer in each cached GeoPackage
SNAP_M = 500.0            # page extents are widened to this grid: one key for the same page of every kind
MAJOR = '"major" = 1'


def contour_settings() -> dict:
    return maps_config()["contours"]


def interval_for(scale: int) -> tuple[int, int] | None:
    """(interval, index interval) in metres at ``scale``; None where the pages carry no
    contours (the city maps)."""
    found = contour_settings()["intervals"].get(str(scale))
    return (int(found[0]), int(found[1])) if found else None


def contour_title(interval: int) -> str:
    return contour_settings()["title"].format(interval=interval)


class ContourLayer:
    """A kind project's contour layer: an empty placeholder until a page shows it."""

    def __init__(self, dem_path: str, epsg: int) -> None:
        self.dem_path = dem_path
        self.epsg = epsg
        self.layer = QgsVectorLayer(f"LineString?crs=EPSG:{epsg}&field=elev:double&field=major:integer",
                                    contour_title(20), "memory")
        _style(self.layer)

    def show(self, extent: QgsRectangle, scale: int) -> bool:
        """Point the layer at the contours of ``extent`` at ``scale``'s interval; False
        where the page gets none (its scale has no interval, no DEM there, no GDAL)."""
        spec = interval_for(scale)
        if spec is None:
            return False
        path = contour_file(self.dem_path, snapped(extent), self.epsg, spec[0], spec[1], scale)
        if path is None:
            return False
        self.layer.setDataSource(f"{path}|layername={LAYER_NAME}", contour_title(spec[0]), "ogr")
        return self.layer.isValid()


def snapped(extent: QgsRectangle) -> tuple[float, float, float, float]:
    """``extent`` widened to the SNAP_M grid (the cache's key)."""
    return (math.floor(extent.xMinimum() / SNAP_M) * SNAP_M, math.floor(extent.yMinimum() / SNAP_M) * SNAP_M,
            math.ceil(extent.xMaximum() / SNAP_M) * SNAP_M, math.ceil(extent.yMaximum() / SNAP_M) * SNAP_M)


@lru_cache(maxsize=64)
def contour_file(dem_path: str, bounds: tuple[float, float, float, float], epsg: int, interval: int, index: int,
                 scale: int) -> Path | None:
    """A GeoPackage of the contours within ``bounds`` (layer ``contours``: ``elev`` in
    metres, ``major`` 1 on index contours), made once per process for these arguments."""
    try:
        from osgeo import gdal
    except ImportError:
        return None
    source = gdal.OpenEx(dem_path, gdal.OF_RASTER)
    if source is None:
        return None
    window = dem_window(source, bounds, epsg, scale * float(contour_settings()["cell_mm"]) / 1000.0)
    if window is None:
        return None
    key = hashlib.sha1(repr((dem_path, bounds, epsg, interval, index, scale)).encode()).hexdigest()[:16]
    target = _cache_folder() / f"contours_{key}.gpkg"
    min_length = float(contour_settings()["min_length_mm"]) * scale / 1000.0
    return target if _trace(window, target, epsg, interval, index, min_length) else None


def dem_window(source, bounds: tuple[float, float, float, float], epsg: int, cell_m: float):
    """The DEM over ``bounds`` as an in-memory dataset in EPSG:``epsg``: its own cells
    (no resampling) when it is in that CRS and not much finer than ``cell_m``, else
    warped to ``cell_m`` (averaged down from a finer DEM)."""
    from osgeo import gdal, osr

    x0, y0, x1, y1 = bounds
    gt = source.GetGeoTransform()
    wanted = osr.SpatialReference()
    wanted.ImportFromEPSG(epsg)
    own = osr.SpatialReference(wkt=source.GetProjection()) if source.GetProjection() else None
    same_grid = own is not None and own.IsSame(wanted) and gt[2] == 0 and gt[4] == 0
    if same_grid and abs(gt[1]) >= 0.75 * cell_m:
        left, right = sorted(((x0 - gt[0]) / gt[1], (x1 - gt[0]) / gt[1]))
        top, bottom = sorted(((y0 - gt[3]) / gt[5], (y1 - gt[3]) / gt[5]))
        col0, row0 = max(0, math.floor(left) - 1), max(0, math.floor(top) - 1)
        col1, row1 = min(source.RasterXSize, math.ceil(right) + 1), min(source.RasterYSize, math.ceil(bottom) + 1)
        if col1 - col0 < 2 or row1 - row0 < 2:
            return None
        return gdal.Translate("", source, format="MEM", srcWin=[col0, row0, col1 - col0, row1 - row0])
    finer = same_grid and abs(gt[1]) < cell_m
    return gdal.Warp("", source, format="MEM", dstSRS=f"EPSG:{epsg}", outputBounds=bounds, xRes=cell_m,
                     yRes=cell_m, resampleAlg="average" if finer else "bilinear", dstNodata=-9999.0)


def _trace(window, target: Path, epsg: int, interval: int, index: int, min_length: float) -> bool:
    """GDAL's contours of ``window`` into ``target``, without rings shorter than
    ``min_length`` (noise at print size)."""
    from osgeo import gdal, ogr, osr

    band = window.GetRasterBand(1)
    nodata = band.GetNoDataValue()
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    scratch = ogr.GetDriverByName("Memory").CreateDataSource("contours")
    traced = scratch.CreateLayer("traced", srs, ogr.wkbLineString)
    traced.CreateField(ogr.FieldDefn("id", ogr.OFTInteger))
    traced.CreateField(ogr.FieldDefn("elev", ogr.OFTReal))
    if gdal.ContourGenerate(band, float(interval), 0.0, [], int(nodata is not None), nodata or 0.0, traced, 0, 1) != 0:
        return False
    out = ogr.GetDriverByName("GPKG").CreateDataSource(str(target))
    layer = out.CreateLayer(LAYER_NAME, srs, ogr.wkbLineString)
    layer.CreateField(ogr.FieldDefn("elev", ogr.OFTReal))
    layer.CreateField(ogr.FieldDefn("major", ogr.OFTInteger))
    definition = layer.GetLayerDefn()
    layer.StartTransaction()
    for feature in traced:
        geometry = feature.GetGeometryRef()
        if geometry is None or geometry.Length() < min_length:
            continue
        level = feature.GetFieldAsDouble("elev")
        copy = ogr.Feature(definition)
        copy.SetField("elev", level)
        copy.SetField("major", int(round(level) % index == 0))
        copy.SetGeometry(geometry)
        layer.CreateFeature(copy)
    layer.CommitTransaction()
    out = None  # closes and writes the file
    return target.exists()


@lru_cache(maxsize=1)
def _cache_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="hunchun-contours-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


def _style(layer: QgsVectorLayer) -> None:
    """One legend entry (a single symbol): thin faint brown, the index contours heavier
    (data-defined width) and labelled along the line."""
    settings = contour_settings()
    colour = QColor(*(int(v) for v in settings["colour"].split(",")), int(settings["alpha"]))
    line = QgsSimpleLineSymbolLayer(colour, float(settings["width_mm"]))
    line.setDataDefinedProperty(QgsSymbolLayer.Property.PropertyStrokeWidth, QgsProperty.fromExpression(
        f"CASE WHEN {MAJOR} THEN {float(settings['index_width_mm'])} ELSE {float(settings['width_mm'])} END"))
    symbol = QgsLineSymbol()
    symbol.changeSymbolLayer(0, line)
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))
    layer.setLabeling(QgsVectorLayerSimpleLabeling(_height_labels(settings)))
    layer.setLabelsEnabled(True)


def _height_labels(settings: dict) -> QgsPalLayerSettings:
    """The height on each index contour, along the line, no obstacle to other labels."""
    labels = QgsPalLayerSettings()
    labels.isExpression = True
    labels.fieldName = f"CASE WHEN {MAJOR} THEN to_string(to_int(round(\"elev\"))) END"
    size = float(settings["label_size_pt"])
    colour = QColor(*(int(v) for v in settings["colour"].split(",")))
    labels.setFormat(with_halo(text_format(size, color=colour), 0.5, QColor(255, 255, 255, 170)))
    labels.placement = QgsPalLayerSettings.Placement.Curved
    line = QgsLabelLineSettings(labels.lineSettings())
    line.setPlacementFlags(QgsLabeling.LinePlacementFlags(QgsLabeling.LinePlacementFlag.OnLine))
    repeat, millimetres = float(settings["label_repeat_mm"]), QgsUnitTypes.RenderUnit.RenderMillimeters
    if hasattr(line, "setRepeatDistance"):  # QGIS 3.40; 3.22 keeps it on the label settings
        line.setRepeatDistance(repeat)
        line.setRepeatDistanceUnit(millimetres)
    else:
        labels.repeatDistance, labels.repeatDistanceUnit = repeat, millimetres
    labels.setLineSettings(line)
    obstacle = labels.obstacleSettings()
    obstacle.setIsObstacle(False)
    labels.setObstacleSettings(obstacle)
    labels.priority = 1  # below every name
    return labels
