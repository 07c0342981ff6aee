"""Nothing is written beside the inputs: every algorithm, through processing.run, on a
copy of the sample data in a read-only folder (with a Chinese name and a space) leaves
that folder byte-for-byte and file-for-file as it was: no .aux.xml, -wal/-shm, .qmd or
anything else. Tests run as root, where chmod does not stop writes, so the folder is
hashed (names, sizes, contents) before and after each algorithm."""
from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

import processing
import pytest

from hunchun_risk_plugin.core.layer_uri import layer_uri
from sample_layers import sample_params

# What other programs (and other tests, reading the sample with plain GDAL) may have left
# in the checkout's layers/: not part of the sample, so not copied.
SIDECARS = shutil.ignore_patterns("*.aux.xml")
KIND_RISK = "risk"  # exportmaps KINDS takes the kind keys of core/data/maps.toml
TOWNSHIP_SCALE = 1


@pytest.fixture(autouse=True)
def _provider(hunchun_provider):
    return hunchun_provider


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative name -> sha256 of its bytes)."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def read_only_inputs(repo_root, tmp_path):
    folder = tmp_path / "只读 输入"
    shutil.copytree(repo_root / "layers", folder, ignore=SIDECARS)
    for path in [*folder.rglob("*"), folder]:
        path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH | (stat.S_IXUSR if path.is_dir() else 0))
    yield folder
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def test_tree_digest_sees_a_new_file_and_a_changed_byte(tmp_path):
    (tmp_path / "a").write_bytes(b"1")
    before = tree_digest(tmp_path)
    (tmp_path / "a.aux.xml").write_bytes(b"")
    assert tree_digest(tmp_path) != before
    (tmp_path / "a.aux.xml").unlink()
    (tmp_path / "a").write_bytes(b"2")
    assert tree_digest(tmp_path) != before


def test_every_algorithm_leaves_the_input_folder_unchanged(read_only_inputs, tmp_path):
    gpkg = read_only_inputs / "hunchun_sample.gpkg"
    before = tree_digest(read_only_inputs)
    assert "dem.tif" in before and not any(name.endswith(".aux.xml") for name in before)
    out = tmp_path / "输出"
    runs = {
        "validateinputs": {**{k: v for k, v in sample_params(gpkg, out).items() if "|" in str(v)},
                           "REPORT": str(out / "report.json"), "PROPOSED_FIELD_MAP": str(out / "map.toml")},
        "riskzoning": sample_params(gpkg, out / "risk", SCALE=TOWNSHIP_SCALE, TOWNSHIP="密江乡", CELL_SIZE=100),
        "evacuationroutes": {"ROADS": layer_uri(gpkg, "roads"), "ORIGINS": layer_uri(gpkg, "settlements"),
                             "SHELTERS": layer_uri(gpkg, "shelters"), "HAZARD_POLYGONS": layer_uri(gpkg, "flood_zones"),
                             "OUTPUT_FOLDER": str(out / "evacuation")},
        "depotcoverage": {"ROADS": layer_uri(gpkg, "roads"), "DEPOTS": layer_uri(gpkg, "depots"),
                          "SETTLEMENTS": layer_uri(gpkg, "settlements"), "TOWNSHIPS": layer_uri(gpkg, "townships"),
                          "FIRE_STATIONS": layer_uri(gpkg, "fire_stations"), "OUTPUT_FOLDER": str(out / "coverage")},
        "hazardledger": {"HAZARD_SITES": layer_uri(gpkg, "hazard_sites"), "SETTLEMENTS": layer_uri(gpkg, "settlements"),
                         "SHELTERS": layer_uri(gpkg, "shelters"), "ROADS": layer_uri(gpkg, "roads"),
                         "TOWNSHIPS": layer_uri(gpkg, "townships"), "CARDS": True,
                         "OUTPUT_FOLDER": str(out / "ledger")},
        "exportmaps": sample_params(gpkg, out / "maps", KINDS=[KIND_RISK], SCALES=[TOWNSHIP_SCALE],
                                    ONLY_TOWNSHIPS="密江乡", DPI=50, WORKERS=1, MAP_DATE="2026-01-01"),
    }
    for algorithm, params in runs.items():
        out.mkdir(exist_ok=True)
        processing.run(f"hunchunrisk:{algorithm}", params)
        after = tree_digest(read_only_inputs)
        assert sorted(after) == sorted(before), f"{algorithm} added or removed files: {set(after) ^ set(before)}"
        changed = [name for name in before if before[name] != after[name]]
        assert not changed, f"{algorithm} changed {changed}"
    assert os.listdir(out / "maps")  # the last run did write its maps (into the output folder)


