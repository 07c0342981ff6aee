"""The hardening catalogue through processing.run: each broken or foreign input gets a
clear error naming layer, field or value before any work (and no output folder), or
a documented repair that the run log reports. Cases are built from the sample data."""
from __future__ import annotations

import json

import numpy as np
import processing
import pyogrio
import pytest
import rasterio
import shapely
from qgis.core import QgsProcessingException

from hunchun_risk_plugin.core.layer_uri import layer_uri
from qgis_fixtures import LogFeedback

TOWNSHIP = "密江乡"


@pytest.fixture(autouse=True)
def _provider(hunchun_provider):
    return hunchun_provider


@pytest.fixture
def edited(sample_gpkg, tmp_path):
    """edited(layer, change) -> URI of the sample layer after ``change(frame)``."""
    folder = tmp_path / "inputs"
    folder.mkdir()

    def make(layer: str, change, name: str | None = None) -> str:
        frame = change(pyogrio.read_dataframe(sample_gpkg, layer=layer).copy())
        path = folder / f"{name or layer}.gpkg"
        pyogrio.write_dataframe(frame, path, layer=layer)
        return layer_uri(path, layer)
    return make


def _row(frame, column, value, where=None):
    index = frame.index[frame["name"] == TOWNSHIP] if where is None else where
    frame[column] = frame[column].astype(object)
    frame.loc[index, column] = value
    return frame


def _risk(sample_gpkg, tmp_path, feedback=None, **layers):
    params = {"TOWNSHIPS": layer_uri(sample_gpkg, "townships"), "SETTLEMENTS": layer_uri(sample_gpkg, "settlements"),
              "ROADS": layer_uri(sample_gpkg, "roads"), "DEM": str(sample_gpkg.parent / "dem.tif"),
              "SCALE": 1, "TOWNSHIP": TOWNSHIP, "CELL_SIZE": 200, "OUTPUT_FOLDER": str(tmp_path / "out"), **layers}
    return processing.run("hunchunrisk:riskzoning", params, feedback=feedback)


def _refused(run, *words, folder=None):
    with pytest.raises(QgsProcessingException) as error:
        run()
    for word in words:
        assert word in str(error.value), (word, str(error.value))
    if folder is not None:
        assert not folder.exists()
    return str(error.value)


# ---- errors before any work ------------------------------------------------------

def test_text_that_is_no_number_is_refused_with_the_value(sample_gpkg, tmp_path, edited):
    townships = edited("townships", lambda f: _row(f, "population", "约一万"))
    _refused(lambda: _risk(sample_gpkg, tmp_path, TOWNSHIPS=townships), "population", "约一万", folder=tmp_path / "out")


def test_negative_population_and_capacity_are_refused(sample_gpkg, tmp_path, edited):
    townships = edited("townships", lambda f: _row(f, "population", -5))
    _refused(lambda: _risk(sample_gpkg, tmp_path, TOWNSHIPS=townships), "population", "-5", folder=tmp_path / "out")
    shelters = edited("shelters", lambda f: _row(f, "capacity", -3, f.index[:1]))
    _refused(lambda: processing.run("hunchunrisk:evacuationroutes", {
        "ROADS": layer_uri(sample_gpkg, "roads"), "ORIGINS": layer_uri(sample_gpkg, "settlements"),
        "SHELTERS": shelters,
        "OUTPUT_FOLDER": str(tmp_path / "ev")}), "capacity", "-3", folder=tmp_path / "ev")


def test_duplicate_ids_are_refused(sample_gpkg, tmp_path, edited):
    townships = edited("townships", lambda f: f.assign(code="222404001000"))
    _refused(lambda: _risk(sample_gpkg, tmp_path, TOWNSHIPS=townships), "code", "222404001000", folder=tmp_path / "out")
    depots = edited("depots", lambda f: f.assign(code="D1"))
    _refused(lambda: processing.run("hunchunrisk:depotcoverage", {
        "ROADS": layer_uri(sample_gpkg, "roads"), "DEPOTS": depots,
        "SETTLEMENTS": layer_uri(sample_gpkg, "settlements"),
        "OUTPUT_FOLDER": str(tmp_path / "dc")}), "code", "D1", folder=tmp_path / "dc")


