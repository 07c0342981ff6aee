"""Every CRS Chinese data come in, through processing.run: CGCS2000 and WGS 84
longitude/latitude, the 3-degree zones, the 6-degree zones with and without the zone
number in the easting; a layer with no CRS refused with how to set it; rasters on
other grids and CRSs warped onto the analysis grid. Each run is compared with the
sample in EPSG:4511."""
from __future__ import annotations

import numpy as np
import processing
import pyogrio
import pytest
import rasterio
from qgis.core import QgsProcessingException
from rasterio.warp import Resampling, calculate_default_transform, reproject

from hunchun_risk_plugin.core.layer_uri import layer_uri

TOWNSHIP = "密江乡"
# EPSG: 4490 CGCS2000 lon/lat, 4326 WGS 84 lon/lat, 4549/4552/4553 CGCS2000 3-degree CM 120/129/132 E,
# 4511 6-degree CM 129E, 4500 6-degree zone 22 (CM 129E, the zone number 22 in front of the easting)
CRSS = [4490, 4326, 4549, 4552, 4553, 4511, 4500]


@pytest.fixture(autouse=True)
def _provider(hunchun_provider):
    return hunchun_provider


def _in_crs(sample_gpkg, folder, epsg: int, layers=("townships", "settlements", "hazard_sites")) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"epsg{epsg}.gpkg"
    for name in layers:
        pyogrio.write_dataframe(pyogrio.read_dataframe(sample_gpkg, layer=name).to_crs(epsg), target, layer=name)
    return {name.upper(): layer_uri(target, name) for name in layers}


def _risk(sample_gpkg, out, layers: dict, **rasters) -> dict:
    params = {"ROADS": layer_uri(sample_gpkg, "roads"), "DEM": str(sample_gpkg.parent / "dem.tif"),
              "FOREST": str(sample_gpkg.parent / "forest.tif"), "SCALE": 1, "TOWNSHIP": TOWNSHIP, "CELL_SIZE": 100,
              "OUTPUT_FOLDER": str(out), **layers, **rasters}
    return processing.run("hunchunrisk:riskzoning", params)


def _stats(result):
    return pyogrio.read_dataframe(result["TOWNSHIP_STATS"].split("|")[0], layer="township_stats")


_REFERENCE: dict = {}


@pytest.fixture
def reference(sample_gpkg, tmp_path_factory, hunchun_provider):
    """The run on the sample in EPSG:4511 (once per session)."""
    if not _REFERENCE:
        layers = {n.upper(): layer_uri(sample_gpkg, n) for n in ("townships", "settlements", "hazard_sites")}
        _REFERENCE.update(_risk(sample_gpkg, tmp_path_factory.mktemp("reference"), layers))
    return dict(_REFERENCE)


@pytest.mark.parametrize("epsg", CRSS)
def test_riskzoning_reprojects_every_crs_in_use(sample_gpkg, tmp_path, reference, epsg):
    result = _risk(sample_gpkg, tmp_path / "out", _in_crs(sample_gpkg, tmp_path / "in", epsg))
    stats, expected = _stats(result), _stats(reference)
    assert stats["name"].tolist() == [TOWNSHIP]
    assert stats["population"].tolist() == expected["population"].tolist()
    # a round trip through another CRS moves vertices by millimetres: the area is the same to 1e-6
    assert stats["area_km2"].iloc[0] == pytest.approx(expected["area_km2"].iloc[0], rel=1e-6)
    with rasterio.open(result["RISK_CLASS"]) as a, rasterio.open(reference["RISK_CLASS"]) as b:
        assert a.crs.to_epsg() == 4511 and a.transform == b.transform
        assert (a.read(1) == b.read(1)).mean() > 0.999


