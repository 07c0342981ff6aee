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
    QgsCategorizedSymbolRenderer,
    QgsLinePatternFillSymbolLayer,
    QgsMarkerLineSymbolLayer,
    QgsRendererCategory,
    QgsPalLayerSettings,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayerSimpleLabeling,
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
from qgis.PyQt.QtGui import QColor, QFont  # noqa: E402

from hunchun_risk_plugin.headless import qgis_session  # noqa: E402
from hunchun_risk_plugin.core.definitions import targets_hours  # noqa: E402
from hunchun_risk_plugin.core.coverage_text import coverage_bands as bands  # noqa: E402
from hunchun_risk_plugin.core.coverage_text import not_covered_label  # noqa: E402
from hunchun_risk_plugin.core.evacuation_text import standard_text  # noqa: E402
from hunchun_risk_plugin.core.routing.evacuation_frames import REASONS  # noqa: E402

STYLES = ROOT / "styles"
FONT = "WenQuanYi Micro Hei"  # see core/data/maps.toml [fonts]
# Width of a route in mm: square-root scale of the people on it.
ROUTE_WIDTH = 'scale_exp(coalesce("population", 0), 0, 5000, 0.35, 3.2, 0.5)'
# Magenta: a colour no base layer or class uses (blue is water, red the national road and 高);
# beyond the standard orange and dashed, so the two read apart in grey too.
WITHIN, OVER = QColor(208, 28, 139), QColor(230, 85, 13)
ARROW_EVERY_MM = 15.0  # arrowheads along a route at print size (1–2 cm)
# Shelters in the green of the 应急避难场所 sign, darker as they fill up.
SHELTER_GREENS = (QColor(199, 233, 192), QColor(116, 196, 118), QColor(35, 139, 69), QColor(0, 68, 27))
# Drive times in one purple ramp, darker = quicker: green to red means risk on these maps.
TIME_COLOURS = (QColor(84, 39, 143), QColor(117, 107, 177), QColor(158, 154, 200), QColor(203, 201, 226),
                QColor(242, 240, 247))


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