def test_a_misspelt_field_is_named_with_the_likely_one(sample_gpkg, tmp_path, edited):
    settlements = edited("settlements", lambda f: f.rename(columns={"population": "populaton"}))
    log = LogFeedback()
    _refused(lambda: processing.run("hunchunrisk:evacuationroutes", {
        "ROADS": layer_uri(sample_gpkg, "roads"), "ORIGINS": settlements,
        "SHELTERS": layer_uri(sample_gpkg, "shelters"),
        "OUTPUT_FOLDER": str(tmp_path / "ev")}, feedback=log), "population", "populaton", folder=tmp_path / "ev")
    assert "'populaton' looks like a misspelling of population" in log.text()


def test_empty_layer_is_refused(sample_gpkg, tmp_path, edited):
    shelters = edited("shelters", lambda f: f.iloc[:0])
    _refused(lambda: processing.run("hunchunrisk:evacuationroutes", {
        "ROADS": layer_uri(sample_gpkg, "roads"), "ORIGINS": layer_uri(sample_gpkg, "settlements"),
        "SHELTERS": shelters,
        "OUTPUT_FOLDER": str(tmp_path / "ev")}), "shelters", folder=tmp_path / "ev")


def test_the_folder_of_an_input_as_output_folder_is_refused(sample_gpkg, tmp_path, edited):
    townships = edited("townships", lambda f: f)
    before = sorted(p.name for p in (tmp_path / "inputs").iterdir())
    _refused(lambda: _risk(sample_gpkg, tmp_path, TOWNSHIPS=townships, OUTPUT_FOLDER=str(tmp_path / "inputs")),
             "OUTPUT_FOLDER", "TOWNSHIPS")
    assert sorted(p.name for p in (tmp_path / "inputs").iterdir()) == before


def test_an_output_folder_inside_an_input_folder_is_said_in_the_log(sample_gpkg, tmp_path, edited):
    townships = edited("townships", lambda f: f)
    log = LogFeedback()
    _risk(sample_gpkg, tmp_path, feedback=log, TOWNSHIPS=townships, OUTPUT_FOLDER=str(tmp_path / "inputs" / "results"))
    assert "inside the folder of the input TOWNSHIPS" in log.text() or "之内" in log.text()
    assert (tmp_path / "inputs" / "results" / "risk_index.tif").is_file()


def test_a_model_file_with_an_unknown_key_is_refused(sample_gpkg, tmp_path):
    from hunchun_risk_plugin.core.risk.model import DEFAULT_MODEL

    model = tmp_path / "我的 模型.toml"
    model.write_text(DEFAULT_MODEL.read_text(encoding="utf-8").replace("capacity_alpha = 0.4", "capacity_alfa = 0.4"),
                     encoding="utf-8")
    _refused(lambda: _risk(sample_gpkg, tmp_path, MODEL=str(model)), "capacity_alfa", "capacity_alpha",
             folder=tmp_path / "out")


# ---- documented repairs, reported ------------------------------------------------

def test_a_bow_tie_township_is_repaired_and_reported(sample_gpkg, tmp_path, edited):
    def bow_tie(frame):
        x, y = frame.loc[frame["name"] == TOWNSHIP].geometry.iloc[0].representative_point().coords[0]
        s = 4000.0  # two triangles of s²/4 each: 8 km² in all
        frame.loc[frame["name"] == TOWNSHIP, "geometry"] = shapely.Polygon(
            [(x - s / 2, y - s / 2), (x + s / 2, y + s / 2), (x + s / 2, y - s / 2), (x - s / 2, y + s / 2)])
        return frame
    log = LogFeedback()
    result = _risk(sample_gpkg, tmp_path, feedback=log, TOWNSHIPS=edited("townships", bow_tie))
    stats = pyogrio.read_dataframe(result["TOWNSHIP_STATS"].split("|")[0], layer="township_stats")
    assert stats["area_km2"].iloc[0] == pytest.approx(8.0)
    assert "1 invalid geometr(ies) repaired with make_valid" in log.text() or "修复 1 个无效几何" in log.text()


