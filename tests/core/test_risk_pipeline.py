"""The whole core run on a small synthetic city (no QGIS): outputs, statistics that add
up, provenance, styles beside rasters, missing factors redistributed, bad input refused
before any file is written, cancel leaves nothing."""
from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import rasterio
from rasterio.transform import from_origin
from shapely.geometry import box

from hunchun_risk_plugin.core.definitions import prevention_zones, risk_classes
from hunchun_risk_plugin.core.errors import Cancelled, InputError
from hunchun_risk_plugin.core.progress import Progress
from hunchun_risk_plugin.core.risk.model import load_model, parse_model
from hunchun_risk_plugin.core.risk.pipeline import ZoningRequest, run_zoning
from hunchun_risk_plugin.core.risk.sources import RiskInputs
from synthetic_city import CRS, HAND_MODEL, X0, Y0, synthetic_inputs


@pytest.fixture
def inputs(tmp_path) -> RiskInputs:
    folder = tmp_path / "in"
    folder.mkdir()
    return synthetic_inputs(folder)


def request(inputs: RiskInputs, **overrides) -> ZoningRequest:
    settings = {"model": load_model(), "inputs": inputs, "scale": "city", "cell": 100.0, "block_size": 32}
    settings.update(overrides)
    return ZoningRequest(**settings)


def test_city_run_writes_every_output_and_stats_add_up(inputs, tmp_path):
    out = tmp_path / "out"
    result = run_zoning(request(inputs), out, Progress())
    for key in ("RISK_INDEX", "RISK_CLASS", "TOWNSHIP_STATS_CSV", "PROVENANCE"):
        assert Path(result[key]).exists(), key
    with rasterio.open(result["RISK_INDEX"]) as src:
        index = src.read(1, masked=True)
        assert src.dtypes[0] == "float32" and src.res == (100.0, 100.0)
        assert "PROVENANCE" in src.tags()
    assert 0.0 <= index.min() and index.max() <= 1.0
    # 10 km × 6 km at 100 m, both townships: 6000 cells inside
    assert index.count() == 6000
    with rasterio.open(result["RISK_CLASS"]) as src:
        classes = src.read(1)
    assert set(np.unique(classes)) <= {0, 1, 2, 3, 4, 5} and (classes > 0).sum() == 6000
    stats = pyogrio.read_dataframe(result["TOWNSHIP_STATS"].split("|")[0], layer="township_stats")
    shares = stats[[c for c in stats.columns if c.startswith("share_")]].sum(axis=1)
    assert np.allclose(shares, 1.0)
    class_area = stats[[f"area_{c.key}_km2" for c in risk_classes()]].sum(axis=1)
    assert np.allclose(class_area, [30.0, 30.0])  # each township is 5 km × 6 km
    assert np.allclose(stats["area_km2"], [30.0, 30.0])
    zone_area = stats[[f"area_{z.key}_zone_km2" for z in prevention_zones()]].sum(axis=1)
    assert np.allclose(zone_area, [30.0, 30.0])
    # population by class adds up to the settlements inside each township
    assert list(stats["population"]) == [9000, 500]
    assert list(stats["hazard_sites"]) == [1, 2]
    zones = pyogrio.read_dataframe(result["RISK_ZONES"].split("|")[0], layer="risk_zones")
    assert zones.geometry.area.sum() == pytest.approx(60e6, rel=1e-6)
    assert np.allclose(zones["area_km2"], zones.geometry.area / 1e6)
    prevention = pyogrio.read_dataframe(result["PREVENTION_ZONES"].split("|")[0], layer="prevention_zones")
    assert set(prevention["class"]) <= {1, 2, 3} and prevention.geometry.area.sum() == pytest.approx(60e6, rel=1e-6)
    csv = (out / "township_stats.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf") and "西镇".encode() in csv
    record = json.loads(Path(result["PROVENANCE"]).read_text(encoding="utf-8"))
    assert record["model"]["sha256"] and record["inputs"]["dem"]["sha256"]
    assert len(record["runs"][0]["breaks"]) == 4 and record["cell_size_m"] == 100.0
    assert "meteo_index" in record["missing"]["factors"]  # the field is not in the layer
    assert "meteorological" in record["missing"]["hazards"]
    assert sum(record["weights"]["hazards"].values()) == pytest.approx(1.0)
    assert not any(p.name.startswith(".hunchun-staging") for p in out.iterdir())


