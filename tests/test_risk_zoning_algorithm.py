"""hunchunrisk:riskzoning through processing.run: on a small synthetic dataset (fast,
every bad-input case) and on the sample data at both scales; checked against QGIS's
own zonal statistics and slope."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import processing
import pyogrio
import pytest
import rasterio
from qgis.core import QgsProcessingException, QgsRasterLayer, QgsVectorLayer

from hunchun_risk_plugin.core.layer_uri import layer_uri
from sample_layers import VECTOR_INPUTS, sample_params
from synthetic_city import synthetic_inputs


@pytest.fixture(autouse=True)
def _provider(hunchun_provider):
    return hunchun_provider


@pytest.fixture
def synthetic_params(tmp_path) -> dict:
    """Parameters pointing at the synthetic city written to a GeoPackage and GeoTIFFs."""
    folder = tmp_path / "in"
    folder.mkdir()
    inputs = synthetic_inputs(folder)
    gpkg = folder / "synthetic.gpkg"
    params = {}
    for item in VECTOR_INPUTS:
        pyogrio.write_dataframe(inputs.vectors[item.name], gpkg, layer=item.name, driver="GPKG")
        params[item.parameter] = layer_uri(gpkg, item.name)
    params.update({"DEM": inputs.rasters["dem"], "FOREST": inputs.rasters["forest"], "SCALE": 0, "CELL_SIZE": 100,
                   "OUTPUT_FOLDER": str(tmp_path / "out")})
    return params



def test_provider_lists_riskzoning(hunchun_provider):
    assert "riskzoning" in [a.name() for a in hunchun_provider.algorithms()]


def test_synthetic_city_outputs_load_styled(synthetic_params):
    result = processing.run("hunchunrisk:riskzoning", synthetic_params)
    index = QgsRasterLayer(result["RISK_INDEX"], "index")
    classes = QgsRasterLayer(result["RISK_CLASS"], "class")
    assert index.isValid() and classes.isValid()
    assert Path(result["RISK_CLASS"]).with_suffix(".qml").exists()
    assert classes.renderer().type() == "paletted"  # the .qml beside the file was applied
    assert [c.value for c in classes.renderer().classes()] == [5, 4, 3, 2, 1]
    zones = QgsVectorLayer(result["RISK_ZONES"], "zones", "ogr")
    assert zones.isValid() and zones.renderer().type() == "categorizedSymbol"  # default style in the GeoPackage
    prevention = QgsVectorLayer(result["PREVENTION_ZONES"], "prevention", "ogr")
    assert prevention.isValid() and prevention.renderer().type() == "categorizedSymbol"
    with sqlite3.connect(result["RISK_ZONES"].split("|")[0]) as db:
        description = db.execute("SELECT description FROM gpkg_contents WHERE table_name = 'risk_zones'").fetchone()[0]
    assert "sha256" in description and "riskzoning" in description
    with rasterio.open(result["RISK_INDEX"]) as src:
        assert "sha256" in src.tags()["PROVENANCE"]
    record = json.loads(Path(result["PROVENANCE"]).read_text(encoding="utf-8"))
    assert record["inputs"]["townships"]["sha256"] and record["inputs"]["dem"]["sha256"]
    assert record["model"]["sha256"] and "[risk.ahp]" in record["model"]["text"]


def test_zonal_mean_matches_qgis_zonal_statistics(synthetic_params):
    result = processing.run("hunchunrisk:riskzoning", synthetic_params)
    stats = pyogrio.read_dataframe(result["TOWNSHIP_STATS"].split("|")[0], layer="township_stats")
    qgis = processing.run("native:zonalstatisticsfb", {
        "INPUT": synthetic_params["TOWNSHIPS"], "INPUT_RASTER": result["RISK_INDEX"], "RASTER_BAND": 1,
        "COLUMN_PREFIX": "z_", "STATISTICS": [0, 2], "OUTPUT": "TEMPORARY_OUTPUT"})["OUTPUT"]
    by_code = {f["code"]: (f["z_count"], f["z_mean"]) for f in qgis.getFeatures()}
    for row in stats.itertuples():
        count, mean = by_code[row.code]
        assert count * 0.01 == pytest.approx(row.raster_area_km2)  # 100 m cells = 0.01 km²
        assert mean == pytest.approx(row.mean_index, rel=1e-5)


def test_slope_matches_qgis_slope(synthetic_params, tmp_path):
    from hunchun_risk_plugin.core.risk.surfaces import slope_degrees

    dem = synthetic_params["DEM"]
    qgis = processing.run("native:slope",
                          {"INPUT": dem, "Z_FACTOR": 1, "OUTPUT": str(tmp_path / "slope.tif")})["OUTPUT"]
    with rasterio.open(dem) as src:
        ours = slope_degrees(src.read(1), src.res[0])
    with rasterio.open(qgis) as src:
        theirs = src.read(1)
    assert np.allclose(ours[1:-1, 1:-1], theirs[1:-1, 1:-1], atol=1e-3)
    assert ours[1:-1, 1:-1].max() > 15  # the mountains are in the test


def test_missing_field_names_layer_and_field_and_leaves_nothing(synthetic_params, tmp_path):
    gpkg = synthetic_params["SETTLEMENTS"].split("|")[0]
    layer = QgsVectorLayer(synthetic_params["SETTLEMENTS"], "s", "ogr")
    broken = processing.run("native:deletecolumn", {"INPUT": layer, "COLUMN": ["population"],
                                                    "OUTPUT": str(tmp_path / "broken.gpkg")})["OUTPUT"]
    synthetic_params["SETTLEMENTS"] = broken
    with pytest.raises(QgsProcessingException) as error:
        processing.run("hunchunrisk:riskzoning", synthetic_params)
    assert "settlements" in str(error.value) and "population" in str(error.value)
    out = Path(synthetic_params["OUTPUT_FOLDER"])
    assert not out.exists() or not any(out.iterdir())
    assert Path(gpkg).exists()


def test_unknown_township_is_refused(synthetic_params):
    synthetic_params.update({"SCALE": 1, "TOWNSHIP": "不存在乡"})
    with pytest.raises(QgsProcessingException) as error:
        processing.run("hunchunrisk:riskzoning", synthetic_params)
    assert "不存在乡" in str(error.value)


def test_geographic_crs_is_refused(synthetic_params):
    synthetic_params["CRS"] = "EPSG:4490"
    with pytest.raises(QgsProcessingException) as error:
        processing.run("hunchunrisk:riskzoning", synthetic_params)
    assert "EPSG:4511" in str(error.value)


def test_unwritable_output_folder_is_refused(synthetic_params, tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    synthetic_params["OUTPUT_FOLDER"] = str(blocker / "out")
    with pytest.raises(QgsProcessingException) as error:
        processing.run("hunchunrisk:riskzoning", synthetic_params)
    assert "cannot be written" in str(error.value) or "无法写入" in str(error.value)


def _check_stats(result: dict, cell: float) -> None:
    stats = pyogrio.read_dataframe(result["TOWNSHIP_STATS"].split("|")[0], layer="township_stats")
    shares = stats[[c for c in stats.columns if c.startswith("share_")]].sum(axis=1)
    assert np.allclose(shares, 1.0)
    perimeter_km = stats.geometry.length / 1000
    # cell-centre rasterisation: the raster area differs from the polygon area by at
    # most about half a cell along the boundary
    tolerance = perimeter_km * (cell / 1000) / 2 + 2 * (cell / 1000) ** 2
    assert (abs(stats["raster_area_km2"] - stats["area_km2"]) <= tolerance).all()
    class_sum = stats[[c for c in stats.columns if c.startswith("area_") and c.endswith("_km2")
                       and not c.endswith("zone_km2") and c != "area_km2"]].sum(axis=1)
    assert np.allclose(class_sum, stats["raster_area_km2"])
    # every settlement in a class cell also lies in a prevention-zone cell
    zone_people = stats[[c for c in stats.columns if c.startswith("pop_") and c.endswith("_zone")]].sum(axis=1)
    assert len(zone_people.index) and (zone_people == stats["population"]).all()
    record = json.loads(Path(result["PROVENANCE"]).read_text(encoding="utf-8"))
    assert all(v["sha256"] for k, v in record["inputs"].items() if v["path"] and k != "population")


@pytest.mark.slow
def test_sample_city_scale(sample_gpkg, tmp_path):
    result = processing.run("hunchunrisk:riskzoning",
                            sample_params(sample_gpkg, tmp_path / "city", SCALE=0, CELL_SIZE=500))
    with rasterio.open(result["RISK_CLASS"]) as src:
        classes = src.read(1)
        assert src.res == (500.0, 500.0) and src.crs.to_epsg() == 4511
    assert set(np.unique(classes[classes > 0])) == {1, 2, 3, 4, 5}
    _check_stats(result, 500.0)
    stats = pyogrio.read_dataframe(result["TOWNSHIP_STATS"].split("|")[0], layer="township_stats")
    assert len(stats) == 13


@pytest.mark.slow
def test_sample_township_scale(sample_gpkg, tmp_path):
    result = processing.run("hunchunrisk:riskzoning", sample_params(sample_gpkg, tmp_path / "tw", SCALE=1,
                                                                    TOWNSHIP="新安街道", CELL_SIZE=50))
    stats = pyogrio.read_dataframe(result["TOWNSHIP_STATS"].split("|")[0], layer="township_stats")
    assert list(stats["name"]) == ["新安街道"]
    _check_stats(result, 50.0)
    with rasterio.open(result["RISK_INDEX"]) as src:
        index = src.read(1, masked=True)
        assert src.res == (50.0, 50.0) and 0 <= index.min() and index.max() <= 1