def test_z_values_and_multipart_points_give_the_same_results(sample_gpkg, tmp_path, edited):
    reference = _risk(sample_gpkg, tmp_path / "a")
    log = LogFeedback()
    townships = edited("townships", lambda f: f.set_geometry(shapely.force_3d(f.geometry.values, 42.0)), "z")
    settlements = edited("settlements", lambda f: f.set_geometry(shapely.multipoints(
        shapely.force_3d(f.geometry.values, 7.0)[:, None])), "multi")
    result = _risk(sample_gpkg, tmp_path / "b", feedback=log, TOWNSHIPS=townships, SETTLEMENTS=settlements)
    with rasterio.open(reference["RISK_INDEX"]) as a, rasterio.open(result["RISK_INDEX"]) as b:
        assert np.array_equal(a.read(1), b.read(1), equal_nan=True)
    assert "Z/M values" in log.text() or "Z/M 值" in log.text()


def test_features_without_geometry_are_named_and_counted_as_not_reached(sample_gpkg, tmp_path, edited):
    settlements = edited("settlements", lambda f: f.set_geometry([None] + list(f.geometry.values[1:])))
    first = pyogrio.read_dataframe(sample_gpkg, layer="settlements").iloc[0]
    log = LogFeedback()
    result = processing.run("hunchunrisk:evacuationroutes", {
        "ROADS": layer_uri(sample_gpkg, "roads"), "ORIGINS": settlements,
        "SHELTERS": layer_uri(sample_gpkg, "shelters"),
        "OUTPUT_FOLDER": str(tmp_path / "ev")}, feedback=log)
    assert first["code"] in log.text()
    unreached = pyogrio.read_dataframe(result["UNREACHED"].split("|")[0])
    assert first["code"] in set(unreached.iloc[:, 0].astype(str)) | set(unreached.get("code", []))
    total = pyogrio.read_dataframe(sample_gpkg, layer="settlements")["population"].sum()
    assert result["POPULATION_PLACED"] + result["POPULATION_UNREACHED"] == total


def test_text_numbers_with_separators_are_read(sample_gpkg, tmp_path, edited):
    population = int(
        pyogrio.read_dataframe(sample_gpkg, layer="townships").set_index("name").loc[TOWNSHIP, "population"])
    townships = edited("townships", lambda f: _row(f, "population", f"{population:,}"))
    reference = _risk(sample_gpkg, tmp_path / "a")
    log = LogFeedback()
    result = _risk(sample_gpkg, tmp_path / "b", feedback=log, TOWNSHIPS=townships)
    with rasterio.open(reference["RISK_INDEX"]) as a, rasterio.open(result["RISK_INDEX"]) as b:
        assert np.array_equal(a.read(1), b.read(1), equal_nan=True)
    assert "read as numbers" in log.text() or "按数字读取" in log.text()


def test_an_existing_output_folder_keeps_its_other_files(sample_gpkg, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    result = _risk(sample_gpkg, tmp_path)
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
    assert result["OUTPUT_FOLDER"] == str(folder)


# ---- validateinputs lists every problem at once -----------------------------------

def test_validateinputs_lists_every_problem_of_a_layer_at_once(sample_gpkg, tmp_path, edited):
    def broken(frame):
        frame = frame.rename(columns={"elderly_share": "elderly_shar"})
        frame["code"] = frame["code"].where(frame.index > 1, "dup")
        frame = _row(frame, "population", "很多")
        frame.loc[frame.index[3], "building_vulnerability"] = 1.5
        frame.loc[frame.index[4], "geometry"] = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
        return frame
    report = tmp_path / "report.json"
    processing.run("hunchunrisk:validateinputs", {"TOWNSHIPS": edited("townships", broken), "REPORT": str(report)})
    problems = [p for p in json.loads(report.read_text(encoding="utf-8")) if p["layer"] == "townships"]
    codes = {p["code"] for p in problems}
    assert {"field_missing", "id_duplicate", "value_unreadable", "value_out_of_range", "geometry_invalid"} <= codes
    missing = next(p for p in problems if p["code"] == "field_missing")
    assert "elderly_shar" in missing["en"]  # the likely field is named
