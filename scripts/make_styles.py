#!/usr/bin/env python3
"""Write the QML styles in styles/ for the sample layers (run after make_sample_data.py).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_styles.py [--layers layers] [--out styles]

Each style is built with the QGIS API on the layer itself and saved with
``saveNamedStyle``, so the files are exactly what this QGIS (3.22) reads back. Class
labels and colours come from core/data/domain.toml; category labels are bilingual.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (  # noqa: E402
    QgsBilinearRasterResampler,
    QgsCategorizedSymbolRenderer,
    QgsColorRampShader,
    QgsFeatureRequest,
    QgsFillSymbol,
    QgsLinePatternFillSymbolLayer,
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsRasterLayer,
    QgsRasterShader,
    QgsRendererCategory,
    QgsSingleBandPseudoColorRenderer,
    QgsSimpleLineSymbolLayer,
    QgsSingleSymbolRenderer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import Qt  # noqa: E402
from qgis.PyQt.QtGui import QColor, QFont  # noqa: E402

from hunchun_risk_plugin.headless import qgis_session  # noqa: E402
from hunchun_risk_plugin.core import definitions as defs  # noqa: E402

FONT = "WenQuanYi Micro Hei"  # see core/data/maps.toml [fonts]


def text_format(size: float, color: str = "#202020", bold: bool = False, italic: bool = False) -> QgsTextFormat:
    fmt = QgsTextFormat()
    font = QFont(FONT)
    font.setBold(bold)
    font.setItalic(italic)
    fmt.setFont(font)
    fmt.setSize(size)
    fmt.setColor(QColor(color))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.8)
    buffer.setColor(QColor(255, 255, 255, 220))
    fmt.setBuffer(buffer)
    return fmt


def labels(layer: QgsVectorLayer, field: str, size: float, color: str = "#202020", bold: bool = False,
           italic: bool = False, max_scale_denominator: float = 0.0, line: bool = False) -> None:
    settings = QgsPalLayerSettings()
    settings.fieldName = field
    settings.setFormat(text_format(size, color, bold, italic))
    if line:
        settings.placement = QgsPalLayerSettings.Placement.Curved
    if max_scale_denominator:
        settings.scaleVisibility = True
        settings.minimumScale = max_scale_denominator  # most zoomed-out scale shown
        settings.maximumScale = 1.0
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def marker(shape: str, color: str, size: float, outline: str = "#333333") -> QgsMarkerSymbol:
    return QgsMarkerSymbol.createSimple({"name": shape, "color": color, "size": str(size),
                                         "outline_color": outline, "outline_width": "0.2"})


def line(color: str, width: float, style: str = "solid") -> QgsLineSymbol:
    return QgsLineSymbol.createSimple({"line_color": color, "line_width": str(width), "line_style": style,
                                       "capstyle": "round", "joinstyle": "round"})


def fill(color: str, outline: str, outline_width: float = 0.26, style: str = "solid",
         outline_style: str = "solid") -> QgsFillSymbol:
    return QgsFillSymbol.createSimple({"color": color, "style": style, "outline_color": outline,
                                       "outline_width": str(outline_width), "outline_style": outline_style})


def categorized(field: str, classes: list[tuple[object, str, object]]) -> QgsCategorizedSymbolRenderer:
    """classes: (value, label, symbol)."""
    return QgsCategorizedSymbolRenderer(field, [QgsRendererCategory(v, sym, lab) for v, lab, sym in classes])


def bilingual(spec: dict) -> str:
    return f"{spec['zh']} {spec['en']}"


# ---------------------------------------------------------------------------------


CASING = "#ffffff"  # every point symbol sits in a white casing, so it reads on any class colour
CASING_MM = 0.45


def cased_marker(shape: str, color: str, size: float) -> QgsMarkerSymbol:
    """A point symbol told apart by its shape (>= 3 mm) and kept off the fills by a white casing."""
    return QgsMarkerSymbol.createSimple({"name": shape, "color": color, "size": str(size), "outline_color": CASING,
                                         "outline_width": str(CASING_MM), "outline_width_unit": "MM"})


def style_townships(layer: QgsVectorLayer) -> None:
    # township boundaries: a grey dash-dot, below the city boundary and the national boundary in weight
    boundary = fill("255,255,255,0", "#5a5a5a", 0.4, style="no", outline_style="dash dot")
    layer.setRenderer(QgsSingleSymbolRenderer(boundary))
    labels(layer, "name", 11, "#3c3c3c", bold=True)


def style_settlements(layer: QgsVectorLayer) -> None:
    # dark, cased dots: red would vanish on the red high-risk class
    layer.setRenderer(categorized("kind", [
        ("community", "社区 Community", cased_marker("circle", "#1f1f1f", 2.2)),
        ("village", "村 Village", cased_marker("circle", "#5a5a5a", 1.7)),
    ]))
    labels(layer, "name", 7.5, "#303030", max_scale_denominator=120000)


# Shelters: the green of the 应急避难场所 sign, dark enough to stand on the green classes
SHELTER_COLORS = {"emergency": "#41ab5d", "fixed_short": "#238b45", "fixed_medium": "#006d2c",
                  "fixed_long": "#00441b", "central": "#00441b"}


def style_shelters(layer: QgsVectorLayer) -> None:
    layer.setRenderer(categorized("kind", [
        (key, bilingual(spec),
         cased_marker("square", SHELTER_COLORS.get(key, "#006d2c"), 4.0 if key == "central" else 3.2))
        for key, spec in defs.shelter_kinds().items()
    ]))
    labels(layer, "name", 7.5, "#00441b", max_scale_denominator=80000)


DEPOT_COLOR = "#5c3306"  # relief depots: the same brown triangle on every kind of map


def style_depots(layer: QgsVectorLayer) -> None:
    sizes = {"city": 4.5, "township": 3.6, "village": 3.0}
    layer.setRenderer(categorized("level", [
        (key, bilingual(spec), cased_marker("triangle", DEPOT_COLOR, sizes.get(key, 3.2)))
        for key, spec in defs.domain()["depot_levels"].items()
    ]))
    labels(layer, "name", 7.5, "#5c3306", max_scale_denominator=80000)


# Hazard sites: one shape per kind, in dark colours that no class fill uses
HAZARD_STYLE = {  # shape, colour
    "landslide": ("equilateral_triangle", "#7f2704"), "collapse": ("diamond", "#67001f"),
    "debris_flow": ("hexagon", "#3f007d"), "ground_subsidence": ("octagon", "#4d4d4d"),
    "waterlogging": ("circle", "#08306b"), "major_hazard_installation": ("star", "#000000"),
    "tailings_pond": ("cross_fill", "#252525"),
}


def style_hazard_sites(layer: QgsVectorLayer) -> None:
    layer.setRenderer(categorized("kind", [
        (key, bilingual(spec), cased_marker(*HAZARD_STYLE.get(key, ("diamond", "#404040")),
                                            4.2 if key == "major_hazard_installation" else 3.2))
        for key, spec in defs.hazard_site_kinds().items()
    ]))


ROAD_STYLE = {  # core colour, core width, casing width (mm): neutral greys, so no class colour is mistaken for a road
    "expressway": ("#303030", 1.2, 1.9), "national": ("#464646", 0.95, 1.6), "provincial": ("#5e5e5e", 0.8, 1.4),
    "county": ("#747474", 0.6, 1.1), "township": ("#8a8a8a", 0.42, 0.85), "village": ("#a0a0a0", 0.28, 0.6),
    "urban": ("#6a6a6a", 0.32, 0.7),
}


def cased_road(core: str, width: float, casing: float, rank: int, inner: bool = False) -> QgsLineSymbol:
    """A road in a white casing; the expressway also gets a light centre (a double line).
    Symbol levels: every casing first (pass 0), then the cores by ``rank`` (minor roads
    low), so junctions join cleanly and main roads stay on top."""
    colours = [(CASING, casing), (core, width)] + ([("#e8e8e8", width * 0.35)] if inner else [])
    symbol = QgsLineSymbol.createSimple({"line_color": CASING, "line_width": str(casing), "capstyle": "round",
                                         "joinstyle": "round"})
    for colour, stroke in colours[1:]:
        symbol.appendSymbolLayer(QgsSimpleLineSymbolLayer(QColor(colour), stroke))
    for index in range(symbol.symbolLayerCount()):
        layer = symbol.symbolLayer(index)
        layer.setRenderingPass(0 if index == 0 else 1 + rank * 3 + index)
        if index:
            layer.setPenCapStyle(Qt.PenCapStyle.RoundCap)
            layer.setPenJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return symbol


def style_roads(layer: QgsVectorLayer) -> None:
    classes = list(defs.road_classes())
    rank = {key: len(classes) - i for i, key in enumerate(classes)}  # the domain lists the main roads first
    renderer = categorized("road_class", [
        (key, bilingual(spec),
         cased_road(*ROAD_STYLE.get(key, ("#999999", 0.3, 0.6)), rank[key], inner=key == "expressway"))
        for key, spec in defs.road_classes().items()
    ])
    renderer.setUsingSymbolLevels(True)
    layer.setRenderer(renderer)


def style_rivers(layer: QgsVectorLayer) -> None:
    layer.setRenderer(QgsSingleSymbolRenderer(line("#2b7bba", 0.7)))
    labels(layer, "name", 8.5, "#1f5c99", italic=True, line=True)


def style_fire_stations(layer: QgsVectorLayer) -> None:
    layer.setRenderer(QgsSingleSymbolRenderer(cased_marker("pentagon", "#d7191c", 3.6)))
    labels(layer, "name", 8, "#b00000", bold=True)


def style_seismic_zones(layer: QgsVectorLayer) -> None:
    layer.setRenderer(categorized("pga_g", [
        (0.05, "0.05 g (Ⅵ度 intensity VI)", fill("255,237,160,90", "#d8b365", 0.3)),
        (0.10, "0.10 g (Ⅶ度 intensity VII)", fill("253,141,60,90", "#d8b365", 0.3)),
    ]))


def hatched(background: str, color: str, spacing: float, angle: float = 45.0) -> QgsFillSymbol:
    """A pale fill under a blue hatch: the zones stay readable under routes and labels."""
    symbol = fill(background, color, 0.2)
    pattern = QgsLinePatternFillSymbolLayer()
    pattern.setLineAngle(angle)
    pattern.setDistance(spacing)
    pattern.setLineWidth(0.18)
    pattern.setColor(QColor(color))
    symbol.appendSymbolLayer(pattern)
    return symbol


def style_flood_zones(layer: QgsVectorLayer) -> None:
    # hatched, denser for the more frequent floods: on evacuation maps they sit under the
    # routes, which a solid blue would swallow
    renderer = categorized("return_period_years", [
        (10, "10年一遇 10-year", hatched("198,219,239,150", "#2171b5", 1.2)),
        (50, "50年一遇 50-year", hatched("222,235,247,120", "#4292c6", 2.0)),
        (100, "100年一遇 100-year", hatched("239,243,255,100", "#6baed6", 3.0)),
    ])
    # 100-year underneath, 10-year on top.
    renderer.setOrderBy(QgsFeatureRequest.OrderBy([QgsFeatureRequest.OrderByClause("return_period_years", False)]))
    renderer.setOrderByEnabled(True)
    layer.setRenderer(renderer)


def pseudocolor(layer: QgsRasterLayer, stops: list[tuple[float, str, str]]) -> None:
    ramp = QgsColorRampShader(stops[0][0], stops[-1][0])
    ramp.setColorRampType(QgsColorRampShader.Type.Interpolated)
    ramp.setColorRampItemList([QgsColorRampShader.ColorRampItem(v, QColor(c), lab) for v, c, lab in stops])
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(ramp)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
    renderer.setClassificationMin(stops[0][0])
    renderer.setClassificationMax(stops[-1][0])
    layer.setRenderer(renderer)
    # Smooth when zoomed past the cell size (nearest neighbour looks blocky).
    layer.resampleFilter().setZoomedInResampler(QgsBilinearRasterResampler())
    layer.resampleFilter().setZoomedOutResampler(QgsBilinearRasterResampler())


def style_dem(layer: QgsRasterLayer) -> None:
    # Terrain colours, light enough to sit over (or under) a hillshade.
    pseudocolor(layer, [
        (0, "#5d9e5a", "0 m"), (50, "#8cbf6d", "50 m"), (150, "#c5dc8c", "150 m"), (300, "#eee8aa", "300 m"),
        (500, "#dcc38c", "500 m"), (800, "#c09a6b", "800 m"), (1100, "#a07a5a", "1100 m"), (1480, "#f5f5f5", "1480 m"),
    ])


def style_forest(layer: QgsRasterLayer) -> None:
    pseudocolor(layer, [
        # "#00ffffff" is Qt's #AARRGGBB: fully transparent where there is no forest.
        (0.0, "#00ffffff", "0"), (0.3, "#c7e9c0", "0.3"), (0.6, "#74c476", "0.6"), (1.0, "#00441b", "1.0"),
    ])
    layer.renderer().setOpacity(0.7)


VECTOR_STYLES: dict[str, Callable[[QgsVectorLayer], None]] = {
    "townships": style_townships, "settlements": style_settlements, "shelters": style_shelters,
    "depots": style_depots, "hazard_sites": style_hazard_sites, "roads": style_roads, "rivers": style_rivers,
    "fire_stations": style_fire_stations, "seismic_zones": style_seismic_zones, "flood_zones": style_flood_zones,
}
RASTER_STYLES: dict[str, Callable[[QgsRasterLayer], None]] = {"dem": style_dem, "forest": style_forest}


def write_styles(layers_dir: Path, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    gpkg = layers_dir / "hunchun_sample.gpkg"
    for name, make in VECTOR_STYLES.items():
        layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
        if not layer.isValid():
            raise RuntimeError(f"cannot open {name} in {gpkg}")
        make(layer)
        written.append(_save(layer, out_dir / f"{name}.qml"))
    for name, make in RASTER_STYLES.items():
        layer = QgsRasterLayer(str(layers_dir / f"{name}.tif"), name, "gdal")
        if not layer.isValid():
            raise RuntimeError(f"cannot open {name}.tif in {layers_dir}")
        make(layer)
        written.append(_save(layer, out_dir / f"{name}.qml"))
    return written


def _save(layer, path: Path) -> Path:
    message, ok = layer.saveNamedStyle(str(path))
    if not ok:
        raise RuntimeError(f"could not save {path}: {message}")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--layers", default=str(ROOT / "layers"))
    parser.add_argument("--out", default=str(ROOT / "styles"))
    args = parser.parse_args(argv)
    with qgis_session():
        for path in write_styles(Path(args.layers), Path(args.out)):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
