"""``hunchunrisk:riskzoning``: composite natural-hazard risk zoning and prevention
zoning at 1:250000 (city) or 1:50000 (township). A thin layer over
``core.risk.pipeline``: it turns parameters into a ``ZoningRequest`` and returns the
written files."""
from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingOutputFile,
    QgsProcessingOutputRasterLayer,
    QgsProcessingOutputVectorLayer,
    QgsProcessingParameterCrs,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ...core.definitions import default_epsg
from ...core.risk.model import load_model
from ...core.risk.pipeline import ZoningRequest, run_zoning
from ...core.risk.sources import RiskInputs
from ...core.schema import census_inputs
from ...paths import styles_dir
from ..base import HunchunAlgorithm
from ..folder_outputs import load_on_completion
from ..layer_io import read_layer
from ..parameter_values import plain_parameters

_STYLES = ("risk_index", "risk_class", "risk_prevention_class", "risk_zones", "prevention_zones", "risk_township_stats")
_SCALES = ("city", "township")
# Output -> its style: the layers a dialog run adds to the project.
_LOADED_LAYERS = {"RISK_CLASS": "risk_class", "RISK_ZONES": "risk_zones", "PREVENTION_ZONES": "prevention_zones",
                  "TOWNSHIP_STATS": "risk_township_stats"}