def test_a_read_only_input_folder_works_for_a_user_who_cannot_write_it(repo_root):
    """As a user for whom chmod does bind (the suite runs as root: then as 'nobody'),
    riskzoning from qgis_process reads a folder it may not write and succeeds."""
    import subprocess
    import tempfile

    tmp_path = Path(tempfile.mkdtemp(prefix="hunchun-read-only-"))  # pytest's own is private to root
    home = tmp_path / "home"
    inputs = tmp_path / "in"
    shutil.copytree(repo_root / "layers", inputs, ignore=SIDECARS)
    home.mkdir()
    for path in [*inputs.iterdir(), inputs]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    tmp_path.chmod(0o755)
    prefix = []
    if os.geteuid() == 0:
        os.chown(home, 65534, 65534)  # nobody
        prefix = ["runuser", "-u", "nobody", "--"]
    gpkg = inputs / "hunchun_sample.gpkg"
    before = tree_digest(inputs)
    env = {**os.environ, "HOME": str(home), "QGIS_CUSTOM_CONFIG_PATH": str(home / "profile"),
           "XDG_RUNTIME_DIR": str(home / "runtime")}
    try:
        result = subprocess.run(
            [*prefix, "env",
             *[f"{k}={v}" for k, v in env.items() if k in ("HOME", "QGIS_CUSTOM_CONFIG_PATH", "XDG_RUNTIME_DIR")],
             str(repo_root / "scripts" / "qgis_process"), "run", "hunchunrisk:riskzoning", "--",
             f"TOWNSHIPS={gpkg}|layername=townships", f"SETTLEMENTS={gpkg}|layername=settlements",
             f"ROADS={gpkg}|layername=roads", f"DEM={inputs / 'dem.tif'}", f"FOREST={inputs / 'forest.tif'}",
             "SCALE=1", "TOWNSHIP=密江乡", "CELL_SIZE=100", f"OUTPUT_FOLDER={home / 'out'}"],
            capture_output=True, text=True, timeout=300, env=env)
        if prefix:  # the user really cannot write the folder
            probe = subprocess.run([*prefix, "touch", str(inputs / "probe")], capture_output=True)
            assert probe.returncode != 0
        assert result.returncode == 0, result.stderr[-3000:]
        assert (home / "out" / "risk_index.tif").is_file()
        assert tree_digest(inputs) == before
    finally:
        for path in [inputs, *inputs.iterdir()]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        shutil.rmtree(tmp_path)


def test_loading_the_sample_data_writes_nothing_beside_it(repo_root, tmp_path, monkeypatch, qgis_new_project):
    """The sample loaded into a project, drawn, and the project cleared: its folder is
    as it was (a raster layer computes band statistics as it is made, and GDAL kept them
    in a dem.tif.aux.xml beside the sample)."""
    from qgis.core import QgsMapRendererSequentialJob, QgsMapSettings
    from qgis.PyQt.QtCore import QSize

    from hunchun_risk_plugin import paths
    from hunchun_risk_plugin.mapping import sample_project

    folder = tmp_path / "layers"
    shutil.copytree(repo_root / "layers", folder, ignore=SIDECARS)
    monkeypatch.setattr(paths, "layers_dir", lambda: folder)  # sample_gpkg() asks it
    monkeypatch.setattr(sample_project, "layers_dir", lambda: folder)
    before = tree_digest(folder)
    sample_project.load_sample_data(qgis_new_project, "zh")
    layers = list(qgis_new_project.mapLayers().values())
    assert any(str(folder / "dem.tif") in layer.source() for layer in layers)
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(qgis_new_project.crs())
    settings.setExtent(layers[-1].extent())
    settings.setOutputSize(QSize(400, 300))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    del layers, job
    qgis_new_project.clear()
    after = tree_digest(folder)
    assert {name: after.get(name) for name in before} == before
    # GDAL 3.10 (QGIS 3.40) reads a GeoPackage's metadata into PAM only when the dataset
    # is closed, which for the sample loaded into the user's project is when QGIS drops
    # the layer, outside anything this plugin runs: that sidecar is a known leftover there
    from osgeo import gdal

    known = {"hunchun_sample.gpkg.aux.xml"} if int(gdal.VersionInfo()) >= 3100000 else set()
    assert set(after) - set(before) <= known
