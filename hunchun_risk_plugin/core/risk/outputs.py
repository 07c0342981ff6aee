"""Writing the results: GeoTIFFs (with a provenance tag), GeoPackage layers (with a
provenance description and their QGIS style as the layer's default), the CSV for
Excel, VRT mosaics, and QML styles beside rasters so QGIS loads them styled."""
from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import escape

import geopandas as gpd
import pandas as pd
import pyogrio
import rasterio

from .grid import Grid

INDEX_NODATA = -9999.0
CLASS_NODATA = 0
_SCRATCH = {"driver": "GTiff", "tiled": True, "blockxsize": 256, "blockysize": 256, "sparse_ok": True}
_FINAL = {**_SCRATCH, "compress": "deflate", "bigtiff": "if_safer"}


def open_raster(path: Path, grid: Grid, dtype: str, nodata: float | None, final: bool = True,
                tags: Mapping[str, str] | None = None):
    """A single-band GeoTIFF on ``grid`` opened for writing (caller closes it)."""
    profile = dict(_FINAL if final else _SCRATCH)
    if final and dtype == "float32":
        profile["predictor"] = 3
    dataset = rasterio.open(path, "w", width=grid.width, height=grid.height, count=1, dtype=dtype,
                            crs=grid.crs_wkt, transform=grid.transform, nodata=nodata, **profile)
    if tags:
        dataset.update_tags(**tags)
    return dataset


def copy_style(style: Path | None, target: Path) -> None:
    """Put ``style`` beside ``target`` with the same base name (QGIS loads it by default)."""
    if style is not None and Path(style).exists():
        shutil.copyfile(style, target.with_suffix(".qml"))


def write_layer(frame: gpd.GeoDataFrame | pd.DataFrame, gpkg: Path, layer: str, description: str,
                style: Path | None = None) -> None:
    """Write one GeoPackage layer (appending to the file) with its description and,
    when given, its QML as the layer's default style in ``layer_styles``."""
    pyogrio.write_dataframe(frame, gpkg, layer=layer, driver="GPKG", append=gpkg.exists() and layer not in
                            _layers(gpkg), layer_options={"DESCRIPTION": description[:1000]})
    if style is not None and Path(style).exists():
        _store_style(gpkg, layer, Path(style).read_text(encoding="utf-8"))


def _layers(gpkg: Path) -> list[str]:
    return [name for name, _ in pyogrio.list_layers(gpkg)] if gpkg.exists() else []


def _store_style(gpkg: Path, layer: str, qml: str) -> None:
    """QGIS's own ``layer_styles`` table: a style with useAsDefault = 1 is applied when
    the layer is loaded (matched on table and geometry column names)."""
    with sqlite3.connect(gpkg) as db:
        found = db.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)).fetchone()
        geometry_column = found[0] if found else ""
        db.execute("""CREATE TABLE IF NOT EXISTS layer_styles (
            id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), f_table_schema TEXT(256),
            f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT,
            styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30),
            update_time DATETIME DEFAULT CURRENT_TIMESTAMP)""")
        db.execute("DELETE FROM layer_styles WHERE f_table_name = ?", (layer,))
        db.execute("INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                   "styleName, styleQML, styleSLD, useAsDefault, description, owner) VALUES ('', '', ?, ?, ?, ?, '', "
                   "1, 'Hunchun Risk', '')", (layer, geometry_column, layer, qml))


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8 with a byte-order mark, so Excel shows the Chinese names correctly."""
    frame.to_csv(path, index=False, encoding="utf-8-sig")


def write_mosaic_vrt(target: Path, tiles: list[Path]) -> None:
    """A VRT mosaic of aligned single-band GeoTIFFs (the township runs share the grid
    lattice, so the mosaic is exact); sources are relative to the VRT."""
    with rasterio.open(tiles[0]) as first:
        crs, dtype, nodata, cell = first.crs, first.dtypes[0], first.nodata, first.res[0]
    bounds = []
    for tile in tiles:
        with rasterio.open(tile) as src:
            bounds.append(src.bounds)
    left, top = min(b.left for b in bounds), max(b.top for b in bounds)
    right, bottom = max(b.right for b in bounds), min(b.bottom for b in bounds)
    width, height = round((right - left) / cell), round((top - bottom) / cell)
    gdal_type = {"float32": "Float32", "uint8": "Byte"}[dtype]
    sources = []
    for tile, b in zip(tiles, bounds):
        w, h = round((b.right - b.left) / cell), round((b.top - b.bottom) / cell)
        x, y = round((b.left - left) / cell), round((top - b.top) / cell)
        relative = tile.relative_to(target.parent).as_posix()
        sources.append(
            f'    <ComplexSource><SourceFilename relativeToVRT="1">{escape(relative)}</SourceFilename>'
            f'<SourceBand>1</SourceBand><SrcRect xOff="0" yOff="0" xSize="{w}" ySize="{h}"/>'
            f'<DstRect xOff="{x}" yOff="{y}" xSize="{w}" ySize="{h}"/><NODATA>{nodata:g}</NODATA></ComplexSource>')
    body = "\n".join(sources)
    target.write_text(
        f'<VRTDataset rasterXSize="{width}" rasterYSize="{height}">\n'
        f'  <SRS>{escape(crs.to_wkt())}</SRS>\n'
        f'  <GeoTransform>{left!r}, {cell!r}, 0, {top!r}, 0, {-cell!r}</GeoTransform>\n'
        f'  <VRTRasterBand dataType="{gdal_type}" band="1">\n    <NoDataValue>{nodata:g}</NoDataValue>\n'
        f'{body}\n  </VRTRasterBand>\n</VRTDataset>\n', encoding="utf-8")
