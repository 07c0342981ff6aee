"""The installer: constraints chosen per environment, pip into a staged copy swapped in
whole, and a failed or cancelled install leaving the previous folder as it was. Real pip,
offline: wheels built here, installed with --no-index --find-links."""
from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from hunchun_risk_plugin import dependencies, installer
from hunchun_risk_plugin.dependencies import MISSING, TOO_OLD, Problem


def requirement(name):
    return next(r for r in dependencies.REQUIREMENTS if r.distribution == name)


@pytest.mark.parametrize("platform, python, expected", [
    ("linux", (3, 11), "debian12-py311"), ("linux", (3, 13), "debian13-py313"), ("win32", (3, 12), "windows-py312"),
    ("linux", (3, 12), None), ("darwin", (3, 12), None), ("win32", (3, 9), None),
])
def test_constraints_chosen_by_platform_and_python(platform, python, expected):
    chosen = installer.constraints_for(python, platform)
    assert (chosen.name if chosen else None) == expected


@pytest.mark.parametrize("constraints", installer.all_constraints(), ids=lambda c: c.name)
def test_each_tested_set_pins_what_pip_may_install_and_never_qgis_packages(constraints):
    needed = {installer.normalise(r.distribution) for r in dependencies.required((*constraints.python, 0),
                                                                                constraints.platform)
              if not r.qgis_provides}
    assert needed - set(constraints.pins) == set()
    assert {"numpy", "pyproj", "gdal"} & set(constraints.pins) == set()
    for r in dependencies.REQUIREMENTS:  # every pin meets the table's minimum
        pinned = constraints.pins.get(installer.normalise(r.distribution))
        assert pinned is None or dependencies.at_least(pinned, r.minimum), (r.distribution, pinned)
    assert constraints.pip_platforms


def test_plan_takes_the_pins_and_leaves_qgis_packages_to_qgis():
    constraints = installer.constraints_for((3, 11), "linux")
    problems = [Problem(requirement("shapely"), TOO_OLD, "1.8.5"), Problem(requirement("numpy"), MISSING),
                Problem(requirement("click"), MISSING)]
    plan = installer.make_plan(problems, constraints)
    assert plan.specs == ["shapely==2.0.7", "click==8.1.8"]
    assert [p.requirement.distribution for p in plan.blocked] == ["numpy"]
    untested = installer.make_plan(problems, None)
    assert untested.specs == ["shapely>=2.0", "click>=4.0,!=8.2.*"]


def build_wheel(folder: Path, name: str, version: str) -> Path:
    """A minimal pure-Python wheel whose module reports its version."""
    info = f"{name}-{version}.dist-info"
    files = {
        f"{name}/__init__.py": f"__version__ = {version!r}\n",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = []
    for path, text in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(text.encode())}")
    record.append(f"{info}/RECORD,,")
    files[f"{info}/RECORD"] = "\n".join(record) + "\n"
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
    return wheel


def imported_version(folder: Path, module: str) -> str:
    code = f"import sys; sys.path.insert(0, {str(folder)!r}); import {module}; print({module}.__version__)"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_install_upgrade_and_failed_install_leave_a_complete_folder(tmp_path):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    build_wheel(wheels, "hrdemo", "1.0")
    build_wheel(wheels, "hrdemo", "2.0")
    build_wheel(wheels, "hrother", "0.5")
    live = dependencies.dependency_dir(tmp_path / "profile")
    lines = []

    installer.install(installer.Plan(["hrdemo==1.0", "hrother==0.5"], [], None), live, sys.executable, wheels,
                      log=lines.append)
    assert imported_version(live, "hrdemo") == "1.0" and imported_version(live, "hrother") == "0.5"
    assert any("Successfully installed" in line for line in lines)  # pip's own output reaches the log

    installer.install(installer.Plan(["hrdemo==2.0"], [], None), live, sys.executable, wheels, log=lines.append)
    assert imported_version(live, "hrdemo") == "2.0" and imported_version(live, "hrother") == "0.5"
    assert sorted(p.name for p in live.glob("hrdemo-*.dist-info")) == ["hrdemo-2.0.dist-info"]  # old one removed

    before = snapshot(live)
    with pytest.raises(installer.InstallError) as failure:
        installer.install(installer.Plan(["hrdemo==3.0"], [], None), live, sys.executable, wheels, log=lines.append)
    assert "pip" in failure.value.message("en") and "pip" in failure.value.message("zh")
    assert snapshot(live) == before  # the failed install changed nothing
    assert sorted(p.name for p in live.parent.iterdir()) == [live.name]  # no staging folder left


def test_cancel_stops_pip_and_changes_nothing(tmp_path):
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    build_wheel(wheels, "hrdemo", "1.0")
    live = tmp_path / "deps" / "py3.11"
    installer.install(installer.Plan(["hrdemo==1.0"], [], None), live, sys.executable, wheels, log=lambda _: None)
    before = snapshot(live)
    build_wheel(wheels, "hrdemo", "2.0")
    with pytest.raises(installer.InstallCancelled):
        installer.install(installer.Plan(["hrdemo==2.0"], [], None), live, sys.executable, wheels,
                          log=lambda _: None, is_canceled=lambda: True)
    assert snapshot(live) == before
    assert sorted(p.name for p in live.parent.iterdir()) == ["py3.11"]


def test_no_pip_and_no_pip_wheel_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(installer, "has_pip", lambda python: False)
    monkeypatch.setattr(installer, "find_pip_wheel", lambda folder: None)
    with pytest.raises(installer.InstallError) as failure:
        installer.pip_command("/usr/bin/python3", tmp_path)
    assert "sudo apt install python3-pip" in failure.value.message("en")
    assert "python3-pip" in failure.value.message("zh")


def test_the_newest_pip_wheel_of_the_folder_is_taken(tmp_path):
    for version in ("9.0.3", "23.0.1", "25.2", "25.10"):
        (tmp_path / f"pip-{version}-py3-none-any.whl").write_bytes(b"")
    assert installer.find_pip_wheel(tmp_path).name == "pip-25.10-py3-none-any.whl"
