"""Street names on the large-scale maps: the roads layer's names along the line, haloed,
one label per street rather than per segment, never over another label, and only at
the scales ``maps.toml [street_labels]`` allows (the 1:10000 subdistrict maps)."""
from __future__ import annotations

from qgis.core import (
    QgsLabeling,
    QgsPalLayerSettings,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor

from ..core.map_specs import maps_config
from .layout_parts import text_format, with_halo


def labels_streets(key: str) -> bool:
    """Whether the layer of this map key carries the street names."""
    return key == maps_config()["street_labels"]["layer"]


def add_street_labels(layer: QgsVectorLayer) -> None:
    """Label ``layer`` with its street names (nothing when it has no name field)."""
    spec = maps_config()["street_labels"]
    if spec["field"] not in layer.fields().names():
        return
    settings = QgsPalLayerSettings()
    settings.fieldName = spec["field"]
    settings.placement = QgsPalLayerSettings.Placement.Curved  # along the street, bends included
    line = settings.lineSettings()
    line.setMergeLines(True)  # a street is many segments: one name per stretch, not per segment
    line.setPlacementFlags(QgsLabeling.LinePlacementFlag.OnLine)
    settings.setLineSettings(line)
    settings.repeatDistance = float(spec["repeat_mm"])
    settings.repeatDistanceUnit = QgsUnitTypes.RenderUnit.RenderMillimeters
    settings.priority = int(spec["priority"])
    settings.scaleVisibility = True
    settings.minimumScale = float(spec["up_to_scale"])  # QGIS: the most zoomed-out scale shown
    settings.maximumScale = 0.0
    colour = QColor(*(int(v) for v in str(spec["colour"]).split(",")))
    settings.setFormat(with_halo(text_format(float(spec["size_pt"]), color=colour), float(spec["halo_mm"]),
                                 QColor(255, 255, 255, 235)))
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)
