"""Results land in the project when an algorithm is run from a dialog
(``processing.runAndLoadResults`` takes the same path), styled, and a batch export
adds nothing the user did not ask for."""
from __future__ import annotations

import pytest
from qgis.core import QgsProject, QgsVectorLayer
from qgis_fixtures import memory_layer

X0, Y0 = 500000.0, 4750000.0


@pytest.fixture
def tiny_network():
    roads = memory_layer("LineString", "field=road_class:string",
                         [(f"LineString({X0} {Y0}, {X0 + 4000} {Y0})", ["county"])])
    people = memory_layer("Point", "field=code:string&field=population:integer",
                          [(f"Point({X0 + 1000} {Y0})", ["p1", 10])])
    shelters = memory_layer("Point", "field=code:string&field=capacity:integer&field=kind:string",
                            [(f"Point({X0} {Y0})", ["s1", 50, "fixed_long"])])
    depots = memory_layer("Point", "field=code:string&field=stock_tents:integer", [(f"Point({X0} {Y0})", ["d1", 10])])
    return {"roads": roads, "people": people, "shelters": shelters, "depots": depots}


def added_layers(run) -> dict[str, QgsVectorLayer]:
    project = QgsProject.instance()
    before = set(project.mapLayers())
    run()
    return {project.mapLayer(i).name(): project.mapLayer(i) for i in set(project.mapLayers()) - before}


def test_evacuation_results_are_added_styled(hunchun_provider, qgis_processing, tmp_path, tiny_network):
    import processing

    params = {"ROADS": tiny_network["roads"], "ORIGINS": tiny_network["people"], "SHELTERS": tiny_network["shelters"],
              "OUTPUT_FOLDER": str(tmp_path)}
    added = added_layers(lambda: processing.runAndLoadResults("hunchunrisk:evacuationroutes", params))
    sources = {lyr.source().split("|")[0] for lyr in added.values()}
    assert sources == {str(tmp_path / f"{n}.gpkg") for n in ("evacuation_routes", "shelter_load", "unreached")}
    routes = next(lyr for lyr in added.values() if "evacuation_routes" in lyr.source())
    # The shipped style (styles/evacuation_routes.qml) is categorised; QGIS's default is a single symbol.
    assert routes.renderer().type() != "singleSymbol"
    assert_in_one_run_group(added.values(), "evacuationroutes")
    QgsProject.instance().removeMapLayers(list(lyr.id() for lyr in added.values()))


def assert_in_one_run_group(layers, alg_id: str) -> None:
    """Every layer sits in one top-level group named after the algorithm and the run's
    start (title, then date and time), and the group holds nothing else."""
    import re

    from hunchun_risk_plugin.i18n import tr
    from hunchun_risk_plugin.processing_provider.catalog import entry

    root = QgsProject.instance().layerTreeRoot()
    parents = {root.findLayer(layer.id()).parent() for layer in layers}
    assert len(parents) == 1
    group = parents.pop()
    assert group.parent() is root
    title = tr(entry(alg_id).title_en, entry(alg_id).title_zh)
    assert re.fullmatch(re.escape(title) + r" \d{4}-\d\d-\d\d \d\d:\d\d:\d\d", group.name()), group.name()
    assert sorted(group.findLayerIds()) == sorted(layer.id() for layer in layers)
    root.removeChildNode(group)


def test_coverage_results_are_added(hunchun_provider, qgis_processing, tmp_path, tiny_network):
    import processing

    params = {"ROADS": tiny_network["roads"], "DEPOTS": tiny_network["depots"], "SETTLEMENTS": tiny_network["people"],
              "OUTPUT_FOLDER": str(tmp_path)}
    added = added_layers(lambda: processing.runAndLoadResults("hunchunrisk:depotcoverage", params))
    assert {lyr.source().split("|")[0] for lyr in added.values()} == {
        str(tmp_path / f"{n}.gpkg")
        for n in ("drive_time_zones", "settlement_times", "depot_service", "township_times")}
    assert_in_one_run_group(added.values(), "depotcoverage")
    QgsProject.instance().removeMapLayers(list(lyr.id() for lyr in added.values()))


def test_a_child_run_adds_nothing_to_the_project(hunchun_provider, qgis_processing, tmp_path, tiny_network):
    """What exportmaps does for missing results: the child's layers stay files."""
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    from hunchun_risk_plugin.processing_provider.algorithms.analyses import _run

    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    params = {"ROADS": tiny_network["roads"], "DEPOTS": tiny_network["depots"], "SETTLEMENTS": tiny_network["people"],
              "OUTPUT_FOLDER": str(tmp_path)}
    result = _run("depotcoverage", params, context, QgsProcessingFeedback())
    assert (tmp_path / "drive_time_zones.gpkg").exists() and result["DRIVE_TIME_ZONES"]
    assert context.layersToLoadOnCompletion() == {}


@pytest.mark.slow
def test_risk_zoning_results_are_added_styled(hunchun_provider, qgis_processing, tmp_path, sample_gpkg):
    import processing
    from sample_layers import sample_params

    params = sample_params(sample_gpkg, tmp_path, SCALE=1, TOWNSHIP="新安街道")
    added = added_layers(lambda: processing.runAndLoadResults("hunchunrisk:riskzoning", params))
    layers = {lyr.source(): lyr for lyr in added.values()}
    assert set(layers) == {str(tmp_path / "risk_class.tif")} | {
        f"{tmp_path / 'risk_zoning.gpkg'}|layername={n}" for n in ("risk_zones", "prevention_zones", "township_stats")}
    classes = layers[str(tmp_path / "risk_class.tif")]
    assert classes.renderer().type() == "paletted"  # the shipped five-class palette, not a grey stretch
    assert_in_one_run_group(added.values(), "riskzoning")
    QgsProject.instance().removeMapLayers(list(lyr.id() for lyr in added.values()))
