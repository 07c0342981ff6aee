"""The dialog every ``hunchunrisk`` algorithm opens with (toolbox double-click, menus,
locator, ``processing.execAlgorithmDialog``: QGIS asks the algorithm's
``createCustomParametersWidget`` in each case). It is Processing's own dialog, opened
with the project's matching layers and the remembered output folders already chosen,
big enough to read the layer boxes."""
from __future__ import annotations

from qgis.core import QgsProject

from .project_layers import default_output_folder, layer_defaults, remember_output_folder

MIN_SIZE = (820, 720)


def dialog_defaults(algorithm, project: QgsProject) -> dict:
    """The values a dialog opens with: matched layers and output folders."""
    values = layer_defaults(algorithm.schema_layer_parameters(), project)
    for name in algorithm.folder_destinations():
        folder = default_output_folder(project, algorithm.name())
        if folder:
            values[name] = folder
    return values


def create_dialog(algorithm, parent):
    from processing.gui.AlgorithmDialog import AlgorithmDialog

    class HunchunAlgorithmDialog(AlgorithmDialog):
        def runAlgorithm(self):
            # The folder the user chose becomes this project's default for the algorithm.
            try:
                values = self.createProcessingParameters()
            except Exception:  # invalid values: Processing's own run reports them
                values = {}
            for name in self.algorithm().folder_destinations():
                if isinstance(values.get(name), str):
                    remember_output_folder(QgsProject.instance(), self.algorithm().name(), values[name])
            super().runAlgorithm()

    dialog = HunchunAlgorithmDialog(algorithm, parent=parent)
    dialog.setParameters(dialog_defaults(algorithm, QgsProject.instance()))
    dialog.resize(max(dialog.width(), MIN_SIZE[0]), max(dialog.height(), MIN_SIZE[1]))
    return dialog
