"""Write the QGIS styles (QML) of the evacuation and depot-coverage outputs into styles/.

Made for printing: evacuation routes as arrows pointing to the shelter, width by the
people on the route (square-root scale, so area follows population), red where the
shelter kind's standard is exceeded; shelters by utilisation; unreached settlements
by reason; drive-time zones and settlement times by the 1 h / 3 h / 10 h targets.
Usage:
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_routing_styles.py
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsMarkerLineSymbolLayer,
    QgsFeatureRequest,
    QgsFillSymbol,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsProperty,
    QgsRuleBasedRenderer,
    QgsSimpleLineSymbolLayer,
    QgsSimpleMarkerSymbolLayer,
    QgsSimpleMarkerSymbolLayerBase,
    QgsSymbolLayer,
    QgsTemplatedLineSymbolLayerBase,
    QgsUnitTypes,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

from hunchun_risk_plugin.headless import qgis_session  # noqa: E402
from hunchun_risk_plugin.core.definitions import targets_hours  # noqa: E402
from hunchun_risk_plugin.core.routing.evacuation_frames import REASONS  # noqa: E402

STYLES = ROOT / "styles"
# Width of a route in mm: square-root scale of the people on it.
ROUTE_WIDTH = 'scale_exp(coalesce("population", 0), 0, 5000, 0.35, 3.2, 0.5)'
WITHIN, OVER = QColor(0, 112, 192), QColor(215, 25, 28)  # blue within the shelter standard, red beyond
# Shelters in the green of the 应急避难场所 sign, darker as they fill up.
SHELTER_GREENS = (QColor(199, 233, 192), QColor(116, 196, 118), QColor(35, 139, 69), QColor(0, 68, 27))
TIME_COLOURS = (QColor(26, 150, 65), QColor(166, 217, 106), QColor(253, 174, 97), QColor(215, 25, 28))


def _layer(geometry: str, fields: str) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{geometry}?crs=EPSG:4511&{fields}", "style", "memory")
    assert layer.isValid()
    return layer


def _rules(layer: QgsVectorLayer, rules: list[tuple[str, str, object]]) -> None:
    """Rule-based renderer from (label, filter, symbol); the filters must not overlap."""
    root = QgsRuleBasedRenderer.Rule(None)
    for label, expression, symbol in rules:
        root.appendChild(QgsRuleBasedRenderer.Rule(symbol, 0, 0, expression, label))
    renderer = QgsRuleBasedRenderer(root)
    layer.setRenderer(renderer)


def _save(layer: QgsVectorLayer, name: str) -> None:
    path = STYLES / f"{name}.qml"
    message, ok = layer.saveNamedStyle(str(path))
    assert ok, message
    print(f"wrote {path}")


def _arrow(colour: QColor) -> QgsLineSymbol:
    """A line along the roads, width from ROUTE_WIDTH, with an arrowhead at the shelter end
    and small ones along the way. (The arrow symbol layer would draw long routes straight.)"""
    line = QgsSimpleLineSymbolLayer(colour, 1.0)
    line.setWidthUnit(QgsUnitTypes.RenderUnit.RenderMillimeters)
    line.setPenCapStyle(Qt.PenCapStyle.RoundCap)
    line.setPenJoinStyle(Qt.PenJoinStyle.RoundJoin)
    line.setDataDefinedProperty(QgsSymbolLayer.Property.PropertyStrokeWidth, QgsProperty.fromExpression(ROUTE_WIDTH))
    symbol = QgsLineSymbol()
    symbol.changeSymbolLayer(0, line)  # takes ownership (a list passed to the constructor does not)
    symbol.setOpacity(0.85)
    # White chevrons inside the line show the direction all along; a big head ends it at the shelter.
    along = _heads(QColor(255, 255, 255, 230), QgsTemplatedLineSymbolLayerBase.Placement.Interval,
                   f"0.4 + 0.8 * ({ROUTE_WIDTH})",
                   QgsSimpleMarkerSymbolLayerBase.Shape.ArrowHead)
    along.setInterval(12)
    along.setIntervalUnit(QgsUnitTypes.RenderUnit.RenderMillimeters)
    along.setOffsetAlongLine(6)
    along.setOffsetAlongLineUnit(QgsUnitTypes.RenderUnit.RenderMillimeters)
    symbol.appendSymbolLayer(along)
    symbol.appendSymbolLayer(_heads(colour.darker(120), QgsTemplatedLineSymbolLayerBase.Placement.LastVertex,
                                    f"2.6 + 1.8 * ({ROUTE_WIDTH})",
                                    QgsSimpleMarkerSymbolLayerBase.Shape.ArrowHeadFilled))
    return symbol


def _heads(colour: QColor, placement, size: str, shape) -> QgsMarkerLineSymbolLayer:
    head = QgsSimpleMarkerSymbolLayer(shape, 3.0)
    head.setColor(colour)
    head.setStrokeColor(colour if shape == QgsSimpleMarkerSymbolLayerBase.Shape.ArrowHead else QColor(255, 255, 255))
    head.setStrokeWidth(0.3 if shape == QgsSimpleMarkerSymbolLayerBase.Shape.ArrowHead else 0.15)
    head.setDataDefinedProperty(QgsSymbolLayer.Property.PropertySize, QgsProperty.fromExpression(size))
    marker_line = QgsMarkerLineSymbolLayer(True)  # rotate with the line
    marker_line.setPlacement(placement)
    marker = QgsMarkerSymbol()
    marker.changeSymbolLayer(0, head)
    marker_line.setSubSymbol(marker)
    return marker_line


def evacuation_routes_style() -> None:
    layer = _layer("LineString", "field=population:integer&field=over_standard:integer")
    _rules(layer, [
        ("在标准内 Within the shelter standard", '"over_standard" = 0', _arrow(WITHIN)),
        ("超出标准 Beyond the shelter standard", '"over_standard" = 1', _arrow(OVER)),
    ])
    # Biggest flows first, so small ones stay visible on top.
    layer.renderer().setOrderBy(QgsFeatureRequest.OrderBy([QgsFeatureRequest.OrderByClause("population", False)]))
    layer.renderer().setOrderByEnabled(True)
    _save(layer, "evacuation_routes")


def _marker(shape, colour: QColor, size: str, outline: str = "35,35,35") -> QgsMarkerSymbol:
    symbol = QgsMarkerSymbol.createSimple({"name": QgsSimpleMarkerSymbolLayerBase.encodeShape(shape),
                                           "color": colour.name(), "outline_color": outline, "outline_width": "0.3"})
    symbol.setDataDefinedSize(QgsProperty.fromExpression(size))
    return symbol


def shelter_load_style() -> None:
    layer = _layer("Point", "field=capacity:integer&field=utilisation:double&field=status:string")
    size = 'scale_exp(coalesce("capacity", 0), 0, 20000, 2.4, 6.5, 0.5)'
    square = QgsSimpleMarkerSymbolLayerBase.Shape.Square
    _rules(layer, [
        ("不可用（危险区内 / 远离道路 / 容量 0）Not usable", '"status" <> \'open\'',
         _marker(QgsSimpleMarkerSymbolLayerBase.Shape.Cross2, QColor(110, 110, 110), "3.2", "90,90,90")),
        ("满员 Full (100 %)", '"status" = \'open\' AND "utilisation" >= 1', _marker(square, SHELTER_GREENS[3], size)),
        ("紧张 90–100 %", '"status" = \'open\' AND "utilisation" >= 0.9 AND "utilisation" < 1',
         _marker(square, SHELTER_GREENS[2], size)),
        ("适中 50–90 %", '"status" = \'open\' AND "utilisation" >= 0.5 AND "utilisation" < 0.9',
         _marker(square, SHELTER_GREENS[1], size)),
        ("宽裕 Room < 50 %", '"status" = \'open\' AND "utilisation" < 0.5', _marker(square, SHELTER_GREENS[0], size)),
    ])
    _save(layer, "shelter_load")


def unreached_style() -> None:
    layer = _layer("Point", "field=population:integer&field=reason:string")
    size = 'scale_exp(coalesce("population", 0), 0, 5000, 2, 6, 0.5)'
    colours = {
        "no_capacity": QColor(123, 50, 148), "cut_off_by_hazard": QColor(103, 0, 31),
        "disconnected_network": QColor(166, 97, 26), "too_far_from_road": QColor(120, 120, 120),
        "no_path": QColor(230, 97, 1), "no_geometry": QColor(0, 0, 0),
    }
    triangle = QgsSimpleMarkerSymbolLayerBase.Shape.Triangle
    _rules(layer, [(f"{zh} {en}", f"\"reason\" = '{key}'", _marker(triangle, colours[key], size, "255,255,255"))
                   for key, (en, zh) in REASONS.items()])
    _save(layer, "unreached")


def drive_time_zones_style() -> None:
    layer = _layer("Polygon", "field=to_h:double&field=label:string")
    rescue, aid = targets_hours()["rescue_hours"], targets_hours()["basic_aid_hours"]
    bands = [
        ("≤ 1 h", '"to_h" <= 1', TIME_COLOURS[0]),
        (f"1–{rescue:g} h（救援目标内 within rescue target）", f'"to_h" > 1 AND "to_h" <= {rescue}', TIME_COLOURS[1]),
        (f"{rescue:g}–{aid:g} h（救助目标内 within basic-aid target）", f'"to_h" > {rescue} AND "to_h" <= {aid}',
         TIME_COLOURS[2]),
        (f"> {aid:g} h", f'"to_h" > {aid}', TIME_COLOURS[3]),
    ]
    rules = []
    for label, expression, colour in bands:
        symbol = QgsFillSymbol.createSimple({"color": colour.name(), "outline_style": "no"})
        symbol.setOpacity(0.45)
        rules.append((label, expression, symbol))
    _rules(layer, rules)
    _save(layer, "drive_time_zones")


def settlement_times_style() -> None:
    layer = _layer("Point", "field=population:integer&field=depot_min:double&field=rescue_min:double")
    size = 'scale_exp(coalesce("population", 0), 0, 5000, 1.8, 5.5, 0.5)'
    rescue_min, aid_min = targets_hours()["rescue_hours"] * 60, targets_hours()["basic_aid_hours"] * 60
    circle = QgsSimpleMarkerSymbolLayerBase.Shape.Circle
    _rules(layer, [
        ("无法到达 Not reachable", '"depot_min" IS NULL',
         _marker(QgsSimpleMarkerSymbolLayerBase.Shape.Cross2, QColor(0, 0, 0), "3")),
        ("储备库 ≤ 1 h from a depot", '"depot_min" <= 60', _marker(circle, TIME_COLOURS[0], size)),
        (f"1–{rescue_min / 60:g} h", f'"depot_min" > 60 AND "depot_min" <= {rescue_min}', _marker(circle, TIME_COLOURS[1], size)),
        (f"{rescue_min / 60:g}–{aid_min / 60:g} h（超出救援目标 beyond rescue target）",
         f'"depot_min" > {rescue_min} AND "depot_min" <= {aid_min}', _marker(circle, TIME_COLOURS[2], size)),
        (f"> {aid_min / 60:g} h（超出救助目标 beyond basic-aid target）", f'"depot_min" > {aid_min}',
         _marker(circle, TIME_COLOURS[3], size)),
    ])
    _save(layer, "settlement_times")


def main() -> None:
    STYLES.mkdir(exist_ok=True)
    with qgis_session():
        for make in (evacuation_routes_style, shelter_load_style, unreached_style, drive_time_zones_style,
                     settlement_times_style):
            make()


if __name__ == "__main__":
    main()
