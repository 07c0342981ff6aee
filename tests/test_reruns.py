"""The same inputs give byte-identical rasters and identical tables on a rerun
(into another folder; provenance records differ only by their time)."""
from __future__ import annotations

import processing
import pyogrio
import pytest

from hunchun_risk_plugin.core.layer_uri import layer_uri
from sample_layers import sample_params


@pytest.fixture(autouse=True)
def _provider(hunchun_provider):
    return hunchun_provider


def test_riskzoning_twice_gives_the_same_bytes(sample_gpkg, tmp_path):
    runs = [processing.run("hunchunrisk:riskzoning", sample_params(sample_gpkg, tmp_path / name, SCALE=1,
                                                                    TOWNSHIP="密江乡", CELL_SIZE=100))
            for name in ("a", "b")]
    tifs = sorted(p.name for p in (tmp_path / "a").glob("*.tif"))
    assert "risk_index.tif" in tifs and tifs == sorted(p.name for p in (tmp_path / "b").glob("*.tif"))
    for name in tifs + ["township_stats.csv"]:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    for layer in ("risk_zones", "prevention_zones", "township_stats"):
        a, b = (pyogrio.read_dataframe(r["RISK_ZONES"].split("|")[0], layer=layer) for r in runs)
        assert a.equals(b), layer


def test_evacuationroutes_twice_gives_the_same_tables(sample_gpkg, tmp_path):
    params = {"ROADS": layer_uri(sample_gpkg, "roads"), "ORIGINS": layer_uri(sample_gpkg, "settlements"),
              "SHELTERS": layer_uri(sample_gpkg, "shelters"), "HAZARD_POLYGONS": layer_uri(sample_gpkg, "flood_zones")}
    for name in ("a", "b"):
        processing.run("hunchunrisk:evacuationroutes", {**params, "OUTPUT_FOLDER": str(tmp_path / name)})
    csvs = sorted(p.name for p in (tmp_path / "a").glob("*.csv"))
    assert csvs
    for name in csvs:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    for gpkg in sorted((tmp_path / "a").glob("*.gpkg")):
        assert pyogrio.read_dataframe(gpkg).equals(pyogrio.read_dataframe(tmp_path / "b" / gpkg.name)), gpkg.name
