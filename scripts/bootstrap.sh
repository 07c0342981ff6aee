#!/usr/bin/env bash
# Install what the project needs, idempotently: Debian packages (QGIS 3.22 LTR and
# tools) and a .venv with the pinned Python packages. Safe to run again and again.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DEB_PACKAGES=(python3-qgis qgis-providers qgis python3-pyproj python3-venv python3-gdal gdal-bin poppler-utils xvfb xauth fonts-noto-cjk fonts-wqy-microhei qttools5-dev-tools)

missing_debs() {
  local pkg
  for pkg in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

install_debs() {
  local missing
  missing=$(missing_debs | tr '\n' ' ')
  [ -z "${missing// /}" ] && return 0
  echo "bootstrap: installing Debian packages: $missing"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      sudo="sudo"
    else
      echo "bootstrap: these Debian packages are missing: $missing" >&2
      echo "bootstrap: install them as root, then run make again:" >&2
      echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends $missing" >&2
      exit 1
    fi
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
}

make_venv() {
  if [ ! -x .venv/bin/python ]; then
    echo "bootstrap: creating .venv (with system site-packages, so Debian's qgis stays importable)"
    /usr/bin/python3 -m venv --system-site-packages .venv
  fi
  local stamp=.venv/.requirements.sha256
  local want
  want=$(sha256sum requirements.txt | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "bootstrap: installing Python packages from requirements.txt"
    .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.txt
    echo "$want" > "$stamp"
  fi
  # A pip-installed pyproj brings its own PROJ next to QGIS's: remove it (see requirements.txt).
  if .venv/bin/python -m pip show pyproj 2>/dev/null | grep -q "Location: $ROOT/.venv"; then
    .venv/bin/python -m pip uninstall -y -q pyproj
  fi
  # Debian's pyproj looks for PROJ data under sys.prefix, which in a venv is .venv.
  mkdir -p .venv/share
  [ -e .venv/share/proj ] || ln -s /usr/share/proj .venv/share/proj
}

check_imports() {
  QT_QPA_PLATFORM=offscreen .venv/bin/python -c "import qgis.core, geopandas, rasterio, scipy, pyproj, shapely" \
    || { echo "bootstrap: the venv cannot import QGIS and the analysis packages; delete .venv and run make setup" >&2; exit 1; }
}

install_debs
make_venv
check_imports