def test_flood_hazard_is_highest_on_the_river_lowland(inputs, tmp_path):
    result = run_zoning(request(inputs), tmp_path / "out", Progress())
    with rasterio.open(Path(result["RISK_INDEX"]).parent / "hazard_flood.tif") as src:
        flood = src.read(1, masked=True)
    # rows from the top: the river runs 300 m north of the south edge (row 56 of 60)
    assert flood[-3:, :].mean() > 0.8 and flood[:20, :].mean() < 0.05


def test_township_scale_one_township_is_clipped(inputs, tmp_path):
    result = run_zoning(request(inputs, scale="township", township="东乡", cell=50.0), tmp_path / "out", Progress())
    with rasterio.open(result["RISK_CLASS"]) as src:
        assert src.bounds.left == X0 + 5000 and (src.read(1) > 0).sum() == 100 * 120
    stats = pd.read_csv(result["TOWNSHIP_STATS_CSV"], encoding="utf-8-sig", dtype={"code": str})
    assert list(stats["code"]) == ["T2"]


def test_township_scale_all_townships_in_turn(inputs, tmp_path):
    out = tmp_path / "out"
    result = run_zoning(request(inputs, scale="township", cell=100.0), out, Progress())
    assert (out / "T1_risk_index.tif").exists() and (out / "T2_risk_class.tif").exists()
    with rasterio.open(result["RISK_CLASS"]) as src:  # the VRT mosaic
        assert src.width == 100 and (src.read(1) > 0).sum() == 6000
    zones = pyogrio.read_dataframe(result["RISK_ZONES"].split("|")[0], layer="risk_zones")
    assert set(zones["township_code"]) == {"T1", "T2"}


def test_missing_field_names_layer_and_field_and_writes_nothing(inputs, tmp_path):
    inputs.vectors["settlements"] = inputs.vectors["settlements"].drop(columns="population")
    out = tmp_path / "out"
    with pytest.raises(InputError) as error:
        run_zoning(request(inputs), out, Progress())
    assert "settlements" in error.value.en and "population" in error.value.en and "population" in error.value.zh
    assert not out.exists() or not any(out.iterdir())


def test_unknown_township_lists_the_known_ones(inputs, tmp_path):
    with pytest.raises(InputError) as error:
        run_zoning(request(inputs, scale="township", township="火星乡"), tmp_path / "out", Progress())
    assert "火星乡" in error.value.zh and "西镇" in error.value.zh


def test_geographic_target_crs_is_refused(inputs, tmp_path):
    with pytest.raises(InputError) as error:
        run_zoning(request(inputs, crs="EPSG:4490"), tmp_path / "out", Progress())
    assert "metres" in error.value.en


def test_raster_with_large_nodata_hole_is_refused(inputs, tmp_path):
    with rasterio.open(inputs.rasters["dem"], "r+") as dst:
        data = dst.read(1)
        data[:, :100] = -9999  # a third of the area
        dst.write(data, 1)
    with pytest.raises(InputError) as error:
        run_zoning(request(inputs), tmp_path / "out", Progress())
    assert "dem" in error.value.en and "no data" in error.value.en


def test_small_nodata_hole_is_filled(inputs, tmp_path):
    with rasterio.open(inputs.rasters["dem"], "r+") as dst:
        data = dst.read(1)
        data[100:103, 100:103] = -9999
        dst.write(data, 1)
    result = run_zoning(request(inputs), tmp_path / "out", Progress())
    with rasterio.open(result["RISK_INDEX"]) as src:
        assert src.read(1, masked=True).count() == 6000


def test_missing_optional_layer_redistributes_its_weight(inputs, tmp_path):
    inputs.vectors["flood_zones"] = None
    result = run_zoning(request(inputs), tmp_path / "out", Progress())
    record = result["record"]
    assert "flood_zone" in record["missing"]["factors"]
    flood = record["weights"]["components"]["flood"]
    # 0.40 and 0.15 of the remaining 0.55 (model weights 0.45 / 0.40 / 0.15)
    assert flood == pytest.approx({"low_ground": 0.40 / 0.55, "waterlogging": 0.15 / 0.55})


def test_empty_layer_is_refused(inputs, tmp_path):
    inputs.vectors["hazard_sites"] = inputs.vectors["hazard_sites"].iloc[0:0]
    with pytest.raises(InputError) as error:
        run_zoning(request(inputs), tmp_path / "out", Progress())
    assert "hazard_sites" in error.value.en


def test_non_overlapping_layer_is_refused(inputs, tmp_path):
    shelters = inputs.vectors["shelters"]
    inputs.vectors["shelters"] = shelters.set_geometry(shelters.translate(xoff=500000))
    with pytest.raises(InputError) as error:
        run_zoning(request(inputs), tmp_path / "out", Progress())
    assert "shelters" in error.value.en and "overlap" in error.value.en


