#!/usr/bin/env bash
# make test-qgis340: the plugin on Debian 13's QGIS 3.40 LTR (Python 3.13, numpy 2.2).
#  1. builds the chroot once (build_chroot.sh, cached in .cache/qgis340/);
#  2. copies this checkout in and unpacks `make package`'s zip into a clean QGIS profile;
#  3. installs the Python dependencies with the plugin's own installer into that profile;
#  4. runs the QGIS-side tests (pytest + pytest-qgis of the chroot) and every algorithm
#     through qgis_process on the sample data (run_algorithms.py).
# /proc, /dev and /sys are mounted only while needed and always unmounted (trap), also
# on failure; a mount left by an aborted run is found and unmounted first. Needs root.
# Extra arguments go to pytest (e.g. tests/test_plugin.py -x). QGIS340_WHEELS=DIR installs
# from a wheel folder instead of PyPI; QGIS340_CHROOT=DIR puts the chroot elsewhere.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
start=$SECONDS

bash "$ROOT/scripts/qgis340/build_chroot.sh"
unmount_stale
trap unmount_all EXIT
trap 'exit 130' INT TERM  # so that the EXIT trap runs on Ctrl-C or kill too

WORK="$CHROOT/work"
INSIDE=/work  # $WORK as seen from inside the chroot
[ -z "$(mounts_under "$WORK")" ] || { log "still mounted under $WORK"; exit 1; }
rm -rf --one-file-system "$WORK"
mkdir -p "$WORK/hunchun" "$WORK/out"

# The checkout as git sees it (tracked and new files, not the ignored .venv, .cache, dist).
(cd "$ROOT" && git ls-files -co --exclude-standard -z | while IFS= read -r -d '' f; do
   [ -e "$f" ] && printf '%s\0' "$f"; done | tar --null -T - -cf -) | tar -xf - -C "$WORK/hunchun"

bash "$ROOT/scripts/package.sh" >&2
VERSION="$(sed -n 's/^version=//p' "$ROOT/metadata.txt")"
CONFIG="$WORK/qgis-config"                 # QGIS_CUSTOM_CONFIG_PATH: a clean profile
PLUGINS="$CONFIG/profiles/default/python/plugins"
mkdir -p "$PLUGINS"
python3 -m zipfile -e "$ROOT/dist/hunchun_risk_plugin-$VERSION.zip" "$PLUGINS"
PLUGIN_INSIDE="$INSIDE/qgis-config/profiles/default/python/plugins/hunchun_risk_plugin"

mount_system
run_inside() {
  in_chroot env QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR=/tmp/runtime-root LANG=C.UTF-8 \
    QGIS_CUSTOM_CONFIG_PATH="$INSIDE/qgis-config" "$@"
}
in_chroot bash -c 'mkdir -p -m 700 /tmp/runtime-root'

log "installing the dependencies with the plugin's own installer"
step=$SECONDS
WHEELS=()  # QGIS340_WHEELS: a wheel folder (make wheelhouse's debian13-py313) instead of PyPI
if [ -n "${QGIS340_WHEELS:-}" ]; then
  cp -r "$QGIS340_WHEELS" "$WORK/wheels"
  WHEELS=(--wheels "$INSIDE/wheels")
fi
run_inside python3 "$PLUGIN_INSIDE/install_dependencies.py" "${WHEELS[@]}" >&2
log "dependencies: $((SECONDS - step)) s"
DEPS="$(cd "$CONFIG/profiles/default/python/dependencies/hunchun_risk" && ls -d py3.* | head -1)"
DEPS_INSIDE="$INSIDE/qgis-config/profiles/default/python/dependencies/hunchun_risk/$DEPS"

log "qgis_process: every algorithm on the sample data, from the unpacked zip"
step=$SECONDS
run_inside qgis_process plugins enable hunchun_risk_plugin >/dev/null
run_inside python3 "$INSIDE/hunchun/scripts/qgis340/run_algorithms.py" "$PLUGIN_INSIDE" "$INSIDE/out/algorithms"
log "qgis_process runs: $((SECONDS - step)) s"

# Left to the host: the desktop and stock-QGIS tests are about Debian 12's QGIS (run_algorithms.py
# did the same here), test_scripts.py about the developer scripts, which need the dev venv.
# test_desktop_dock.py is a host desktop test (xvfb-run, Debian 12's QGIS), like test_desktop.py.
log "pytest: the QGIS-side tests"
step=$SECONDS
# The tests import the checkout's plugin (not the profile's), so its dependencies come
# from the private folder the installer filled, as PYTHONPATH.
run_inside env PYTHONPATH="$DEPS_INSIDE" QGIS_PROCESS_BIN=/usr/bin/qgis_process.bin \
  bash -c "cd $INSIDE/hunchun && python3 -m pytest -q -p no:cacheprovider --ignore=tests/core --ignore=tests/test_desktop.py \
           --ignore=tests/test_stock_qgis.py --ignore=tests/test_scripts.py \
           --ignore=tests/test_desktop_dock.py \
           ${*:-tests}"
log "pytest: $((SECONDS - step)) s"

unmount_all
trap - EXIT
log "QGIS 3.40 passed in $((SECONDS - start)) s"
