"""Class zones are drawn smoothed on the 1:10000 pages and as they are at 1:50000
(maps.toml [zone_smoothing]), through the styled layer every map page opens.

The smoothed outline must be QGIS's own ``smooth()`` of the zone (its Chaikin corner
cutting, computed here on the geometry itself, not through our symbol), the zone itself
at 1:50000, and a legend patch (a feature without id) keeps its own shape."""
from __future__ import annotations

import geopandas as gpd
import pytest
from qgis.core import (
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextScope,
    QgsFeature,
    QgsGeometry,
    QgsGeometryGeneratorSymbolLayer,
    QgsRenderContext,
)
from shapely.geometry import Polygon

from hunchun_risk_plugin.core.map_specs import maps_config
from hunchun_risk_plugin.mapping.map_project import open_layer

# A staircase of 25 m cells (a township run's grid) and the square beside it, in CGCS2000 / 3-degree GK 43.
X0, Y0, CELL = 43_500_000.0, 4_750_000.0, 25.0
STAIRS = Polygon([(X0, Y0), (X0 + 4 * CELL, Y0), (X0 + 4 * CELL, Y0 + CELL), (X0 + 3 * CELL, Y0 + CELL),
                  (X0 + 3 * CELL, Y0 + 2 * CELL), (X0 + 2 * CELL, Y0 + 2 * CELL), (X0 + 2 * CELL, Y0 + 3 * CELL),
                  (X0, Y0 + 3 * CELL)])
SQUARE = Polygon([(X0 + 4 * CELL, Y0), (X0 + 6 * CELL, Y0), (X0 + 6 * CELL, Y0 + 2 * CELL),
                  (X0 + 4 * CELL, Y0 + 2 * CELL)])


@pytest.fixture
def zones(tmp_path) -> str:
    path = tmp_path / "zones.gpkg"
    gpd.GeoDataFrame({"class": [5, 1]}, geometry=[STAIRS, SQUARE], crs=4511).to_file(path, layer="risk_zones")
    return f"{path}|layername=risk_zones"


def generators(layer) -> list[QgsGeometryGeneratorSymbolLayer]:
    found = []
    for category in layer.renderer().categories():
        symbol = category.symbol()
        layers = [symbol.symbolLayer(i) for i in range(symbol.symbolLayerCount())]
        # clones: the symbol belongs to the category copy, gone with this loop
        found += [s.clone() for s in layers if isinstance(s, QgsGeometryGeneratorSymbolLayer)]
    return found


def drawn_outline(generator, feature: QgsFeature, scale: float) -> QgsGeometry:
    """The geometry ``generator`` draws for ``feature`` on a map at 1:``scale``."""
    context = QgsExpressionContext()
    scope = QgsExpressionContextScope()
    scope.setVariable("map_scale", scale)
    context.appendScope(scope)
    context.setFeature(feature)
    value = QgsExpression(generator.geometryExpression()).evaluate(context)
    assert isinstance(value, QgsGeometry), generator.geometryExpression()
    return value


def test_each_class_symbol_is_its_cells_fill_under_the_smoothed_zone(zones, qgis_new_project):
    layer = open_layer(zones, "zones", "risk_zones")
    renderer = layer.renderer()
    assert renderer.usingSymbolLevels()  # the backings all drawn before any smoothed zone
    assert len(generators(layer)) == len(renderer.categories()) == 5
    categories = renderer.categories()  # kept: each symbol belongs to its category copy
    for category in categories:
        symbol = category.symbol()
        backing, generator = symbol.symbolLayer(0), symbol.symbolLayer(symbol.symbolLayerCount() - 1)
        assert backing.renderingPass() < generator.renderingPass()
        assert backing.color() == generator.subSymbol().color()  # the same class colour under and over


def test_the_1_10000_page_draws_qgis_smooth_and_the_1_50000_page_the_cells(zones, qgis_new_project):
    spec = maps_config()["zone_smoothing"]
    layer = open_layer(zones, "zones", "risk_zones")
    generator = generators(layer)[0]
    stairs = next(f for f in layer.getFeatures() if f["class"] == 5)
    cells = stairs.geometry()
    expected = QgsGeometry(cells).smooth(int(spec["iterations"]), float(spec["offset"]))
    at_10000 = drawn_outline(generator, stairs, 10000)
    assert at_10000.equals(expected) and not at_10000.equals(cells)
    # corner cutting takes area at the six convex corners and gives some back at the two
    # concave ones: the smoothed zone is smaller than its cells (the page draws the cells'
    # own fill under it, so the zone's extent on the page is not lost)
    assert at_10000.area() < cells.area()
    assert drawn_outline(generator, stairs, spec["up_to_scale"]).equals(expected)  # the threshold is inclusive
    assert drawn_outline(generator, stairs, 50000).equals(cells)


def test_a_legend_patch_keeps_its_shape(zones, qgis_new_project):
    layer = open_layer(zones, "zones", "risk_zones")
    patch = QgsFeature()  # what a legend draws: a feature of no id with the patch's rectangle
    rectangle = QgsGeometry.fromWkt("POLYGON((0 0, 20 0, 20 10, 0 10, 0 0))")
    patch.setGeometry(rectangle)
    generator, spec = generators(layer)[0], maps_config()["zone_smoothing"]
    assert drawn_outline(generator, patch, 10000).equals(rectangle)
    feature = next(layer.getFeatures())  # while the same rectangle as a zone is smoothed
    feature.setGeometry(rectangle)
    assert drawn_outline(generator, feature, 10000).equals(QgsGeometry(rectangle).smooth(int(spec["iterations"]),
                                                                                          float(spec["offset"])))


def test_layers_not_listed_are_left_as_styled(tmp_path, qgis_new_project):
    path = tmp_path / "flood.gpkg"
    gpd.GeoDataFrame({"class": [1]}, geometry=[STAIRS], crs=4511).to_file(path, layer="flood_zones")
    assert "flood_zones" not in maps_config()["zone_smoothing"]["layers"]
    layer = open_layer(f"{path}|layername=flood_zones", "flood", "flood_zones")
    symbols = layer.renderer().symbols(QgsRenderContext())
    assert not any(isinstance(s.symbolLayer(i), QgsGeometryGeneratorSymbolLayer)
                   for s in symbols for i in range(s.symbolLayerCount()))
