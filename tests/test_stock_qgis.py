"""The zip in the QGIS a user already has: Debian's QGIS 3.22 with its own Python, nothing
of this repository's venv on the path, a clean HOME. It loads without a traceback and says
what it needs, lists every algorithm, then install_dependencies.py installs from a wheel
folder (made by the wheelhouse builder, cached in .cache/wheelhouse/) and the algorithms run."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QGIS_PROCESS = "/usr/bin/qgis_process.bin"
STOCK_PYTHON = "/usr/bin/python3"  # Debian's QGIS runs this Python
ENVIRONMENT = "debian12-py311"
CATALOG = tomllib.loads((ROOT / "hunchun_risk_plugin" / "core" / "data" / "algorithms.toml").read_text("utf-8"))
ALGORITHM_IDS = [f"hunchunrisk:{a['id']}" for a in CATALOG["algorithms"]]


@pytest.fixture(scope="session")
def wheelhouse() -> Path:
    """The Debian 12 wheel folder, built once (from PyPI) into the ignored .cache/."""
    folder = ROOT / ".cache" / "wheelhouse" / ENVIRONMENT
    if not (folder / "complete").exists():
        scratch = ROOT / ".cache" / "wheelhouse-partial"
        shutil.rmtree(scratch, ignore_errors=True)
        subprocess.run([sys.executable, str(ROOT / "scripts" / "build_wheelhouse.py"), "--env", ENVIRONMENT,
                        "--out", str(scratch)], check=True, capture_output=True, timeout=900)
        (scratch / ENVIRONMENT / "complete").write_text("", encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        folder.parent.mkdir(parents=True, exist_ok=True)
        (scratch / ENVIRONMENT).rename(folder)
        shutil.rmtree(scratch, ignore_errors=True)
    return folder


@pytest.fixture(scope="module")
def stock_home(tmp_path_factory) -> Path:
    """A clean HOME whose default QGIS profile has the zip of `make package` unpacked in it."""
    result = subprocess.run(["bash", str(ROOT / "scripts" / "package.sh")], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    version = next(line.split("=", 1)[1] for line in (ROOT / "metadata.txt").read_text("utf-8").splitlines()
                   if line.startswith("version="))
    home = tmp_path_factory.mktemp("home")
    plugins = home / ".local/share/QGIS/QGIS3/profiles/default/python/plugins"
    plugins.mkdir(parents=True)
    with zipfile.ZipFile(ROOT / "dist" / f"hunchun_risk_plugin-{version}.zip") as archive:
        archive.extractall(plugins)
    return home


def stock(home: Path, *command: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """A command as a user runs it: only PATH and HOME, no venv, no PYTHONPATH."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
           "XDG_RUNTIME_DIR": os.environ.get("XDG_RUNTIME_DIR", f"/tmp/runtime-{os.getuid()}")}
    return subprocess.run(list(command), capture_output=True, text=True, env=env, cwd=home, timeout=timeout)


def plugin_dir(home: Path) -> Path:
    return home / ".local/share/QGIS/QGIS3/profiles/default/python/plugins/hunchun_risk_plugin"


def test_the_stock_python_really_lacks_the_packages(stock_home):
    """The premise: without the installer, Debian's Python cannot import geopandas."""
    result = stock(stock_home, STOCK_PYTHON, "-c", "import geopandas")
    assert result.returncode != 0 and "ModuleNotFoundError" in result.stderr


def test_loads_says_what_is_missing_installs_and_runs(stock_home, wheelhouse, sample_gpkg):
    enabled = stock(stock_home, QGIS_PROCESS, "plugins", "enable", "hunchun_risk_plugin")
    assert enabled.returncode == 0, enabled.stderr
    assert "Traceback" not in enabled.stdout + enabled.stderr

    listed = stock(stock_home, QGIS_PROCESS, "list")
    assert listed.returncode == 0, listed.stderr
    assert "Traceback" not in listed.stdout + listed.stderr
    assert [line.split()[0] for line in listed.stdout.splitlines() if line.strip().startswith("hunchunrisk:")] \
        == sorted(ALGORITHM_IDS)
    assert listed.stderr.count("Hunchun Risk needs these Python packages") == 1  # said once
    assert "geopandas ≥ 0.14: not installed" in listed.stderr and "geopandas ≥ 0.14：未安装" in listed.stderr

    refused = stock(stock_home, QGIS_PROCESS, "run", "hunchunrisk:validateinputs")
    assert refused.returncode != 0 and "Traceback" not in refused.stdout + refused.stderr
    assert "geopandas" in refused.stdout + refused.stderr

    installed = stock(stock_home, STOCK_PYTHON, str(plugin_dir(stock_home) / "install_dependencies.py"),
                      "--wheels", str(wheelhouse))
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    folder = stock_home / ".local/share/QGIS/QGIS3/profiles/default/python/dependencies/hunchun_risk/py3.11"
    assert (folder / "geopandas").is_dir() and not (folder / "numpy").exists() and not (folder / "pyproj").exists()
    assert "ok geopandas 1.0.1" in installed.stdout and "ok shapely 2.0.7" in installed.stdout

    listed = stock(stock_home, QGIS_PROCESS, "list")
    assert "needs these Python packages" not in listed.stderr and "Traceback" not in listed.stderr

    given = ("townships", "settlements")
    report = stock_home / "report.json"
    run = stock(stock_home, QGIS_PROCESS, "run", "hunchunrisk:validateinputs", "--",
                *(f"{name.upper()}={sample_gpkg}|layername={name}" for name in given), f"REPORT={report}")
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stdout + run.stderr
    problems = json.loads(report.read_text(encoding="utf-8"))
    schema = tomllib.loads((ROOT / "hunchun_risk_plugin/core/data/schema.toml").read_text("utf-8"))["layers"]
    required_missing = {name for name, spec in schema.items() if spec["required"] and name not in given}
    assert {p["layer"] for p in problems if p["severity"] == "error"} == required_missing


def test_pip_runs_from_the_wheel_folder_when_python_has_none(wheelhouse, tmp_path):
    """The fallback for a QGIS Python without pip: pip from its own wheel in the folder."""
    from hunchun_risk_plugin import installer

    wheel = installer.find_pip_wheel(wheelhouse)
    result = subprocess.run([STOCK_PYTHON, str(wheel / "pip"), "--version"], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120)
    assert result.returncode == 0 and str(wheel) in result.stdout
