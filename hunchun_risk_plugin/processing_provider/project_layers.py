"""The QGIS side of the layer matcher (``core/layer_matching.py``) and of the output
folders: the project layers that are the schema's inputs, and where a run's outputs go
by default. Used by the algorithm dialogs, the plugin's menu actions and the dock."""
from __future__ import annotations

from pathlib import Path

from qgis.core import QgsMapLayer, QgsProcessingUtils, QgsProject, QgsWkbTypes

from ..core.layer_matching import LayerFacts, match_layers
from ..core.schema import census_input

_GEOMETRY = {QgsWkbTypes.GeometryType.PointGeometry: "point", QgsWkbTypes.GeometryType.LineGeometry: "line",
             QgsWkbTypes.GeometryType.PolygonGeometry: "polygon"}
SETTINGS_SCOPE = "hunchun_risk"  # QgsProject.writeEntry scope of the plugin's per-project settings


def facts_of(layer: QgsMapLayer) -> LayerFacts | None:
    """What the matcher needs of ``layer`` (None for a layer it cannot use)."""
    if layer.type() == QgsMapLayer.LayerType.RasterLayer:
        return LayerFacts(layer.id(), layer.name(), layer.shortName(), None, frozenset(), True)
    if layer.type() == QgsMapLayer.LayerType.VectorLayer and layer.isSpatial():
        geometry = _GEOMETRY.get(layer.geometryType())
        return LayerFacts(layer.id(), layer.name(), layer.shortName(), geometry,
                          frozenset(f.name() for f in layer.fields()), False)
    return None


def project_layer_facts(project: QgsProject) -> list[LayerFacts]:
    """The project's usable layers in layer tree order (the order a user sees)."""
    ordered = [node.layer() for node in project.layerTreeRoot().findLayers() if node.layer() is not None]
    ordered += [layer for layer in project.mapLayers().values() if layer not in ordered]
    return [facts for facts in map(facts_of, ordered) if facts is not None]


def matched_layers(project: QgsProject) -> dict[str, QgsMapLayer]:
    """Schema input name ('townships') -> the project layer that is it."""
    return {name: project.mapLayer(layer_id) for name, layer_id in match_layers(project_layer_facts(project)).items()}


def layer_defaults(parameters: dict[str, str], project: QgsProject) -> dict[str, str]:
    """Parameter -> layer id for ``parameters`` (parameter -> schema input name); the
    parameters nothing matches are left out."""
    found = match_layers(project_layer_facts(project), [census_input(n) for n in set(parameters.values())])
    return {parameter: found[name] for parameter, name in parameters.items() if name in found}


def default_output_folder(project: QgsProject, alg_id: str) -> str | None:
    """Where ``alg_id`` writes by default: the folder last chosen for it in this project,
    else a folder beside the saved project, else None (Processing's temporary folder)."""
    remembered, ok = project.readEntry(SETTINGS_SCOPE, f"output_folder/{alg_id}", "")
    if ok and remembered and Path(remembered).parent.is_dir():
        return remembered
    beside = results_beside_project(project)
    return str(Path(beside) / alg_id) if beside else None


def results_beside_project(project: QgsProject) -> str | None:
    """``<project folder>/<project name>_hunchun_risk`` for a saved project, else None."""
    if not project.fileName():
        return None
    return str(Path(project.absolutePath()) / f"{project.baseName() or 'project'}_hunchun_risk")


def remember_output_folder(project: QgsProject, alg_id: str, folder: str) -> None:
    """Keep ``folder`` as ``alg_id``'s default in this project (not a temporary one)."""
    if folder and not is_temporary(folder):
        project.writeEntry(SETTINGS_SCOPE, f"output_folder/{alg_id}", folder)


def is_temporary(folder: str) -> bool:
    """Inside Processing's temporary folder, which QGIS deletes on exit."""
    if not folder or folder == "TEMPORARY_OUTPUT":
        return True
    return Path(folder).resolve().is_relative_to(Path(QgsProcessingUtils.tempFolder()).resolve())
