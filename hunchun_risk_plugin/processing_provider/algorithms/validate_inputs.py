"""``hunchunrisk:validateinputs``: check layers against the data schema."""
from __future__ import annotations

import json

from qgis.core import (
    QgsFeatureRequest,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterFileDestination,
)

from ...core.errors import HunchunRiskError
from ...core.field_mapping import propose_field_map
from ...core.layer_uri import uri_path
from ...core.schema import layer_specs
from ...core.shapefile_encoding import guess_encoding
from ...core.validation import ERROR, WARNING, Problem, validate_layer
from ..base import HunchunAlgorithm
from ..layer_io import layer_facts, read_mapped_layer

_GEOMETRY_TYPES = {
    "point": QgsProcessing.SourceType.TypeVectorPoint,
    "line": QgsProcessing.SourceType.TypeVectorLine,
    "polygon": QgsProcessing.SourceType.TypeVectorPolygon,
}


class ValidateInputsAlgorithm(HunchunAlgorithm):
    ALG_ID = "validateinputs"
    HELP_EN = (
        "Checks each given layer against the Hunchun Risk data schema and reports every problem: "
        "missing required layer or field, wrong field or geometry type, empty layer, empty or invalid "
        "geometries, empty or duplicate ids, missing, geographic or non-metric CRS. Each message names "
        "the layer and field and says how to fix it. Optional layers may be left empty. "
        "FAIL_ON_ERROR stops with an error when any error is found (for scripts)."
    )
    HELP_ZH = (
        "按照数据规范检查各输入图层并报告所有问题：缺少必需图层或字段、字段或几何类型错误、空图层、"
        "空几何或无效几何、编号为空或重复、坐标系缺失或非米制。每条信息都指出图层和字段并说明修改方法。"
    )

    REPORT = "REPORT"
    PROPOSED_FIELD_MAP = "PROPOSED_FIELD_MAP"
    FAIL_ON_ERROR = "FAIL_ON_ERROR"
    ERRORS = "ERRORS"
    WARNINGS = "WARNINGS"
    SUMMARY = "SUMMARY"

    def initAlgorithm(self, config=None):
        for name, spec in layer_specs().items():
            self.addParameter(
                QgsProcessingParameterFeatureSource(
                    name.upper(),
                    f"{spec.label(self.language())} ({name})",
                    [_GEOMETRY_TYPES[spec.geometry]],
                    optional=True,
                )
            )
        self.addParameter(
            QgsProcessingParameterBoolean(self.FAIL_ON_ERROR,
                                          self.tr("Fail when errors are found", "发现错误时报错停止"), False))
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.REPORT, self.tr("Validation report (JSON)", "检查报告（JSON）"), "JSON files (*.json)",
                optional=True, createByDefault=False
            )
        )
        self.add_field_map()
        self.add(QgsProcessingParameterFileDestination(
            self.PROPOSED_FIELD_MAP, self.tr("Proposed field map (TOML)", "建议的字段映射文件（TOML）"),
            "TOML files (*.toml)",
            optional=True, createByDefault=False),
            "Writes a FIELD_MAP file for the given layers: every schema field with the field matched to it, the "
            "unmatched ones commented out with the layer's fields to choose from. Check it, complete it, and give it "
            "as FIELD_MAP to any algorithm.",
            "为所给图层生成字段映射文件：列出每个规范字段及其匹配到的字段，未匹配的以注释列出并附图层现有字段。核对、"
            "补全后作为 FIELD_MAP 参数用于任一算法。")
        self.addOutput(QgsProcessingOutputNumber(self.ERRORS, self.tr("Number of errors", "错误数")))
        self.addOutput(QgsProcessingOutputNumber(self.WARNINGS, self.tr("Number of warnings", "警告数")))
        self.addOutput(QgsProcessingOutputString(self.SUMMARY, self.tr("Summary", "摘要")))

    def execute(self, parameters, context, feedback, progress):
        language = self.language()
        specs = layer_specs()
        # Invalid geometries are what we report, so Processing must not stop on them.
        context.setInvalidGeometryCheck(QgsFeatureRequest.InvalidGeometryCheck.GeometryNoCheck)
        problems = self._field_map_problems(parameters, context)
        columns: dict[str, list[str]] = {}
        for index, (name, spec) in enumerate(specs.items()):
            progress.step(index / len(specs))
            problems += self._layer_problems(parameters, context, name, columns)
        progress.step(1.0)
        errors = [p for p in problems if p.severity == ERROR]
        warnings = [p for p in problems if p.severity == WARNING]
        prefixes = {ERROR: self.tr("ERROR", "错误"), WARNING: self.tr("WARNING", "警告")}
        for problem in problems:
            text = self.trf("{severity}: {message}", "{severity}：{message}",
                            severity=prefixes[problem.severity], message=problem.message(language))
            (feedback.reportError(text, False) if problem.severity == ERROR else feedback.pushWarning(text))
        summary = self.trf("{errors} error(s), {warnings} warning(s).", "{errors} 个错误，{warnings} 个警告。",
                           errors=len(errors), warnings=len(warnings))
        feedback.pushInfo(summary)
        report_path = self.parameterAsFileOutput(parameters, self.REPORT, context)
        results = {self.ERRORS: len(errors), self.WARNINGS: len(warnings), self.SUMMARY: summary}
        if report_path:
            with open(report_path, "w", encoding="utf-8") as handle:
                json.dump([p.__dict__ for p in problems], handle, ensure_ascii=False, indent=2)
            results[self.REPORT] = report_path
        proposal_path = self.parameterAsFileOutput(parameters, self.PROPOSED_FIELD_MAP, context)
        if proposal_path:
            with open(proposal_path, "w", encoding="utf-8") as handle:
                handle.write(propose_field_map(columns))
            results[self.PROPOSED_FIELD_MAP] = proposal_path
        if errors and self.parameterAsBool(parameters, self.FAIL_ON_ERROR, context):
            raise QgsProcessingException(summary + "\n" + "\n".join(p.message(language) for p in errors))
        return results

    def _field_map_problems(self, parameters, context) -> list[Problem]:
        """A bad FIELD_MAP is one problem among the others (the layers are then
        checked with the automatic match only)."""
        try:
            self.field_map(parameters, context)
        except HunchunRiskError as error:
            self._field_map = {}
            return [Problem(ERROR, "field_map", None, "field_map", error.en, error.zh)]
        return []

    def _layer_problems(self, parameters, context, name: str, columns: dict) -> list[Problem]:
        spec = layer_specs()[name]
        if not parameters.get(name.upper()):
            return validate_layer(spec, None)
        try:
            source, _, uri, mapped = read_mapped_layer(self, parameters, name.upper(), context, require_crs=False,
                                                       repair=False)
        except HunchunRiskError as error:  # the field map names a field the layer lacks
            return [Problem(ERROR, name, None, "field_map", error.en, error.zh)]
        if source is None:
            return validate_layer(spec, None)
        columns[name] = [f.name() for f in source.fields()]
        note = guess_encoding(uri).note(uri_path(uri))
        problems = [Problem(WARNING, name, None, "encoding", *note)] if note else []
        problems += [Problem(ERROR, name, field, "value_unreadable", en, zh) for field, en, zh in mapped.problems]
        return problems + validate_layer(spec, layer_facts(name, source, str(parameters.get(name.upper())), mapped))
