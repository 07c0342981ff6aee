"""Download the wheels of every supported environment for offline (intranet) installs.

For each tested set in ``hunchun_risk_plugin/constraints/*.txt`` (Windows x64 Python 3.12,
Linux x86_64 Python 3.11 and 3.13), ``pip download --only-binary=:all: --platform …
--python-version … --implementation cp --abi …`` of every pinned package into
``<out>/<environment>/``, plus pip's own wheel (the installer runs pip from it when QGIS's
Python has no pip). Copy the folder to the intranet machine and pick it in
*Install… > From a wheel folder…*, or pass it to ``install_dependencies.py --wheels``.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hunchun_risk_plugin.dependencies import REQUIREMENTS  # noqa: E402
from hunchun_risk_plugin.installer import Constraints, all_constraints, normalise  # noqa: E402


def needed_pins(constraints: Constraints) -> list[str]:
    """The pins of the environment, without packages its Python or platform does not need
    (tomli on Python >= 3.11, colorama off Windows)."""
    skip = {normalise(r.distribution) for r in REQUIREMENTS
            if not r.applies((*constraints.python, 0), constraints.platform)}
    return [f"{name}=={version}" for name, version in sorted(constraints.pins.items()) if name not in skip]


def download_command(constraints: Constraints, requirements: Path, destination: Path) -> list[str]:
    major, minor = constraints.python
    command = [sys.executable, "-m", "pip", "download", "--only-binary=:all:", "--no-deps",
               "--disable-pip-version-check", "--progress-bar", "off", "--dest", str(destination),
               "--python-version", f"{major}.{minor}", "--implementation", "cp",
               "--abi", f"cp{major}{minor}", "--abi", "abi3", "--abi", "none", "-r", str(requirements)]
    for platform in constraints.pip_platforms:
        command += ["--platform", platform]
    return command


def build(constraints: Constraints, out: Path) -> Path:
    destination = out / constraints.name
    destination.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        requirements = Path(scratch) / "requirements.txt"
        requirements.write_text("\n".join(needed_pins(constraints) + ["pip"]) + "\n", encoding="utf-8")
        subprocess.run(download_command(constraints, requirements, destination), check=True)
    wheels = sorted(destination.glob("*.whl"))
    size = sum(w.stat().st_size for w in wheels) / 1e6
    print(f"wheelhouse: {destination} ({len(wheels)} wheels, {size:.0f} MB)")
    return destination


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / "wheelhouse")
    parser.add_argument("--env", action="append", help="only this environment (constraints file stem); repeatable")
    args = parser.parse_args(argv)
    chosen = [c for c in all_constraints() if not args.env or c.name in args.env]
    if args.env and len(chosen) != len(set(args.env)):
        parser.error(f"unknown environment; known: {', '.join(c.name for c in all_constraints())}")
    for constraints in chosen:
        build(constraints, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
