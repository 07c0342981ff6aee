"""The real QGIS desktop, end to end, as a new user meets the plugin: Debian's QGIS 3.22
under Xvfb, a fresh profile (--profiles-path), QGIS's own /usr/bin/python3 and nothing of
this repository's venv (env -i). The zip of `make package` goes in through QGIS's own
"Install from ZIP" code path (pyplugin_installer's installFromZipFile); the plugin says
what it is missing, with no Python error; install_dependencies.py fills the private
folder from a wheel folder; QGIS starts again and runs riskzoning and exportmaps for one
township. tests/desktop/in_qgis.py is the script QGIS runs (--code); screenshots go next
to the reports, in pytest's tmp folder (HUNCHUN_E2E_SCREENSHOTS names another folder)."""
from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
import rasterio

from hunchun_risk_plugin.core.map_specs import map_kinds
from test_stock_qgis import wheelhouse  # noqa: F401  (the cached Debian 12 wheel folder fixture)

ROOT = Path(__file__).resolve().parent.parent
IN_QGIS = ROOT / "tests" / "desktop" / "in_qgis.py"
TOWNSHIP = "新安街道"
LAYERS = ("townships", "hazard_sites", "settlements", "shelters", "depots", "fire_stations", "roads", "rivers",
          "seismic_zones", "flood_zones")
TIMEOUT_S = 420


def user_env(home: Path, **extra: str) -> dict:
    """What a desktop session has: PATH and HOME, no PYTHONPATH, no venv, no QT_QPA_PLATFORM."""
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", "XDG_RUNTIME_DIR": str(runtime), **extra}


def start_qgis(home: Path, profiles: Path, step: str, **config) -> dict:
    """QGIS desktop under Xvfb running one step of in_qgis.py; its report."""
    shots = Path(os.environ.get("HUNCHUN_E2E_SCREENSHOTS", home))
    shots.mkdir(parents=True, exist_ok=True)
    config_file = home / f"{step}.json"
    report = home / f"{step}.report.json"
    config_file.write_text(json.dumps({"step": step, "report": str(report), "timeout_s": TIMEOUT_S - 60,
                                       "screenshot": str(shots / f"desktop_{step}.png"), **config}), encoding="utf-8")
    command = ["env", "-i", *(f"{k}={v}" for k, v in user_env(home, HUNCHUN_E2E_CONFIG=str(config_file)).items()),
               "xvfb-run", "-a", "-s", "-screen 0 1440x900x24",
               "qgis", "--profiles-path", str(profiles), "--nologo", "--noversioncheck", "--code", str(IN_QGIS)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, cwd=home)
    assert report.exists(), f"QGIS wrote no report (exit {result.returncode}):\n{result.stderr[-3000:]}"
    data = json.loads(report.read_text(encoding="utf-8"))
    data["stderr"] = result.stderr
    return data


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


@pytest.fixture(scope="module")
def package_zip() -> Path:
    result = subprocess.run(["bash", str(ROOT / "scripts" / "package.sh")], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    version = re.search(r"^version=(.+)$", (ROOT / "metadata.txt").read_text(encoding="utf-8"), re.M).group(1)
    return ROOT / "dist" / f"hunchun_risk_plugin-{version}.zip"


@pytest.mark.slow
def test_desktop_install_from_zip_then_packages_then_maps(package_zip, wheelhouse, tmp_path):  # noqa: F811
    home, profiles = tmp_path, tmp_path / "profiles"
    profile = profiles / "profiles" / "default"
    plugin = profile / "python" / "plugins" / "hunchun_risk_plugin"

    # 1. Install from ZIP into a fresh profile: loads, says what is missing, no Python error.
    first = start_qgis(home, profiles, "install_zip", zip=str(package_zip))
    assert "script_error" not in first and "timeout" not in first, first.get("script_error")
    assert (plugin / "metadata.txt").is_file()
    assert first["python_errors"] == [] and first["dialogs"] == [], (first["python_errors"], first["dialogs"])
    assert first["active"] is True
    missing = [m for m in first["messages"] if "geopandas" in m["text"]]
    assert len(missing) == 1 and "Install…" in missing[0]["buttons"], first["messages"]
    assert "hunchunrisk:riskzoning" in first["algorithms"] and "hunchunrisk:exportmaps" in first["algorithms"]
    ini = (profile / "QGIS" / "QGIS3.ini").read_text(encoding="utf-8")
    assert re.search(r"^hunchun_risk_plugin=true$", ini, re.M), "the installer did not enable the plugin"

    # 2. The packages from a wheel folder, with QGIS's Python, into the profile's private folder.
    installed = subprocess.run(["env", "-i", *(f"{k}={v}" for k, v in user_env(home).items()), "/usr/bin/python3",
                                str(plugin / "install_dependencies.py"), "--wheels", str(wheelhouse)],
                               capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    assert (profile / "python" / "dependencies" / "hunchun_risk" / "py3.11" / "geopandas").is_dir()

    # 3. QGIS again: no message, the real algorithms run for one township from inside it.
    out = tmp_path / "out"
    second = start_qgis(home, profiles, "run_algorithms", output=str(out), township=TOWNSHIP, layers=LAYERS,
                        sample_gpkg=str(plugin / "layers" / "hunchun_sample.gpkg"))
    assert "script_error" not in second and "timeout" not in second, second.get("script_error")
    assert second["python_errors"] == [] and second["dialogs"] == [], (second["python_errors"], second["dialogs"])
    assert second["at_start"]["active"] and not [m for m in second["at_start"]["messages"] if "geopandas" in m["text"]]

    with rasterio.open(second["riskzoning"]["RISK_CLASS"]) as src:
        classes = src.read(1, masked=True)
        assert src.res == (50.0, 50.0) and src.crs.to_epsg() == 4511
    with rasterio.open(second["riskzoning"]["RISK_INDEX"]) as src:
        index = src.read(1, masked=True)
    assert classes.count() > 1000 and set(np.unique(classes.compressed())) <= {1, 2, 3, 4, 5}
    assert 0 <= index.min() < index.max() <= 1
    # the classes order the index: each class's lowest index is above the previous class's highest
    bounds = [(index[classes == c].min(), index[classes == c].max()) for c in range(1, 6) if (classes == c).any()]
    assert all(high <= low for (_, high), (low, _) in zip(bounds, bounds[1:]))

    maps = Path(second["exportmaps"]["OUTPUT_FOLDER"])
    pdfs = sorted(maps.rglob("*.pdf"))
    assert {p.name for p in pdfs} >= {f"{TOWNSHIP}_应急疏散路线图_1-50000.pdf"}
    kinds = len(map_kinds())  # every kind of maps.toml, one page each: 新安街道 fits one sheet
    assert len(pdfs) == kinds
    assert sum(pdf_pages(p) for p in pdfs) == int(second["exportmaps"]["PAGES"]) == kinds