class RiskZoningAlgorithm(HunchunAlgorithm):
    ALG_ID = "riskzoning"
    HELP_EN = (
        "Builds the composite natural-hazard risk map and the prevention zoning map from the census layers. "
        "Single-hazard risk = hazard × exposure × vulnerability, lessened by capacity; hazards (earthquake, "
        "geological, flood, forest fire, meteorological) are combined by the model's rule and weights. "
        "MODEL is a TOML model file (empty = the default Hunchun model; copy and edit it). "
        "SCALE 0 = 1:250000 city (cell 100 m), 1 = 1:50000 township (cell 25 m; TOWNSHIP = name or code, "
        "empty = every township in turn). CLASS_SCALE (township scale): 0 = the city-wide breaks (default; factor "
        "ranges and class breaks of the whole city at the township cell size, so a class means the same in every "
        "township), 1 = relative to the township (its own ranges and breaks). The default model needs the "
        "townships and the settlements (exposure, vulnerability); the other factor layers are optional: a missing "
        "one is reported and its weight shared out. Layers in other CRSs are reprojected, rasters resampled "
        "bilinearly onto the grid. "
        "Writes into OUTPUT_FOLDER: risk_index.tif (0–1), risk_class.tif (1 = 低 … 5 = 高), prevention_class.tif, "
        "hazard_<kind>.tif, risk_zoning.gpkg (risk_zones, prevention_zones, township_stats), township_stats.csv "
        "(UTF-8 with BOM for Excel), provenance.json, and .qml styles. See docs/risk_zoning.md."
    )
    HELP_ZH = (
        "依据普查数据编制自然灾害综合风险图和综合防治区划图。单灾种风险 = 危险性 × 暴露度 × 脆弱性，并由减灾能力削减；"
        "各灾种（地震、地质灾害、洪涝、森林火灾、气象灾害）按模型规则和权重综合。MODEL 为 TOML "
        "模型文件（留空使用珲春默认模型，可复制后修改）。SCALE 0 = 1:25万全市（像元 100 m），1 = 1:5万乡镇（像元 25 m；"
        "TOWNSHIP 填乡镇名称或代码，留空则逐个乡镇计算）。CLASS_SCALE（乡镇比例尺）：0 = 全市统一分级（默认，"
        "以乡镇像元大小计算全市的因子范围和分级断点，各乡镇同一等级含义相同），1 = "
        "本乡镇分级（按本乡镇自身范围和断点）。默认模型需要乡镇边界和居民点（暴露度、脆弱性），其余因子图层可缺省："
        "缺省时会报告并把其权重分配给其他因子。其他坐标系的图层会被重投影，栅格以双线性插值重采样到分析格网。"
        "输出：风险指数、风险等级、防治区划栅格，风险区与防治区面图层、乡镇统计表（GeoPackage 与带 BOM 的 UTF-8 CSV）、"
        "来源记录 JSON 及样式。"
    )

    MODEL = "MODEL"
    SCALE = "SCALE"
    TOWNSHIP = "TOWNSHIP"
    CELL_SIZE = "CELL_SIZE"
    CLASS_SCALE = "CLASS_SCALE"
    CRS = "CRS"
    EXTENT = "EXTENT"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"
    OUTPUTS = ("RISK_INDEX", "RISK_CLASS", "RISK_ZONES", "PREVENTION_ZONES", "TOWNSHIP_STATS",
               "TOWNSHIP_STATS_CSV", "PROVENANCE")

    # The layers the default model cannot do without (a custom model's own needs are
    # checked when it runs).
    REQUIRED_LAYERS = load_model(None).required_layers()

    def initAlgorithm(self, config=None):
        self.add_census_layers(required=self.REQUIRED_LAYERS)
        self.add_model()
        self.add_field_map()
        self.addParameter(QgsProcessingParameterEnum(
            self.SCALE, self.tr("Scale", "比例尺"), [self.tr("1:250000 city", "1:25万 全市"),
                                                      self.tr("1:50000 township", "1:5万 乡镇")], defaultValue=0))
        self.addParameter(QgsProcessingParameterString(
            self.TOWNSHIP, self.tr("Township name or code (township scale; empty = all in turn)",
                                   "乡镇名称或代码（乡镇比例尺；留空为全部乡镇）"), optional=True))
        self.addParameter(QgsProcessingParameterNumber(
            self.CELL_SIZE, self.tr("Cell size, m (0 = the scale's default)", "像元大小，米（0 = 比例尺默认值）"),
            QgsProcessingParameterNumber.Type.Double, 0.0, minValue=0.0))
        self.addParameter(QgsProcessingParameterEnum(
            self.CLASS_SCALE, self.tr("Class breaks at township scale", "乡镇比例尺分级断点"),
            [self.tr("City-wide (a class means the same in every township)", "全市统一分级（各乡镇等级含义一致）"),
             self.tr("Relative to the township", "本乡镇分级")], defaultValue=0))
        self.addParameter(QgsProcessingParameterCrs(
            self.CRS, self.tr("Target CRS (metric)", "目标坐标系（米制）"), f"EPSG:{default_epsg()}", optional=True))
        self.addParameter(QgsProcessingParameterExtent(
            self.EXTENT, self.tr("Extent (empty = the townships')", "范围（留空为乡镇范围）"), optional=True))
        self.addParameter(
            QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, self.tr("Output folder", "输出文件夹")))
        self.addOutput(QgsProcessingOutputRasterLayer("RISK_INDEX", self.tr("Risk index (0–1)", "综合风险指数（0–1）")))
        self.addOutput(QgsProcessingOutputRasterLayer("RISK_CLASS", self.tr("Risk class", "综合风险等级")))
        self.addOutput(QgsProcessingOutputVectorLayer("RISK_ZONES", self.tr("Risk zones", "综合风险区")))
        self.addOutput(QgsProcessingOutputVectorLayer("PREVENTION_ZONES", self.tr("Prevention zones", "综合防治区")))
        self.addOutput(QgsProcessingOutputVectorLayer("TOWNSHIP_STATS", self.tr("Township statistics", "乡镇统计")))
        self.addOutput(
            QgsProcessingOutputFile("TOWNSHIP_STATS_CSV", self.tr("Township statistics (CSV)", "乡镇统计（CSV）")))
        self.addOutput(QgsProcessingOutputFile("PROVENANCE", self.tr("Provenance (JSON)", "来源记录（JSON）")))

    def execute(self, parameters, context, feedback, progress):
        model = load_model(self.parameterAsFile(parameters, self.MODEL, context) or None)
        crs = self.parameterAsCrs(parameters, self.CRS, context)
        if not crs.isValid():
            crs = QgsCoordinateReferenceSystem(f"EPSG:{default_epsg()}")
        inputs = self._inputs(parameters, context, crs)
        extent = None
        if parameters.get(self.EXTENT):
            rect = self.parameterAsExtent(parameters, self.EXTENT, context, crs)
            extent = (rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum())
        scale = _SCALES[self.parameterAsEnum(parameters, self.SCALE, context)]
        folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        request = ZoningRequest(
            model=model, inputs=inputs, scale=scale,
            township=self.parameterAsString(parameters, self.TOWNSHIP, context).strip() or None,
            cell=self.parameterAsDouble(parameters, self.CELL_SIZE, context) or None,
            relative_classes=self.parameterAsEnum(parameters, self.CLASS_SCALE, context) == 1,
            crs=crs.toWkt(QgsCoordinateReferenceSystem.WktVariant.WKT_PREFERRED) if not crs.authid() else crs.authid(),
            extent=extent,
            styles={name: styles_dir() / f"{name}.qml" for name in _STYLES},
            parameters=plain_parameters(parameters),
        )
        result = run_zoning(request, folder, progress)
        for note in result["record"]["missing"]["notes"]:
            feedback.pushWarning(note)
        outputs = {key: result[key] for key in self.OUTPUTS if key in result}
        outputs[self.OUTPUT_FOLDER] = folder
        for key, style in _LOADED_LAYERS.items():
            if key in outputs:
                load_on_completion(context, outputs[key], self.outputDefinition(key).description(), style,
                                   self.result_group())
        return outputs

    def _inputs(self, parameters, context, crs) -> RiskInputs:
        """Vector inputs as GeoDataFrames reprojected to ``crs`` (None when not given);
        raster inputs as file paths (warped onto the grid by the core)."""
        vectors, uris, rasters = {}, {}, {}
        for item in census_inputs():
            if item.is_raster:
                raster = self.parameterAsRasterLayer(parameters, item.parameter,
                                                     context) if parameters.get(item.parameter) else None
                rasters[item.name] = uris[item.name] = raster.source() if raster is not None else None
                continue
            if parameters.get(item.parameter):
                vectors[item.name], uris[item.name] = read_layer(self, parameters, item.parameter, context, crs)
            else:
                vectors[item.name] = uris[item.name] = None
        return RiskInputs(vectors, rasters, uris)
