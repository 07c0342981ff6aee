"""Users' own data through processing.run: GBK shapefiles without a .cpg, Chinese and
10-character field names, Chinese category values, a FIELD_MAP file, a folder with a
Chinese name and spaces. Each run is compared with the same data in the schema's own
names and encoding (the sample), which must give the same results."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import processing
import pyogrio
import pytest
import rasterio
from qgis.core import QgsProcessingException, QgsVectorLayer

from hunchun_risk_plugin.core.layer_uri import layer_uri
from qgis_fixtures import LogFeedback

TOWNSHIP = "密江乡"
# schema field -> the name a census office's layer gives it (None: the schema's, which the
# shapefile then cuts to 10 characters)
TOWNSHIP_NAMES = {"code": "乡镇代码", "name": "乡镇名称", "kind": "类型", "population": "统计人口",
                  "elderly_share": None, "building_vulnerability": None}
HAZARD_NAMES = {"code": "编号", "name": "隐患点名称", "kind": "灾害类型", "scale": "规模等级",
                "threatened_people": "受威胁人数",
                "township_code": "所属乡镇代码"}
SHELTER_NAMES = {"code": "场所编码", "name": "场所名称", "kind": "场所类型", "effective_area_m2": "有效避难面积",
                 "capacity": "可容纳人数", "township_code": "乡镇代码"}


@pytest.fixture(autouse=True)
def _provider(hunchun_provider):
    return hunchun_provider


def _zh(table: str, field: str) -> dict[str, str]:
    """English key -> the Chinese value census tables write (from domain.toml, as a user would)."""
    from hunchun_risk_plugin.core.definitions import domain

    return {key: entry["zh"] for key, entry in domain()[table].items()}


def census_shapefile(sample_gpkg: Path, folder: Path, layer: str, names: dict, values: dict | None = None) -> Path:
    """The sample layer as a census office would send it: fields renamed, values in
    Chinese, a GBK shapefile without a .cpg."""
    frame = pyogrio.read_dataframe(sample_gpkg, layer=layer)
    for field, table in (values or {}).items():
        frame[field] = frame[field].map(_zh(table, field))
    frame = frame.rename(columns={k: v for k, v in names.items() if v})
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{layer}.shp"
    pyogrio.write_dataframe(frame, path, encoding="GBK")
    path.with_suffix(".cpg").unlink()
    return path


@pytest.fixture
def census(sample_gpkg, tmp_path) -> dict:
    folder = tmp_path / "普查 数据"  # a Chinese folder name with a space
    paths = {"townships": census_shapefile(sample_gpkg, folder, "townships", TOWNSHIP_NAMES),
             "hazard_sites": census_shapefile(sample_gpkg, folder, "hazard_sites", HAZARD_NAMES,
                                              {"kind": "hazard_site_kinds", "scale": "hazard_site_scales"}),
             "shelters": census_shapefile(sample_gpkg, folder, "shelters", SHELTER_NAMES, {"kind": "shelter_kinds"})}
    field_map = folder / "字段映射.toml"
    field_map.write_text('[townships]\npopulation = "统计人口"\n', encoding="utf-8")
    return {"paths": paths, "field_map": str(field_map), "folder": folder}


def test_the_census_files_are_what_the_issue_describes(census):
    # plain GDAL reads the GBK names as mojibake and cuts the long field names
    frame = pyogrio.read_dataframe(census["paths"]["townships"])
    assert "乡镇名称" not in frame.columns and "elderly_sh" in frame.columns and "building_v" in frame.columns
    layer = QgsVectorLayer(str(census["paths"]["townships"]), "t", "ogr")
    assert TOWNSHIP not in [f.attribute(1) for f in layer.getFeatures()]


def test_validateinputs_reads_them_and_proposes_a_field_map(census, sample_gpkg, tmp_path):
    proposal = tmp_path / "proposed.toml"
    log = LogFeedback()
    params = {"TOWNSHIPS": str(census["paths"]["townships"]), "HAZARD_SITES": str(census["paths"]["hazard_sites"]),
              "SHELTERS": str(census["paths"]["shelters"]), "REPORT": str(tmp_path / "report.json"),
              "PROPOSED_FIELD_MAP": str(proposal)}
    processing.run("hunchunrisk:validateinputs", params, feedback=log)
    problems = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    townships = [p for p in problems if p["layer"] == "townships"]
    # without a map, only population (统计人口 is no alias) is missing, and the encoding is reported
    assert {p["code"] for p in townships} == {"field_missing", "encoding"}
    assert [p["field"] for p in townships if p["code"] == "field_missing"] == ["population"]
    assert not [p for p in problems if p["layer"] in ("hazard_sites", "shelters") and p["severity"] == "error"]
    # the Chinese kinds and scales were read as schema values: no unknown-value warnings
    assert not [p for p in problems if p["code"] == "value_unknown"]
    text = proposal.read_text(encoding="utf-8")
    assert 'code = "乡镇代码"' in text and 'elderly_share = "elderly_sh"' in text and '# population = ""' in text
    assert "统计人口" in text  # listed among the layer's fields to choose from
    assert any("elderly_share ← elderly_sh" in line for line in log.lines)

    params["FIELD_MAP"] = census["field_map"]
    processing.run("hunchunrisk:validateinputs", params)
    problems = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert not [p for p in problems if p["layer"] == "townships" and p["severity"] == "error"]


def test_a_field_map_naming_an_absent_field_is_refused_with_the_fields(census, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[townships]\npopulation = "常驻人口"\n', encoding="utf-8")
    with pytest.raises(QgsProcessingException) as error:
        processing.run("hunchunrisk:validateinputs", {"TOWNSHIPS": str(census["paths"]["townships"]),
                                                      "FIELD_MAP": str(bad), "FAIL_ON_ERROR": True})
    assert "常驻人口" in str(error.value) and "统计人口" in str(error.value)


def test_riskzoning_on_census_files_equals_the_sample(census, sample_gpkg, tmp_path):
    base = {"SETTLEMENTS": layer_uri(sample_gpkg, "settlements"), "ROADS": layer_uri(sample_gpkg, "roads"),
            "DEM": str(sample_gpkg.parent / "dem.tif"), "FOREST": str(sample_gpkg.parent / "forest.tif"),
            "SCALE": 1, "TOWNSHIP": TOWNSHIP, "CELL_SIZE": 100}
    reference = processing.run("hunchunrisk:riskzoning", {
        **base, "TOWNSHIPS": layer_uri(sample_gpkg, "townships"),
        "HAZARD_SITES": layer_uri(sample_gpkg, "hazard_sites"),
        "OUTPUT_FOLDER": str(tmp_path / "reference")})
    log = LogFeedback()
    result = processing.run("hunchunrisk:riskzoning", {
        **base, "TOWNSHIPS": str(census["paths"]["townships"]), "HAZARD_SITES": str(census["paths"]["hazard_sites"]),
        "FIELD_MAP": census["field_map"], "OUTPUT_FOLDER": str(tmp_path / "输出 结果")}, feedback=log)
    with rasterio.open(reference["RISK_INDEX"]) as a, rasterio.open(result["RISK_INDEX"]) as b:
        assert np.array_equal(a.read(1), b.read(1), equal_nan=True)
    stats = pyogrio.read_dataframe(result["TOWNSHIP_STATS"].split("|")[0], layer="township_stats")
    expected = pyogrio.read_dataframe(reference["TOWNSHIP_STATS"].split("|")[0], layer="township_stats")
    assert stats["name"].tolist() == [TOWNSHIP]
    assert stats.drop(columns="geometry").equals(expected.drop(columns="geometry"))
    assert TOWNSHIP in Path(result["TOWNSHIP_STATS_CSV"]).read_text(encoding="utf-8-sig")
    assert any("population ← 统计人口 (the field map)" in line for line in log.lines)
    assert any("townships.shp" in line and "GB18030" in line and ".cpg" in line for line in log.lines)
    assert not census["paths"]["townships"].with_suffix(".cpg").exists()  # nothing written beside the input


def test_evacuationroutes_on_census_shelters_equals_the_sample(census, sample_gpkg, tmp_path):
    base = {"ROADS": layer_uri(sample_gpkg, "roads"), "ORIGINS": layer_uri(sample_gpkg, "settlements")}
    reference = processing.run("hunchunrisk:evacuationroutes", {
        **base, "SHELTERS": layer_uri(sample_gpkg, "shelters"), "OUTPUT_FOLDER": str(tmp_path / "reference")})
    result = processing.run("hunchunrisk:evacuationroutes", {
        **base, "SHELTERS": str(census["paths"]["shelters"]), "OUTPUT_FOLDER": str(tmp_path / "census")})
    assert result["POPULATION_PLACED"] == reference["POPULATION_PLACED"] > 0
    load = pyogrio.read_dataframe(result["SHELTER_LOAD"].split("|")[0])
    expected = pyogrio.read_dataframe(reference["SHELTER_LOAD"].split("|")[0])
    assert sorted(load.columns) == sorted(expected.columns)
    assert load.drop(columns="geometry").equals(expected.drop(columns="geometry")[load.columns.drop("geometry")])
    assert set(expected["name"]) == set(load["name"])  # the shelters' Chinese names came out right


def test_exportmaps_prints_the_gbk_names_right(census, sample_gpkg, tmp_path):
    """The printed map of a township from the GBK shapefile with Chinese field names: the
    map workers get the layer under the schema's names, in UTF-8."""
    import subprocess

    from sample_layers import sample_params

    params = sample_params(sample_gpkg, tmp_path / "maps", KINDS=["risk"], SCALES=[1], ONLY_TOWNSHIPS=TOWNSHIP,
                           DPI=50, WORKERS=1, MAP_DATE="2026-01-01")
    params.update({"TOWNSHIPS": str(census["paths"]["townships"]), "FIELD_MAP": census["field_map"]})
    result = processing.run("hunchunrisk:exportmaps", params)
    index = Path(result["INDEX"]).read_text(encoding="utf-8-sig")
    assert TOWNSHIP in index
    pdfs = sorted((tmp_path / "maps").rglob("*.pdf"))
    assert pdfs and TOWNSHIP in pdfs[0].name
    text = subprocess.run(["pdftotext", str(pdfs[0]), "-"], capture_output=True, text=True, check=True).stdout
    assert TOWNSHIP in text and "·À´¨" not in text
