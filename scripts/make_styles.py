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
    QgsLineSymbol,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsRasterLayer,
    QgsRasterShader,
    QgsRendererCategory,
    QgsSingleBandPseudoColorRenderer,
    QgsSingleSymbolRenderer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
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


def style_townships(layer: QgsVectorLayer) -> None:
    layer.setRenderer(QgsSingleSymbolRenderer(fill("255,255,255,0", "#7a1f7a", 0.5, style="no", outline_style="dash")))
    labels(layer, "name", 11, "#5a105a", bold=True)


def style_settlements(layer: QgsVectorLayer) -> None:
    layer.setRenderer(categorized("kind", [
        ("community", "社区 Community", marker("circle", "#d7301f", 1.8, "#ffffff")),
        ("village", "村 Village", marker("circle", "#404040", 1.4, "#ffffff")),
    ]))
    labels(layer, "name", 7.5, "#303030", max_scale_denominator=120000)


SHELTER_COLORS = {"emergency": "#a6d96a", "fixed_short": "#66bd63", "fixed_medium": "#1a9850",
                  "fixed_long": "#006837", "central": "#2b83ba"}


def style_shelters(layer: QgsVectorLayer) -> None:
    layer.setRenderer(categorized("kind", [
        (key, bilingual(spec), marker("square", SHELTER_COLORS.get(key, "#4daf4a"), 3.0 if key == "central" else 2.4))
        for key, spec in defs.shelter_kinds().items()
    ]))
    labels(layer, "name", 7.5, "#1a5e20", max_scale_denominator=80000)


def style_depots(layer: QgsVectorLayer) -> None:
    sizes = {"city": 4.0, "township": 3.0, "village": 2.2}
    layer.setRenderer(categorized("level", [
        (key, bilingual(spec), marker("triangle", "#8c510a", sizes.get(key, 2.5), "#ffffff"))
        for key, spec in defs.domain()["depot_levels"].items()
    ]))
    labels(layer, "name", 7.5, "#5c3306", max_scale_denominator=80000)


HAZARD_COLORS = {"landslide": "#e66101", "collapse": "#b2182b", "debris_flow": "#8073ac",
                 "ground_subsidence": "#7f3b08", "waterlogging": "#2166ac",
                 "major_hazard_installation": "#e41a1c", "tailings_pond": "#636363"}
HAZARD_SHAPES = {"major_hazard_installation": "star", "tailings_pond": "pentagon", "waterlogging": "circle"}


def style_hazard_sites(layer: QgsVectorLayer) -> None:
    layer.setRenderer(categorized("kind", [
        (key, bilingual(spec), marker(HAZARD_SHAPES.get(key, "diamond"), HAZARD_COLORS.get(key, "#999999"),
                                      4.0 if key == "major_hazard_installation" else 2.4, "#ffffff"))
        for key, spec in defs.hazard_site_kinds().items()
    ]))


ROAD_STYLE = {  # colour, width (mm)
    "expressway": ("#1a9641", 1.3), "national": ("#d7191c", 1.0), "provincial": ("#f07c00", 0.85),
    "county": ("#c9a100", 0.65), "township": ("#7f7f7f", 0.45), "village": ("#a9a9a9", 0.3),
    "urban": ("#505050", 0.35),
}


def style_roads(layer: QgsVectorLayer) -> None:
    classes = defs.road_classes()
    renderer = categorized("road_class", [
        (key, bilingual(spec), line(*ROAD_STYLE.get(key, ("#999999", 0.3)))) for key, spec in classes.items()
    ])
    # Draw minor roads first so main roads stay on top.
    order = list(classes)
    rank = " ".join(f"WHEN '{key}' THEN {i}" for i, key in enumerate(order))
    renderer.setOrderBy(QgsFeatureRequest.OrderBy([QgsFeatureRequest.OrderByClause(f"CASE \"road_class\" {rank} END", False)]))
    renderer.setOrderByEnabled(True)
    layer.setRenderer(renderer)


def style_rivers(layer: QgsVectorLayer) -> None:
    layer.setRenderer(QgsSingleSymbolRenderer(line("#2b7bba", 0.7)))
    labels(layer, "name", 8.5, "#1f5c99", italic=True, line=True)


def style_fire_stations(layer: QgsVectorLayer) -> None:
    layer.setRenderer(QgsSingleSymbolRenderer(marker("star", "#ff0000", 4.5, "#ffffff")))
    labels(layer, "name", 8, "#b00000", bold=True)


def style_seismic_zones(layer: QgsVectorLayer) -> None:
    layer.setRenderer(categorized("pga_g", [
        (0.05, "0.05 g (Ⅵ度 intensity VI)", fill("255,237,160,90", "#d8b365", 0.3)),
        (0.10, "0.10 g (Ⅶ度 intensity VII)", fill("253,141,60,90", "#d8b365", 0.3)),
    ]))


def style_flood_zones(layer: QgsVectorLayer) -> None:
    renderer = categorized("return_period_years", [
        (10, "10年一遇 10-year", fill("8,81,156,150", "#08519c", 0.15)),
        (50, "50年一遇 50-year", fill("49,130,189,110", "#3182bd", 0.15)),
        (100, "100年一遇 100-year", fill("158,202,225,90", "#6baed6", 0.15)),
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
