"""The Python packages the plugin needs, where it keeps the ones it installs itself,
and a check that runs before anything imports them.

Standard library only, and no ``qgis`` import: ``install_dependencies.py`` uses this
module outside QGIS, and the plugin calls it before any third-party import.
The versions are read from the installed distributions' metadata on ``sys.path``
(``importlib.metadata``) without importing the packages, and compared with a small
numeric parser: ``packaging`` itself may be one of the missing packages.
"""
from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import re
import shutil
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

PLUGIN_DIR = Path(__file__).resolve().parent
FOLDER_NAME = "hunchun_risk"
CONSTRAINTS_DIR = PLUGIN_DIR / "constraints"


@dataclass(frozen=True)
class Requirement:
    """One distribution the plugin needs at run time (directly or through another one)."""

    distribution: str  # the name pip and importlib.metadata know
    module: str  # the top-level import name
    minimum: str
    qgis_provides: bool = False  # loaded by QGIS itself: pip must never install it
    python_below: tuple[int, int] | None = None  # only needed on older Pythons
    platform: str | None = None  # only needed on this sys.platform
    excluded: tuple[str, ...] = ()  # release series known to break (e.g. click 8.2 for rasterio)

    def applies(self, version_info=sys.version_info, platform: str = sys.platform) -> bool:
        if self.python_below is not None and tuple(version_info[:2]) >= self.python_below:
            return False
        return self.platform is None or platform.startswith(self.platform)


# Direct needs first, then what they need at run time (from each wheel's Requires-Dist).
# numpy and pyproj are QGIS's: a second numpy would clash with the one QGIS's own Python
# modules are built against, and a pip pyproj wheel brings a second PROJ library, which
# crashes qgis_process on exit. GDAL/OGR is QGIS's too and is never on this list.
REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement("numpy", "numpy", "1.24", qgis_provides=True),
    Requirement("pyproj", "pyproj", "3.3", qgis_provides=True),
    Requirement("shapely", "shapely", "2.0"),
    Requirement("pandas", "pandas", "1.5"),
    Requirement("geopandas", "geopandas", "0.14"),
    Requirement("pyogrio", "pyogrio", "0.7.2"),
    Requirement("rasterio", "rasterio", "1.3"),
    Requirement("scipy", "scipy", "1.10"),
    Requirement("tomli", "tomli", "1.1", python_below=(3, 11)),
    Requirement("packaging", "packaging", "20.0"),
    Requirement("python-dateutil", "dateutil", "2.8.2"),
    Requirement("six", "six", "1.5"),
    Requirement("pytz", "pytz", "2020.1"),
    Requirement("tzdata", "tzdata", "2022.7"),
    Requirement("certifi", "certifi", "2017.4.17"),
    Requirement("affine", "affine", "2.3"),
    # affine 3 says attrs >= 21.3 but caches properties on slotted classes, which attrs
    # supports from 23.2 (with Debian 12's attrs 22.2: "No '__dict__' attribute on 'Affine'").
    Requirement("attrs", "attr", "23.2"),
    Requirement("click", "click", "4.0", excluded=("8.2",)),
    Requirement("cligj", "cligj", "0.5"),
    Requirement("click-plugins", "click_plugins", "1.0"),
    Requirement("pyparsing", "pyparsing", "2.1"),
    Requirement("colorama", "colorama", "0.4", platform="win32"),
)

MISSING, TOO_OLD, STALE = "missing", "too old", "stale"


@dataclass(frozen=True)
class Problem:
    requirement: Requirement
    kind: str  # MISSING, TOO_OLD or STALE (an older copy is already imported in this process)
    found: str | None = None  # the version found, when there is one
    where: str | None = None  # where the offending copy lives

    @property
    def installable(self) -> bool:
        """Whether the installer can fix it (STALE needs a restart, QGIS's own packages a QGIS install)."""
        return self.kind != STALE and not self.requirement.qgis_provides


# ---------------------------------------------------------------- versions

_VERSION = re.compile(
    r"^\s*v?(?:\d+!)?(?P<release>\d+(?:\.\d+)*)"
    r"(?:[-_.]?(?P<pre>a|b|c|rc|alpha|beta|pre|preview)[-_.]?(?P<pre_n>\d*))?"
    r"(?:-(?P<post_implicit>\d+)|[-_.]?(?:post|rev|r)[-_.]?(?P<post_n>\d*))?"
    r"(?:[-_.]?dev[-_.]?(?P<dev_n>\d*))?"
    r"(?:\+[a-z0-9.]*)?\s*$",
    re.IGNORECASE,
)
_PRE_RANK = {"a": 0, "alpha": 0, "b": 1, "beta": 1, "c": 2, "rc": 2, "pre": 2, "preview": 2}


