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

from ...core.schema import layer_specs
from ...core.validation import ERROR, WARNING, validate_layer
from ..base import HunchunAlgorithm
from ..layer_io import layer_facts

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
        self.addParameter(QgsProcessingParameterBoolean(self.FAIL_ON_ERROR, self.tr("Fail when errors are found", "发现错误时报错停止"), False))
        self.addParameter(
            QgsProcessingParameterFileDestination(
                self.REPORT, self.tr("Validation report (JSON)", "检查报告（JSON）"), "JSON files (*.json)", optional=True, createByDefault=False
            )
        )
        self.addOutput(QgsProcessingOutputNumber(self.ERRORS, self.tr("Number of errors", "错误数")))
        self.addOutput(QgsProcessingOutputNumber(self.WARNINGS, self.tr("Number of warnings", "警告数")))
        self.addOutput(QgsProcessingOutputString(self.SUMMARY, self.tr("Summary", "摘要")))

    def execute(self, parameters, context, feedback, progress):
        language = self.language()
        specs = layer_specs()
        # Invalid geometries are what we report, so Processing must not stop on them.
        context.setInvalidGeometryCheck(QgsFeatureRequest.InvalidGeometryCheck.GeometryNoCheck)
        problems = []
        for index, (name, spec) in enumerate(specs.items()):
            progress.step(index / len(specs))
            source = self.parameterAsSource(parameters, name.upper(), context)
            uri = str(parameters.get(name.upper()) or "")
            problems += validate_layer(spec, layer_facts(name, source, uri))
        progress.step(1.0)
        errors = [p for p in problems if p.severity == ERROR]
        warnings = [p for p in problems if p.severity == WARNING]
        for problem in problems:
            text = f"{problem.severity.upper()}: {problem.message(language)}"
            (feedback.reportError(text, False) if problem.severity == ERROR else feedback.pushWarning(text))
        summary = self.tr(f"{len(errors)} error(s), {len(warnings)} warning(s).", f"{len(errors)} 个错误，{len(warnings)} 个警告。")
        feedback.pushInfo(summary)
        report_path = self.parameterAsFileOutput(parameters, self.REPORT, context)
        results = {self.ERRORS: len(errors), self.WARNINGS: len(warnings), self.SUMMARY: summary}
        if report_path:
            with open(report_path, "w", encoding="utf-8") as handle:
                json.dump([p.__dict__ for p in problems], handle, ensure_ascii=False, indent=2)
            results[self.REPORT] = report_path
        if errors and self.parameterAsBool(parameters, self.FAIL_ON_ERROR, context):
            raise QgsProcessingException(summary + "\n" + "\n".join(p.message(language) for p in errors))
        return results