def test_a_layer_without_crs_is_refused_with_how_to_set_it(sample_gpkg, tmp_path):
    frame = pyogrio.read_dataframe(sample_gpkg, layer="townships")
    frame = frame.set_crs(None, allow_override=True)
    path = tmp_path / "no_crs.shp"  # a shapefile without its .prj
    pyogrio.write_dataframe(frame, path)
    assert not path.with_suffix(".prj").exists()
    for algorithm, params in {
        "riskzoning": {"TOWNSHIPS": str(path), "SETTLEMENTS": layer_uri(sample_gpkg, "settlements"), "SCALE": 1,
                       "TOWNSHIP": TOWNSHIP, "OUTPUT_FOLDER": str(tmp_path / "r")},
        "depotcoverage": {"ROADS": layer_uri(sample_gpkg, "roads"), "DEPOTS": layer_uri(sample_gpkg, "depots"),
                          "SETTLEMENTS": layer_uri(sample_gpkg, "settlements"), "TOWNSHIPS": str(path),
                          "OUTPUT_FOLDER": str(tmp_path / "d")},
    }.items():
        with pytest.raises(QgsProcessingException) as error:
            processing.run(f"hunchunrisk:{algorithm}", params)
        text = str(error.value)
        assert "no_crs" in text and ("Assigned" in text
                                     or "指定的坐标参考系" in text) and "EPSG:4511" in text, algorithm
        assert not (tmp_path / "r").exists() and not (tmp_path / "d").exists()


def test_evacuation_with_every_layer_in_another_crs(sample_gpkg, tmp_path):
    base = {"ROADS": layer_uri(sample_gpkg, "roads"), "ORIGINS": layer_uri(sample_gpkg, "settlements"),
            "SHELTERS": layer_uri(sample_gpkg, "shelters")}
    reference = processing.run("hunchunrisk:evacuationroutes", {**base, "OUTPUT_FOLDER": str(tmp_path / "ref")})
    mixed = {**_in_crs(sample_gpkg, tmp_path / "a", 4490, ("roads",)),
             "ORIGINS": _in_crs(sample_gpkg, tmp_path / "b", 4553, ("settlements",))["SETTLEMENTS"],
             **_in_crs(sample_gpkg, tmp_path / "c", 4326, ("shelters",))}
    result = processing.run("hunchunrisk:evacuationroutes", {**mixed, "OUTPUT_FOLDER": str(tmp_path / "mixed")})
    assert result["POPULATION_PLACED"] == reference["POPULATION_PLACED"] > 0
    assert result["POPULATION_UNREACHED"] == reference["POPULATION_UNREACHED"]


def _warp(source, target, epsg: int, cell: float) -> str:
    with rasterio.open(source) as src:
        transform, width, height = calculate_default_transform(src.crs, f"EPSG:{epsg}", src.width, src.height,
                                                               *src.bounds, resolution=cell)
        profile = {**src.profile, "crs": f"EPSG:{epsg}", "transform": transform, "width": width, "height": height}
        with rasterio.open(target, "w", **profile) as dst:
            reproject(rasterio.band(src, 1), rasterio.band(dst, 1), resampling=Resampling.bilinear)
    return str(target)


def test_rasters_on_other_grids_and_crss_are_warped_onto_the_grid(sample_gpkg, tmp_path, reference):
    layers = {n.upper(): layer_uri(sample_gpkg, n) for n in ("townships", "settlements", "hazard_sites")}
    dem = _warp(sample_gpkg.parent / "dem.tif", tmp_path / "dem_4490.tif", 4490, 0.0004)  # degrees, ~35 m
    forest = _warp(sample_gpkg.parent / "forest.tif", tmp_path / "forest_4553.tif", 4553, 70.0)
    result = _risk(sample_gpkg, tmp_path / "out", layers, DEM=dem, FOREST=forest)
    with rasterio.open(result["RISK_INDEX"]) as a, rasterio.open(reference["RISK_INDEX"]) as b:
        assert a.crs.to_epsg() == 4511 and a.transform == b.transform and a.shape == b.shape
        ours, theirs = a.read(1), b.read(1)
    both = np.isfinite(ours) & np.isfinite(theirs)
    assert both.sum() == np.isfinite(theirs).sum()  # the same cells have a value
    # two bilinear resamplings instead of one: the index moves a little, nowhere much
    assert np.median(np.abs(ours[both] - theirs[both])) < 0.01


def test_a_raster_without_crs_is_refused(sample_gpkg, tmp_path, reference):
    with rasterio.open(sample_gpkg.parent / "dem.tif") as src:
        profile = {**src.profile}
        profile.pop("crs")
        data = src.read(1)
    target = tmp_path / "dem_no_crs.tif"
    with rasterio.open(target, "w", **profile) as dst:
        dst.write(data, 1)
    layers = {n.upper(): layer_uri(sample_gpkg, n) for n in ("townships", "settlements")}
    with pytest.raises(QgsProcessingException) as error:
        _risk(sample_gpkg, tmp_path / "out", layers, DEM=str(target))
    assert "dem_no_crs" in str(error.value) and "EPSG:4511" in str(error.value)
