"""Shared output helpers of the algorithms."""
from __future__ import annotations

from qgis.core import QgsProcessingFeatureSourceDefinition, QgsVectorLayer

from hunchun_risk_plugin.processing_provider.parameter_values import plain_parameters


def test_plain_parameters_names_sources_and_the_selection(sample_gpkg):
    layer = QgsVectorLayer(f"{sample_gpkg}|layername=roads", "roads", "ogr")
    plain = plain_parameters({
        "SELECTED": QgsProcessingFeatureSourceDefinition("/data/townships.gpkg", True),
        "WHOLE": QgsProcessingFeatureSourceDefinition("/data/roads.gpkg", False),
        "LAYER": layer, "NUMBER": 3, "LIST": [0, 2],
    })
    assert plain == {"SELECTED": "/data/townships.gpkg (selected features only)", "WHOLE": "/data/roads.gpkg",
                     "LAYER": f"{sample_gpkg}|layername=roads", "NUMBER": 3, "LIST": [0, 2]}
