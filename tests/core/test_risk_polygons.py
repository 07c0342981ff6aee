"""Class rasters to dissolved polygons: areas by hand, sieving, and tiling that gives
the same result as one piece."""
from __future__ import annotations

import numpy as np
import pytest
import rasterio
from rasterio.transform import from_origin

from hunchun_risk_plugin.core.definitions import risk_classes
from hunchun_risk_plugin.core.risk import polygons
from hunchun_risk_plugin.core.risk.polygons import class_polygons, sieve_cells


def write(path, data):
    with rasterio.open(path, "w", driver="GTiff", width=data.shape[1], height=data.shape[0], count=1, dtype="uint8",
                       crs="EPSG:4511", transform=from_origin(500000, 4700000, 10, 10), nodata=0) as dst:
        dst.write(data, 1)
    return path


def test_mapping_unit():
    assert sieve_cells(100.0, 250000, 2.0) == 25  # 500 m square
    assert sieve_cells(25.0, 50000, 2.0) == 16  # 100 m square


def test_areas_and_dissolve_by_hand(tmp_path):
    data = np.zeros((10, 10), np.uint8)
    data[:, :4] = 1  # 40 cells of 100 m² each
    data[:, 4:] = 5
    data[0, 9] = 0  # outside the area
    data[8:, 0] = 5  # a second class-5 patch, not connected: dissolved into one multipolygon
    frame = class_polygons(write(tmp_path / "c.tif", data), risk_classes(), 1)
    assert frame["class"].tolist() == [1, 5]
    assert frame["area_km2"].tolist() == pytest.approx([38 * 100 / 1e6, 61 * 100 / 1e6])
    assert frame.geometry.iloc[1].geom_type == "MultiPolygon"
    assert frame["share"].sum() == pytest.approx(1.0)


def test_sieve_merges_small_patches(tmp_path):
    data = np.full((20, 20), 2, np.uint8)
    data[5:7, 5:7] = 4  # 4 cells < 9
    frame = class_polygons(write(tmp_path / "c.tif", data), risk_classes(), 9)
    assert frame["class"].tolist() == [2] and frame["area_km2"].iloc[0] == pytest.approx(400 * 100 / 1e6)


def test_tiles_give_the_same_polygons(tmp_path, monkeypatch):
    rng = np.random.default_rng(3)
    data = np.kron(rng.integers(1, 6, (12, 12)), np.ones((5, 5), int)).astype(np.uint8)
    path = write(tmp_path / "c.tif", data)
    whole = class_polygons(path, risk_classes(), 4)
    monkeypatch.setattr(polygons, "TILE", 16)
    tiled = class_polygons(path, risk_classes(), 4)
    assert tiled["class"].tolist() == whole["class"].tolist()
    for a, b in zip(whole.geometry, tiled.geometry):
        assert a.symmetric_difference(b).area == pytest.approx(0.0, abs=1e-6)


def test_an_area_smaller_than_the_mapping_unit_keeps_its_largest_patch(tmp_path):
    """A 3 x 3 area at 1:250000 (mapping unit 25 cells): GDAL would refuse to sieve it;
    the 7 cells of class 3 absorb the 2-cell class-1 patch, the area stays 9 cells."""
    data = np.full((3, 3), 3, np.uint8)
    data[0, :2] = 1
    frame = class_polygons(write(tmp_path / "c.tif", data), risk_classes(), 25)
    assert frame["class"].tolist() == [3]
    assert frame["area_km2"].iloc[0] == pytest.approx(9 * 100 / 1e6)
