"""hunchunrisk:validateinputs finds each kind of fault in small broken fixtures."""
from __future__ import annotations

import json

import processing
import pytest
from qgis.core import QgsProcessingException, QgsVectorLayer
from qgis_fixtures import memory_layer as fixture_layer

GOOD_SETTLEMENT_FIELDS = ("field=code:string&field=name:string&field=kind:string&field=population:integer"
                          "&field=township_code:string")


def memory_layer(geometry: str, crs: str, fields: str, rows: list[tuple[list, str | None]]) -> QgsVectorLayer:
    """The shared fixture with this file's argument order; each row is (attributes, WKT or None)."""
    return fixture_layer(geometry, fields, [(wkt, attributes) for attributes, wkt in rows], crs)


def good_settlements(crs: str = "EPSG:4511") -> QgsVectorLayer:
    return memory_layer("Point", crs, GOOD_SETTLEMENT_FIELDS, [
        (["a", "A村", "village", 10, "222404100000"], "POINT(500000 4750000)"),
        (["b", "B村", "village", 20, "222404100000"], "POINT(501000 4750000)"),
    ])


def run_validation(tmp_path, **layers) -> tuple[dict, list[dict]]:
    report = tmp_path / "report.json"
    params = {name.upper(): layer for name, layer in layers.items()}
    params["REPORT"] = str(report)
    result = processing.run("hunchunrisk:validateinputs", params)
    return result, json.loads(report.read_text(encoding="utf-8"))


def codes_for(problems: list[dict], layer: str) -> set[str]:
    return {p["code"] for p in problems if p["layer"] == layer}


@pytest.fixture(autouse=True)
def _provider(hunchun_provider):
    return hunchun_provider


def test_provider_lists_validateinputs(hunchun_provider):
    assert "validateinputs" in [a.name() for a in hunchun_provider.algorithms()]


def test_missing_required_layers_are_errors_optional_are_warnings(tmp_path):
    result, problems = run_validation(tmp_path, settlements=good_settlements())
    missing = {p["layer"]: p["severity"] for p in problems if p["code"] == "layer_missing"}
    assert missing["townships"] == "error" and missing["roads"] == "error" and missing["shelters"] == "error"
    assert missing["depots"] == "warning" and missing["flood_zones"] == "warning"
    assert "settlements" not in missing
    assert codes_for(problems, "settlements") == set()
    assert result["ERRORS"] == 3  # townships, shelters, roads


def test_missing_field_and_wrong_type_are_named(tmp_path):
    layer = memory_layer("Point", "EPSG:4511",
                         "field=code:string&field=name:string&field=kind:string&field=population:string",
                         [(["a", "A", "village", "many"], "POINT(500000 4750000)")])
    _, problems = run_validation(tmp_path, settlements=layer)
    by_code = {p["code"]: p for p in problems if p["layer"] == "settlements"}
    assert by_code["field_missing"]["field"] == "township_code"
    assert by_code["field_type"]["field"] == "population"
    assert "population" in by_code["field_type"]["en"] and "settlements" in by_code["field_type"]["en"]


def test_wrong_geometry_type(tmp_path):
    layer = memory_layer("Polygon", "EPSG:4511", GOOD_SETTLEMENT_FIELDS,
                         [(["a", "A", "village", 1, "x"], "POLYGON((0 0,1 0,1 1,0 0))")])
    _, problems = run_validation(tmp_path, settlements=layer)
    # a polygon layer is not offered for a point parameter: Processing refuses it, or we report it
    assert "geometry_type" in codes_for(problems, "settlements")


def test_invalid_and_empty_geometries_and_duplicate_ids(tmp_path):
    bowtie = "POLYGON((0 0, 10 10, 10 0, 0 10, 0 0))"
    square = "POLYGON((20 0, 30 0, 30 10, 20 10, 20 0))"
    fields = ("field=code:string&field=name:string&field=name_en:string&field=kind:string&field=population:integer"
              "&field=elderly_share:double&field=building_vulnerability:double")
    layer = memory_layer("Polygon", "EPSG:4511", fields, [
        (["t1", "甲", "A", "镇", 1, 0.2, 0.5], bowtie),
        (["t1", "乙", "B", "镇", 1, 0.2, 0.5], square),
        (["t3", "丙", "C", "镇", 1, 0.2, 0.5], None),
    ])
    _, problems = run_validation(tmp_path, townships=layer)
    found = {p["code"]: p for p in problems if p["layer"] == "townships"}
    assert {"geometry_invalid", "geometry_empty", "id_duplicate"} <= set(found)
    assert "t1" in found["id_duplicate"]["en"] and found["id_duplicate"]["field"] == "code"
    assert "1 invalid" in found["geometry_invalid"]["en"]
    assert "t3" in found["geometry_empty"]["en"]


def test_empty_layer(tmp_path):
    layer = memory_layer("Point", "EPSG:4511", GOOD_SETTLEMENT_FIELDS, [])
    _, problems = run_validation(tmp_path, settlements=layer)
    assert "layer_empty" in codes_for(problems, "settlements")


@pytest.mark.parametrize("crs, code", [("EPSG:4490", "crs_geographic"), ("EPSG:2249", "crs_not_metric")])
def test_crs_problems(tmp_path, crs, code):
    # EPSG:4490 is CGCS2000 geographic (degrees); EPSG:2249 is in US survey feet
    _, problems = run_validation(tmp_path, settlements=good_settlements(crs))
    assert code in codes_for(problems, "settlements")


def test_missing_crs(tmp_path):
    layer = memory_layer("Point", "", GOOD_SETTLEMENT_FIELDS, [(["a", "A", "village", 1, "x"], "POINT(1 1)")])
    _, problems = run_validation(tmp_path, settlements=layer)
    assert "crs_missing" in codes_for(problems, "settlements")


def test_fail_on_error_raises_with_layer_named(tmp_path):
    with pytest.raises(QgsProcessingException, match="townships"):
        processing.run("hunchunrisk:validateinputs", {"SETTLEMENTS": good_settlements(), "FAIL_ON_ERROR": True})


def test_sample_dataset_is_clean(tmp_path, sample_gpkg):
    from hunchun_risk_plugin.core.schema import layer_specs

    layers = {name: f"{sample_gpkg}|layername={name}" for name in layer_specs()}
    result, problems = run_validation(tmp_path, **layers)
    assert problems == []
    assert result["ERRORS"] == 0 and result["WARNINGS"] == 0


def test_unknown_values_warn_and_out_of_range_values_fail(tmp_path):
    layer = memory_layer("Point", "EPSG:4511", GOOD_SETTLEMENT_FIELDS, [
        (["a", "A", "hamlet", 10, "x"], "POINT(500000 4750000)"),
        (["b", "B", "village", -5, "x"], "POINT(500100 4750000)"),
    ])
    _, problems = run_validation(tmp_path, settlements=layer)
    found = {p["code"]: p for p in problems if p["layer"] == "settlements"}
    assert found["value_unknown"]["severity"] == "warning" and "hamlet" in found["value_unknown"]["en"]
    assert found["value_out_of_range"]["severity"] == "error" and found["value_out_of_range"]["field"] == "population"
    assert "-5" in found["value_out_of_range"]["en"]