def _arrow(colour: QColor, dashed: bool = False) -> QgsLineSymbol:
    """A route along the roads in a white casing, width from ROUTE_WIDTH (people moved),
    with filled arrowheads every ARROW_EVERY_MM at print size and one at the shelter.
    (The arrow symbol layer would draw long routes straight.)"""
    casing = QgsSimpleLineSymbolLayer(QColor(255, 255, 255), 1.0)
    casing.setDataDefinedProperty(QgsSymbolLayer.Property.PropertyStrokeWidth,
                                  QgsProperty.fromExpression(f"({ROUTE_WIDTH}) + 0.9"))
    line = QgsSimpleLineSymbolLayer(colour, 1.0)
    if dashed:
        line.setUseCustomDashPattern(True)
        line.setCustomDashVector([3.0, 1.2])  # in line widths
    for layer in (casing, line):
        layer.setWidthUnit(QgsUnitTypes.RenderUnit.RenderMillimeters)
        layer.setPenCapStyle(Qt.PenCapStyle.RoundCap)
        layer.setPenJoinStyle(Qt.PenJoinStyle.RoundJoin)
    line.setDataDefinedProperty(QgsSymbolLayer.Property.PropertyStrokeWidth, QgsProperty.fromExpression(ROUTE_WIDTH))
    symbol = QgsLineSymbol()
    symbol.changeSymbolLayer(0, casing)  # takes ownership (a list passed to the constructor does not)
    symbol.appendSymbolLayer(line)
    along = _heads(colour, QgsTemplatedLineSymbolLayerBase.Placement.Interval, f"2.2 + 1.2 * ({ROUTE_WIDTH})",
                   QgsSimpleMarkerSymbolLayerBase.Shape.ArrowHeadFilled)
    along.setInterval(ARROW_EVERY_MM)
    along.setIntervalUnit(QgsUnitTypes.RenderUnit.RenderMillimeters)
    along.setOffsetAlongLine(ARROW_EVERY_MM / 2)
    along.setOffsetAlongLineUnit(QgsUnitTypes.RenderUnit.RenderMillimeters)
    symbol.appendSymbolLayer(along)
    symbol.appendSymbolLayer(_heads(colour.darker(120), QgsTemplatedLineSymbolLayerBase.Placement.LastVertex,
                                    f"3.0 + 1.8 * ({ROUTE_WIDTH})",
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
    layer = _layer("LineString", "field=population:integer&field=over_standard:integer&field=hr_label:string")
    _rules(layer, [
        (f"在标准内 Within the standard（{standard_text()}）", '"over_standard" = 0', _arrow(WITHIN)),
        ("超出标准 Beyond the standard（虚线 dashed）", '"over_standard" = 1', _arrow(OVER, dashed=True)),
    ])
    # "→⑭ 1.2 km / 18 min" along the route (hr_label: written by the printed maps, which
    # fetch it by name; attribute(@feature, …) would not be fetched for the labels)
    _labels(layer, "\"hr_label\"", 7.0, WITHIN.darker(160), line=True)
    # Biggest flows first, so small ones stay visible on top.
    layer.renderer().setOrderBy(QgsFeatureRequest.OrderBy([QgsFeatureRequest.OrderByClause("population", False)]))
    layer.renderer().setOrderByEnabled(True)
    _save(layer, "evacuation_routes")


def _marker(shape, colour: QColor, size: str, outline: str = "255,255,255") -> QgsMarkerSymbol:
    """A point in a white casing (it stays readable on every class colour)."""
    symbol = QgsMarkerSymbol.createSimple({"name": QgsSimpleMarkerSymbolLayerBase.encodeShape(shape),
                                           "color": colour.name(), "outline_color": outline, "outline_width": "0.45"})
    symbol.setDataDefinedSize(QgsProperty.fromExpression(size))
    return symbol


def _labels(layer: QgsVectorLayer, expression: str, size: float, colour: QColor, line: bool = False,
            max_scale: float = 0.0) -> None:
    """Haloed labels from an expression (curved along lines); with ``max_scale``, only at
    that scale or larger (1:max_scale)."""
    fmt = QgsTextFormat()
    fmt.setFont(QFont(FONT))
    fmt.setSize(size)
    fmt.setColor(colour)
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.9)
    buffer.setColor(QColor(255, 255, 255, 235))
    fmt.setBuffer(buffer)
    settings = QgsPalLayerSettings()
    settings.fieldName = expression
    settings.isExpression = True
    settings.setFormat(fmt)
    if line:
        settings.placement = QgsPalLayerSettings.Placement.Curved
        settings.repeatDistance = 0
    else:
        settings.placement = QgsPalLayerSettings.Placement.OrderedPositionsAroundPoint
        settings.dist = 1.0
    settings.priority = 8
    if max_scale:
        settings.scaleVisibility = True
        settings.minimumScale = max_scale  # most zoomed-out scale shown
        settings.maximumScale = 1.0
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def shelter_load_style() -> None:
    layer = _layer("Point", "field=capacity:integer&field=utilisation:double&field=status:string")
    size = 'scale_exp(coalesce("capacity", 0), 0, 20000, 3.2, 7.0, 0.5)'
    square = QgsSimpleMarkerSymbolLayerBase.Shape.Square
    _rules(layer, [
        ("不可用（危险区内 / 远离道路 / 容量 0）Not usable", '"status" <> \'open\'',
         _marker(QgsSimpleMarkerSymbolLayerBase.Shape.Cross2, QColor(110, 110, 110), "3.4", "90,90,90")),
        ("满员 Full (100 %)", '"status" = \'open\' AND "utilisation" >= 1', _marker(square, SHELTER_GREENS[3], size)),
        ("紧张 90–100 %", '"status" = \'open\' AND "utilisation" >= 0.9 AND "utilisation" < 1',
         _marker(square, SHELTER_GREENS[2], size)),
        ("适中 50–90 %", '"status" = \'open\' AND "utilisation" >= 0.5 AND "utilisation" < 0.9',
         _marker(square, SHELTER_GREENS[1], size)),
        ("宽裕 Room < 50 %", '"status" = \'open\' AND "utilisation" < 0.5', _marker(square, SHELTER_GREENS[0], size)),
    ])
    # "⑭ 靖和公园 / 3,800 / 7,255 人": number, name, load of capacity (hr_label, from the printed maps)
    _labels(layer, "\"hr_label\"", 7.0, SHELTER_GREENS[3])
    _save(layer, "shelter_load")


def unreached_style() -> None:
    layer = _layer("Point", "field=population:integer&field=reason:string")
    size = 'scale_exp(coalesce("population", 0), 0, 5000, 3.2, 6.5, 0.5)'
    colours = {
        "no_capacity": QColor(123, 50, 148), "cut_off_by_hazard": QColor(103, 0, 31),
        "disconnected_network": QColor(166, 97, 26), "too_far_from_road": QColor(120, 120, 120),
        "no_path": QColor(230, 97, 1), "no_geometry": QColor(0, 0, 0),
    }
    triangle = QgsSimpleMarkerSymbolLayerBase.Shape.Triangle
    _rules(layer, [(f"{zh} {en}", f"\"reason\" = '{key}'", _marker(triangle, colours[key], size, "255,255,255"))
                   for key, (en, zh) in REASONS.items()])
    _labels(layer, "concat(\"name\", ' ', format_number(\"population\", 0), ' 人')", 6.5, QColor(90, 20, 100),
            max_scale=120000)  # township maps: on the city map they would bury everything else
    _save(layer, "unreached")


def coverage_bands() -> list[tuple[str, str, float, float, QColor]]:
    """(key, label, from, to minutes, colour) of the drive-time classes (core/coverage_text.py)."""
    return [(b.key, b.label, b.low_min, b.high_min, colour) for b, colour in zip(bands(), TIME_COLOURS)]


def not_covered() -> str:
    return not_covered_label()


def drive_time_zones_style() -> None:
    layer = _layer("Polygon", "field=to_h:double&field=label:string")
    aid = targets_hours()["basic_aid_hours"]
    rules = []
    for _, label, low, high, colour in coverage_bands():
        symbol = QgsFillSymbol.createSimple({"color": colour.name(), "outline_style": "no"})
        symbol.setOpacity(0.55)
        rules.append((label, f'"to_h" > {low / 60:g} AND "to_h" <= {high / 60:g}' if low else
                      f'"to_h" <= {high / 60:g}', symbol))
    uncovered = QgsFillSymbol.createSimple({"color": "217,217,217,160", "outline_style": "no"})
    hatch = QgsLinePatternFillSymbolLayer()
    hatch.setLineAngle(45)
    hatch.setDistance(1.6)
    hatch.setLineWidth(0.25)
    hatch.setColor(QColor(82, 82, 82))
    uncovered.appendSymbolLayer(hatch)
    rules.append((not_covered(), f'"to_h" IS NULL OR "to_h" > {aid:g}', uncovered))
    _rules(layer, rules)
    _save(layer, "drive_time_zones")


SETTLEMENT_SIZE = 'scale_exp(coalesce("population", 0), 0, 5000, 1.8, 6.0, 0.5)'  # circle area ∝ people


def settlement_times_style() -> None:
    """Settlements coloured by their time from the nearest depot (the zones' classes),
    sized by population (area ∝ people), labelled with their names on the township maps."""
    layer = _layer("Point", "field=population:integer&field=depot_min:double&field=name:string")
    aid_min = targets_hours()["basic_aid_hours"] * 60
    size = QgsProperty.fromExpression(SETTLEMENT_SIZE)
    key = ["CASE", f'WHEN "depot_min" IS NULL OR "depot_min" > {aid_min:g} THEN \'none\'']
    categories = []
    for name, label, low, high, colour in coverage_bands():
        key.append(f"WHEN \"depot_min\" <= {high:g} THEN '{name}'")
        symbol = _marker(QgsSimpleMarkerSymbolLayerBase.Shape.Circle, colour, "3")
        symbol.setDataDefinedSize(size)
        categories.append(QgsRendererCategory(name, symbol, label))
    cross = _marker(QgsSimpleMarkerSymbolLayerBase.Shape.Cross2, QColor(0, 0, 0), "3.2", "0,0,0")
    categories.append(QgsRendererCategory("none", cross, not_covered()))
    # (the size key is a layer of its own on the maps, mapping/coverage_layers.size_key_layer:
    # QGIS 3.22 drops a vector layer's data-defined size key from a legend filtered by the map)
    layer.setRenderer(QgsCategorizedSymbolRenderer(" ".join(key + ["END"]), categories))
    _labels(layer, '"name"', 6.5, QColor(40, 40, 40), max_scale=120000)
    _save(layer, "settlement_times")


def main() -> None:
    STYLES.mkdir(exist_ok=True)
    with qgis_session():
        for make in (evacuation_routes_style, shelter_load_style, unreached_style, drive_time_zones_style,
                     settlement_times_style):
            make()


if __name__ == "__main__":
    main()
