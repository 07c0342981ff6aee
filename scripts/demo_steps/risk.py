"""The risk-zoning part of `make demo`: both scales on the sample data, plus PNG
previews of the class maps. Called by scripts/demo.py with QGIS and the provider
already initialised.

The city runs at its default 100 m cells and the township scale at its default 25 m
for every township in turn (about 2 minutes together on two cores); the township
results are per-township files plus mosaics (.vrt) and merged tables.
"""
from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsRasterLayer,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

from hunchun_risk_plugin.core.layer_uri import layer_uri
from hunchun_risk_plugin.paths import sample_gpkg, sample_inputs, style_for

def sample_parameters(folder: Path, **extra) -> dict:
    """riskzoning parameters for the sample dataset, output into ``folder``."""
    return {**sample_inputs(), "OUTPUT_FOLDER": str(folder), **extra}


def run_risk_demo(output_folder: Path) -> dict:
    """Run the city and township scales into ``output_folder``/city and /townships;
    returns the results by run name (each with a ``PREVIEW`` PNG of the classes)."""
    import processing

    output_folder = Path(output_folder)
    runs = {"city": sample_parameters(output_folder / "city", SCALE=0),
            "townships": sample_parameters(output_folder / "townships", SCALE=1, TOWNSHIP="")}
    results = {}
    for run, params in runs.items():
        result = processing.run("hunchunrisk:riskzoning", params)
        preview = Path(params["OUTPUT_FOLDER"]) / "risk_class_preview.png"
        render_preview(result["RISK_CLASS"], preview)
        results[run] = {**result, "PREVIEW": str(preview)}
    return results


def render_preview(raster: str, png: Path, width: int = 1400,
                   extra_layers: tuple[str, ...] = ("rivers", "townships")) -> Path:
    """A quick PNG of a styled class raster under the sample rivers and township
    boundaries (for checking the result by eye; the printed maps are layouts)."""
    base = QgsRasterLayer(raster, "risk")
    layers = []
    for name in extra_layers:
        layer = QgsVectorLayer(layer_uri(sample_gpkg(), name), name, "ogr")
        if layer.isValid():
            if style_for(name).exists():
                layer.loadNamedStyle(str(style_for(name)))
            if name == "townships":  # outlines only, so the classes show through
                symbol = layer.renderer().symbol() if hasattr(layer.renderer(), "symbol") else None
                if symbol is not None:
                    symbol.setColor(QColor(0, 0, 0, 0))
            layers.append(layer)
    extent = QgsRectangle(base.extent())
    extent.grow(max(extent.width(), extent.height()) * 0.02)
    settings = QgsMapSettings()
    settings.setLayers(layers + [base])
    settings.setDestinationCrs(base.crs())
    settings.setExtent(extent)
    height = int(width * extent.height() / extent.width())
    settings.setOutputSize(QSize(width, height))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    job.renderedImage().save(str(png), "PNG")
    return png
