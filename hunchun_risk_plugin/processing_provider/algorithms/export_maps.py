"""``hunchunrisk:exportmaps``: every printed map of the plan in one batch — risk,
prevention zoning, evacuation and depot coverage, for the city at 1:250000 and each
township at 1:50000, by option the urban subdistricts (街道) at 1:10000 — from .qpt
templates, on every core. Runs the analyses whose
results are not given. A thin layer: inputs become a ``MapBatch``."""
from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pyogrio
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsSettings,
    QgsVectorFileWriter,
)

from ...core.definitions import default_epsg
from ...core.errors import InputError
from ...core.map_pages import CITY, SHEETS, SMALLER_SCALE, SUBDISTRICT, TOWNSHIP
from ...core.layer_uri import layer_uri, uri_path
from ...core.map_specs import map_kinds, maps_config, paper_names
from ...core.qpt import main_map_frame_mm
from ...core.risk.pipeline import RESULT_LAYERS
from ...core.routing.scenario import load_scenario, shipped_scenarios
from ...core.schema import census_inputs
from ...core.staging import check_writable_folder
from ...mapping.print_batch import MapBatch, run_batch
from ...mapping.page_exporter import FORMATS, ExportSettings
from ...mapping.map_project import MapSources
from ...mapping.page_text import PageText
from ...mapping.source_facts import context_uris, declares_synthetic, is_file_layer
from ...paths import style_for
from ..base import HunchunAlgorithm, step_feedback
from ..layer_io import read_layer, read_mapped_layer, reads_differently
from ..parameter_values import plain_parameters
from .analyses import check_scenario_layers, missing_analyses
from .evacuation_routes import PROVENANCE_FILE as EVACUATION_PROVENANCE
from .hazard_ledger import PROVENANCE_FILE as LEDGER_PROVENANCE
from .risk_zoning import RiskZoningAlgorithm

RESULT_INPUTS = (  # parameter, map layer key (= file name in the algorithms' output folders), English, Chinese
    ("EVACUATION_ROUTES", "evacuation_routes", "Evacuation routes (from Evacuation routes)",
     "疏散路线（应急疏散路线的结果）"),
    ("SHELTER_LOAD", "shelter_load", "Shelter load (from Evacuation routes)", "避难场所负荷（应急疏散路线的结果）"),
    ("UNREACHED", "unreached", "Settlements not placed (from Evacuation routes)",
     "未能安置的居民点（应急疏散路线的结果）"),
    ("SETTLEMENT_TIMES", "settlement_times", "Settlement drive times (from Depot coverage)",
     "居民点行车时间（储备库覆盖的结果）"),
    ("DRIVE_TIME_ZONES", "drive_time_zones", "Drive-time zones (from Depot coverage)",
     "行车时间分区（储备库覆盖的结果）"),
    ("HAZARD_LEDGER", "hazard_ledger", "Hazard-site ledger (from Hazard-site ledger)",
     "隐患点台账（隐患点风险台账的结果）"),
    ("MAJOR_HAZARD_ZONES", "major_hazard_zones",
     "Safety distance of major hazard installations (from Hazard-site ledger)",
     "重大危险源安全距离（隐患点风险台账的结果）"),
)
_RISK_RESULTS = (("RISK_CITY", CITY, "1:250000"), ("RISK_TOWNSHIP", TOWNSHIP, "1:50000"))
COMPILED_BY_SETTING = "hunchun_risk/compiled_by"  # the bureau's name, typed once
SCOPES = (CITY, TOWNSHIP, SUBDISTRICT)  # the SCALES enum, in its order



CLASSED_LAYERS = (RESULT_LAYERS["RISK_ZONES"], RESULT_LAYERS["PREVENTION_ZONES"])


def _style_class_field(layer: str) -> str | None:
    """The field the shipped style of ``layer`` classes it by (its renderer's attr)."""
    import xml.etree.ElementTree as ElementTree

    style = style_for(layer)
    if not style.exists():
        return None
    renderer = ElementTree.parse(style).getroot().find(".//renderer-v2")
    return renderer.get("attr") if renderer is not None else None