def version_key(text: str) -> tuple:
    """A sort key ordering PEP 440 versions as ``packaging.version.Version`` does
    (release, pre-release, post-release, development release; local labels ignored)."""
    match = _VERSION.match(text or "")
    if match is None:
        raise ValueError(f"not a version: {text!r}")
    release = [int(part) for part in match["release"].split(".")]
    while len(release) > 1 and release[-1] == 0:
        release.pop()
    post = match["post_implicit"] or match["post_n"]
    has_post = match["post_implicit"] is not None or match["post_n"] is not None
    has_dev = match["dev_n"] is not None
    if match["pre"]:
        pre = (_PRE_RANK[match["pre"].lower()], int(match["pre_n"] or 0))
    elif has_dev and not has_post:
        pre = (-1, 0)  # 1.0.dev1 sorts before 1.0a1
    else:
        pre = (3, 0)  # a final release sorts after its pre-releases
    post_key = int(post or 0) if has_post else -1
    dev_key = (0, int(match["dev_n"] or 0)) if has_dev else (1, 0)
    return (tuple(release), pre, post_key, dev_key)


def at_least(found: str, minimum: str) -> bool:
    try:
        return version_key(found) >= version_key(minimum)
    except ValueError:
        return True  # an unparsable local version string: do not block the user over it


def _in_series(found: str, series: str) -> bool:
    try:
        head = version_key(found)[0]
    except ValueError:
        return False
    wanted = tuple(int(part) for part in series.split("."))
    return head[: len(wanted)] == wanted


# ---------------------------------------------------------------- the private folder

def python_tag(version_info=sys.version_info) -> str:
    return f"py{version_info[0]}.{version_info[1]}"


def profile_of_plugin(plugin_dir: Path = PLUGIN_DIR) -> Path | None:
    """The QGIS profile a plugin folder is installed in (``<profile>/python/plugins/<plugin>``),
    or None for a plugin run from elsewhere (a source checkout on QGIS_PLUGINPATH)."""
    plugins = plugin_dir.parent
    if plugins.name == "plugins" and plugins.parent.name == "python":
        return plugins.parent.parent
    return None


def dependency_dir(profile: Path, version_info=sys.version_info) -> Path:
    """``<profile>/python/dependencies/hunchun_risk/py3.X``: one folder per Python version,
    since compiled wheels only fit the Python they were built for."""
    return Path(profile) / "python" / "dependencies" / FOLDER_NAME / python_tag(version_info)


def pending_dir(folder: Path) -> Path:
    """A complete staged install waiting to replace ``folder`` (when the swap could not
    happen at once, e.g. Windows locking a loaded DLL); taken over at the next start."""
    return folder.with_name(folder.name + ".pending")


def activate(folder: Path | None) -> bool:
    """Put the private folder first on ``sys.path`` (taking over a pending install first).
    Returns whether the folder exists and is now on the path."""
    if folder is None:
        return False
    folder = Path(folder)
    pending = pending_dir(folder)
    if pending.is_dir() and str(folder) not in sys.path:
        replace_folder(pending, folder)
    if not folder.is_dir():
        return False
    entry = str(folder)
    if entry in sys.path:
        sys.path.remove(entry)
    sys.path.insert(0, entry)
    importlib.invalidate_caches()
    return True


def replace_folder(new: Path, live: Path) -> None:
    """Swap a complete ``new`` folder in for ``live``: ``live`` is renamed aside first and put
    back if the second rename fails, so at every moment one complete folder is in place."""
    aside = live.with_name(live.name + ".old")
    if aside.exists():
        shutil.rmtree(aside)
    had_live = live.exists()
    if had_live:
        live.rename(aside)
    try:
        new.rename(live)
    except OSError:
        if had_live:
            aside.rename(live)
        raise
    if had_live:
        shutil.rmtree(aside, ignore_errors=True)


# ---------------------------------------------------------------- the check

def required(version_info=sys.version_info, platform: str = sys.platform) -> list[Requirement]:
    return [r for r in REQUIREMENTS if r.applies(version_info, platform)]


def _installed_version(requirement: Requirement, path: list[str] | None) -> tuple[str | None, str | None]:
    """(version, location) of the first copy on ``path`` (default ``sys.path``)."""
    search = list(path if path is not None else sys.path)
    for distribution in importlib.metadata.distributions(name=requirement.distribution, path=search):
        return distribution.version, str(distribution.locate_file(""))
    if path is None and importlib.util.find_spec(requirement.module) is not None:
        return "", None  # importable without metadata (some bundled installs): trust it
    return None, None


def check(path: list[str] | None = None, version_info=sys.version_info, platform: str = sys.platform) -> list[Problem]:
    """Every requirement that is missing, too old, or already imported in this process from an
    older copy than the one now first on the path (only a restart replaces that)."""
    problems = []
    for requirement in required(version_info, platform):
        version, location = _installed_version(requirement, path)
        if version is None:
            problems.append(Problem(requirement, MISSING))
        elif version and (not at_least(version, requirement.minimum)
                          or any(_in_series(version, series) for series in requirement.excluded)):
            problems.append(Problem(requirement, TOO_OLD, version, location))
        elif path is None and version:
            stale = _stale_import(requirement, version)
            if stale is not None:
                problems.append(stale)
    return problems


