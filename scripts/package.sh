#!/usr/bin/env bash
# Build dist/hunchun_risk_plugin-<version>.zip for QGIS "Install from ZIP" and the QGIS plugin
# repository: the plugin package with metadata.txt and LICENSE (the root copies, the single
# sources of truth), the dependency installer and its constraints, the sample layers and the
# styles inside it. Fails, leaving no zip, when the result would not be accepted: incomplete
# metadata, no LICENSE, caches or compiled files, hidden files, or too large.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VERSION="$(sed -n 's/^version=//p' metadata.txt)"
OUT="dist/hunchun_risk_plugin-${VERSION}.zip"
mkdir -p dist
/usr/bin/python3 - "$OUT" <<'PY'
import configparser, re, sys, zipfile
from pathlib import Path

out = Path(sys.argv[1])
PLUGIN = "hunchun_risk_plugin"
MAX_MB = 20  # the plugin repository takes up to 25 MB; the sample data is about 10 MB raw
REQUIRED_KEYS = ("name", "qgisMinimumVersion", "description", "about", "version", "author", "email",
                 "homepage", "repository", "tracker", "license", "category", "tags", "icon", "changelog")
URL_KEYS = ("homepage", "repository", "tracker")
REQUIRED_FILES = ("__init__.py", "metadata.txt", "LICENSE", "icon.svg", "dependencies.py", "installer.py",
                  "interpreter.py", "install_dependencies.py", "constraints/debian12-py311.txt",
                  "constraints/debian13-py313.txt", "constraints/windows-py312.txt",
                  "core/data/algorithms.toml", "layers/hunchun_sample.gpkg")
SKIP_DIRS = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis"}
FORBIDDEN = re.compile(r"(^|/)(__pycache__|\.[^/]+)(/|$)|\.(pyc|pyo|so|pyd|dll|dylib|exe|o|a)$", re.I)

entries = []
for path in sorted(Path(PLUGIN).rglob("*")):
    if path.is_file() and not SKIP_DIRS & set(path.parts) and path.suffix not in (".pyc", ".pyo"):
        entries.append((path.resolve(), path.as_posix()))  # resolve: metadata.txt, LICENSE are links
for folder in ("layers", "styles"):
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and not path.name.endswith(".aux.xml"):
            entries.append((path, f"{PLUGIN}/{path.as_posix()}"))

problems = []
names = [name for _, name in entries]
problems += [f"not allowed in the zip (cache, compiled or hidden file): {n}" for n in names if FORBIDDEN.search(n)]
problems += [f"missing from the zip: {PLUGIN}/{f}" for f in REQUIRED_FILES if f"{PLUGIN}/{f}" not in names]
metadata = configparser.ConfigParser(interpolation=None)
metadata.read("metadata.txt", encoding="utf-8")
general = metadata["general"] if metadata.has_section("general") else {}
problems += [f"metadata.txt: {key} is missing or empty" for key in REQUIRED_KEYS if not general.get(key, "").strip()]
problems += [f"metadata.txt: {key} is not an http(s) address" for key in URL_KEYS
             if general.get(key) and not re.match(r"https?://\S+$", general[key])]
if general.get("hasProcessingProvider") != "yes":
    problems.append("metadata.txt: hasProcessingProvider must be yes (the plugin has a Processing provider)")
license = Path("LICENSE")
if not license.is_file() or "GNU GENERAL PUBLIC LICENSE" not in license.read_text(encoding="utf-8"):
    problems.append("LICENSE is missing or is not the GPL text")
if problems:
    sys.exit("package: refusing to build " + str(out) + ":\n  " + "\n  ".join(problems))



def changelog_lines(markdown: str, versions: int = 3) -> list[str]:
    """The newest ``versions`` entries of CHANGELOG.md as metadata continuation lines."""
    lines, seen = [], 0
    for line in markdown.splitlines():
        heading = re.match(r"## (\S+) - (\S+)", line)
        if heading:
            seen += 1
            if seen > versions:
                break
            lines.append(f"{heading[1]} ({heading[2]})")
        elif seen and line.strip():
            lines.append(("  " + line.strip()) if line.startswith("-") else ("    " + line.strip()))
    return lines


def metadata_with_changelog(text: str, changes: list[str]) -> str:
    """metadata.txt with its changelog replaced by ``changes`` (continuation lines indented)."""
    kept, skipping = [], False
    for line in text.splitlines():
        if line.startswith("changelog="):
            kept.append("changelog=" + changes[0])
            kept += ["    " + c for c in changes[1:]]
            skipping = True
        elif skipping and line[:1] in (" ", "\t"):
            continue
        else:
            skipping = False
            kept.append(line)
    return "\n".join(kept) + "\n"


changes = changelog_lines(Path("CHANGELOG.md").read_text(encoding="utf-8"))
if not changes:
    sys.exit("package: CHANGELOG.md has no '## <version> - <date>' entry")
if not changes[0].startswith(general.get("version", "?") + " "):
    sys.exit(f"package: CHANGELOG.md's newest entry is {changes[0]!r}, metadata.txt says version={general.get('version')}")
metadata_text = metadata_with_changelog(Path("metadata.txt").read_text(encoding="utf-8"), changes)

partial = out.with_suffix(".partial")
with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
    for source, name in entries:
        if name == f"{PLUGIN}/metadata.txt":
            archive.writestr(name, metadata_text)
        else:
            archive.write(source, name)
size_mb = partial.stat().st_size / 1e6
if size_mb > MAX_MB:
    partial.unlink()
    sys.exit(f"package: {out} would be {size_mb:.1f} MB, more than {MAX_MB} MB")
partial.replace(out)
print(f"package: {out} ({len(entries)} files, {size_mb:.1f} MB)")
PY
