#!/usr/bin/env bash
# make test-qgis340: the plugin on Debian 13's QGIS 3.40 LTR (Python 3.13, numpy 2.2).
#  1. builds the chroot once (build_chroot.sh, cached in .cache/qgis340/);
#  2. copies this checkout in and unpacks `make package`'s zip into a clean QGIS profile;
#  3. installs the Python dependencies with the plugin's own installer into that profile;
#  4. runs the QGIS-side tests (pytest + pytest-qgis of the chroot) and every algorithm
#     through qgis_process on the sample data (run_algorithms.py).
# /proc, /dev and /sys are mounted only while needed and always unmounted (trap), also
# on failure; a mount left by an aborted run is found and unmounted first. Needs root.
# Extra arguments go to pytest (e.g. tests/test_plugin.py -x).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
start=$SECONDS

bash "$ROOT/scripts/qgis340/build_chroot.sh"
unmount_stale
trap unmount_all EXIT

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
if [ -f "$PLUGINS/hunchun_risk_plugin/install_dependencies.py" ]; then
  run_inside python3 "$PLUGIN_INSIDE/install_dependencies.py" ${QGIS340_WHEELS:+--wheels "$QGIS340_WHEELS"}
else  # until the plugin has its installer: the same private folder, by hand
  run_inside python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-deps \
    --target "$INSIDE/qgis-config/profiles/default/python/dependencies/hunchun_risk/py3.13" \
    pandas==2.2.3 python-dateutil==2.9.0.post0 six==1.17.0 pytz==2025.2 tzdata==2025.2 shapely==2.0.7 geopandas==1.0.1 \
    pyogrio==0.11.1 rasterio==1.4.4 affine==3.0.1 click==8.1.8 click-plugins==1.1.1.2 cligj==0.7.2
fi
log "dependencies: $((SECONDS - step)) s"
DEPS="$(cd "$CONFIG/profiles/default/python/dependencies/hunchun_risk" && ls -d py3.* | head -1)"
DEPS_INSIDE="$INSIDE/qgis-config/profiles/default/python/dependencies/hunchun_risk/$DEPS"
# until the plugin puts its private folder on sys.path itself
[ -f "$PLUGINS/hunchun_risk_plugin/install_dependencies.py" ] || export_deps="PYTHONPATH=$DEPS_INSIDE"

log "qgis_process: every algorithm on the sample data, from the unpacked zip"
step=$SECONDS
run_inside env ${export_deps:-} qgis_process plugins enable hunchun_risk_plugin >/dev/null
run_inside env ${export_deps:-} python3 "$INSIDE/hunchun/scripts/qgis340/run_algorithms.py" "$PLUGIN_INSIDE" "$INSIDE/out/algorithms"
log "qgis_process runs: $((SECONDS - step)) s"

log "pytest: the QGIS-side tests (the desktop end-to-end test runs on the host's QGIS only)"
step=$SECONDS
# The tests import the checkout's plugin (not the profile's), so its dependencies come
# from the private folder the installer filled, as PYTHONPATH.
run_inside env PYTHONPATH="$DEPS_INSIDE" QGIS_PROCESS_BIN=/usr/bin/qgis_process.bin \
  bash -c "cd $INSIDE/hunchun && python3 -m pytest -q -p no:cacheprovider --ignore=tests/core --ignore=tests/test_desktop.py \
           ${*:-tests}"
log "pytest: $((SECONDS - step)) s"

unmount_all
trap - EXIT
log "QGIS 3.40 passed in $((SECONDS - start)) s"
