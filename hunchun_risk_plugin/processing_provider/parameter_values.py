"""Parameter values as plain JSON-friendly data, for the provenance record of a run."""
from __future__ import annotations

import json

from qgis.core import QgsProcessingFeatureSourceDefinition


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
