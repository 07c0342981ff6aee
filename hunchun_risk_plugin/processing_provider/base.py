"""Shared behaviour of every ``hunchunrisk`` algorithm: names, help, language,
progress/cancel bound to the feedback, and bilingual errors."""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from qgis.core import (
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingMultiStepFeedback,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
)

from ..core.errors import HunchunRiskError
from ..core.progress import Progress
from ..core.schema import CensusInput, census_inputs
from ..i18n import both, error_text, pair, tr, trf, user_language
from .catalog import AlgorithmEntry, entry
from .input_layers import inputs_closed_without_sidecars
from .output_folders import check_outputs_outside_inputs, input_folders
from .proj_threads import proj_context_kept

# Schema geometry -> the Processing layer types a parameter accepts.
GEOMETRY_TYPES = {
    "point": [QgsProcessing.SourceType.TypeVectorPoint],
    "line": [QgsProcessing.SourceType.TypeVectorLine],
    "polygon": [QgsProcessing.SourceType.TypeVectorPolygon],
}
POINT_OR_POLYGON = [QgsProcessing.SourceType.TypeVectorPoint, QgsProcessing.SourceType.TypeVectorPolygon]


class HunchunAlgorithm(QgsProcessingAlgorithm):
    """Subclasses set ``ALG_ID`` (its title and group are in ``core/data/algorithms.toml``)
    and the help, and implement ``initAlgorithm`` and ``execute`` (not ``run``:
    QgsProcessingAlgorithm.run is QGIS's own entry point)."""

    ALG_ID = ""
    HELP_EN = ""
    HELP_ZH = ""

    def entry(self) -> AlgorithmEntry:
        return entry(self.ALG_ID)

    def name(self) -> str:
        return self.ALG_ID

    def displayName(self) -> str:
        return both(self.entry().title_en, self.entry().title_zh)

    def group(self) -> str:
        # The toolbox sorts groups by name: the number keeps them in workflow order.
        return f"{self.entry().group_order} {both(self.entry().group_en, self.entry().group_zh)}"

    def groupId(self) -> str:
        return self.entry().group_id

    def shortHelpString(self) -> str:
        en, zh = (labelled(text, self.parameterDefinitions(), self.outputDefinitions())
                  for text in (self.HELP_EN, self.HELP_ZH))
        return f"{zh}\n\n{en}" if user_language() == "zh" else f"{en}\n\n{zh}"

    def createInstance(self):
        return type(self)()

    # Parameters that take a schema layer under another name: parameter -> schema name.
    SCHEMA_LAYER_PARAMETERS: dict[str, str] = {}

    def schema_layer_parameters(self) -> dict[str, str]:
        """Every layer parameter that is a schema input: parameter -> schema name."""
        known = {item.parameter: item.name for item in census_inputs()} | self.SCHEMA_LAYER_PARAMETERS
        return {p.name(): known[p.name()] for p in self.parameterDefinitions() if p.name() in known}

    def folder_destinations(self) -> list[str]:
        return [p.name() for p in self.parameterDefinitions()
                if p.type() == QgsProcessingParameterFolderDestination.typeName()]

    def createCustomParametersWidget(self, parent=None):
        """Processing's dialog, opened with the project's matching layers chosen."""
        from .dialog import create_dialog

        return create_dialog(self, parent)

    def warn_if_temporary(self, parameters, context, feedback) -> None:
        from .project_layers import is_temporary

        for name in self.folder_destinations():
            folder = self.parameterAsString(parameters, name, context)
            if feedback is not None and is_temporary(folder):
                feedback.pushWarning(trf(
                    "The outputs go to a temporary folder that QGIS deletes when it closes: {folder}. "
                    "Choose an output folder to keep them.",
                    "输出写入临时文件夹，QGIS 关闭时将被删除：{folder}。如需保留，请选择输出文件夹。", folder=folder))

    def prepareAlgorithm(self, parameters, context, feedback):  # noqa: N802 (QGIS name)
        """The input layers' folders, looked up on the thread that owns the project's
        layers (the main thread when the run is a background task: QgsProcessingAlgRunnerTask
        prepares before it starts). Looking them up from the task's thread raced QGIS
        3.22's map canvas: QGIS died building the project's expression scope."""
        self.started = datetime.now()
        with inputs_closed_without_sidecars(context):
            self._input_folders = input_folders(self, parameters, context)
        return True

    def processAlgorithm(self, parameters, context, feedback):
        self.warn_if_temporary(parameters, context, feedback)
        self._input_feedback, self._field_map = feedback, None
        try:
            # proj_context_kept: Processing runs this on a pooled task thread (see proj_threads).
            # Nothing written beside the user's files (see input_layers).
            with proj_context_kept(), inputs_closed_without_sidecars(context):
                self.check_output_folders(parameters, context)
                return self.execute(parameters, context, feedback, progress_for(feedback))
        except HunchunRiskError as error:
            raise QgsProcessingException(error_text(error)) from error
        except OSError as error:  # a full disk, a file another program holds, a share gone away
            raise QgsProcessingException(trf(
                "A file could not be read or written: {error}. If the disk is full, free space and run again. "
                "The output folder was left as it was (results are staged and moved in only when complete).",
                "文件读写失败：{error}。如磁盘已满，请释放空间后重试。输出文件夹保持原状（结果完整后才移入）。",
                error=error)) from error

    def checkParameterValues(self, parameters, context):  # noqa: N802 (QGIS name)
        """Processing opens the input layers here, before ``processAlgorithm``: with
        GDAL's PAM off, and closed again, so no ``.aux.xml`` appears beside the user's files."""
        with inputs_closed_without_sidecars(context):
            return super().checkParameterValues(parameters, context)

    def validateInputCrs(self, parameters, context):  # noqa: N802 (QGIS name)
        """processing.run and the dialog call this before the run: it opens the input
        layers again, so likewise."""
        with inputs_closed_without_sidecars(context):
            return super().validateInputCrs(parameters, context)

    def execute(self, parameters, context, feedback, progress: Progress) -> dict:
        raise NotImplementedError

    def result_group(self) -> str:
        """The layer tree group of this run's results: the algorithm's title and the
        time the run started."""
        started = getattr(self, "started", None) or datetime.now()
        return f"{tr(self.entry().title_en, self.entry().title_zh)} {started:%Y-%m-%d %H:%M:%S}"

    @staticmethod
    def language() -> str:
        return user_language()

    # Parameter factories: the parameters several algorithms share, defined once, each
    # with its help text (shown in the dialog's help and by ``qgis_process help``).

    def add(self, parameter: QgsProcessingParameterDefinition, help_en: str, help_zh: str,
            advanced: bool = False, values: dict | None = None) -> QgsProcessingParameterDefinition:
        """Add ``parameter`` with its help text (a template filled from ``values`` when
        given); ``advanced`` folds it into the dialog's Advanced parameters."""
        parameter.setHelp(trf(help_en, help_zh, **values) if values else tr(help_en, help_zh))
        if advanced:
            parameter.setFlags(parameter.flags() | QgsProcessingParameterDefinition.Flag.FlagAdvanced)
        self.addParameter(parameter)
        return parameter

    def add_census_layers(self, required: Iterable[str] = (), names: Iterable[str] | None = None) -> None:
        """One parameter per input of the data schema (``names``: only these schema
        layers), optional unless named in ``required``."""
        wanted = set(names) if names is not None else None
        for item in census_inputs():
            if wanted is None or item.name in wanted:
                self.add_census_layer(item, optional=item.name not in set(required))

    def add_census_layer(self, item: CensusInput, optional: bool, label: str | None = None) -> None:
        label = label or item.label(self.language())
        if item.is_raster:
            parameter = QgsProcessingParameterRasterLayer(item.parameter, label, optional=optional)
        else:
            parameter = QgsProcessingParameterFeatureSource(item.parameter, label, GEOMETRY_TYPES[item.geometry],
                                                            optional=optional)
        self.add(parameter, "The {layer} layer of the data schema ({name}); see the README's data schema.",
                 "数据规范中的{layer}图层（{name}），字段见 README 数据规范。",
                 values={"layer": tr(item.en.lower(), item.zh), "name": item.name})

    def add_model(self) -> None:
        self.add(QgsProcessingParameterFile(
            "MODEL", tr("Risk model (TOML; empty = default Hunchun model)", "风险模型（TOML；留空为珲春默认模型）"),
            extension="toml", optional=True),
            "A risk model file: factors, transforms, weights or an AHP matrix, and the combination rule. "
            "Empty uses the default Hunchun model (docs/risk_zoning.md); copy and edit it to make your own.",
            "风险模型文件：因子、变换、权重或 AHP 判断矩阵及综合规则。留空使用珲春默认模型（见 docs/risk_zoning.md），"
            "可复制后修改。")

    def add_roads(self) -> None:
        self.add(QgsProcessingParameterFeatureSource("ROADS", tr("Roads", "道路"), GEOMETRY_TYPES["line"]),
                 "Any line layer: road_class gives the default speed, speed_kmh overrides it, oneway 1/-1 is respected "
                 "when driving. A geographic or non-metre CRS is reprojected to a metric one.",
                 "任意线图层：road_class 给出默认速度，speed_kmh 优先；驾车时遵守 oneway 1/-1。"
                 "地理坐标或非米制坐标系会重投影到米制坐标系。")

    def add_network_settings(self, access_label: tuple[str, str] = pair("Maximum distance from a road (m)",
                                                                        "距道路最大接入距离（米）")) -> None:
        """The snapping tolerance and the access distance of the road network."""
        self.add(QgsProcessingParameterNumber(
            "SNAP_TOLERANCE", tr("Node snap tolerance (m)", "节点捕捉容差（米）"),
            QgsProcessingParameterNumber.Type.Double, 1.0, minValue=0.0),
            "Road ends closer than this are joined into one node, mending small digitising gaps.",
            "相距小于该距离的道路端点合并为一个节点，以修补数字化时留下的小缝隙。")
        self.add(QgsProcessingParameterNumber(
            "MAX_ACCESS_DISTANCE", tr(*access_label), QgsProcessingParameterNumber.Type.Double, 2000.0, minValue=0.001),
            "Points farther than this from the nearest road are reported as unreachable instead of being joined to it.",
            "距最近道路超过该距离的点不接入路网，并报告为无法到达。")

    FIELD_MAP = "FIELD_MAP"

    def add_field_map(self) -> None:
        """The optional field map every algorithm takes (see core/field_mapping.py)."""
        self.add(QgsProcessingParameterFile(
            self.FIELD_MAP, tr("Field map (TOML, optional)", "字段映射文件（TOML，可选）"), extension="toml",
            optional=True),
            "Which field of your layers is which schema field, when the automatic match (schema name, the Chinese "
            "names census data use, 10-character shapefile names) is not enough: one table per layer, e.g. "
            "[townships] then population = \"常住人口\". Wins over the automatic match. Validate input layers "
            "proposes one. See docs/your_own_data.md.",
            "当自动匹配（规范字段名、普查数据常用的中文字段名、shapefile 10 字符截断名）不够时，"
            "指定图层中哪个字段对应规范字段：每个图层一个表，例如 [townships] 下写 population = \"常住人口\"。"
            "优先于自动匹配。“检查输入数据”可生成此文件。见 docs/your_own_data.md。", advanced=True)

    def field_map(self, parameters, context) -> dict[str, dict[str, str]]:
        """The FIELD_MAP file's tables ({} without one), read once per run."""
        from ..core.field_mapping import load_field_map  # here: base.py loads without pandas (placeholders)

        if getattr(self, "_field_map", None) is None:
            path = self.parameterAsFile(parameters, self.FIELD_MAP, context) if parameters.get(self.FIELD_MAP) else ""
            self._field_map = load_field_map(path or None)
        return self._field_map

    def check_output_folders(self, parameters, context) -> None:
        """No output folder is an input's folder (see output_folders.check_outputs_outside_inputs)."""
        folders = getattr(self, "_input_folders", None)  # None: run without prepare (a test's direct call)
        check_outputs_outside_inputs(self, parameters, context, self.report_input, folders)

    def report_input(self, en: str, zh: str) -> None:
        """Tell the user how an input was read (field matches, encodings)."""
        feedback = getattr(self, "_input_feedback", None)
        if feedback is not None:
            feedback.pushInfo(zh if self.language() == "zh" else en)

    @staticmethod
    def tr(en: str, zh: str) -> str:
        return tr(en, zh)

    @staticmethod
    def trf(en: str, zh: str, **values) -> str:
        return trf(en, zh, **values)


