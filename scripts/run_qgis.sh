#!/usr/bin/env bash
# Start the QGIS desktop with this checkout's plugin enabled and a project open.
# Uses a private profile (.qgis_profile) so the user's own QGIS set-up is untouched.
# Without a display it runs under xvfb-run (for screenshots and smoke tests).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROJECT="${1:-$ROOT/output/hunchun_sample.qgz}"
SITE="$("$ROOT/.venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
PROFILES="$ROOT/.qgis_profile"
INI="$PROFILES/profiles/default/QGIS/QGIS3.ini"
mkdir -p "$(dirname "$INI")"
touch "$INI"
/usr/bin/python3 - "$INI" <<'PY'
import configparser, sys
ini = sys.argv[1]
parser = configparser.RawConfigParser()
parser.optionxform = str
parser.read(ini)
if not parser.has_section("PythonPlugins"):
    parser.add_section("PythonPlugins")
parser.set("PythonPlugins", "hunchun_risk_plugin", "true")
with open(ini, "w") as handle:
    parser.write(handle, space_around_delimiters=False)
PY
export QGIS_PLUGINPATH="$ROOT"
export PYTHONPATH="$ROOT:$SITE${PYTHONPATH:+:$PYTHONPATH}"
ARGS=(--profiles-path "$PROFILES" --nologo --project "$PROJECT")
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run_qgis: no display, starting QGIS under xvfb-run" >&2
  exec xvfb-run -a -s "-screen 0 1600x1000x24" qgis "${ARGS[@]}"
fi
exec qgis "${ARGS[@]}"
