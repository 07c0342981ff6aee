"""Write the QGIS styles (QML) of the 重大风险隐患分布平面图 into styles/.

``hazard_sites_by_scale``: every hazard site by kind (the colours and shapes of the
hazard-site style) and by scale (symbol size from small to huge, with a size key),
labelled with the people it threatens on township maps; ``major_hazard_zones``: the
safety distance around a major hazard installation as a red dashed ring over a faint
hatch, so it does not hide the layers below.
Usage:
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_ledger_styles.py
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsFillSymbol,
    QgsLinePatternFillSymbolLayer,
    QgsLineSymbol,
    QgsPalLayerSettings,
    QgsProperty,
    QgsSingleSymbolRenderer,
    QgsSymbolLayer,
    QgsTextBufferSettings,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor  # noqa: E402

from hunchun_risk_plugin.headless import qgis_session  # noqa: E402
from hunchun_risk_plugin.core import definitions as defs  # noqa: E402
from make_styles import HAZARD_COLORS, HAZARD_SHAPES, bilingual, categorized, marker, text_format  # noqa: E402

STYLES = ROOT / "styles"
SIZE_MM = (2.4, 5.6)  # smallest (small) and largest (huge) symbol
TOWNSHIP_LABELS_FROM = 150000  # labels of threatened people on 1:50000 pages, not on the 1:250000 city map


def _size_expression() -> str:
    """Symbol size in mm from the domain's weight of each scale class (1 small … 4 huge),
    linear from SIZE_MM[0] to SIZE_MM[1]; an unknown scale draws as small."""
    scales = defs.hazard_site_scales()
    low, high = min(s["weight"] for s in scales.values()), max(s["weight"] for s in scales.values())
    size = {key: SIZE_MM[0] + (spec["weight"] - low) / (high - low) * (SIZE_MM[1] - SIZE_MM[0])
            for key, spec in scales.items()}
    cases = " ".join(f"WHEN '{key}' THEN {mm:.2f}" for key, mm in size.items())
    return f'CASE "scale" {cases} ELSE {SIZE_MM[0]} END'


def style_hazard_sites_by_scale(layer: QgsVectorLayer) -> None:
    size = QgsProperty.fromExpression(_size_expression())
    classes = []
    for key, spec in defs.hazard_site_kinds().items():
        symbol = marker(HAZARD_SHAPES.get(key, "diamond"), HAZARD_COLORS.get(key, "#999999"), SIZE_MM[0], "#ffffff")
        symbol.symbolLayer(0).setStrokeWidth(0.35)
        if key != "major_hazard_installation":  # no scale class: always large, as on the hazard-site style
            symbol.symbolLayer(0).setDataDefinedProperty(QgsSymbolLayer.Property.PropertySize, size)
        else:
            symbol.setSize(4.2)
        classes.append((key, bilingual(spec), symbol))
    layer.setRenderer(categorized("kind", classes))
    settings = QgsPalLayerSettings()
    settings.fieldName = "if(\"threatened_people\" > 0, format_number(\"threatened_people\", 0) || '人', '')"
    settings.isExpression = True
    fmt = text_format(6.5, "#7a0000", True)
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.7)
    buffer.setColor(QColor(255, 255, 255))
    fmt.setBuffer(buffer)
    settings.setFormat(fmt)
    settings.placement = QgsPalLayerSettings.Placement.OrderedPositionsAroundPoint
    settings.scaleVisibility = True
    settings.minimumScale = TOWNSHIP_LABELS_FROM  # most zoomed-out scale shown
    settings.maximumScale = 1.0
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def style_major_hazard_zones(layer: QgsVectorLayer) -> None:
    hatch = QgsLinePatternFillSymbolLayer()
    hatch.setLineAngle(45)
    hatch.setDistance(2.0)
    hatch.setSubSymbol(QgsLineSymbol.createSimple({"line_color": "215,25,28,90", "line_width": "0.2"}))
    symbol = QgsFillSymbol.createSimple({"style": "no", "outline_color": "215,25,28", "outline_width": "0.6",
                                         "outline_style": "dash"})
    symbol.insertSymbolLayer(0, hatch)
    layer.setRenderer(QgsSingleSymbolRenderer(symbol))


def main() -> int:
    with qgis_session():
        for name, geometry, fields, make in (
                ("hazard_sites_by_scale", "Point",
                 "field=kind:string&field=scale:string&field=threatened_people:integer",
                 style_hazard_sites_by_scale),
                ("major_hazard_zones", "Polygon", "field=name:string&field=distance_m:double",
                 style_major_hazard_zones)):
            layer = QgsVectorLayer(f"{geometry}?crs=EPSG:4511&{fields}", name, "memory")
            make(layer)
            path = STYLES / f"{name}.qml"
            message, ok = layer.saveNamedStyle(str(path))
            if not ok:
                raise RuntimeError(message)
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