def labelled(text: str, parameters, outputs=()) -> str:
    """``text`` with each parameter id (SNAP_TOLERANCE) replaced by the label the dialog
    shows for it, so the help speaks the user's words; the help is written with ids."""
    labels = {d.name(): d.description() for d in list(outputs) + list(parameters)}  # parameters win
    if not labels:
        return text
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, labels), key=len, reverse=True)) + r")\b")
    return pattern.sub(lambda m: f"“{labels[m[1]]}”", text)


def progress_for(feedback: QgsProcessingFeedback | None) -> Progress:
    """A core ``Progress`` reporting into a Processing feedback (0..100 %)."""
    if feedback is None:
        return Progress()
    return Progress(
        report=lambda fraction: feedback.setProgress(100.0 * fraction),
        is_canceled=feedback.isCanceled,
        log=feedback.pushInfo,
        language=user_language(),
    )


def step_feedback(steps: int, feedback: QgsProcessingFeedback | None) -> QgsProcessingMultiStepFeedback:
    """A feedback over ``steps`` shares of ``feedback``'s progress that is canceled when
    ``feedback`` is. QGIS's multi-step feedback only hears cancels that come after it was
    made: one made after the user pressed Cancel would let a child algorithm run whole."""
    multi = QgsProcessingMultiStepFeedback(steps, feedback)
    if feedback is not None and feedback.isCanceled():
        multi.cancel()
    return multi
