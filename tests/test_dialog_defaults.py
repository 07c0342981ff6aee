"""The algorithm dialogs open with the project's schema layers chosen (the sample
project's layers carry the schema names as short names: the expected answer), and the
output folder defaults to one that lasts."""
from __future__ import annotations

import pytest
from qgis.core import QgsApplication, QgsProject

from hunchun_risk_plugin.processing_provider.catalog import algorithm_entries

ALGORITHMS = tuple(a.id for a in algorithm_entries())  # every algorithm, in toolbox order


@pytest.fixture
def sample_project(qgis_new_project, sample_gpkg):
    from hunchun_risk_plugin.mapping.sample_project import load_sample_data

    project = QgsProject.instance()
    load_sample_data(project, "en")
    return project


def expected_layer(project, schema_name: str) -> str | None:
    """The sample layer of that schema name (None: the sample has none, e.g. a population grid)."""
    return next((layer.id() for layer in project.mapLayers().values() if layer.shortName() == schema_name), None)


@pytest.fixture
def dialog_iface(qgis_iface, monkeypatch):
    """pytest-qgis's interface with the browser model Processing's panel asks for."""
    from qgis.gui import QgsBrowserGuiModel

    model = QgsBrowserGuiModel()
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: model, raising=False)
    return qgis_iface


@pytest.mark.parametrize("alg_id", ALGORITHMS)
def test_dialog_opens_with_the_schema_layers(hunchun_provider, dialog_iface, sample_project, alg_id):
    qgis_iface = dialog_iface
    alg = QgsApplication.processingRegistry().createAlgorithmById(f"hunchunrisk:{alg_id}")
    dialog = alg.createCustomParametersWidget(qgis_iface.mainWindow())
    try:
        values = dialog.createProcessingParameters()
        layer_params = alg.schema_layer_parameters()
        assert layer_params, "no layer parameter recognised"
        for parameter, schema_name in layer_params.items():
            chosen = values.get(parameter)
            chosen_id = chosen.id() if hasattr(chosen, "id") else (str(chosen) if chosen else None)
            assert chosen_id == expected_layer(sample_project, schema_name), (parameter, chosen)
    finally:
        dialog.deleteLater()


def test_evacuation_dialog_never_picks_rivers_for_roads(hunchun_provider, qgis_iface, sample_project):
    from hunchun_risk_plugin.processing_provider.dialog import dialog_defaults

    alg = QgsApplication.processingRegistry().createAlgorithmById("hunchunrisk:evacuationroutes")
    values = dialog_defaults(alg, sample_project)
    names = {parameter: sample_project.mapLayer(layer_id).shortName() for parameter, layer_id in values.items()
             if parameter != "OUTPUT_FOLDER"}
    assert names["ROADS"] == "roads" and names["ORIGINS"] == "settlements" and names["SHELTERS"] == "shelters"
    assert names["HAZARD_POLYGONS"] == "flood_zones"
    assert all(names[p] == alg.schema_layer_parameters()[p] for p in names)


def test_an_unrelated_project_leaves_the_boxes_empty(hunchun_provider, qgis_new_project):
    from qgis.core import QgsVectorLayer

    from hunchun_risk_plugin.processing_provider.dialog import dialog_defaults

    project = QgsProject.instance()
    project.addMapLayer(QgsVectorLayer("LineString?crs=EPSG:4511&field=foo:string", "my lines", "memory"))
    project.addMapLayer(QgsVectorLayer("Point?crs=EPSG:4511&field=foo:string", "my points", "memory"))
    alg = QgsApplication.processingRegistry().createAlgorithmById("hunchunrisk:evacuationroutes")
    assert dialog_defaults(alg, project) == {}


def test_output_folder_default_lasts(hunchun_provider, qgis_new_project, tmp_path):
    from hunchun_risk_plugin.processing_provider.project_layers import (
        default_output_folder, is_temporary, remember_output_folder)

    project = QgsProject.instance()
    assert default_output_folder(project, "riskzoning") is None  # unsaved: Processing's temporary folder
    project.setFileName(str(tmp_path / "plan.qgz"))
    assert default_output_folder(project, "riskzoning") == str(tmp_path / "plan_hunchun_risk" / "riskzoning")
    remember_output_folder(project, "riskzoning", str(tmp_path / "chosen"))
    assert default_output_folder(project, "riskzoning") == str(tmp_path / "chosen")
    assert default_output_folder(project, "depotcoverage") == str(tmp_path / "plan_hunchun_risk" / "depotcoverage")
    from qgis.core import QgsProcessingUtils
    temporary = f"{QgsProcessingUtils.tempFolder()}/abc/OUTPUT_FOLDER"
    assert is_temporary(temporary) and not is_temporary(str(tmp_path / "chosen"))
    remember_output_folder(project, "riskzoning", temporary)  # a temporary folder is not remembered
    assert default_output_folder(project, "riskzoning") == str(tmp_path / "chosen")


def test_a_temporary_output_folder_is_warned_about(hunchun_provider, qgis_processing, tmp_path):
    import processing
    from qgis.core import QgsProcessingFeedback
    from qgis_fixtures import memory_layer as layer

    class Recorder(QgsProcessingFeedback):
        warnings: list[str] = []

        def pushWarning(self, text):
            self.warnings.append(text)

    roads = layer("LineString", "field=road_class:string", [("LineString(500000 4750000, 504000 4750000)", ["county"])])
    depots = layer("Point", "field=code:string", [("Point(500000 4750000)", ["d1"])])
    people = layer("Point", "field=code:string&field=population:integer", [("Point(501000 4750000)", ["p1", 10])])
    feedback = Recorder()
    processing.run("hunchunrisk:depotcoverage", {"ROADS": roads, "DEPOTS": depots, "SETTLEMENTS": people,
                                                  "OUTPUT_FOLDER": "TEMPORARY_OUTPUT"}, feedback=feedback)
    assert any("temporary folder" in w for w in feedback.warnings)
    feedback.warnings.clear()
    processing.run("hunchunrisk:depotcoverage", {"ROADS": roads, "DEPOTS": depots, "SETTLEMENTS": people,
                                                  "OUTPUT_FOLDER": str(tmp_path)}, feedback=feedback)
    assert not any("temporary folder" in w for w in feedback.warnings)
