"""Class zones drawn smoothed on the large-scale pages (maps.toml [zone_smoothing]).

The zones are the analysis grid's cells dissolved by class, so at 1:10000 their edges
are a staircase of 2.5 mm steps. Each of the renderer's symbols gets a geometry
generator that draws ``smooth($geometry)`` at ``up_to_scale`` and larger and the
geometry itself elsewhere, over its own fill (see ``smoothed_symbol``): the layer's
data, areas and tables stay the cells' own, and one project still serves the 1:50000
and the 1:10000 pages (the scale decides)."""
from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsCategorizedSymbolRenderer,
    QgsFillSymbol,
    QgsGeometryGeneratorSymbolLayer,
    QgsSymbol,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt

from ..core.map_specs import maps_config


def smoothing_expression(spec: dict) -> str:
    """The geometry generator's expression for maps.toml's [zone_smoothing] table. A
    legend patch is drawn with no feature or one of no id ($id NULL, or 0 for QGIS 3.22's
    FID_NULL), the zones are a GeoPackage's features (fid from 1): a patch keeps its own
    shape, which smoothing would cut into a diamond."""
    return (f"CASE WHEN @map_scale <= {float(spec['up_to_scale'])} AND $id > 0 "
            f"THEN smooth($geometry, {int(spec['iterations'])}, {float(spec['offset'])}) ELSE $geometry END")


def smoothed_symbol(symbol: QgsSymbol, expression: str) -> QgsFillSymbol:
    """``symbol`` drawn through a geometry generator of ``expression``, over a backing of
    the cells' own fill without outline. Smoothing each zone on its own leaves small
    wedges at the points where three zones meet; drawn in a later pass (symbol levels),
    the smoothed zones cover every backing but those wedges, which then show the colour
    of their cells instead of white."""
    backing = symbol.clone()
    for index in range(backing.symbolLayerCount()):
        fill = backing.symbolLayer(index)
        if hasattr(fill, "setStrokeStyle"):
            fill.setStrokeStyle(Qt.PenStyle.NoPen)
        fill.setRenderingPass(0)
    generator = QgsGeometryGeneratorSymbolLayer.create({"geometryModifier": expression})
    generator.setSymbolType(Qgis.SymbolType.Fill)
    generator.setSubSymbol(symbol.clone())
    generator.setRenderingPass(1)
    backing.appendSymbolLayer(generator)
    return backing


def smooth_zones_at_large_scales(layer: QgsVectorLayer, key: str) -> None:
    """Wrap every category symbol of ``layer``'s renderer when ``key`` is one of the
    smoothed layers (their shipped styles are categorized by class)."""
    spec = maps_config()["zone_smoothing"]
    renderer = layer.renderer()
    if key not in spec["layers"] or not isinstance(renderer, QgsCategorizedSymbolRenderer):
        return
    expression = smoothing_expression(spec)
    for index, category in enumerate(renderer.categories()):
        renderer.updateCategorySymbol(index, smoothed_symbol(category.symbol(), expression))
    renderer.setUsingSymbolLevels(True)
