"""``hunchunrisk:evacuationroutes``: evacuation routes from settlements to shelters
with room, around hazards. A thin layer over ``core.routing.evacuation``."""
from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)

from ...core.provenance import build_record, write_record
from ...core.routing.evacuation import EvacuationSettings, evacuate
from ...core.routing.graph import MODES  # the MODE enum lists them in this order
from ...core.routing.hazards import CLOSE, PENALISE, HazardRule, read_class_raster
from ...core.routing.scenario import load_scenario, shipped_scenarios
from ...core.routing.scenario_inputs import ScenarioInputs
from ...core.schema import census_input
from ...core.staging import staged_outputs
from ..base import GEOMETRY_TYPES, POINT_OR_POLYGON, HunchunAlgorithm
from ..folder_outputs import LayerOutput, declare_layer_outputs, layer_output_results, write_layer_outputs
from ..layer_io import read_layer
from ..parameter_values import plain_parameters

_ACTIONS = (CLOSE, PENALISE)
LAYERS = (
    LayerOutput("ROUTES", "evacuation_routes", "evacuation_routes", "Evacuation routes", "疏散路线", table=True),
    LayerOutput("SHELTER_LOAD", "shelter_load", "shelter_load", "Shelter load", "避难场所负荷", table=True),
    LayerOutput("UNREACHED", "unreached", "unreached", "Settlements not placed", "未能安置的居民点", table=True),
)
# Written only with a scenario.
PLAN_LAYERS = (
    LayerOutput("EVACUEES", "evacuees", None, "People who must leave", "需转移人员", table=True),
    LayerOutput("SHORTFALL", "shelter_shortfall", None, "Shelter shortfall per township", "各乡镇避难场所缺口",
                table=True),
    LayerOutput("PROPOSED_SHELTERS", "proposed_shelters", None, "Proposed new shelters", "建议新增避难场所",
                table=True),
)
PROVENANCE_FILE = "evacuation_routes_provenance.json"


