"""The sample generator (scripts/sample_data/, run as scripts/make_sample_data.py)
reproduces the committed dataset in layers/ exactly.

The generator is run once, in a subprocess (it sets GDAL options for fixed GeoPackage
timestamps, which must not leak into other tests), into a temporary folder. The
expected files are the committed ones, not anything the generator computes.

The byte comparison is the promise; the table and raster comparisons say *what*
differs when it fails (with another GDAL or PROJ, the bytes can differ while every
row, geometry and pixel is the same). No QGIS needed.
"""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest
import rasterio

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ROOT / "layers"
GENERATOR = ROOT / "scripts" / "make_sample_data.py"
GPKG = "hunchun_sample.gpkg"
RASTERS = ("dem.tif", "forest.tif")


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample_data")
    run = subprocess.run([sys.executable, str(GENERATOR), "--out", str(out)], cwd=ROOT,
                         capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, f"generator failed:\n{run.stdout}\n{run.stderr}"
    return out


def test_generator_writes_exactly_the_sample_files(regenerated: Path):
    assert sorted(p.name for p in regenerated.iterdir()) == sorted([GPKG, *RASTERS])


@pytest.mark.parametrize("name", [GPKG, *RASTERS])
def test_regenerated_file_is_byte_identical(regenerated: Path, name: str):
    committed, fresh = (LAYERS / name).read_bytes(), (regenerated / name).read_bytes()
    if fresh != committed:
        first = next((i for i, (a, b) in enumerate(zip(fresh, committed)) if a != b), min(len(fresh), len(committed)))
        pytest.fail(f"{name}: {len(fresh)} bytes, committed {len(committed)}; first difference at byte {first}")


def _tables(path: Path) -> dict[str, list[tuple]]:
    """Every stored table (rows in rowid order, geometry blobs included) and the schema
    itself. R-tree virtual tables are skipped: their shadow tables hold their data."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        schema = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        names = [name for kind, name, _, sql in schema
                 if kind == "table" and not (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
        tables = {name: db.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall() for name in names}
    tables["sqlite_master"] = schema
    return tables


def test_regenerated_geopackage_has_the_same_tables_rows_and_geometries(regenerated: Path):
    committed, fresh = _tables(LAYERS / GPKG), _tables(regenerated / GPKG)
    assert sorted(fresh) == sorted(committed)
    # Layers, geometries (WKB in the blobs), gpkg_contents, gpkg_metadata (the
    # synthetic-data notices), spatial index shadow tables: all row for row.
    for name in committed:
        assert fresh[name] == committed[name], f"table {name} differs"


@pytest.mark.parametrize("name", RASTERS)
def test_regenerated_raster_has_the_same_pixels_georeference_and_notices(regenerated: Path, name: str):
    with rasterio.open(LAYERS / name) as want, rasterio.open(regenerated / name) as got:
        assert got.profile == want.profile
        assert got.tags() == want.tags()
        assert got.descriptions == want.descriptions and got.units == want.units
        np.testing.assert_array_equal(got.read(1), want.read(1))
