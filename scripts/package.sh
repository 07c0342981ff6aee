#!/usr/bin/env bash
# Build dist/hunchun_risk_plugin-<version>.zip for QGIS "Install from ZIP": the plugin
# package with metadata.txt (the root copy, the single source of truth), the sample
# layers and the styles inside it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VERSION="$(sed -n 's/^version=//p' metadata.txt)"
OUT="dist/hunchun_risk_plugin-${VERSION}.zip"
mkdir -p dist
/usr/bin/python3 - "$OUT" <<'PY'
import sys, zipfile
from pathlib import Path

out = Path(sys.argv[1])
skip = {"__pycache__", ".pytest_cache"}
entries = []
for path in sorted(Path("hunchun_risk_plugin").rglob("*")):
    if path.is_file() and not skip & set(path.parts) and path.suffix != ".pyc":
        entries.append((path.resolve(), path.as_posix()))
for folder in ("layers", "styles"):
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and not path.name.endswith(".aux.xml"):
            entries.append((path, f"hunchun_risk_plugin/{path.as_posix()}"))
partial = out.with_suffix(".partial")
with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
    for source, name in entries:
        archive.write(source, name)
partial.replace(out)
print(f"package: {out} ({len(entries)} files, {out.stat().st_size / 1e6:.1f} MB)")
PY
