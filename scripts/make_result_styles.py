"""Write the QGIS styles (QML) of the analysis results into styles/.

Colours and labels come from core/data/domain.toml, so the styles follow the domain
definitions; run again after changing them. Usage:
    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_result_styles.py
Each result style is made by one function below; add new results' styles here too.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import rasterio  # noqa: E402
from qgis.core import (  # noqa: E402
    QgsCategorizedSymbolRenderer,
    QgsColorRampShader,
    QgsFillSymbol,
    QgsPalettedRasterRenderer,
    QgsRasterLayer,
    QgsRasterShader,
    QgsRendererCategory,
    QgsSingleBandPseudoColorRenderer,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QColor  # noqa: E402
from rasterio.transform import from_origin  # noqa: E402

from hunchun_risk_plugin.headless import qgis_session  # noqa: E402
from hunchun_risk_plugin.core.definitions import ClassDef, prevention_zones, risk_classes  # noqa: E402

STYLES = ROOT / "styles"


def _label(c: ClassDef) -> str:
    return f"{c.zh} {c.en}"


def _tiny_raster(folder: Path, dtype: str) -> QgsRasterLayer:
    path = folder / f"tiny_{dtype}.tif"
    with rasterio.open(path, "w", driver="GTiff", width=2, height=2, count=1, dtype=dtype, crs="EPSG:4511",
                       transform=from_origin(0, 2, 1, 1), nodata=0) as dst:
        dst.write(np.ones((1, 2, 2), dtype=dtype))
    layer = QgsRasterLayer(str(path), "tiny")
    assert layer.isValid()
    return layer


def risk_index_style(folder: Path) -> None:
    """Continuous 0–1 index: the five class colours as an interpolated ramp."""
    layer = _tiny_raster(folder, "float32")
    classes = risk_classes()
    items = [QgsColorRampShader.ColorRampItem(i / (len(classes) - 1), QColor(*c.color), _label(c))
             for i, c in enumerate(classes)]
    ramp = QgsColorRampShader(0.0, 1.0)
    ramp.setColorRampType(QgsColorRampShader.Type.Interpolated)
    ramp.setColorRampItemList(items)
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(ramp)
    renderer = QgsSingleBandPseudoColorRenderer(layer.dataProvider(), 1, shader)
    renderer.setClassificationMin(0.0)
    renderer.setClassificationMax(1.0)
    layer.setRenderer(renderer)
    layer.saveNamedStyle(str(STYLES / "risk_index.qml"))


def paletted_style(folder: Path, classes: list[ClassDef], name: str) -> None:
    layer = _tiny_raster(folder, "uint8")
    entries = [QgsPalettedRasterRenderer.Class(c.value, QColor(*c.color), _label(c)) for c in reversed(classes)]
    layer.setRenderer(QgsPalettedRasterRenderer(layer.dataProvider(), 1, entries))
    layer.saveNamedStyle(str(STYLES / f"{name}.qml"))


def categorized_style(classes: list[ClassDef], name: str, field: str = "class") -> None:
    layer = QgsVectorLayer(f"MultiPolygon?crs=EPSG:4511&field={field}:integer", "tiny", "memory")
    categories = []
    for c in reversed(classes):
        symbol = QgsFillSymbol.createSimple({"color": ",".join(map(str, c.color)) + ",255",
                                             "outline_color": "110,110,110,255", "outline_width": "0.1"})
        categories.append(QgsRendererCategory(c.value, symbol, _label(c)))
    layer.setRenderer(QgsCategorizedSymbolRenderer(field, categories))
    layer.saveNamedStyle(str(STYLES / f"{name}.qml"))


def main() -> int:
    STYLES.mkdir(exist_ok=True)
    with qgis_session(), tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        risk_index_style(folder)
        paletted_style(folder, risk_classes(), "risk_class")
        paletted_style(folder, prevention_zones(), "risk_prevention_class")
        categorized_style(risk_classes(), "risk_zones")
        categorized_style(prevention_zones(), "prevention_zones")
        categorized_style(risk_classes(), "risk_township_stats", field="dominant_class")
    print("styles: risk_index, risk_class, risk_prevention_class, risk_zones, prevention_zones, risk_township_stats")
    return 0


if __name__ == "__main__":
    sys.exit(main())
