"""The dependency check: versions compared as packaging does, missing / too old / stale
copies found from distribution metadata alone, the private folder put first on sys.path."""
from __future__ import annotations

import sys
import types

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.version import Version

from hunchun_risk_plugin import dependencies
from hunchun_risk_plugin.dependencies import MISSING, STALE, TOO_OLD, Requirement

SAMPLES = ["1.0", "1.0.0", "1.0a1", "1.0b2", "1.0rc1", "1.0.dev3", "1.0a1.dev1", "1.0.post1", "1.0-1", "1.0.post1.dev2",
           "2.0.0rc1", "2.9.0.post0", "2025.2", "1.1.1.2", "8.1.8", "8.2", "0.0.0", "1.24.2", "3.4.1+ds", "v1.2",
           "2022.09.24", "1.0c1", "1.0.0.0.1"]


@pytest.mark.parametrize("left", SAMPLES)
@pytest.mark.parametrize("right", SAMPLES)
def test_version_order_matches_packaging(left, right):
    # local labels (+ds, Debian's) are ignored by design: packaging compares the public versions the same way
    expected_left, expected_right = Version(Version(left).public), Version(Version(right).public)
    left_key, right_key = dependencies.version_key(left), dependencies.version_key(right)
    assert (left_key > right_key) - (left_key < right_key) == (expected_left > expected_right) - (expected_left
                                                                                                  < expected_right)


_versions = st.builds(
    lambda release, pre, post, dev: ".".join(map(str, release)) + pre + post + dev,
    st.lists(st.integers(0, 30), min_size=1, max_size=4),
    st.sampled_from(["", "a1", "b0", "rc2", "a12"]),
    st.sampled_from(["", ".post0", ".post3"]),
    st.sampled_from(["", ".dev0", ".dev5"]),
)


@given(_versions, _versions)
def test_version_order_matches_packaging_generated(left, right):
    assert (dependencies.version_key(left) < dependencies.version_key(right)) == (Version(left) < Version(right))
    assert (dependencies.version_key(left) == dependencies.version_key(right)) == (Version(left) == Version(right))


def _fake_distribution(folder, name, version):
    info = folder / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")


def test_check_finds_missing_too_old_and_excluded(tmp_path):
    _fake_distribution(tmp_path, "shapely", "1.8.5")  # Debian 12's: too old
    _fake_distribution(tmp_path, "geopandas", "1.0.1")
    _fake_distribution(tmp_path, "click", "8.2.1")  # the series rasterio cannot use
    _fake_distribution(tmp_path, "numpy", "1.24.2")
    problems = {p.requirement.distribution: p for p in dependencies.check(path=[str(tmp_path)],
                                                                          version_info=(3, 11), platform="linux")}
    assert problems["shapely"].kind == TOO_OLD and problems["shapely"].found == "1.8.5"
    assert problems["click"].kind == TOO_OLD
    assert "geopandas" not in problems and "numpy" not in problems
    assert problems["pandas"].kind == MISSING and problems["pandas"].installable
    assert problems["pyproj"].kind == MISSING and not problems["pyproj"].installable  # QGIS's, never pip's
    assert "tomli" not in problems and "colorama" not in problems  # not needed on Python 3.11 / Linux
    message = dependencies.describe(list(problems.values()), "zh")
    assert "shapely ≥ 2.0：现有版本 1.8.5 过旧" in message and "python3-pyproj" in message


def test_conditional_requirements():
    names = lambda *args: {r.distribution for r in dependencies.required(*args)}  # noqa: E731
    assert "tomli" in names((3, 10), "linux") and "tomli" not in names((3, 11), "linux")
    assert "colorama" in names((3, 12), "win32") and "colorama" not in names((3, 12), "linux")


def test_a_package_imported_from_an_older_copy_is_stale(tmp_path, monkeypatch):
    _fake_distribution(tmp_path, "affine", "3.0.1")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(sys.modules, "affine", types.SimpleNamespace(__version__="2.3.0", __file__="/old/affine.py"))
    problem = next(p for p in dependencies.check() if p.requirement.distribution == "affine")
    assert (problem.kind, problem.found, problem.installable) == (STALE, "2.3.0", False)


def test_activate_puts_the_folder_first_and_takes_over_a_pending_install(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "path", list(sys.path))
    folder = dependencies.dependency_dir(tmp_path / "profile", (3, 11))
    assert folder == tmp_path / "profile" / "python" / "dependencies" / "hunchun_risk" / "py3.11"
    assert dependencies.activate(folder) is False and str(folder) not in sys.path
    pending = dependencies.pending_dir(folder)
    pending.mkdir(parents=True)
    (pending / "marker.txt").write_text("new", encoding="utf-8")
    assert dependencies.activate(folder) is True
    assert sys.path[0] == str(folder) and (folder / "marker.txt").read_text(encoding="utf-8") == "new"
    assert not pending.exists()


def test_profile_of_plugin(tmp_path):
    plugin = tmp_path / "default" / "python" / "plugins" / "hunchun_risk_plugin"
    assert dependencies.profile_of_plugin(plugin) == tmp_path / "default"
    assert dependencies.profile_of_plugin(tmp_path / "checkout" / "hunchun_risk_plugin") is None


def test_requirement_table_has_each_import_once():
    modules = [r.module for r in dependencies.REQUIREMENTS]
    assert len(modules) == len(set(modules))
    assert {r.distribution for r in dependencies.REQUIREMENTS if r.qgis_provides} == {"numpy", "pyproj"}
    assert all(isinstance(r, Requirement) and dependencies.version_key(r.minimum) for r in dependencies.REQUIREMENTS)
