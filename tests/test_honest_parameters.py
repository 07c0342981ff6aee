"""Parameters say the truth: required layers are the ones the run needs, groups read
in workflow order, no duplicate outputs, help in the dialog's words, no third-party
notices in the log."""
from __future__ import annotations

import re
import warnings

import pytest
from qgis.core import QgsApplication, QgsProcessingParameterDefinition

from hunchun_risk_plugin.processing_provider.catalog import algorithm_entries

ALGORITHMS = tuple(a.id for a in algorithm_entries())  # every algorithm, in toolbox order


def algorithm(alg_id: str):
    return QgsApplication.processingRegistry().createAlgorithmById(f"hunchunrisk:{alg_id}")


def test_riskzoning_requires_what_the_default_model_reads(hunchun_provider):
    import tomllib

    from hunchun_risk_plugin.core.risk.model import DEFAULT_MODEL

    factors = tomllib.loads(DEFAULT_MODEL.read_text(encoding="utf-8"))["factors"]
    needed = {"townships"} | {f["layer"] for f in factors.values() if not f.get("optional", False)}
    assert needed == {"townships", "settlements"}  # the model file read independently of the loader
    alg = algorithm("riskzoning")
    required = {d.name() for d in alg.parameterDefinitions()
                if d.type() in ("source", "raster") and not d.flags() & QgsProcessingParameterDefinition.FlagOptional}
    assert required == {name.upper() for name in needed}


def test_riskzoning_fails_without_settlements_before_any_work(hunchun_provider, qgis_processing, sample_gpkg, tmp_path):
    from hunchun_risk_plugin.core.layer_uri import layer_uri

    alg = algorithm("riskzoning")
    ok, message = alg.checkParameterValues({"TOWNSHIPS": layer_uri(sample_gpkg, "townships"),
                                            "OUTPUT_FOLDER": str(tmp_path)}, _context())
    assert not ok
    assert "SETTLEMENTS" in message


def _context():
    from qgis.core import QgsProcessingContext, QgsProject

    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    return context


def test_groups_sort_in_workflow_order(hunchun_provider):
    groups = [algorithm(a).group() for a in ALGORITHMS]
    assert sorted(set(groups)) == list(dict.fromkeys(groups))  # sorted by name == workflow order
    assert [g.split()[0] for g in dict.fromkeys(groups)] == ["1", "2", "3", "4"]
    assert "数据检查" in groups[0] and "风险区划" in groups[1]
    assert "疏散与覆盖" in groups[2] and "专题地图" in groups[-1]


@pytest.mark.parametrize("alg_id", ALGORITHMS)
def test_no_duplicate_output(hunchun_provider, alg_id):
    from qgis.core import QgsApplication as App

    logged = []

    def record(message, tag, level):
        logged.append(message)

    App.messageLog().messageReceived.connect(record)
    try:
        alg = algorithm(alg_id)
        names = [o.name() for o in alg.outputDefinitions()]
    finally:
        App.messageLog().messageReceived.disconnect(record)
    assert len(names) == len(set(names))
    assert not [m for m in logged if "Duplicate output" in m]


@pytest.mark.parametrize("alg_id", ALGORITHMS)
def test_help_uses_the_labels(hunchun_provider, alg_id):
    alg = algorithm(alg_id)
    text = alg.shortHelpString()
    ids = {d.name() for d in alg.parameterDefinitions()} | {o.name() for o in alg.outputDefinitions()}
    spoken = {i for i in ids if re.search(rf"\b{re.escape(i)}\b", text)}
    assert spoken == set()
    if alg_id == "evacuationroutes":
        label = next(d.description() for d in alg.parameterDefinitions() if d.name() == "SNAP_TOLERANCE")
        assert f"“{label}”" in text


def test_third_party_notices_stay_out_of_the_log(hunchun_provider):
    shown = []
    previous = warnings.showwarning
    warnings.showwarning = lambda *args, **kwargs: shown.append(args[0])
    try:
        hunchun_provider.refreshAlgorithms()  # loading the algorithms installs the filters
        warnings.warn_explicit("Use `@` matmul", PendingDeprecationWarning, "windows.py", 360,
                               module="rasterio.windows")
        warnings.warn_explicit("unclosed file", ResourceWarning, "x.py", 1, module="somewhere")
        warnings.warn_explicit("ours", UserWarning, "y.py", 1, module="hunchun_risk_plugin.core")
    finally:
        warnings.showwarning = previous
    assert [str(w) for w in shown] == ["ours"]
