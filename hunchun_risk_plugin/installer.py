"""Install the missing packages into the plugin's private folder with pip (standard library only).

The same steps run from the **Install…** button (as a QgsTask, see
``gui/dependency_installer.py``) and from ``install_dependencies.py`` on the command line:

1. plan: each missing or too old package, at the version the constraints file of this
   environment pins (``constraints/*.txt``), never numpy or pyproj (QGIS's own);
2. stage: copy the current private folder, drop the distributions being replaced, and run
   QGIS's own Python's pip into the copy (``--target``, ``--no-deps``, wheels only; from
   PyPI or from a wheel folder with ``--no-index --find-links``);
3. swap the complete copy in for the live folder; a failure or cancel before that deletes
   the copy and leaves the previous folder as it was.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import dependencies
from .dependencies import CONSTRAINTS_DIR, Problem, Requirement
from .interpreter import hidden_window

Log = Callable[[str], None]


class InstallError(Exception):
    """The install failed; ``en``/``zh`` say why, the live folder is untouched."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en, self.zh = en, zh

    def message(self, language: str = "en") -> str:
        return self.zh if language.startswith("zh") else self.en


class InstallCancelled(InstallError):
    def __init__(self) -> None:
        super().__init__("Install cancelled; nothing was changed.", "安装已取消，未做任何更改。")


# ---------------------------------------------------------------- constraints

@dataclass(frozen=True)
class Constraints:
    """A tested package set for one environment (a file in ``constraints/``)."""

    path: Path
    platform: str  # sys.platform prefix: linux, win32, darwin
    python: tuple[int, int]
    pip_platforms: tuple[str, ...]  # pip download --platform tags, for make wheelhouse
    pins: dict[str, str] = field(default_factory=dict)  # normalised distribution name -> version

    @property
    def name(self) -> str:
        return self.path.stem


def normalise(name: str) -> str:
    return name.strip().lower().replace("_", "-").replace(".", "-")


def load_constraints(path: Path) -> Constraints:
    headers: dict[str, str] = {}
    pins: dict[str, str] = {}
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#"):
            key, sep, value = line[1:].partition(":")
            if sep and key.strip() in ("platform", "python", "pip-platforms"):
                headers[key.strip()] = value.strip()
        elif "==" in line:
            name, _, version = line.partition("==")
            pins[normalise(name)] = version.strip()
    major, minor = (int(part) for part in headers["python"].split("."))
    return Constraints(Path(path), headers["platform"], (major, minor),
                       tuple(headers.get("pip-platforms", "").split()), pins)


def all_constraints(folder: Path = CONSTRAINTS_DIR) -> list[Constraints]:
    return [load_constraints(path) for path in sorted(Path(folder).glob("*.txt"))]


def constraints_for(version_info=sys.version_info, platform: str = sys.platform,
                    folder: Path = CONSTRAINTS_DIR) -> Constraints | None:
    """The tested set for this platform and Python version, or None for an untested one."""
    for constraints in all_constraints(folder):
        if platform.startswith(constraints.platform) and tuple(version_info[:2]) == constraints.python:
            return constraints
    return None


# ---------------------------------------------------------------- plan

@dataclass
class Plan:
    specs: list[str]  # pip requirement specifiers, e.g. "shapely==2.0.7"
    blocked: list[Problem]  # what pip must not fix: QGIS's own packages, stale imports
    constraints: Constraints | None

    @property
    def distributions(self) -> list[str]:
        return [spec.split("=")[0].split(">")[0].split("!")[0] for spec in self.specs]


def spec_for(requirement: Requirement, constraints: Constraints | None) -> str:
    pinned = constraints.pins.get(normalise(requirement.distribution)) if constraints else None
    if pinned:
        return f"{requirement.distribution}=={pinned}"
    excluded = "".join(f",!={series}.*" for series in requirement.excluded)
    return f"{requirement.distribution}>={requirement.minimum}{excluded}"


def make_plan(problems: list[Problem], constraints: Constraints | None) -> Plan:
    return Plan([spec_for(p.requirement, constraints) for p in problems if p.installable],
                [p for p in problems if not p.installable], constraints)


# ---------------------------------------------------------------- pip

