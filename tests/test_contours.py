"""Contours on the township and subdistrict pages (mapping/contour_layers.py): GDAL's
lines checked against the DEM itself (the height bilinearly interpolated between the
cell centres at every vertex is the line's level), the index contours flagged, one
computation per page extent shared by every kind, the interval by scale, one legend
entry, none on the city maps."""
from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from osgeo import gdal, ogr
from qgis.core import QgsRectangle

from hunchun_risk_plugin.core.layer_uri import layer_uri
from hunchun_risk_plugin.core.map_pages import CITY, SUBDISTRICT, TOWNSHIP
from hunchun_risk_plugin.core.map_specs import map_kind
from hunchun_risk_plugin.mapping import contour_layers
from hunchun_risk_plugin.mapping.map_project import MapSources
from hunchun_risk_plugin.mapping.page_exporter import ExportSettings, PageExporter
from hunchun_risk_plugin.mapping.page_text import PageText
from hunchun_risk_plugin.mapping.print_batch import MapBatch

EPSG = 4511
# a 12 x 9 km window in the hills north-east of the city (sample DEM: 3 … 1477 m)
WINDOW = (640000.0, 4760000.0, 652000.0, 4769000.0)


@pytest.fixture
def dem(repo_root) -> str:
    return str(repo_root / "layers" / "dem.tif")


def _heights(dem_path: str):
    """The DEM's heights and a bilinear interpolation between its cell centres, written
    out here (not GDAL's)."""
    dataset = gdal.Open(dem_path)
    x0, dx, _, y0, _, dy = dataset.GetGeoTransform()
    z = dataset.GetRasterBand(1).ReadAsArray().astype(float)

    def at(x: float, y: float) -> float:
        col, row = (x - x0) / dx - 0.5, (y - y0) / dy - 0.5
        i, j = int(np.floor(row)), int(np.floor(col))
        fr, fc = row - i, col - j
        return float(z[i, j] * (1 - fr) * (1 - fc) + z[i, j + 1] * (1 - fr) * fc
                     + z[i + 1, j] * fr * (1 - fc) + z[i + 1, j + 1] * fr * fc)
    return z, (x0, dx, y0, dy), at


def _lines(path):
    dataset = ogr.Open(str(path))
    layer = dataset.GetLayerByName(contour_layers.LAYER_NAME)
    rows = [(f.GetFieldAsDouble("elev"), f.GetFieldAsInteger("major"), f.GetGeometryRef().GetPoints())
            for f in layer]
    return rows


def test_contours_lie_at_their_height_on_the_dem(dem):
    path = contour_layers.contour_file(dem, WINDOW, EPSG, 20, 100, 50000)
    rows = _lines(path)
    _, _, height_at = _heights(dem)
    assert len(rows) > 50
    # inside the asked-for bounds (the traced window is a cell wider: GDAL closes the lines
    # half a cell beyond its outer cell centres, off the page)
    x0, y0, x1, y1 = WINDOW
    errors = [abs(height_at(x, y) - level) for level, _, points in rows for x, y, *_ in points
              if x0 <= x <= x1 and y0 <= y <= y1]
    assert len(errors) > 5000 and max(errors) < 0.01  # GDAL's vertices lie on the lines between cell centres
    levels = {level for level, _, _ in rows}
    assert all(level % 20 == 0 for level in levels)
    assert all(major == (level % 100 == 0) for level, major, _ in rows)


def test_every_level_inside_the_window_is_drawn(dem):
    """Each multiple of 20 m between the window's 2nd and 98th height percentile has a
    line (long enough to be kept at print size)."""
    z, (x0, dx, y0, dy), _ = _heights(dem)
    rows = slice(int((WINDOW[3] - y0) / dy), int((WINDOW[1] - y0) / dy))
    cols = slice(int((WINDOW[0] - x0) / dx), int((WINDOW[2] - x0) / dx))
    low, high = np.percentile(z[rows, cols], [2, 98])
    wanted = set(range(int(np.ceil(low / 20)) * 20, int(high) + 1, 20))
    drawn = {level for level, _, _ in _lines(contour_layers.contour_file(dem, WINDOW, EPSG, 20, 100, 50000))}
    assert wanted <= drawn and len(wanted) > 10