class ExportMapsAlgorithm(HunchunAlgorithm):
    ALG_ID = "exportmaps"
    HELP_EN = (
        "Exports the plan's maps in one batch: 自然灾害综合风险图 (risk), 自然灾害综合防治区划图 (prevention zoning), "
        "应急疏散路线图 (evacuation routes) and 救灾物资储备覆盖图 (depot coverage), for the city at 1:250000 and for "
        "each township at 1:50000. A township that does not fit the paper at 1:50000 gets one page per GB/T 13989 "
        "1:50000 sheet it touches (or, by option, one page at the next standard smaller scale). The urban "
        "subdistricts (townships of kind 街道) can also be printed at 1:10000 with street names: one page per "
        "1:10000 sheet after an overview page; other townships are refused at that scale. Pages come from .qpt "
        "templates (the plugin's, one per paper, or TEMPLATE: a house template whose main map has the item id "
        "'main_map'); title, sheet numbers, legend, scale, graticule, location inset, adjoining-sheet diagram, "
        "statistics table and notes are filled in. Results of earlier runs can be given; analyses whose results are "
        "missing are run first (into OUTPUT_FOLDER/analysis). Pages are shared between WORKERS processes (0 = every "
        "core). Writes the files, index.csv and provenance.json into OUTPUT_FOLDER. See docs/printed_maps.md."
    )
    HELP_ZH = (
        "批量输出规划要求的专题地图：自然灾害综合风险图、自然灾害综合防治区划图、应急疏散路线图和救灾物资储备覆盖图；"
        "全市 1:25万，各乡镇 1:5万。乡镇在所选纸张上按 1:5万放不下时，按其涉及的每个 GB/T 13989 "
        "1:5万图幅各出一页（或按选项改用下一级标准比例尺出一页）。城区街道（kind 为 街道）还可按 1:1万输出"
        "（含街道名称），先出一页图幅总图，再按每个 1:1万图幅各出一页；其他乡镇不能按 1:1万输出。"
        "页面由 .qpt 模板生成（插件自带的各纸张模板，或 "
        "TEMPLATE 指定的本单位模板，其主地图项目 ID 须为 main_map），自动填写标题、图幅号、图例、比例尺、经纬网、"
        "位置示意图、接图表、分类统计表和注记。可传入之前各算法的结果；缺少的结果会先行计算（写入 "
        "OUTPUT_FOLDER/analysis）。页面分配给 WORKERS 个进程并行输出（0 = 全部 CPU 核）。输出文件、index.csv 和 "
        "provenance.json 写入 OUTPUT_FOLDER。"
    )

    KINDS, SCALES, ONLY_TOWNSHIPS, TOWNSHIP_PAGES = "KINDS", "SCALES", "ONLY_TOWNSHIPS", "TOWNSHIP_PAGES"
    FORMAT, DPI, PAPER, TEMPLATE = "FORMAT", "DPI", "PAPER", "TEMPLATE"
    COMPILED_BY, MAP_DATE, SOURCES, WORKERS = "COMPILED_BY", "MAP_DATE", "SOURCES", "WORKERS"
    MODEL, OUTPUT_FOLDER, SCENARIO = "MODEL", "OUTPUT_FOLDER", "SCENARIO"

    def initAlgorithm(self, config=None):
        tr, trf = self.tr, self.trf
        self.add_census_layers(required=RiskZoningAlgorithm.REQUIRED_LAYERS)
        self.add_model()
        self.add_field_map()
        for name, scope, scale in _RISK_RESULTS:
            self.addParameter(QgsProcessingParameterFile(
                name, trf("Risk zoning result at {scale} (risk_zoning.gpkg; empty = run it)",
                          "{scale} 风险区划结果（risk_zoning.gpkg；留空则计算）", scale=scale), extension="gpkg",
                optional=True))
        for name, _, en, zh in RESULT_INPUTS:
            self.addParameter(
                QgsProcessingParameterVectorLayer(name,
                                                  trf("{layer}; empty = run it", "{layer}；留空则计算",
                                                      layer=tr(en, zh)),
                                                                optional=True))
        self.add(QgsProcessingParameterString(
            self.SCENARIO, tr("Evacuation scenario for the analyses run here (shipped name or TOML file; "
                              "empty = everyone)",
                              "此处计算疏散时的情景（内置名称或 TOML 文件；空 = 全部人口）"), "", optional=True),
            "When the evacuation routes (or the hazard ledger) are not given, exportmaps runs them: under this "
            "scenario only the people it moves leave, as in Evacuation routes. Shipped: {names}. Ignored for results "
            "given; the maps name the scenario of the run they show.",
            "未提供疏散路线（或隐患台账）结果时由本算法计算：按此情景只转移情景所涉人员，与“应急疏散路线”相同。"
            "内置情景：{names}。已提供的结果不受影响；地图注明其所示结果的情景。",
            values={"names": ", ".join(shipped_scenarios())})
        self.addParameter(kinds_parameter(self.KINDS, tr("Maps", "地图类型")))
        self.addParameter(QgsProcessingParameterEnum(
            self.SCALES, tr("Scales", "比例尺"),
            [tr("City 1:250000", "全市 1:25万"), tr("Townships 1:50000", "乡镇 1:5万"),
             tr("Subdistricts (街道) 1:10000, with street names", "街道 1:1万（含街道名称）")],
            allowMultiple=True, defaultValue=[0, 1]))
        self.addParameter(QgsProcessingParameterString(
            self.ONLY_TOWNSHIPS, tr("Only these townships (names or codes, comma separated; empty = all)",
                                    "仅输出这些乡镇（名称或代码，逗号分隔；留空为全部）"), optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.TOWNSHIP_PAGES, tr("A township too big for the paper at 1:50000", "乡镇在 1:5万下超出纸张时"),
            [tr("One page per 1:50000 sheet", "按 1:5万图幅分页"), tr("One page at the next smaller standard scale",
                                                                 "改用下一级标准比例尺单页输出")], defaultValue=0))
        self.addParameter(
            QgsProcessingParameterEnum(self.FORMAT, tr("Format", "格式"), ["PDF", "PNG", "SVG"], defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(self.DPI, tr("Resolution (dpi)", "分辨率（dpi）"),
                                                       QgsProcessingParameterNumber.Type.Integer, 300,
                                                       minValue=50, maxValue=1200))
        self.addParameter(QgsProcessingParameterEnum(
            self.PAPER, tr("Paper (automatic: townships on A3 landscape, larger maps on the smallest A size that holds "
                           "them)",
                           "纸张（自动：乡镇图用 A3 横向，较大的图用能容纳的最小 A 系列纸张）"),
            [tr("Automatic", "自动")] + paper_names(), defaultValue=0))
        self.addParameter(QgsProcessingParameterFile(
            self.TEMPLATE, tr("Layout template (.qpt; empty = the plugin's)", "布局模板（.qpt；留空使用插件模板）"),
            extension="qpt", optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.COMPILED_BY, tr("Compiled by (remembered for the next export)", "编制单位（下次输出时沿用）"),
            QgsSettings().value(COMPILED_BY_SETTING, maps_config()["notes"]["compiled_by"])))
        self.addParameter(QgsProcessingParameterString(
            self.MAP_DATE, tr("Date printed on the maps (empty = today)", "图上编制日期（留空为今天）"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.SOURCES, tr("Data sources note (empty = from the inputs)", "数据来源说明（留空则按输入自动填写）"),
            optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.WORKERS, tr("Processes (0 = every core)", "并行进程数（0 = 全部 CPU 核）"),
            QgsProcessingParameterNumber.Type.Integer, 0, minValue=0, maxValue=64))
        self.addParameter(
            QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, tr("Output folder", "输出文件夹")))
        self.addOutput(QgsProcessingOutputNumber("PAGES", tr("Pages written", "输出页数")))
        self.addOutput(QgsProcessingOutputFile("INDEX", tr("Index of the maps (CSV)", "地图清单（CSV）")))
        self.addOutput(QgsProcessingOutputFile("PROVENANCE", tr("Provenance (JSON)", "来源记录（JSON）")))

    def execute(self, parameters, context, feedback, progress):
        chosen = set(self.parameterAsEnumStrings(parameters, self.KINDS, context))
        kinds = [kind for kind in map_kinds() if kind.key in chosen]
        scenario = (self.parameterAsString(parameters, self.SCENARIO, context) or "").strip()
        if scenario:  # an unknown name, a bad file or a layer it lacks fails here, before the output folder is made
            checked = load_scenario(scenario)
            if "evacuation" in chosen:
                check_scenario_layers(checked, parameters)
        self._check_risk_results(parameters, context)
        settings = self._settings(parameters, context)
        scopes = [SCOPES[i] for i in self.parameterAsEnums(parameters, self.SCALES, context)]
        crs = QgsCoordinateReferenceSystem(f"EPSG:{default_epsg()}")
        frame, _ = read_layer(self, parameters, "TOWNSHIPS", context, crs)
        only = [n
                for n in self.parameterAsString(parameters, self.ONLY_TOWNSHIPS, context).replace("，", ",").split(",")]
        scratch = Path(tempfile.mkdtemp(prefix="hunchun-export-inputs-"))
        try:
            uris = self._input_uris(parameters, context, scratch)
            batch = MapBatch(MapSources(uris), frame, kinds, scopes, settings, self._text(parameters, context, uris),
                             only=only, paper=self._paper(parameters, context),
                             township_mode=(SHEETS,
                                            SMALLER_SCALE)[
                                                self.parameterAsEnum(parameters, self.TOWNSHIP_PAGES, context)],
                             workers=self._workers(parameters, context), parameters=plain_parameters(parameters))
            pages = batch.plan()  # bad township names, templates… fail here, before any analysis runs
            folder = check_writable_folder(self.parameterAsString(parameters, self.OUTPUT_FOLDER, context))
            steps = step_feedback(2, feedback)
            uris.update(missing_analyses(parameters, context, steps, batch, folder / "analysis", scenario))
            batch.text = replace(batch.text, scenarios=run_scenarios(uris))
            steps.setCurrentStep(1)
            written = run_batch(batch, folder, progress.sub(0.5, 1.0), pages)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        feedback.pushInfo(self.trf("{count} maps written to {folder}", "已输出 {count} 幅地图到 {folder}",
                                   count=len(written["files"]), folder=folder))
        return {self.OUTPUT_FOLDER: str(folder), "PAGES": len(written["files"]), "INDEX": written["index"],
                "PROVENANCE": written["provenance"]}

    def _check_risk_results(self, parameters, context) -> None:
        """Before any work: a risk zoning result given is a GeoPackage holding the layers
        the maps read (the worker processes would otherwise fail page by page)."""
        for name, _, scale in _RISK_RESULTS:
            path = self.parameterAsFile(parameters, name, context)
            if not path:
                continue
            try:
                layers = {layer for layer, _ in pyogrio.list_layers(path)}
            except Exception as error:  # missing, unreadable or not a GeoPackage: pyogrio's own error types vary
                raise InputError(
                    f"The risk zoning result at {scale} ({name}) cannot be read: {path} ({error}). Give the "
                    "risk_zoning.gpkg a Composite risk zoning run wrote, or leave it empty to run it here.",
                    f"{scale} 风险区划结果（{name}）无法读取：{path}（{error}）。请提供“综合风险区划”输出的 "
                    "risk_zoning.gpkg，或留空由此处计算。") from error
            missing = [layer for layer in RESULT_LAYERS.values() if layer not in layers]
            if missing:
                raise InputError(
                    f"The risk zoning result at {scale} ({name}) {path} lacks the layer(s) {', '.join(missing)}. "
                    "Give the risk_zoning.gpkg a Composite risk zoning run wrote, or leave it empty to run it here.",
                    f"{scale} 风险区划结果（{name}）{path} 缺少图层 {'、'.join(missing)}。请提供“综合风险区划”输出的 "
                    "risk_zoning.gpkg，或留空由此处计算。")
            for layer in layers & set(CLASSED_LAYERS):
                field = _style_class_field(layer)
                if field and field not in pyogrio.read_info(path, layer=layer)["fields"]:
                    raise InputError(
                        f"The risk zoning result at {scale} ({name}) {path}: layer {layer} has no field '{field}', "
                        "the class the maps colour by. Give the risk_zoning.gpkg a Composite risk zoning run "
                        "wrote, or leave it empty to run it here.",
                        f"{scale} 风险区划结果（{name}）{path}：图层 {layer} 缺少字段“{field}”（地图按此分级着色）。"
                        "请提供“综合风险区划”输出的 risk_zoning.gpkg，或留空由此处计算。")

    def _settings(self, parameters, context) -> ExportSettings:
        template = self.parameterAsFile(parameters, self.TEMPLATE, context) or None
        if template:
            main_map_frame_mm(template)  # names the problem with the template before any work
        return ExportSettings(FORMATS[self.parameterAsEnum(parameters, self.FORMAT, context)],
                              self.parameterAsInt(parameters, self.DPI, context), Path(template) if template else None)

    def _paper(self, parameters, context) -> str | None:
        index = self.parameterAsEnum(parameters, self.PAPER, context)
        return None if index == 0 else paper_names()[index - 1]

    def _workers(self, parameters, context) -> int:
        return self.parameterAsInt(parameters, self.WORKERS, context) or (os.cpu_count() or 1)

    def _text(self, parameters, context, uris: dict[str, str]) -> PageText:
        notes = maps_config()["notes"]
        synthetic = declares_synthetic(uris.get("townships", ""))
        sources = self.parameterAsString(parameters, self.SOURCES, context).strip()
        if not sources:
            sources = (f"{notes['sources_sample_zh']} / {notes['sources_sample_en']}" if synthetic
                       else "；".join(
                           sorted({Path(uri_path(u)).name for k, u in uris.items() if not k.startswith("context")})))
            sources += f"；数据日期 Data date：{data_date(uris)}"
        compiled_by = self.parameterAsString(parameters, self.COMPILED_BY, context)
        QgsSettings().setValue(COMPILED_BY_SETTING, compiled_by)
        return PageText(compiled_by,
                        self.parameterAsString(parameters, self.MAP_DATE, context).strip() or date.today().isoformat(),
                        sources, synthetic)

    def _input_uris(self, parameters, context, scratch: Path) -> dict[str, str]:
        """Input layers by map key, as file URIs the worker processes can open (a memory
        or database layer is copied into ``scratch`` first)."""
        uris = dict(context_uris())
        for item in census_inputs():
            name, key = item.parameter, item.name
            if not item.is_raster and parameters.get(name):
                uris[key] = (self._selection_copy(parameters, name, context, scratch / f"{key}.gpkg")
                             if _selected_only(parameters[name]) or self._mapped(parameters, name, context)
                             else _file_uri(self.parameterAsVectorLayer(parameters, name, context),
                                            scratch / f"{key}.gpkg", name))
        dem = self.parameterAsRasterLayer(parameters, "DEM", context) if parameters.get("DEM") else None
        if dem is not None and Path(dem.source()).is_file():
            uris["dem"] = dem.source()  # the maps' relief shading
        for name, scope, _ in _RISK_RESULTS:
            path = self.parameterAsFile(parameters, name, context)
            if path:
                uris.update({f"{layer}@{scope}": layer_uri(path, layer) for layer in RESULT_LAYERS.values()})
        for name, key, _, _ in RESULT_INPUTS:
            if parameters.get(name):
                uris[key] = _file_uri(self.parameterAsVectorLayer(parameters, name, context), scratch / f"{key}.gpkg",
                                      name)
        return uris

    def _mapped(self, parameters, name: str, context) -> bool:
        """Whether the layer is read other than as it is (fields renamed, values
        translated, a Chinese shapefile decoded): the workers then get the copy."""
        layer = self.parameterAsVectorLayer(parameters, name, context)
        if layer is None or not is_file_layer(layer):
            return False
        mapped = read_mapped_layer(self, parameters, name, context)[3]
        return reads_differently(layer.source(), mapped)

    def _selection_copy(self, parameters, name: str, context, target: Path) -> str:
        """The chosen features only, under the schema's field names and values, copied
        to ``target`` (UTF-8) for the worker processes."""
        frame, _ = read_layer(self, parameters, name, context)
        pyogrio.write_dataframe(frame, target, driver="GPKG")
        return str(target)


def data_date(uris: dict[str, str]) -> str:
    """The date of the newest input file (its modification day), which the sources line
    prints: when the data were last brought up to date, not when the map was drawn."""
    stamps = [Path(uri_path(u)).stat().st_mtime for k, u in uris.items()
              if not k.startswith("context") and Path(uri_path(u)).is_file()]
    return date.fromtimestamp(max(stamps)).isoformat() if stamps else "–"


NO_SCENARIO = "全员疏散（未设情景） / Everyone leaves (no scenario)"


# The results whose maps name their run's scenario (maps.toml kinds' ``scenario_from``),
# with the provenance record their algorithm writes beside them.
SCENARIO_RECORDS = {"evacuation_routes": EVACUATION_PROVENANCE, "hazard_ledger": LEDGER_PROVENANCE}


def run_scenarios(uris: dict[str, str]) -> dict[str, str]:
    """The scenario of each result's run, by result key (the ones that are known)."""
    found = {key: scenario_of(uris.get(key), record) for key, record in SCENARIO_RECORDS.items()}
    return {key: text for key, text in found.items() if text}


def evacuation_scenario(routes_uri: str | None) -> str:
    """What the evacuation maps say of their plan (``scenario_of`` the routes)."""
    return scenario_of(routes_uri, EVACUATION_PROVENANCE)


def scenario_of(uri: str | None, record_name: str) -> str:
    """The scenario of the run that wrote ``uri`` (from its provenance record
    ``record_name`` beside it): '' when the result comes from elsewhere and no record
    says; NO_SCENARIO for a run without one."""
    record_path = Path(uri_path(uri)).parent / record_name if uri else None
    if record_path is None or not record_path.is_file():
        return ""
    try:
        summary = json.loads(record_path.read_text(encoding="utf-8")).get("summary", {})
    except (OSError, ValueError):
        return ""
    scenario = summary.get("scenario")
    if not scenario:
        return NO_SCENARIO
    name = str(scenario.get("name", ""))
    source = str(scenario.get("source", ""))
    try:
        loaded = load_scenario(source if Path(source).is_file() else name)
    except (InputError, OSError, ValueError):
        return name  # the scenario file has gone: its name at least
    return " / ".join(t for t in (loaded.title_zh, loaded.title_en) if t) or name


def kinds_parameter(name: str, label: str) -> QgsProcessingParameterEnum:
    """The map kinds by their keys in maps.toml (static strings: ``KINDS=risk,hazards``
    in scripts and qgis_process; QGIS ≥ 3.18), all by default."""
    keys = [kind.key for kind in map_kinds()]
    parameter = QgsProcessingParameterEnum(name, label, keys, allowMultiple=True, defaultValue=keys)
    parameter.setUsesStaticStrings(True)
    titles = "; ".join(f"{k.key} = {k.zh} {k.en}" for k in map_kinds())
    parameter.setHelp(f"{titles}.")
    return parameter


def _selected_only(value) -> bool:
    """Whether the user ticked "Selected features only" for this layer."""
    return isinstance(value, QgsProcessingFeatureSourceDefinition) and value.selectedFeaturesOnly


def _file_uri(layer, target: Path, parameter: str) -> str:
    """A URI another process can open: the layer's own file, or a copy in ``target``."""
    if layer is None:
        raise InputError(f"Layer {parameter} could not be opened.", f"无法打开图层 {parameter}。")
    if is_file_layer(layer):
        return layer.source()
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    error = QgsVectorFileWriter.writeAsVectorFormatV3(layer, str(target), layer.transformContext(), options)
    if error[0] != QgsVectorFileWriter.WriterError.NoError:
        raise InputError(f"Layer {layer.name()} ({parameter}) could not be copied for printing: {error[1]}",
                         f"图层 {layer.name()}（{parameter}）无法复制用于出图：{error[1]}")
    return str(target)