class EvacuationRoutesAlgorithm(HunchunAlgorithm):
    ALG_ID = "evacuationroutes"
    HELP_EN = (
        "Routes every settlement's population over the road network to shelters with room, around hazards "
        "(the 应急疏散路线图). One multi-source shortest-path pass finds every settlement's nearest shelter; when "
        "a shelter would overflow, an optimal min-cost assignment (fewest people left out, then least "
        "person-minutes) sends the rest to the next shelters with room, splitting settlements where needed. "
        "ROADS: any line layer (road_class gives the default speed, speed_kmh overrides it, oneway 1/-1 respected "
        "when driving; walking ignores one-way streets). Nodes closer than SNAP_TOLERANCE (m) are joined; "
        "settlements and shelters farther than MAX_ACCESS_DISTANCE (m) from a road are reported. A geographic or "
        "non-metre CRS is reprojected to a metric one. Capacity comes from the capacity field, or from "
        "effective_area_m2 ÷ the per-person area of the shelter kind. HAZARD_POLYGONS (e.g. flood zones) close "
        "(or penalise) the roads they touch; HAZARD_RASTER (risk classes 1–5 from hunchunrisk:riskzoning) closes "
        "roads through cells of class ≥ CLOSE_FROM_CLASS and penalises from PENALISE_FROM_CLASS. People inside a "
        "closed area leave it by the shortest way out. Writes into the output folder: the evacuation routes "
        "(lines along the roads, population, distance m, time min, flag where the shelter kind's standard is "
        "exceeded), the shelter load (capacity, assigned, utilisation), the settlements not placed (with the "
        "reason), their tables as CSV and a provenance JSON. "
        "SCENARIO (a shipped scenario name such as flood_100y, or a scenario TOML file; empty = everyone) moves only "
        "the threatened population, by priority (the danger zone first, the vulnerable first within a priority, "
        "within the shelter kind's standard first), to the shelters the scenario allows (excluded ones are listed "
        "with the reason in the shelter load); its travel mode replaces MODE. With a scenario the folder also gets "
        "evacuees.gpkg, shelter_shortfall.gpkg (per township, + CSV) and proposed_shelters.gpkg (up to "
        "MAX_NEW_SHELTERS sites from CANDIDATES, default the settlements outside every triggered zone). "
        "See docs/evacuation_and_coverage.md."
    )
    HELP_ZH = (
        "沿道路网络把各居民点人口疏散到有余量的避难场所，并绕开危险区（应急疏散路线图）。"
        "一次多源最短路计算即得到每个居民点最近的避难场所；若场所超员，以最优最小费用分配（先使未安置人数最少，"
        "再使人·分钟最少）把其余人员分到下一个有余量的场所，必要时拆分居民点。道路：任意线图层（road_class "
        "给出默认速度，speed_kmh 优先，驾车时遵守 oneway 1/-1，步行忽略单行）。相距小于 SNAP_TOLERANCE（米）"
        "的节点合并；距道路超过 MAX_ACCESS_DISTANCE（米）的居民点和场所将被报告。"
        "地理坐标或非米制坐标系会重投影到米制坐标系。容量取 capacity 字段，缺失时按有效面积 ÷ 场所类型人均面积计算。"
        "HAZARD_POLYGONS（如洪水淹没区）封闭（或加权）其触及的道路；HAZARD_RASTER（hunchunrisk:riskzoning 输出的 1–5 "
        "级风险栅格）封闭穿过 ≥ CLOSE_FROM_CLASS 像元的道路，并从 PENALISE_FROM_CLASS 起加权。"
        "位于封闭区内的人员按最短路径离开。输出：疏散路线（沿道路的线，人数、距离、时间、超出场所类型标准的标记）、"
        "场所负荷（容量、分配人数、利用率）、未能安置（含原因）及来源记录 JSON。SCENARIO（内置情景名如 flood_100y，"
        "或情景 TOML 文件；留空 = 全部人口）只转移受威胁群众，并按优先级安置（先危险区后警戒区，同级先老幼病残，"
        "先满足场所类型标准），只使用情景允许的避难场所（被排除的场所在负荷图层中注明原因）；情景的出行方式取代 MODE。"
        "有情景时输出文件夹另有：evacuees.gpkg（需转移人员）、shelter_shortfall.gpkg（各乡镇缺口，含 CSV）及 "
        "proposed_shelters.gpkg（从 CANDIDATES 中选至多 MAX_NEW_SHELTERS 处，默认为所有触发区以外的居民点）。"
    )

    ROADS, ORIGINS, SHELTERS = "ROADS", "ORIGINS", "SHELTERS"
    MODE = "MODE"
    HAZARD_RASTER, HAZARD_POLYGONS, POLYGON_ACTION = "HAZARD_RASTER", "HAZARD_POLYGONS", "POLYGON_ACTION"
    CLOSE_FROM_CLASS, PENALISE_FROM_CLASS, PENALTY_FACTOR = "CLOSE_FROM_CLASS", "PENALISE_FROM_CLASS", "PENALTY_FACTOR"
    SNAP_TOLERANCE, MAX_ACCESS_DISTANCE = "SNAP_TOLERANCE", "MAX_ACCESS_DISTANCE"
    POPULATION_FIELD, CAPACITY_FIELD = "POPULATION_FIELD", "CAPACITY_FIELD"
    ORIGIN_ID_FIELD, SHELTER_ID_FIELD = "ORIGIN_ID_FIELD", "SHELTER_ID_FIELD"
    ROUTES, SHELTER_LOAD, UNREACHED, PROVENANCE = "ROUTES", "SHELTER_LOAD", "UNREACHED", "PROVENANCE"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"
    SCHEMA_LAYER_PARAMETERS = {ORIGINS: "settlements", SHELTERS: "shelters", HAZARD_POLYGONS: "flood_zones"}
    PLACED, NOT_PLACED = "POPULATION_PLACED", "POPULATION_UNREACHED"
    SCENARIO, HAZARD_SITES, TOWNSHIPS = "SCENARIO", "HAZARD_SITES", "TOWNSHIPS"
    CANDIDATES, MAX_NEW_SHELTERS = "CANDIDATES", "MAX_NEW_SHELTERS"
    EVACUEE_COUNT = "POPULATION_EVACUEES"

    def initAlgorithm(self, config=None):
        tr = self.tr
        self.add_roads()
        self.add(QgsProcessingParameterFeatureSource(
            self.ORIGINS, tr("Settlements (origins, with population)", "居民点（起点，含人口）"), POINT_OR_POLYGON),
            "Where people leave from: points or polygons with a population field.",
            "疏散起点：含人口字段的点或面图层。")
        self.add(QgsProcessingParameterFeatureSource(
            self.SHELTERS, tr("Shelters (with capacity)", "避难场所（含容量）"), POINT_OR_POLYGON),
            "Capacity comes from the capacity field, or from effective_area_m2 ÷ the per-person area of the shelter "
            "kind.",
            "容量取 capacity 字段；缺失时按有效面积 ÷ 场所类型人均面积计算。")
        self.add(QgsProcessingParameterEnum(
            self.MODE, tr("Travel mode", "出行方式"), [tr("Walking", "步行"), tr("Driving", "驾车")], defaultValue=0),
            "Walking ignores one-way streets; driving uses road speeds and respects them.",
            "步行忽略单行道；驾车按道路速度并遵守单行。")
        self.add(QgsProcessingParameterRasterLayer(
            self.HAZARD_RASTER, tr("Risk class raster (1–5, optional)", "风险等级栅格（1–5，可选）"), optional=True),
            "Risk classes 1–5 from Composite risk zoning: roads through high classes are closed or penalised.",
            "综合风险区划输出的 1–5 级风险栅格：穿过高等级像元的道路被封闭或加权。")
        self.add(QgsProcessingParameterFeatureSource(
            self.HAZARD_POLYGONS, tr("Hazard polygons, e.g. flood zones (optional)", "危险区面，如洪水淹没区（可选）"),
            GEOMETRY_TYPES["polygon"], optional=True),
            "Roads touching these polygons are closed or penalised; people inside leave by the shortest way out.",
            "触及这些面的道路被封闭或加权；面内人员按最短路径撤离。")
        self.add(QgsProcessingParameterEnum(
            self.POLYGON_ACTION, tr("Roads in hazard polygons are", "危险区面内道路"),
            [tr("Closed", "封闭"), tr("Penalised", "加权（绕行优先）")], defaultValue=0),
            "Closed roads are not used at all; penalised roads cost the penalty factor times their travel time.",
            "封闭的道路不再使用；加权的道路按惩罚系数乘以通行时间计算成本。")
        self.add(QgsProcessingParameterNumber(
            self.CLOSE_FROM_CLASS, tr("Close roads in risk class ≥ (6 = none)", "封闭风险等级 ≥ 的道路（6 = 不封闭）"),
            QgsProcessingParameterNumber.Type.Integer, 4, minValue=1, maxValue=6),
            "With a risk class raster: roads through cells of this class or higher are closed.",
            "使用风险等级栅格时：穿过该等级及以上像元的道路被封闭。")
        self.add(QgsProcessingParameterNumber(
            self.PENALISE_FROM_CLASS,
            tr("Penalise roads in risk class ≥ (0 = none)", "加权风险等级 ≥ 的道路（0 = 不加权）"),
            QgsProcessingParameterNumber.Type.Integer, 0, minValue=0, maxValue=5),
            "With a risk class raster: roads through cells of this class or higher cost more, so routes avoid them.",
            "使用风险等级栅格时：穿过该等级及以上像元的道路成本提高，路线尽量绕开。", advanced=True)
        self.add(QgsProcessingParameterNumber(
            self.PENALTY_FACTOR, tr("Penalty factor (travel cost ×)", "惩罚系数（通行成本 ×）"),
            QgsProcessingParameterNumber.Type.Double, 3.0, minValue=1.0),
            "How many times its travel time a penalised road costs.", "加权道路的成本为其通行时间的倍数。",
            advanced=True)
        self.add_network_settings()
        self._add_scenario_parameters()
        self.add(QgsProcessingParameterField(
            self.POPULATION_FIELD, tr("Population field (empty = population)", "人口字段（空 = population）"),
            "population",
            self.ORIGINS, QgsProcessingParameterField.DataType.Numeric, optional=True),
            "The settlements' field holding the number of people.", "居民点图层中表示人数的字段。", advanced=True)
        self.add(QgsProcessingParameterField(
            self.ORIGIN_ID_FIELD,
            tr("Settlement id field (empty = code or row number)", "居民点编号字段（空 = code 或行号）"),
            None, self.ORIGINS, optional=True),
            "Names each settlement in the outputs.", "输出中用于标识居民点的字段。", advanced=True)
        self.add(QgsProcessingParameterField(
            self.SHELTER_ID_FIELD,
            tr("Shelter id field (empty = code or row number)", "避难场所编号字段（空 = code 或行号）"),
            None, self.SHELTERS, optional=True),
            "Names each shelter in the outputs.", "输出中用于标识避难场所的字段。", advanced=True)
        self.add(QgsProcessingParameterField(
            self.CAPACITY_FIELD, tr("Capacity field", "容量字段"), "capacity", self.SHELTERS,
            QgsProcessingParameterField.DataType.Numeric, optional=True),
            "The shelters' field holding how many people each can take.", "避难场所图层中表示可容纳人数的字段。",
            advanced=True)
        self.add(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, tr("Output folder", "输出文件夹")),
                 "Where the results go: evacuation_routes.gpkg (lines along the roads: people, distance m, time min, "
                 "a flag where the shelter kind's standard is exceeded), shelter_load.gpkg (capacity, assigned, "
                 "utilisation), unreached.gpkg (with the reason), the tables as CSV for Excel, styles and "
                 "{provenance}.",
                 "结果写入此文件夹：evacuation_routes.gpkg（沿道路的疏散线：人数、距离、时间、"
                 "超出场所类型标准的标记）、shelter_load.gpkg（容量、分配人数、利用率）、unreached.gpkg（含原因），"
                 "以及供 Excel 使用的 CSV、样式和{provenance}。", values={"provenance": PROVENANCE_FILE})
        self.add_field_map()
        declare_layer_outputs(self, LAYERS + PLAN_LAYERS)
        self.addOutput(QgsProcessingOutputFile(self.PROVENANCE, tr("Provenance record (JSON)", "来源记录（JSON）")))
        self.addOutput(QgsProcessingOutputNumber(self.PLACED, tr("People placed in shelters", "已安置人数")))
        self.addOutput(QgsProcessingOutputNumber(self.NOT_PLACED, tr("People not placed", "未能安置人数")))
        self.addOutput(
            QgsProcessingOutputNumber(self.EVACUEE_COUNT, tr("Number of people who must leave", "需转移人数")))

    def _add_scenario_parameters(self) -> None:
        tr, names = self.tr, ", ".join(shipped_scenarios())
        self.add(QgsProcessingParameterString(
            self.SCENARIO,
            tr("Scenario (shipped name or TOML file; empty = everyone)",
               "疏散情景（内置名称或 TOML 文件；空 = 全部人口）"),
            "", optional=True),
            "Who must leave and where they may go. Shipped: {names}. Empty moves everyone to the nearest shelter with "
            "room.",
            "哪些人需要转移、可去哪些场所。内置情景：{names}。留空则全部人口疏散到最近的有余量场所。",
            values={"names": names})
        for name in ("hazard_sites", "townships"):
            self.add_census_layer(census_input(name), optional=True)
        self.add(QgsProcessingParameterFeatureSource(
            self.CANDIDATES, tr("Candidate sites for new shelters (optional)", "新增避难场所候选点（可选）"),
            POINT_OR_POLYGON,
            optional=True),
            "Schools, squares, gyms… that could become shelters (a capacity field limits what each may take). "
            "Empty: the settlements outside every triggered zone.",
            "可改建为避难场所的学校、广场、体育馆等（capacity 字段限制其容量）。留空：所有触发区以外的居民点。")
        self.add(QgsProcessingParameterNumber(
            self.MAX_NEW_SHELTERS, tr("Most new shelters to propose", "建议新增避难场所上限"),
            QgsProcessingParameterNumber.Type.Integer, 10, minValue=0),
            "With a scenario: how many candidate sites may be proposed (0 = no proposal).",
            "有情景时：最多建议的候选点数（0 = 不建议）。")

    def execute(self, parameters, context, feedback, progress):
        roads, roads_uri = read_layer(self, parameters, self.ROADS, context)
        origins, origins_uri = read_layer(self, parameters, self.ORIGINS, context)
        shelters, shelters_uri = read_layer(self, parameters, self.SHELTERS, context)
        polygons, polygons_uri = read_layer(self, parameters, self.HAZARD_POLYGONS, context)
        raster_layer = self.parameterAsRasterLayer(parameters, self.HAZARD_RASTER, context)
        raster = read_class_raster(raster_layer.source()) if raster_layer is not None else None
        sites, sites_uri = read_layer(self, parameters, self.HAZARD_SITES, context)
        townships, townships_uri = read_layer(self, parameters, self.TOWNSHIPS, context)
        candidates, candidates_uri = read_layer(self, parameters, self.CANDIDATES, context)
        scenario_text = (self.parameterAsString(parameters, self.SCENARIO, context) or "").strip()
        scenario = load_scenario(scenario_text) if scenario_text else None
        settings = self._settings(parameters, context)
        progress.step(0.02)
        scenario_inputs = ScenarioInputs(
            scenario, hazard_sites=sites, townships=townships, candidates=candidates,
            max_new_shelters=self.parameterAsInt(parameters, self.MAX_NEW_SHELTERS, context),
        ) if scenario is not None else None
        result = evacuate(roads, origins, shelters, settings, polygons, raster, progress.sub(0.02, 0.95),
                          scenario=scenario_inputs)

        summary = result.summary
        feedback.pushInfo(self.trf(
            "Placed {population_placed} of {population_total} people ({assignment_method}); "
            "not placed: {population_unreached}.",
            "已安置 {population_placed} / {population_total} 人（{assignment_method}）；未能安置 "
            "{population_unreached} 人。",
            **summary))
        if scenario is not None:
            for en, zh in result.plan.evacuees.warnings:
                feedback.pushWarning(self.tr(en, zh))
            self._log_plan(feedback, summary)
        progress.step(0.96)
        inputs = {"ROADS": roads_uri, "ORIGINS": origins_uri, "SHELTERS": shelters_uri,
                  "HAZARD_POLYGONS": polygons_uri, "HAZARD_RASTER": raster_layer.source() if raster_layer else None,
                  "HAZARD_SITES": sites_uri, "TOWNSHIPS": townships_uri, "CANDIDATES": candidates_uri,
                  "SCENARIO": scenario.source if scenario is not None else None}
        folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        frames = {self.ROUTES: result.routes, self.SHELTER_LOAD: result.shelter_load, self.UNREACHED: result.unreached,
                  "EVACUEES": result.evacuees, "SHORTFALL": result.shortfall, "PROPOSED_SHELTERS": result.proposed}
        written = tuple(o for o in LAYERS + PLAN_LAYERS if frames[o.key] is not None)
        with staged_outputs(folder) as stage:
            write_layer_outputs(stage, written, frames)
            record = build_record(f"hunchunrisk:{self.ALG_ID}", plain_parameters(parameters), inputs,
                                  {"summary": summary})
            write_record(record, stage.path(PROVENANCE_FILE))
            progress.step(1.0)  # last chance to cancel before the files move into place
        outputs = layer_output_results(stage, written, context, self.result_group())
        outputs.update({self.OUTPUT_FOLDER: folder, self.PROVENANCE: str(stage.final_path(PROVENANCE_FILE)),
                        self.PLACED: summary["population_placed"], self.NOT_PLACED: summary["population_unreached"],
                        self.EVACUEE_COUNT: summary.get("population_evacuees", summary["population_total"])})
        return outputs

    def _log_plan(self, feedback, summary: dict) -> None:
        feedback.pushInfo(self.trf(
            "Scenario {name} ({mode}, the scenario's travel mode): {population_evacuees} must leave; "
            "{shelters_excluded} shelter(s) excluded; shortfall {shortfall}.",
            "情景 {name}（{mode}，按情景的出行方式）：需转移 {population_evacuees} 人；"
            "排除避难场所 {shelters_excluded} 处；缺口 {shortfall} 人。",
            **(summary | {"name": summary["scenario"]["name"]})))
        for priority, n in summary["by_priority"].items():
            feedback.pushInfo(self.trf(
                "Priority {priority}: {evacuees} evacuees ({vulnerable} vulnerable), {placed} placed "
                "({placed_within_standard} within the standard), {not_placed} not placed.",
                "优先级 {priority}：需转移 {evacuees} 人（老幼病残 {vulnerable}），已安置 {placed} 人"
                "（符合标准 {placed_within_standard}），未能安置 {not_placed} 人。", **(n | {"priority": priority})))
        if "proposed_shelters" in summary:
            feedback.pushInfo(self.trf(
                "Proposed {proposed_shelters} new shelter(s) for {proposed_people} people.",
                "建议新增避难场所 {proposed_shelters} 处，可安置 {proposed_people} 人。", **summary))

    def _settings(self, parameters, context) -> EvacuationSettings:
        rule = HazardRule(
            close_from_class=self.parameterAsInt(parameters, self.CLOSE_FROM_CLASS, context),
            penalise_from_class=self.parameterAsInt(parameters, self.PENALISE_FROM_CLASS, context),
            penalty_factor=self.parameterAsDouble(parameters, self.PENALTY_FACTOR, context),
            polygon_action=_ACTIONS[self.parameterAsEnum(parameters, self.POLYGON_ACTION, context)],
        )
        return EvacuationSettings(
            mode=MODES[self.parameterAsEnum(parameters, self.MODE, context)],
            snap_tolerance_m=self.parameterAsDouble(parameters, self.SNAP_TOLERANCE, context),
            max_access_m=self.parameterAsDouble(parameters, self.MAX_ACCESS_DISTANCE, context),
            hazard_rule=rule,
            population_field=self.parameterAsString(parameters, self.POPULATION_FIELD, context) or "population",
            origin_id_field=self.parameterAsString(parameters, self.ORIGIN_ID_FIELD, context) or None,
            shelter_id_field=self.parameterAsString(parameters, self.SHELTER_ID_FIELD, context) or None,
            capacity_field=self.parameterAsString(parameters, self.CAPACITY_FIELD, context) or "capacity",
        )
