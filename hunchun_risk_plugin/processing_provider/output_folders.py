"""Output folders kept apart from the inputs: the folder of each input layer's file,
and the refusal of an output folder that is one of them. Without geopandas: the
provider's placeholders (packages missing) prepare through the same base class."""
from __future__ import annotations

from pathlib import Path

from ..core.errors import InputError
from ..core.layer_uri import uri_path


def input_folders(algorithm, parameters, context) -> dict[str, Path]:
    """The folder of each input layer's file, by parameter (model and field-map files
    are not data: the output may sit beside them)."""
    from qgis.core import QgsProcessingParameterFeatureSource, QgsProcessingParameterRasterLayer

    folders: dict[str, Path] = {}
    for definition in algorithm.parameterDefinitions():
        name = definition.name()
        if not parameters.get(name):
            continue
        if isinstance(definition, QgsProcessingParameterFeatureSource):
            layer = algorithm.parameterAsVectorLayer(parameters, name, context)
            path = uri_path(layer.source()) if layer is not None and layer.providerType() == "ogr" else None
        elif isinstance(definition, QgsProcessingParameterRasterLayer):
            layer = algorithm.parameterAsRasterLayer(parameters, name, context)
            path = uri_path(layer.source()) if layer is not None and layer.providerType() == "gdal" else None
        else:
            continue
        if path and Path(path).exists():
            folders.setdefault(name, Path(path).resolve().parent)
    return folders


def check_outputs_outside_inputs(algorithm, parameters, context, report=None,
                                 folders: dict[str, Path] | None = None) -> None:
    """An output folder that is the folder of an input layer would mix the results with
    the user's data (and could replace a file of the same name): refused. One inside an
    input's folder is the user's choice: said in the log (``report(en, zh)``), since the
    plugin then writes into that folder's tree, there only. ``folders``: the inputs'
    folders as ``input_folders`` found them (looked up here when not given)."""
    from qgis.core import QgsProcessingParameterFolderDestination

    outputs = [(d.name(), algorithm.parameterAsString(parameters, d.name(), context))
               for d in algorithm.parameterDefinitions() if isinstance(d, QgsProcessingParameterFolderDestination)]
    outputs = [(n, Path(p).resolve()) for n, p in outputs if p]
    if not outputs:
        return
    if folders is None:
        folders = input_folders(algorithm, parameters, context)
    for parameter, folder in folders.items():
        for output_name, output in outputs:
            if output == folder:
                raise InputError(
                    f"The output folder '{output}' ({output_name}) is the folder of the input {parameter}: the plugin "
                    "never writes among its inputs. Choose another output folder, e.g. a new folder beside it.",
                    f"输出文件夹“{output}”（{output_name}）就是输入 {parameter} 所在的文件夹；"
                    "插件从不在输入数据之间写入文件。请选择其他输出文件夹，例如与其并列的新文件夹。")
            if folder in output.parents and report is not None:
                report(f"Note: the output folder lies inside the folder of the input {parameter} ('{folder}'); "
                       "results are written into the output folder only.",
                       f"提示：输出文件夹位于输入 {parameter} 所在文件夹（“{folder}”）之内；结果只写入输出文件夹。")
