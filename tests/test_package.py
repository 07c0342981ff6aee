"""`make package` builds a zip that QGIS can install: one top folder named after the
plugin, a real metadata.txt (not a link): the root one with its changelog written from
CHANGELOG.md, the sample data and the styles inside."""
from __future__ import annotations

import configparser
import subprocess
import zipfile


def test_package_zip_is_installable(repo_root, sample_gpkg):
    result = subprocess.run(["bash", str(repo_root / "scripts" / "package.sh")], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(repo_root / "metadata.txt", encoding="utf-8")
    version = parser["general"]["version"]
    archive_path = repo_root / "dist" / f"hunchun_risk_plugin-{version}.zip"
    with zipfile.ZipFile(archive_path) as archive:
        names = archive.namelist()
        assert {name.split("/")[0] for name in names} == {"hunchun_risk_plugin"}
        packed = configparser.ConfigParser(interpolation=None)
        packed.read_string(archive.read("hunchun_risk_plugin/metadata.txt").decode("utf-8"))
        # the root metadata.txt, with the changelog written from CHANGELOG.md's newest entries
        assert {k: v for k, v in packed["general"].items() if k != "changelog"} == {
            k: v for k, v in parser["general"].items() if k != "changelog"}
        changelog = packed["general"]["changelog"].splitlines()
        assert changelog[0].startswith(f"{version} (")
        assert "## 0.2.0" in (repo_root / "CHANGELOG.md").read_text(encoding="utf-8")
        assert any(line.startswith("0.2.0 (") for line in changelog)
        assert "hunchun_risk_plugin/__init__.py" in names
        assert "hunchun_risk_plugin/layers/hunchun_sample.gpkg" in names
        assert "hunchun_risk_plugin/styles/townships.qml" in names
        assert "hunchun_risk_plugin/core/data/domain.toml" in names
        # the printed maps need their templates, north arrow, map data file and inset context
        assert "hunchun_risk_plugin/templates/A3_landscape.qpt" in names
        assert "hunchun_risk_plugin/resources/north_arrow.svg" in names
        assert "hunchun_risk_plugin/core/data/maps.toml" in names
        assert "hunchun_risk_plugin/layers/context.gpkg" in names
        assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_package_carries_license_installer_and_constraints(repo_root):
    result = subprocess.run(["bash", str(repo_root / "scripts" / "package.sh")], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    version = configparser.ConfigParser(interpolation=None)
    version.read(repo_root / "metadata.txt", encoding="utf-8")
    archive_path = repo_root / "dist" / f"hunchun_risk_plugin-{version['general']['version']}.zip"
    with zipfile.ZipFile(archive_path) as archive:
        names = set(archive.namelist())
        assert "GNU GENERAL PUBLIC LICENSE" in archive.read("hunchun_risk_plugin/LICENSE").decode("utf-8")
        assert {f"hunchun_risk_plugin/constraints/{c.name}"
                for c in (repo_root / "hunchun_risk_plugin" / "constraints").glob("*.txt")} <= names
        assert {"hunchun_risk_plugin/install_dependencies.py", "hunchun_risk_plugin/dependencies.py",
                "hunchun_risk_plugin/core/data/algorithms.toml"} <= names
        assert not [n for n in names if n.split("/")[-1].startswith(".") or n.endswith((".so", ".pyd", ".dll"))]
    assert archive_path.stat().st_size < 20e6
    assert version["general"]["license"] == "GPL-2.0-or-later"
    for key in ("homepage", "repository", "tracker"):
        assert version["general"][key].startswith(("https://", "http://"))


def test_package_refuses_a_compiled_file(repo_root):
    stray = repo_root / "hunchun_risk_plugin" / "core" / "stray_build.so"
    stray.write_bytes(b"\x7fELF")
    try:
        result = subprocess.run(["bash", str(repo_root / "scripts" / "package.sh")], capture_output=True, text=True,
                                timeout=300)
    finally:
        stray.unlink()
    assert result.returncode != 0
    assert "hunchun_risk_plugin/core/stray_build.so" in result.stderr
