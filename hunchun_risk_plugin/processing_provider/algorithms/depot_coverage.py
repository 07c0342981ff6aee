"""``hunchunrisk:depotcoverage``: drive times from relief depots (and fire stations)
to every settlement, checked against the plan's 3 h rescue and 10 h basic-aid
targets. A thin layer over ``core.routing.coverage``; all files go through a staging
folder, so a failure or a cancel leaves nothing behind."""
from __future__ import annotations

import re

from qgis.core import (
    QgsProcessingOutputFile,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFolderDestination,
    QgsProcessingParameterString,
)

from ...core.coverage_text import band_thresholds_hours
from ...core.errors import InputError
from ...core.provenance import build_record, write_record
from ...core.routing.coverage import CoverageSettings, check_thresholds, depot_coverage
from ...core.staging import staged_outputs
from ..base import GEOMETRY_TYPES, POINT_OR_POLYGON, HunchunAlgorithm
from ..layer_io import read_layer
from ..folder_outputs import LayerOutput, declare_layer_outputs, layer_output_results, write_layer_outputs
from ..parameter_values import plain_parameters

# The core result's attribute for each output layer.
LAYERS = {
    "zones": LayerOutput("DRIVE_TIME_ZONES", "drive_time_zones", "drive_time_zones", "Drive-time zones",
                         "行车时间分区"),
    "settlements": LayerOutput("SETTLEMENT_TIMES", "settlement_times", "settlement_times", "Settlement drive times",
                               "居民点行车时间", table=True),
    "facilities": LayerOutput("DEPOT_SERVICE", "depot_service", None, "Depot service", "储备库服务", table=True),
    "townships": LayerOutput("TOWNSHIP_TIMES", "township_times", None, "Township drive times", "乡镇行车时间",
                             table=True),
}
PROVENANCE_FILE = "depot_coverage_provenance.json"


