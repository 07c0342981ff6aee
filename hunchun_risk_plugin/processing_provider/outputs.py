"""Output helpers shared by the algorithms: styles applied when Processing loads an
output, and provenance records written beside the outputs."""
from __future__ import annotations

import json
from pathlib import Path

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingUtils,
)

from ..core.provenance import build_record, write_record
from ..paths import style_for

# Post-processors must outlive processAlgorithm: QGIS calls them later and does not
# own them. One per style file is enough, so the list stays small.
_POST_PROCESSORS: dict[str, LoadStyle] = {}


class LoadStyle(QgsProcessingLayerPostProcessorInterface):
    """Applies a QML style to an output layer when Processing loads it into the project."""

    def __init__(self, qml: Path) -> None:
        super().__init__()
        self.qml = qml

    def postProcessLayer(self, layer, context, feedback):
        if layer is not None and self.qml.exists():
            layer.loadNamedStyle(str(self.qml))
            layer.triggerRepaint()


def style_processor(style_name: str) -> LoadStyle:
    """The (shared) post-processor that applies ``styles/<style_name>.qml``."""
    if style_name not in _POST_PROCESSORS:
        _POST_PROCESSORS[style_name] = LoadStyle(style_for(style_name))
    return _POST_PROCESSORS[style_name]


def style_output_on_load(context: QgsProcessingContext, layer_id: str, style_name: str) -> None:
    """Style output ``layer_id`` with ``styles/<style_name>.qml`` when it is loaded."""
    if not layer_id or not context.willLoadLayerOnCompletion(layer_id):
        return
    context.layerToLoadOnCompletionDetails(layer_id).setPostProcessor(style_processor(style_name))


def provenance_path(algorithm, parameters, name: str, context, default_name: str) -> str:
    path = algorithm.parameterAsFileOutput(parameters, name, context)
    return path or QgsProcessingUtils.generateTempFilename(default_name)


def plain_parameters(parameters: dict) -> dict:
    """Parameters as JSON-friendly values (layers by their source)."""
    out = {}
    for key, value in parameters.items():
        if isinstance(value, QgsProcessingFeatureSourceDefinition):  # source is a QgsProperty here
            value = f"{value.source.staticValue()}{' (selected features only)' if value.selectedFeaturesOnly else ''}"
        elif hasattr(value, "source"):
            value = value.source()
        try:
            json.dumps(value)
        except TypeError:
            value = str(value)
        out[key] = value
    return out


def write_provenance(path: str | Path, tool: str, parameters: dict, inputs: dict, extra: dict) -> str:
    return str(write_record(build_record(tool, plain_parameters(parameters), inputs, extra), path))
