"""``hunchunrisk:hazardledger``: the hazard-site ledger (风险台账) and its 防灾避险明白卡.
A thin layer over ``core.routing.ledger`` (which runs the scenario's evacuation) and
``mapping.hazard_cards`` (the printed cards)."""
from __future__ import annotations

from datetime import date

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingOutputFolder,
    QgsProcessingOutputNumber,
    QgsProcessingOutputFile,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterString,
    QgsSettings,
)

from ...core.map_specs import maps_config
from ...core.provenance import build_record, write_record
from ...core.routing.evacuation import EvacuationSettings
from ...core.routing.ledger import DEFAULT_SCENARIO, hazard_ledger
from ...core.routing.scenario import load_scenario, shipped_scenarios
from ...core.schema import census_input
from ...core.staging import staged_outputs
from ...mapping.hazard_cards import footer_text, write_cards
from ...mapping.source_facts import declares_synthetic
from ..base import HunchunAlgorithm
from ..folder_outputs import LayerOutput, declare_layer_outputs, layer_output_results, write_layer_outputs
from ..layer_io import read_layer
from ..parameter_values import plain_parameters

LAYERS = (
    LayerOutput("LEDGER", "hazard_ledger", "hazard_sites_by_scale", "Hazard-site ledger", "隐患点风险台账", table=True),
    LayerOutput("LEDGER_ROUTES", "hazard_ledger_routes", None, "Ledger: settlements to shelters",
                "台账：受威胁居民点至避难场所", table=True),
    LayerOutput("MAJOR_HAZARD_ZONES", "major_hazard_zones", "major_hazard_zones",
                "Safety distance of major hazard installations",
                "重大危险源安全距离", table=True),
)
CARDS_FOLDER = "cards"
PROVENANCE_FILE = "hazard_ledger_provenance.json"
COMPILED_BY_SETTING = "hunchun_risk/compiled_by"  # the same remembered name as the printed maps