def _stale_import(requirement: Requirement, available: str) -> Problem | None:
    module = sys.modules.get(requirement.module)
    with warnings.catch_warnings():  # click 8.2+ deprecates click.__version__ (it still answers)
        warnings.simplefilter("ignore", DeprecationWarning)
        loaded = getattr(module, "__version__", None) if module is not None else None
    if (isinstance(loaded, str) and loaded != available
            and version_key_or_none(loaded) != version_key_or_none(available)):
        return Problem(requirement, STALE, loaded, getattr(module, "__file__", None))
    return None


def version_key_or_none(text: str):
    try:
        return version_key(text)
    except ValueError:
        return None


# ---------------------------------------------------------------- messages

def _line(problem: Problem, language: str) -> str:
    r = problem.requirement
    zh = language.startswith("zh")
    if problem.kind == MISSING:
        return f"{r.distribution} ≥ {r.minimum}：未安装" if zh else f"{r.distribution} ≥ {r.minimum}: not installed"
    if problem.kind == TOO_OLD:
        return (f"{r.distribution} ≥ {r.minimum}：现有版本 {problem.found} 过旧" if zh
                else f"{r.distribution} ≥ {r.minimum}: version {problem.found} is too old")
    return (f"{r.distribution}：本次 QGIS 会话已载入旧版本 {problem.found}，需重启 QGIS" if zh
            else f"{r.distribution}: version {problem.found} is already loaded in this QGIS session; restart QGIS")


def qgis_package_advice(language: str, platform: str = sys.platform) -> str:
    """How to get a package that must come with QGIS (numpy, pyproj), per platform."""
    if language.startswith("zh"):
        if platform.startswith("win"):
            return ("numpy 和 pyproj 须随 QGIS 安装：请用 OSGeo4W 安装程序（高级安装）选装 python3-numpy、"
                    "python3-pyproj，或重新安装 QGIS 独立安装包。")
        if platform == "darwin":
            return "numpy 和 pyproj 须随 QGIS 安装：请使用自带这两个包的 QGIS 官方安装包。"
        return ("numpy 和 pyproj 须随 QGIS 安装：例如 Debian/Ubuntu 上执行 "
                "sudo apt install python3-numpy python3-pyproj。")
    if platform.startswith("win"):
        return ("numpy and pyproj must come with QGIS: add python3-numpy and python3-pyproj in the OSGeo4W "
                "installer (Advanced install), or reinstall the QGIS standalone installer.")
    if platform == "darwin":
        return "numpy and pyproj must come with QGIS: use the official QGIS installer, which includes them."
    return ("numpy and pyproj must come with QGIS: on Debian/Ubuntu, sudo apt install python3-numpy "
            "python3-pyproj.")


def describe(problems: list[Problem], language: str = "en") -> str:
    """A short message naming what is missing and what to do, in ``language`` ('zh'/'en')."""
    if not problems:
        return "所需 Python 包齐全。" if language.startswith("zh") else "All required Python packages are present."
    zh = language.startswith("zh")
    head = ("珲春风险制图需要以下 Python 包，算法暂不可用：" if zh
            else "Hunchun Risk needs these Python packages before its algorithms can run:")
    lines = [head] + ["  - " + _line(p, language) for p in problems]
    if any(p.installable for p in problems):
        lines.append("请点击“安装…”，或以 QGIS 自带的 Python 运行 install_dependencies.py（见 README）。" if zh
                     else "Click Install…, or run install_dependencies.py with QGIS's Python (see the README).")
    if any(p.requirement.qgis_provides and p.kind != STALE for p in problems):
        lines.append(qgis_package_advice(language))
    if any(p.kind == STALE for p in problems):
        lines.append("请重启 QGIS。" if zh else "Please restart QGIS.")
    return "\n".join(lines)


def summary(problems: list[Problem]) -> str:
    """Both languages, for logs and the command line (no QGIS locale there)."""
    return describe(problems, "en") + "\n" + describe(problems, "zh")


def headline(problems: list[Problem], language: str = "en") -> str:
    """One line for a message bar: which packages, and whether Install… can help."""
    shown = [p.requirement.distribution for p in problems[:5]]
    more = len(problems) - len(shown)
    names = ", ".join(shown) + ((f" 等 {len(problems)} 个" if language.startswith("zh") else f" and {more} more")
                                if more else "")
    if language.startswith("zh"):
        return f"珲春风险制图缺少或需更新 Python 包：{names}。"
    return f"Hunchun Risk needs these Python packages (missing or too old): {names}."


def private_dependency_dir() -> Path:
    """The private package folder of the QGIS profile this plugin runs in."""
    profile = profile_of_plugin()
    if profile is None:  # run from a checkout on QGIS_PLUGINPATH: the active profile
        from qgis.core import QgsApplication

        profile = Path(QgsApplication.qgisSettingsDirPath())
    return dependency_dir(profile)
