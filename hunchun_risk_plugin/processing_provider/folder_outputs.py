"""The one output convention of the algorithms: every result is a file in the run's
output folder, written through a staging folder (nothing is left behind on failure or
cancel), declared as a Processing output, and loaded styled into the project when the
algorithm was run from a dialog (Processing decides: it asks the context)."""
from __future__ import annotations

import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import pyogrio
from pathlib import Path

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingOutputVectorLayer,
    QgsProject,
)

from ..core.staging import Stage
from ..i18n import tr
from ..paths import style_for


@dataclass(frozen=True)
class LayerOutput:
    key: str                # the Processing output name: "ROUTES"
    base: str               # file base name: <base>.gpkg, <base>.qml, <base>.csv
    style: str | None       # style name in styles/ (None = QGIS's default)
    en: str
    zh: str
    table: bool = False     # also written as UTF-8-with-BOM CSV (Excel reads the Chinese)

    @property
    def file_name(self) -> str:
        return f"{self.base}.gpkg"

    def label(self) -> str:
        return tr(self.en, self.zh)


def declare_layer_outputs(algorithm, outputs: Sequence[LayerOutput]) -> None:
    for output in outputs:
        algorithm.addOutput(QgsProcessingOutputVectorLayer(output.key, output.label()))


def write_layer_outputs(stage: Stage, outputs: Sequence[LayerOutput], frames: Mapping[str, gpd.GeoDataFrame]) -> None:
    """Each frame as <base>.gpkg with its style beside it (and the tables as CSV)."""
    for output in outputs:
        frame = frames[output.key]
        # pyogrio itself, not to_file: geopandas 0.14 would write through fiona when it is installed
        pyogrio.write_dataframe(frame, stage.path(output.file_name), layer=output.base, driver="GPKG")
        if output.style and style_for(output.style).exists():
            shutil.copyfile(style_for(output.style), stage.path(f"{output.base}.qml"))
        if output.table:
            frame.drop(columns=frame.geometry.name).to_csv(stage.path(f"{output.base}.csv"), index=False,
                                                           encoding="utf-8-sig")


def layer_output_results(stage: Stage, outputs: Sequence[LayerOutput], context: QgsProcessingContext,
                         group: str | None = None) -> dict[str, str]:
    """The final paths of the layers (call after the stage has moved into place), each
    queued to load styled into the project, in the layer tree group ``group``, when the
    run ends."""
    results = {}
    for output in outputs:
        path = str(stage.final_path(output.file_name))
        results[output.key] = path
        load_on_completion(context, path, output.label(), output.style, group)
    return results


def load_on_completion(context: QgsProcessingContext, path: str, name: str, style: str | None,
                       group: str | None = None) -> None:
    details = QgsProcessingContext.LayerDetails(name, context.project(), name)
    native_group = group is not None and hasattr(details, "groupName")  # QGIS >= 3.32 groups the layers itself
    if native_group:
        details.groupName = group
    if style or (group and not native_group):
        details.setPostProcessor(result_processor(style, None if native_group else group))
    context.addLayerToLoadOnCompletion(path, details)


class LoadStyle(QgsProcessingLayerPostProcessorInterface):
    """Applies a QML style to an output layer when Processing loads it into the project,
    and moves it into the run's group of the layer tree (QGIS 3.22's LayerDetails has no
    group of its own)."""

    def __init__(self, qml: Path | None, group: str | None = None) -> None:
        super().__init__()
        self.qml = qml
        self.group = group

    def postProcessLayer(self, layer, context, feedback):
        if layer is None:
            return
        if self.qml is not None and self.qml.exists():
            layer.loadNamedStyle(str(self.qml))
            layer.triggerRepaint()
        if self.group:
            move_into_group(context.project() or QgsProject.instance(), layer, self.group)


def move_into_group(project: QgsProject, layer, group_name: str) -> None:
    """Move ``layer``'s node into the top-level group ``group_name`` (made at the top of
    the layer tree when missing)."""
    root = project.layerTreeRoot()
    node = root.findLayer(layer.id())
    if node is None:
        return
    group = root.findGroup(group_name) or root.insertGroup(0, group_name)
    if node.parent() is group:
        return
    group.addChildNode(node.clone())
    node.parent().removeChildNode(node)


# A details object owns its post-processor (QGIS deletes it with the details), so each
# layer gets a new one; this list keeps the Python side alive until QGIS is done with
# it, and drops the ones QGIS has deleted.
_LIVE_PROCESSORS: list[LoadStyle] = []


def result_processor(style_name: str | None, group: str | None = None) -> LoadStyle:
    """A new post-processor that applies ``styles/<style_name>.qml`` and moves the
    layer into ``group``."""
    from qgis.PyQt import sip

    _LIVE_PROCESSORS[:] = [p for p in _LIVE_PROCESSORS if not sip.isdeleted(p)]
    processor = LoadStyle(style_for(style_name) if style_name else None, group)
    _LIVE_PROCESSORS.append(processor)
    return processor
