#!/usr/bin/env bash
# `make test-compat`: the QGIS-free core tests (tests/core) at the low and the high end of
# the package versions the plugin supports (requirements/compat-low.txt, -high.txt), each
# in its own plain venv under .cache/ with its own Python (3.9 low, 3.13 high).
# Idempotent: a venv is rebuilt only when its requirements file or its Python changed
# (stamp = sha256 of both), into a new folder that replaces the old one only when complete.
# Usage: scripts/test_compat.sh [low|high]...   (default: both)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

declare -A WANT_PYTHON=([low]=3.9 [high]=3.13)

# The interpreter for a Python version: on PATH, or one that pyenv has built. Each
# candidate must run and be that version (a pyenv shim on PATH may refuse to run).
find_python() {
  local version=$1 candidate
  for candidate in "$(command -v "python$version" || true)" \
                   "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version".*/bin/"python$version"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    if [ "$("$candidate" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$version" ]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

build_venv() {
  local end=$1 python=$2 venv=.cache/compat-$1 requirements=requirements/compat-$1.txt
  local want
  want=$( { cat "$requirements"; "$python" -VV; } | sha256sum | cut -d' ' -f1)
  if [ -f "$venv/.stamp" ] && [ "$(cat "$venv/.stamp")" = "$want" ]; then return 0; fi
  echo "test-compat: building $venv with $("$python" -V) from $requirements"
  local start=$SECONDS
  rm -rf "$venv.new"
  "$python" -m venv "$venv.new"
  "$venv.new/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements"
  "$venv.new/bin/python" -m pip check
  echo "$want" > "$venv.new/.stamp"
  rm -rf "$venv"
  mv "$venv.new" "$venv"
  # A venv records its own path in its scripts; `python -m` (used below) does not care.
  echo "test-compat: $venv built in $((SECONDS - start)) s"
}

run_tests() {
  local end=$1 venv=.cache/compat-$1
  "$venv/bin/python" - <<'PY'
import importlib.metadata as md, platform
names = "numpy pandas shapely geopandas pyogrio rasterio affine scipy pyproj".split()
print("test-compat: Python", platform.python_version(), " ".join(f"{n} {md.version(n)}" for n in names))
PY
  local start=$SECONDS
  # pyproject's qgis_* options belong to pytest-qgis, which this venv has not: not an issue.
  "$venv/bin/python" -m pytest tests/core -q -W ignore::pytest.PytestConfigWarning
  echo "test-compat: $end tests ran in $((SECONDS - start)) s"
}

ends=("$@")
[ ${#ends[@]} -gt 0 ] || ends=(low high)
for end in "${ends[@]}"; do
  [ -n "${WANT_PYTHON[$end]:-}" ] || { echo "test-compat: unknown end '$end' (low or high)" >&2; exit 2; }
  python=$(find_python "${WANT_PYTHON[$end]}") || {
    echo "test-compat: Python ${WANT_PYTHON[$end]} not found (on PATH or under pyenv); install it" \
         "(e.g. pyenv install ${WANT_PYTHON[$end]}) to test the $end end" >&2
    exit 1
  }
  build_venv "$end" "$python"
  run_tests "$end"
done