class HazardLedgerAlgorithm(HunchunAlgorithm):
    ALG_ID = "hazardledger"
    HELP_EN = (
        "The hazard-site ledger (风险台账, 清单制) and its 防灾避险明白卡. Runs the same evacuation plan as Evacuation "
        "routes under SCENARIO (default geological_rainstorm: the threatened people of landslide, collapse, "
        "debris-flow and ground-subsidence sites) and lists, for every site whose people must leave: code, name, kind, "
        "scale, township, threatened people, the settlements it threatens (or the site itself when nobody lives within "
        "the scenario's radius), their assigned shelter(s) with route distance and walking time, and the warning "
        "signal, monitor and phone where the site layer has such fields (warning_signal, monitor, phone; blank "
        "otherwise, never made up). Writes hazard_ledger.gpkg + .csv (one row per site), hazard_ledger_routes.gpkg + "
        ".csv (site, settlement, shelter, route line), major_hazard_zones.gpkg (the scenario's safety distance, GB "
        "50413's 1,000 m by default, around each major hazard installation, with the shelters inside) and cards/: one "
        "A5 card per site, one PDF per township."
    )
    HELP_ZH = (
        "编制隐患点风险台账（清单制）及防灾避险明白卡。按疏散情景（默认 geological_rainstorm：滑坡、崩塌、泥石流、"
        "地面塌陷隐患点的受威胁群众）运行与“应急疏散路线”相同的疏散方案，对每个需转移群众的隐患点列出：编号、名称、"
        "类型、规模、所在乡镇、威胁人数、受威胁居民点（情景半径内无居民点时为隐患点本身）、"
        "分配的避难场所及道路距离和步行时间，以及图层中已有的预警信号、监测责任人和联系电话（字段 warning_signal、"
        "monitor、phone；没有则留空，绝不编造）。输出 hazard_ledger.gpkg 和 CSV（每个隐患点一行）、"
        "hazard_ledger_routes.gpkg 和 CSV（隐患点、居民点、避难场所及路线）、"
        "major_hazard_zones.gpkg（各重大危险源周围的安全距离，默认 GB 50413 规定的 1000 米，含其中的避难场所）及 "
        "cards/ 文件夹：每个隐患点一张 A5 明白卡，每个乡镇一个 PDF。"
    )
    SCENARIO, CARDS, OUTPUT_FOLDER = "SCENARIO", "CARDS", "OUTPUT_FOLDER"
    SITES, EVACUEES, PROVENANCE = "SITES", "EVACUEES", "PROVENANCE"

    def flags(self):
        # The cards build a QgsProject and print layouts of their own: on QGIS 3.40 doing
        # that in a worker thread crashed (inside PROJ), so Processing runs it on the main thread.
        return super().flags() | QgsProcessingAlgorithm.Flag.FlagNoThreading

    def initAlgorithm(self, config=None):
        tr, trf = self.tr, self.trf
        self.add_census_layer(census_input("hazard_sites"), optional=False)
        self.add_census_layer(census_input("settlements"), optional=False)
        self.add_census_layer(census_input("shelters"), optional=False)
        self.add_roads()
        self.add_census_layer(census_input("townships"), optional=True)
        names = ", ".join(shipped_scenarios())
        self.add(QgsProcessingParameterString(
            self.SCENARIO, trf("Scenario (shipped name or TOML file; empty = {default})",
                               "疏散情景（内置名称或 TOML 文件；留空 = {default}）", default=DEFAULT_SCENARIO),
            DEFAULT_SCENARIO, optional=True),
            "Which sites' people leave and where they may go; it needs a hazard-site trigger. Shipped: {names}.",
            "哪些隐患点的群众需转移、可去哪些场所；须含隐患点触发条件。内置情景：{names}。", values={"names": names})
        self.add_network_settings()
        self.add_field_map()
        self.add(QgsProcessingParameterBoolean(self.CARDS, tr("Print the cards (PDF)", "输出明白卡（PDF）"), True),
                 "One A5 防灾避险明白卡 per site, one PDF per township, in the cards folder.",
                 "每个隐患点一张 A5 防灾避险明白卡，每个乡镇一个 PDF，写入 cards 文件夹。")
        self.add(QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, tr("Output folder", "输出文件夹")),
                 "Where the ledger (GeoPackage + CSV for Excel), the routes, the safety zones, the cards and "
                 "{provenance} go.",
                 "台账（GeoPackage 及供 Excel 使用的 CSV）、路线、安全距离、明白卡和 {provenance} 写入此文件夹。",
                 values={"provenance": PROVENANCE_FILE})
        declare_layer_outputs(self, LAYERS)
        self.addOutput(QgsProcessingOutputFolder(self.CARDS, tr("Cards folder", "明白卡文件夹")))
        self.addOutput(QgsProcessingOutputFile(self.PROVENANCE, tr("Provenance record (JSON)", "来源记录（JSON）")))
        self.addOutput(QgsProcessingOutputNumber(self.SITES, tr("Sites in the ledger", "台账隐患点数")))
        self.addOutput(QgsProcessingOutputNumber(self.EVACUEES, tr("People to evacuate", "需转移人数")))

    def execute(self, parameters, context, feedback, progress):
        read = {name: read_layer(self, parameters, name, context)
                for name in ("HAZARD_SITES", "SETTLEMENTS", "SHELTERS", "ROADS", "TOWNSHIPS")}
        frames = {name: frame for name, (frame, _) in read.items()}
        scenario = load_scenario((self.parameterAsString(parameters, self.SCENARIO, context) or "").strip()
                                 or DEFAULT_SCENARIO)
        settings = EvacuationSettings(snap_tolerance_m=self.parameterAsDouble(parameters, "SNAP_TOLERANCE", context),
                                      max_access_m=self.parameterAsDouble(parameters, "MAX_ACCESS_DISTANCE", context))
        ledger = hazard_ledger(frames["ROADS"], frames["SETTLEMENTS"], frames["SHELTERS"], frames["HAZARD_SITES"],
                               frames["TOWNSHIPS"], scenario, settings, progress.sub(0.0, 0.6))
        summary = ledger.summary
        for en, zh in ledger.evacuation.plan.evacuees.warnings:
            feedback.pushWarning(self.tr(en, zh))
        feedback.pushInfo(self.trf(
            "Ledger: {sites} sites in {townships} townships threaten {evacuees} people ({settlements} settlements); "
            "{population_placed} placed in {shelters_used} shelters.",
            "台账：{townships} 个乡镇 {sites} 处隐患点威胁 {evacuees} 人（{settlements} 个居民点）；"
            "已安置 {population_placed} 人，使用避难场所 {shelters_used} 处。", **summary))
        missing = [key for key, field in summary["optional_fields"].items() if field is None]
        if missing:
            feedback.pushInfo(self.trf("The site layer has no field for: {fields} (left blank).",
                                       "隐患点图层没有以下字段：{fields}（留空）。", fields=", ".join(missing)))
        folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        layers = {"LEDGER": ledger.sites, "LEDGER_ROUTES": ledger.links, "MAJOR_HAZARD_ZONES": ledger.safety_zones}
        inputs = {name: uri for name, (_, uri) in read.items()} | {"SCENARIO": scenario.source}
        with staged_outputs(folder) as stage:
            write_layer_outputs(stage, LAYERS, layers)
            cards = []
            if self.parameterAsBoolean(parameters, self.CARDS, context):
                footer = footer_text(scenario.title_zh or scenario.name,
                                     QgsSettings().value(COMPILED_BY_SETTING, maps_config()["notes"]["compiled_by"]),
                                     date.today().isoformat(), declares_synthetic(inputs["HAZARD_SITES"] or ""))
                roads = self.parameterAsVectorLayer(parameters, "ROADS", context)
                for path in write_cards(ledger.sites, ledger.links, roads, stage.root / CARDS_FOLDER, footer):
                    stage.path(f"{CARDS_FOLDER}/{path.name}")
                    cards.append(path.name)
                progress.step(0.95)
            record = build_record(f"hunchunrisk:{self.ALG_ID}", plain_parameters(parameters), inputs,
                                  {"summary": summary, "cards": cards})
            write_record(record, stage.path(PROVENANCE_FILE))
            progress.step(1.0)
        outputs = layer_output_results(stage, LAYERS, context, self.result_group())
        outputs.update({self.OUTPUT_FOLDER: folder, self.CARDS: str(stage.final_path(CARDS_FOLDER)),
                        self.PROVENANCE: str(stage.final_path(PROVENANCE_FILE)), self.SITES: summary["sites"],
                        self.EVACUEES: summary["evacuees"]})
        return outputs
