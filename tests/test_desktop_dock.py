"""The real QGIS desktop under Xvfb: the plugin loads from QGIS_PLUGINPATH in a private
profile, the dock opens from its action, runs the city risk zoning and the results land
in the project in the run's group (scripts/desktop_dock_run.py does the clicking and takes
the screenshot)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sysconfig

import pytest


@pytest.mark.slow
def test_desktop_dock_runs_the_city_risk_zoning(repo_root, tmp_path):
    if shutil.which("xvfb-run") is None or shutil.which("qgis") is None:
        pytest.fail("xvfb-run and qgis are needed (make setup installs them)")
    ini = tmp_path / "profiles" / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[PythonPlugins]\nhunchun_risk_plugin=true\n", encoding="utf-8")
    out = tmp_path / "out"
    env = {**os.environ, "HUNCHUN_DESKTOP_OUT": str(out), "QGIS_PLUGINPATH": str(repo_root),
           "PYTHONPATH": f"{repo_root}:{sysconfig.get_paths()['purelib']}"}
    env.pop("QT_QPA_PLATFORM", None)  # a real (virtual) display
    run = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", "qgis", "--profiles-path",
                          str(tmp_path / "profiles"), "--nologo", "--code",
                          str(repo_root / "scripts" / "desktop_dock_run.py")],
                         env=env, capture_output=True, text=True, timeout=600)
    reached = (out / "result.json").read_text(encoding="utf-8") if (out / "result.json").exists() else "{}"
    assert run.returncode == 0 and "died on signal" not in run.stderr + run.stdout, \
        f"QGIS ended with {run.returncode} at {reached}\n{(run.stderr + run.stdout)[-6000:]}"
    result = json.loads(reached)
    assert result["ok"], result
    assert result["steps"] == [["risk", 4]]  # risk class, risk zones, prevention zones, township statistics
    assert any(g.startswith("Composite risk zoning") or g.startswith("自然灾害综合风险区划") for g in result["groups"])
    assert (out / "results" / "risk_city" / "risk_class.tif").exists()
    png = (out / "desktop_dock.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 50_000  # a real picture of the window
