"""Install the Python packages Hunchun Risk needs, headlessly (what the Install… button does).

Run it with QGIS's own Python, from the plugin folder inside a QGIS profile::

    # Debian/Ubuntu terminal
    /usr/bin/python3 \\
        ~/.local/share/QGIS/QGIS3/profiles/default/python/plugins/hunchun_risk_plugin/install_dependencies.py
    # OSGeo4W shell (Windows)
    python %APPDATA%\\QGIS\\QGIS3\\profiles\\default\\python\\plugins\\hunchun_risk_plugin\\install_dependencies.py

Options: ``--wheels DIR`` installs from a wheel folder made by ``make wheelhouse`` (no
internet needed); ``--profile DIR`` names the QGIS profile when the plugin folder is not
inside one. Exit code 0 only when a fresh Python process with the private folder active
can import every required package.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the plugin importable as a package
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    __package__ = "hunchun_risk_plugin"

from hunchun_risk_plugin import dependencies, installer  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheels", type=Path, help="a wheel folder (make wheelhouse) instead of PyPI")
    parser.add_argument("--profile", type=Path, help="the QGIS profile folder (default: the one this plugin is in)")
    parser.add_argument("--python", default=sys.executable, help="QGIS's Python (default: this one)")
    args = parser.parse_args(argv)

    profile = args.profile or dependencies.profile_of_plugin()
    if profile is None:
        print(f"{dependencies.PLUGIN_DIR} is not inside a QGIS profile (<profile>/python/plugins/); "
              f"give --profile.\n{dependencies.PLUGIN_DIR} 不在 QGIS 配置文件夹内，请用 --profile 指定。",
              file=sys.stderr)
        return 2
    folder = dependencies.dependency_dir(profile)
    wheels = args.wheels.resolve() if args.wheels else None
    dependencies.activate(folder)
    problems = dependencies.check()
    constraints = installer.constraints_for()
    plan = installer.make_plan(problems, constraints)
    print(f"Python: {args.python} ({sys.version.split()[0]}, {sys.platform})")
    print(f"Private folder / 私有文件夹: {folder}")
    print("Tested set / "
          f"测试版本集: {constraints.path.name if constraints else 'none (untested environment) / 无（未测试环境）'}")
    print(f"Source / 来源: {wheels or 'PyPI'}")
    if plan.specs:
        print("Installing / 安装: " + " ".join(plan.specs))
        try:
            result = installer.install(plan, folder, args.python, wheels, log=lambda line: print("  " + line))
        except installer.InstallError as error:
            print(f"{error.message('en')}\n{error.message('zh')}", file=sys.stderr)
            return 1
        if result.restart_needed:
            print("The new packages take over at the next start. 新安装的包将在下次启动时生效。")
    else:
        print("Nothing to install. 无需安装。")
    if plan.blocked:
        print(dependencies.summary(plan.blocked), file=sys.stderr)

    verification = installer.verify(args.python, folder)
    for name, version in sorted(verification.versions.items()):
        print(f"  ok {name} {version}")
    for name, error in sorted(verification.failed.items()):
        print(f"  FAILED {name}: {error}", file=sys.stderr)
    for problem in verification.problems:
        print(f"  PROBLEM {problem}", file=sys.stderr)
    if verification.ok:
        print("Every required package imports. Restart QGIS if it is open.\n所需 Python 包已全部可用。如 QGIS 已打开，"
              "请重启。")
        return 0
    print("Some packages are still missing or fail to import (see above).\n仍有包缺失或无法导入（见上）。",
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