def test_cancel_leaves_no_partial_output(inputs, tmp_path):
    calls = {"n": 0}

    def cancel_later() -> bool:
        calls["n"] += 1
        return calls["n"] > 20

    out = tmp_path / "out"
    with pytest.raises(Cancelled):
        run_zoning(request(inputs), out, Progress(is_canceled=cancel_later))
    assert list(out.iterdir()) == []


def test_unknown_class_value_names_layer_field_and_value(inputs, tmp_path):
    sites = inputs.vectors["hazard_sites"].copy()
    sites.loc[0, "scale"] = "giant"
    inputs.vectors["hazard_sites"] = sites
    with pytest.raises(InputError) as error:
        run_zoning(request(inputs), tmp_path / "out", Progress())
    assert all(word in error.value.en for word in ("hazard_sites", "scale", "giant"))


def test_fixed_breaks_are_used_as_given(inputs, tmp_path):
    text = load_model().text.replace('method = "natural_breaks"', 'method = "fixed"')
    from hunchun_risk_plugin.core.risk.model import parse_model

    model = parse_model(text)
    result = run_zoning(request(inputs, model=model), tmp_path / "out", Progress())
    assert result["record"]["runs"][0]["breaks"] == [0.05, 0.10, 0.15, 0.25]
    with rasterio.open(result["RISK_INDEX"]) as a, rasterio.open(result["RISK_CLASS"]) as b:
        index, classes = a.read(1), b.read(1)
    inside = classes > 0
    expected = 1 + (index[inside] > 0.05).astype(int) + (index[inside] > 0.10) + (index[inside] > 0.15) + (index[inside]
                                                                                                           > 0.25)
    assert (classes[inside] == expected).all()


# ---------------------------------------------------------------- a 3 × 3 grid by hand
# One township of 300 m × 300 m at 100 m cells: the grid is exactly the rasters' 3 × 3
# cells (nearest resampling, so every cell reads its own value). Row 0 is the north row.
HAND_FOREST = [[0.0, 0.2, 0.4], [0.5, 0.6, 0.8], [0.9, 1.0, 1.0]]     # H_flood as it is
HAND_DEM = [[0, 40, 100], [200, 100, 50], [20, 160, 300]]              # H_quake = dem/200, C = 1 − dem/200
HAND_POPULATION = [[0, 500, 1000], [250, 750, 100], [1000, 2000, 100]]  # p = pop/1000, E = 0.2 + 0.8 p
# V = 0.5 · 0.6 + 0.5 · (0.2 / 0.5) = 0.5 everywhere (the township's fields below).
# R = E · V · (1 − 0.5 C) · (0.75 H_flood + 0.25 H_quake); classes by 0.05 / 0.13 / 0.18 / 0.30.
HAND_CELLS = {
    # (row, col): (index, class)
    (0, 0): (0.0, 1),        # H 0, 0: E 0.2, C 1 → 0.2 · 0.5 · 0.5 · 0 = 0
    (0, 1): (0.036, 1),      # 0.75·0.2 + 0.25·0.2 = 0.2; E 0.2 + 0.8·0.5 = 0.6; C 0.8 → 0.6 · 0.5 · 0.6 · 0.2 = 0.036
    (0, 2): (0.159375, 3),   # 0.3 + 0.125 = 0.425; E 1.0; C 0.5 → 1.0 · 0.5 · 0.75 · 0.425 = 0.159375
    (1, 0): (0.125, 2),      # 0.375 + 0.25 = 0.625; E 0.4; C 0 → 0.4 · 0.5 · 1.0 · 0.625 = 0.125
    (1, 1): (0.1725, 3),     # 0.45 + 0.125 = 0.575; E 0.8; C 0.5 → 0.8 · 0.5 · 0.75 · 0.575 = 0.1725
    (1, 2): (0.05796875, 2),  # 0.6 + 0.0625 = 0.6625; E 0.28; C 0.75 → 0.28 · 0.5 · 0.625 · 0.6625 = 0.05796875
    (2, 0): (0.1925, 4),     # 0.675 + 0.025 = 0.7; E 1.0; C 0.9 → 1.0 · 0.5 · 0.55 · 0.7 = 0.1925
    (2, 1): (0.4275, 5),     # 0.75 + 0.2 = 0.95; E 1.0 (2000 people clipped); C 0.2 → 0.5 · 0.9 · 0.95 = 0.4275
    (2, 2): (0.14, 3),       # 0.75 + 0.25 (300 m clipped to 1) = 1.0; E 0.28; C 0 → 0.28 · 0.5 · 1.0 · 1.0 = 0.14
}