def test_interval_by_scale_and_none_on_the_city_maps():
    assert contour_layers.interval_for(50000) == (20, 100)
    assert contour_layers.interval_for(10000) == (10, 50)
    assert contour_layers.interval_for(250000) is None
    assert contour_layers.contour_title(20) == "等高线 Contours (20 m)"


@pytest.fixture
def sources(sample_gpkg, dem) -> MapSources:
    keys = ("townships", "settlements", "roads", "rivers", "shelters", "depots", "hazard_sites")
    return MapSources({**{key: layer_uri(sample_gpkg, key) for key in keys}, "dem": dem})


def _pages(sample_gpkg, sources, kinds, scopes, only):
    batch = MapBatch(sources, gpd.read_file(sample_gpkg, layer="townships"), [map_kind(k) for k in kinds], scopes,
                     ExportSettings("pdf", 72), PageText("x", "2026-01-01", "s", True), only=only, workers=1)
    return batch.plan()


def test_every_kind_of_a_page_reuses_one_computation(sample_gpkg, sources, monkeypatch):
    traced = []
    original = contour_layers._trace
    monkeypatch.setattr(contour_layers, "_trace", lambda *a: traced.append(a[1]) or original(*a))
    contour_layers.contour_file.cache_clear()
    pages = [p for p in _pages(sample_gpkg, sources, ["risk", "hazards", "coverage"], [CITY, TOWNSHIP], ["新安街道"])]
    township = [p for p in pages if p.scope == TOWNSHIP]
    exporter = PageExporter(sources, ExportSettings("pdf", 72), PageText("x", "2026-01-01", "s", True))
    try:
        used = []
        for page in township:
            layout = exporter.filled_layout(page)
            contours = exporter._project(page.kind, page.scope).contours.layer
            assert contours in layout.itemById("main_map").layers()
            used.append(contours.source())
            legend = layout.itemById("legend")
            node = legend.model().rootGroup().findLayer(contours)
            assert node is not None and node.layer().name() == "等高线 Contours (20 m)"
            assert len(legend.model().layerLegendNodes(node)) == 1  # one entry
        assert len(traced) == 1 and len(set(used)) == 1  # three kinds, one page extent: traced once
        for page in [p for p in pages if p.scope == CITY]:
            layout = exporter.filled_layout(page)
            assert exporter._project(page.kind, page.scope).contours is None
            assert not [layer for layer in layout.itemById("main_map").layers()
                        if layer.name().startswith("等高线")]
    finally:
        exporter.close()


def test_subdistrict_sheets_get_10_m_contours(sample_gpkg, sources):
    page = next(p for p in _pages(sample_gpkg, sources, ["risk"], [SUBDISTRICT], ["新安街道"]) if p.scale == 10000)
    exporter = PageExporter(sources, ExportSettings("pdf", 72), PageText("x", "2026-01-01", "s", True))
    try:
        layout = exporter.filled_layout(page)
        contours = exporter._project(page.kind, page.scope).contours.layer
        assert contours.name() == "等高线 Contours (10 m)"
        levels = {f["elev"] for f in contours.getFeatures()}
        majors = {f["elev"] for f in contours.getFeatures() if f["major"] == 1}
        assert levels and all(v % 10 == 0 for v in levels) and any(v % 20 for v in levels)
        assert majors == {v for v in levels if v % 50 == 0}
        # the traced extent covers what the page shows
        shown = layout.itemById("main_map").extent()
        assert QgsRectangle(*contour_layers.snapped(shown)).contains(shown)
    finally:
        exporter.close()