class DepotCoverageAlgorithm(HunchunAlgorithm):
    ALG_ID = "depotcoverage"
    HELP_EN = (
        "Drive times over the road network from every relief depot (and fire-and-rescue station) to every settlement "
        "and township seat, checked against the plan's targets: rescue within 3 hours (nearest depot or fire "
        "station), basic aid within 10 hours (nearest depot). Writes into OUTPUT_FOLDER: drive_time_zones.gpkg "
        "(bands between THRESHOLDS_HOURS, default 0.25, 0.5, 1, 3, 10, the coverage maps' classes: "
        "land within the access distance of a road reached in "
        "time), settlement_times.gpkg (nearest depot and time, flags), depot_service.gpkg (population served, "
        "stock per served person by category), township_times.gpkg (worst and population-weighted mean times), "
        "the same tables as UTF-8-with-BOM CSV for Excel, .qml styles and a provenance JSON. One-way streets are "
        "respected; a geographic or non-metre CRS is reprojected to a metric one. "
        "See docs/evacuation_and_coverage.md."
    )
    HELP_ZH = (
        "沿道路网络计算各救灾物资储备库（及消防救援站）到每个居民点和乡镇驻地的行车时间，并对照规划目标检查：救援 3 "
        "小时内到达（最近的储备库或消防站），基本生活救助 10 小时内到达（最近的储备库）。输出到 OUTPUT_FOLDER："
        "行车时间分区（按 THRESHOLDS_HOURS 分带，默认 0.25、0.5、1、3、10 小时，即覆盖图的分级）、"
        "居民点行车时间（最近储备库、时间与超标标记）、"
        "储备库服务人口及人均物资、乡镇最长与人口加权平均时间，对应的带 BOM 的 UTF-8 CSV、样式文件与来源记录 JSON。"
        "遵守单行道；地理坐标或非米制坐标系会重投影。"
    )

    ROADS, DEPOTS, FIRE_STATIONS = "ROADS", "DEPOTS", "FIRE_STATIONS"
    SETTLEMENTS, TOWNSHIPS = "SETTLEMENTS", "TOWNSHIPS"
    THRESHOLDS_HOURS, SNAP_TOLERANCE, MAX_ACCESS_DISTANCE = "THRESHOLDS_HOURS", "SNAP_TOLERANCE", "MAX_ACCESS_DISTANCE"
    OUTPUT_FOLDER = "OUTPUT_FOLDER"
    SETTLEMENT_TIMES, DRIVE_TIME_ZONES, DEPOT_SERVICE, TOWNSHIP_TIMES = (
        "SETTLEMENT_TIMES", "DRIVE_TIME_ZONES", "DEPOT_SERVICE", "TOWNSHIP_TIMES")
    PROVENANCE = "PROVENANCE"
    BEYOND_RESCUE, BEYOND_AID = "POP_BEYOND_RESCUE_3H", "POP_BEYOND_AID_10H"

    def initAlgorithm(self, config=None):
        tr = self.tr
        self.add_roads()
        self.add(
            QgsProcessingParameterFeatureSource(self.DEPOTS, tr("Relief depots", "救灾物资储备库"), POINT_OR_POLYGON),
                 "Where relief comes from; stock_* fields give the stock per served person.",
                 "救灾物资出发地；stock_* 字段用于计算人均物资。")
        self.add(QgsProcessingParameterFeatureSource(
            self.FIRE_STATIONS, tr("Fire and rescue stations (optional)", "消防救援站（可选）"), POINT_OR_POLYGON,
            optional=True),
            "Count for the 3-hour rescue target beside the depots.", "与储备库一起计入 3 小时救援目标。")
        self.add(QgsProcessingParameterFeatureSource(
            self.SETTLEMENTS, tr("Settlements (with population)", "居民点（含人口）"), POINT_OR_POLYGON),
            "Where people live: each gets its nearest depot and drive time.",
            "人口所在地：计算各自最近的储备库和行车时间。")
        self.add(QgsProcessingParameterFeatureSource(
            self.TOWNSHIPS, tr("Townships (optional)", "乡镇边界（可选）"), GEOMETRY_TYPES["polygon"], optional=True),
            "For the worst and mean drive time per township.", "用于统计各乡镇的最长和平均行车时间。")
        self.add(QgsProcessingParameterString(
            self.THRESHOLDS_HOURS,
            tr("Drive-time thresholds (hours, comma separated)", "行车时间阈值（小时，逗号分隔）"),
            band_thresholds_hours()),
            "The bands of the drive-time zones, in hours; the default draws every class of the coverage maps.",
            "行车时间分区的分界，单位小时；默认值与覆盖图的各级一致。")
        self.add_network_settings(
            ("Maximum distance from a road (m); also the zone width", "距道路最大接入距离（米），亦为分区宽度"))
        self.add_field_map()
        self.addParameter(
            QgsProcessingParameterFolderDestination(self.OUTPUT_FOLDER, tr("Output folder", "输出文件夹")))
        declare_layer_outputs(self, list(LAYERS.values()))
        self.addOutput(QgsProcessingOutputFile(self.PROVENANCE, tr("Provenance record", "来源记录")))
        self.addOutput(
            QgsProcessingOutputNumber(self.BEYOND_RESCUE, tr("People beyond 3 h rescue", "超出 3 小时救援的人口")))
        self.addOutput(
            QgsProcessingOutputNumber(self.BEYOND_AID, tr("People beyond 10 h basic aid", "超出 10 小时救助的人口")))

    def execute(self, parameters, context, feedback, progress):
        thresholds = parse_hours(self.parameterAsString(parameters, self.THRESHOLDS_HOURS, context))
        folder = self.parameterAsString(parameters, self.OUTPUT_FOLDER, context)
        layers = {name: read_layer(self, parameters, name, context)
                  for name in (self.ROADS, self.DEPOTS, self.FIRE_STATIONS, self.SETTLEMENTS, self.TOWNSHIPS)}
        settings = CoverageSettings(
            thresholds_h=thresholds,
            snap_tolerance_m=self.parameterAsDouble(parameters, self.SNAP_TOLERANCE, context),
            max_access_m=self.parameterAsDouble(parameters, self.MAX_ACCESS_DISTANCE, context),
        )
        with staged_outputs(folder) as stage:
            result = depot_coverage(
                layers[self.ROADS][0], layers[self.DEPOTS][0], layers[self.SETTLEMENTS][0], layers[self.TOWNSHIPS][0],
                layers[self.FIRE_STATIONS][0], settings, progress.sub(0.0, 0.9),
            )
            write_layer_outputs(stage, list(LAYERS.values()),
                                {out.key: getattr(result, attr) for attr, out in LAYERS.items()})
            progress.step(0.98)
            record = build_record(f"hunchunrisk:{self.ALG_ID}", plain_parameters(parameters),
                                  {name: uri for name, (_, uri) in layers.items()}, {"summary": result.summary})
            write_record(record, stage.path(PROVENANCE_FILE))
            progress.step(1.0)  # last chance to cancel before the files move into place
        outputs = {self.OUTPUT_FOLDER: folder, self.PROVENANCE: str(stage.final_path(PROVENANCE_FILE)),
                   self.BEYOND_RESCUE: result.summary["pop_beyond_rescue_3h"],
                   self.BEYOND_AID: result.summary["pop_beyond_aid_10h"]}
        outputs.update(layer_output_results(stage, list(LAYERS.values()), context, self.result_group()))
        feedback.pushInfo(self.trf(
            "People beyond 3 h rescue: {rescue}; beyond 10 h basic aid: {aid}.",
            "超出 3 小时救援的人口：{rescue}；超出 10 小时基本生活救助的人口：{aid}。",
            rescue=outputs[self.BEYOND_RESCUE], aid=outputs[self.BEYOND_AID]))
        return outputs


def parse_hours(text: str) -> tuple[float, ...]:
    """'1, 3, 10' -> (1.0, 3.0, 10.0); anything unreadable is a bilingual input error."""
    parts = [p for p in re.split(r"[,\s;，；]+", text or "") if p]
    try:
        values = [float(p) for p in parts]
    except ValueError as exc:
        raise InputError(
            f"THRESHOLDS_HOURS must be numbers separated by commas, e.g. '1, 3, 10'; got '{text}'.",
            f"THRESHOLDS_HOURS 必须是以逗号分隔的数字，例如“1, 3, 10”；当前为“{text}”。",
        ) from exc
    return check_thresholds(values)