def hand_inputs(folder: Path) -> RiskInputs:
    townships = gpd.GeoDataFrame({"code": ["H1"], "name": ["手算乡"], "population": [0], "elderly_share": [0.2],
                                  "building_vulnerability": [0.6]},
                                 geometry=[box(X0, Y0, X0 + 300, Y0 + 300)], crs=CRS)
    rasters = {}
    for name, values in (("forest", HAND_FOREST), ("dem", HAND_DEM), ("population", HAND_POPULATION)):
        rasters[name] = str(folder / f"{name}.tif")
        with rasterio.open(rasters[name], "w", driver="GTiff", width=3, height=3, count=1, dtype="float32", crs=CRS,
                           transform=from_origin(X0, Y0 + 300, 100, 100), nodata=-9999) as dst:
            dst.write(np.array(values, dtype=np.float32), 1)
    return RiskInputs({"townships": townships}, rasters, {"townships": "memory:townships"} | rasters)


def test_index_and_classes_of_a_3x3_grid_worked_by_hand(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    model = parse_model(HAND_MODEL)
    # 1:1000 keeps the polygons unsieved: a 2 mm mapping unit is 2 m, less than a cell
    result = run_zoning(request(hand_inputs(folder), model=model, denominator=1000), tmp_path / "out", Progress())
    with rasterio.open(result["RISK_INDEX"]) as a, rasterio.open(result["RISK_CLASS"]) as b:
        assert a.shape == (3, 3) and a.bounds.left == X0 and a.bounds.top == Y0 + 300
        index, classes = a.read(1), b.read(1)
    for (row, col), (value, risk_class) in HAND_CELLS.items():
        assert index[row, col] == pytest.approx(value, abs=1e-6), (row, col)
        assert classes[row, col] == risk_class, (row, col)
    with rasterio.open(Path(result["RISK_INDEX"]).parent / "hazard_flood.tif") as src:
        assert src.read(1)[1, 2] == pytest.approx(0.8)  # the flood hazard is the forest value itself
    # prevention: class ≥ 4 → key (3); class 3 with capacity < 0.3 → key, else secondary (2); the rest general (1)
    with rasterio.open(result["PREVENTION_CLASS"]) as src:
        zones = src.read(1)
    assert zones[2, 0] == 3 and zones[2, 1] == 3  # classes 4 and 5
    assert zones[2, 2] == 3                       # class 3, capacity 0
    assert zones[0, 2] == 2 and zones[1, 1] == 2  # class 3, capacity 0.5
    assert zones[0, 0] == 1 and zones[1, 2] == 1  # classes 1 and 2


def test_township_classes_use_the_city_wide_breaks_by_default(inputs, tmp_path):
    """A township run classes its cells with the breaks of the whole city at the township
    cell size: the same breaks, and the same class in every cell, as a city run at that
    cell size. Relative to the township, its own histogram gives other breaks."""
    city = run_zoning(request(inputs, cell=100.0), tmp_path / "city", Progress())
    township = run_zoning(request(inputs, scale="township", township="东乡", cell=100.0), tmp_path / "tw", Progress())
    relative = run_zoning(request(inputs, scale="township", township="东乡", cell=100.0, relative_classes=True),
                          tmp_path / "rel", Progress())
    breaks = {name: json.loads((tmp_path / name / "provenance.json").read_text(encoding="utf-8"))["runs"][0]["breaks"]
              for name in ("city", "tw", "rel")}
    assert breaks["tw"] == pytest.approx(breaks["city"])
    assert breaks["rel"] != pytest.approx(breaks["city"])
    with rasterio.open(township["RISK_CLASS"]) as tw, rasterio.open(city["RISK_CLASS"]) as whole:
        window = rasterio.windows.from_bounds(*tw.bounds, transform=whole.transform)
        mine, same_cells = tw.read(1), whole.read(1, window=window.round_offsets().round_lengths())
        inside = mine > 0
        assert inside.sum() == 50 * 60  # 东乡, 5 x 6 km, at 100 m
        assert (mine[inside] == same_cells[inside]).all()
    stats = pyogrio.read_dataframe(township["TOWNSHIP_STATS"].split("|")[0], layer="township_stats")
    assert list(stats["class_scale"]) == ["city"]
    assert [float(v) for v in stats["class_breaks"].iloc[0].split(",")] == pytest.approx(breaks["city"], rel=1e-5)
    relative_stats = pyogrio.read_dataframe(relative["TOWNSHIP_STATS"].split("|")[0], layer="township_stats")
    assert list(relative_stats["class_scale"]) == ["township"]