def find_pip_wheel(wheel_dir: Path | None) -> Path | None:
    """A pip wheel to run pip from when QGIS's Python has no pip module: from the wheel
    folder (``make wheelhouse`` puts one there), else Debian's python3-venv copy."""
    places = [Path(wheel_dir)] if wheel_dir else []
    places.append(Path("/usr/share/python-wheels"))
    for place in places:
        wheels = sorted(place.glob("pip-*.whl"), key=_wheel_version) if place.is_dir() else []
        if wheels:
            return wheels[-1]
    return None


def _wheel_version(wheel: Path) -> tuple:
    return dependencies.version_key_or_none(wheel.name.split("-")[1]) or ((0,),)


def has_pip(python: str) -> bool:
    try:
        result = subprocess.run([python, "-m", "pip", "--version"], capture_output=True, text=True,
                                timeout=60, check=False, **hidden_window())
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def pip_command(python: str, wheel_dir: Path | None) -> list[str]:
    if has_pip(python):
        return [python, "-m", "pip"]
    wheel = find_pip_wheel(wheel_dir)
    if wheel is not None:
        return [python, str(wheel / "pip")]  # pip runs from its own wheel (a zip on sys.path)
    raise InstallError(
        f"QGIS's Python ({python}) has no pip. Install it (Debian/Ubuntu: sudo apt install python3-pip; "
        "OSGeo4W: the python3-pip package), or use a wheel folder made by make wheelhouse, which "
        "includes pip's own wheel.",
        f"QGIS 自带的 Python（{python}）没有 pip。请先安装（Debian/Ubuntu：sudo apt install python3-pip；"
        "OSGeo4W：python3-pip 包），或使用 make wheelhouse 生成的离线安装包文件夹（其中含 pip 本身）。")


def pip_arguments(target: Path, specs: list[str], wheel_dir: Path | None) -> list[str]:
    arguments = ["install", "--no-deps", "--upgrade", "--target", str(target), "--only-binary=:all:",
                 "--no-input", "--disable-pip-version-check", "--no-warn-script-location", "--progress-bar", "off"]
    if wheel_dir is not None:
        arguments += ["--no-index", "--find-links", str(wheel_dir)]
    return arguments + specs


def pip_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)  # pip must not pick up QGIS's or a venv's packages
    env["PYTHONNOUSERSITE"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    env.setdefault("PIP_DEFAULT_TIMEOUT", "60")
    return env


# ---------------------------------------------------------------- install

@dataclass
class InstallResult:
    installed: list[str]
    folder: Path
    restart_needed: bool = False  # the swap waits for the next start (see dependencies.pending_dir)


def remove_distribution(folder: Path, distribution: str) -> None:
    """Delete a distribution's files from a --target folder (pip --upgrade there leaves the
    old ``*.dist-info`` beside the new one, and importlib.metadata could find the old one)."""
    import importlib.metadata

    folder = folder.resolve()
    emptied: set[Path] = set()
    for dist in list(importlib.metadata.distributions(name=distribution, path=[str(folder)])):
        for relative in dist.files or ():
            path = Path(dist.locate_file(relative)).resolve()
            if path.is_file() and folder in path.parents:
                path.unlink()
                emptied.add(path.parent)
        info = getattr(dist, "_path", None)  # the *.dist-info folder (RECORD may be missing)
        if info is not None and Path(info).is_dir():
            shutil.rmtree(info)
    for start in emptied:  # package folders the removal emptied, up to the target folder
        for path in (start, *start.parents):
            if path == folder or folder not in path.parents or not path.is_dir() or any(path.iterdir()):
                break
            path.rmdir()


def staging_dir(live: Path) -> Path:
    return live.with_name(f".{live.name}.staging-{os.getpid()}")


def install(plan: Plan, live: Path, python: str, wheel_dir: Path | None = None, log: Log = print,
            is_canceled: Callable[[], bool] = lambda: False, report: Callable[[float], None] = lambda f: None,
            ) -> InstallResult:
    """Install ``plan`` into ``live`` (see the module docstring). Raises InstallError (also
    InstallCancelled) with the live folder as it was."""
    if not plan.specs:
        return InstallResult([], live)
    if wheel_dir is not None and not Path(wheel_dir).is_dir():
        raise InstallError(f"Wheel folder not found: {wheel_dir}", f"找不到安装包文件夹：{wheel_dir}")
    command = pip_command(python, wheel_dir)
    live.parent.mkdir(parents=True, exist_ok=True)
    stage = staging_dir(live)
    _remove(stage)
    try:
        if live.is_dir():
            shutil.copytree(live, stage, symlinks=True)
        else:
            stage.mkdir()
        for name in plan.distributions:
            remove_distribution(stage, name)
        report(0.05)
        log(f"pip: {' '.join(command + pip_arguments(stage, plan.specs, wheel_dir))}")
        _run_pip(command + pip_arguments(stage, plan.specs, wheel_dir), log, is_canceled, report)
        missing = [spec for spec in plan.specs if not _staged(stage, spec)]
        if missing:
            raise InstallError(f"pip finished but these are not in the folder: {', '.join(missing)}",
                               f"pip 已结束，但以下包未安装到文件夹中：{', '.join(missing)}")
        if is_canceled():
            raise InstallCancelled()
        report(0.95)
        restart = _swap_in(stage, live, log)
    except BaseException:
        _remove(stage)
        raise
    report(1.0)
    return InstallResult(plan.specs, live, restart)


def _swap_in(stage: Path, live: Path, log: Log) -> bool:
    try:
        dependencies.replace_folder(stage, live)
        return False
    except OSError as error:  # Windows: a DLL of the live folder is loaded in this process
        pending = dependencies.pending_dir(live)
        _remove(pending)
        stage.rename(pending)
        log(f"The folder is in use ({error}); the new packages take over at the next start of QGIS.")
        return True


def _staged(stage: Path, spec: str) -> bool:
    import importlib.metadata

    name, _, version = spec.partition("==")
    name = name.split(">")[0]
    found = list(importlib.metadata.distributions(name=name, path=[str(stage)]))
    return bool(found) and (not version or found[0].version == version)


def _run_pip(command: list[str], log: Log, is_canceled: Callable[[], bool], report: Callable[[float], None]) -> None:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               env=pip_environment(), text=True, encoding="utf-8", errors="replace",
                               **hidden_window())
    lines: list[str] = []
    reader = threading.Thread(target=_pump, args=(process, lines, log), daemon=True)
    reader.start()
    steps = 0.05
    while process.poll() is None:
        if is_canceled():
            _stop(process)
            reader.join(timeout=5)
            raise InstallCancelled()
        time.sleep(0.1)
        steps = min(0.9, steps + 0.002)
        report(steps)
    reader.join(timeout=10)
    if process.returncode != 0:
        tail = "\n".join(lines[-15:])
        raise InstallError(f"pip failed (exit code {process.returncode}):\n{tail}",
                           f"pip 安装失败（退出码 {process.returncode}）：\n{tail}")


def _pump(process: subprocess.Popen, lines: list[str], log: Log) -> None:
    for line in process.stdout:
        line = line.rstrip()
        if line:
            lines.append(line)
            log(line)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=False)
    elif path.exists() or path.is_symlink():
        path.unlink()


# ---------------------------------------------------------------- verify

_VERIFY = r"""
import importlib, json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from hunchun_risk_plugin import dependencies
dependencies.activate(Path(sys.argv[2]))
failed = {}
versions = {}
for requirement in dependencies.required():
    try:
        module = importlib.import_module(requirement.module)
        versions[requirement.distribution] = str(getattr(module, "__version__", ""))
    except Exception as error:
        failed[requirement.distribution] = f"{type(error).__name__}: {error}"
problems = [f"{p.requirement.distribution} ({p.kind}{' ' + p.found if p.found else ''})" for p in dependencies.check()]
print(json.dumps({"failed": failed, "problems": problems, "versions": versions}))
"""


@dataclass
class Verification:
    ok: bool
    failed: dict[str, str]
    problems: list[str]
    versions: dict[str, str]


def verify(python: str, folder: Path, plugin_parent: Path = dependencies.PLUGIN_DIR.parent) -> Verification:
    """Import every required package in a fresh process of ``python`` with ``folder`` activated."""
    result = subprocess.run([python, "-c", _VERIFY, str(plugin_parent), str(folder)], capture_output=True,
                            text=True, encoding="utf-8", errors="replace", timeout=300, env=pip_environment(),
                            check=False, **hidden_window())
    try:
        found = json.loads(result.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return Verification(False, {"python": (result.stderr or result.stdout)[-2000:]}, [], {})
    return Verification(not found["failed"] and not found["problems"], found["failed"], found["problems"],
                        found["versions"])
