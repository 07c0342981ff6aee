#!/usr/bin/env python3
"""Fails on Qt5-only Python in the plugin and scripts, so the code stays ready for
QGIS 4 (Qt 6) while it still runs on QGIS 3.22: the kinds of change QGIS's own
scripts/pyqt5_to_pyqt6 migration tool makes, checked instead of rewritten.

- imports: only through ``qgis.PyQt`` (never PyQt5/PyQt6/sip directly, nor the removed
  ``qgis.PyQt.Qt`` module or compiled ``resources_rc``);
- calls: ``exec()`` not ``exec_()``; no ``QVariant()`` for NULL (use qgis.core's NULL);
  no ``QVariant.Type.X``; the QVariant type constants only in the one module that picks
  QVariant.Type or QMetaType.Type by QGIS version (hunchun_risk_plugin/qt_compat.py);
- classes Qt 6 removed: QRegExp, QDesktopWidget (``QApplication.desktop()``), qApp,
  QTextCodec, QRegExpValidator, QMatrix; enums renamed (Qt.MidButton…);
- enums fully scoped: ``Qt.AlignmentFlag.AlignLeft``, not ``Qt.AlignLeft``. This part
  imports the classes to learn which enum a member belongs to, so it needs QGIS; a QGIS
  enum is asked for in scoped form only where this QGIS accepts that form, and every
  scoped reference must resolve here (run under QGIS 3.22 and 3.40, that is both).

Usage: check_qt6.py [FILE_OR_DIR ...]   (default: the plugin and scripts/); exit 1 on findings.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATHS = [ROOT / "hunchun_risk_plugin", ROOT / "scripts", ROOT / "benchmarks"]
QVARIANT_TYPES_ALLOWED_IN = {ROOT / "hunchun_risk_plugin" / "qt_compat.py"}

REMOVED_NAMES = {
    "QRegExp": "QRegExp is gone in Qt 6: use QRegularExpression",
    "QRegExpValidator": "QRegExpValidator is gone in Qt 6: use QRegularExpressionValidator",
    "QDesktopWidget": "QDesktopWidget is gone in Qt 6: use QScreen (QGuiApplication.screens())",
    "qApp": "qApp is gone in Qt 6: use QApplication.instance() (or QgsApplication)",
    "QTextCodec": "QTextCodec is gone in Qt 6: use Python's codecs",
    "QMatrix": "QMatrix is gone in Qt 6: use QTransform",
}
RENAMED_ENUMS = {
    ("Qt", "MidButton"): "Qt.MouseButton.MiddleButton",
    ("Qt", "TextColorRole"): "Qt.ItemDataRole.ForegroundRole",
    ("Qt", "BackgroundColorRole"): "Qt.ItemDataRole.BackgroundRole",
    ("QPainter", "HighQualityAntialiasing"): "QPainter.RenderHint.Antialiasing",
}
QT_MODULES = ("qgis.PyQt",)
QGIS_MODULES = ("qgis.core", "qgis.gui", "qgis.analysis", "qgis.processing")


def _imports(tree: ast.AST) -> dict[str, tuple[str, str | None]]:
    """Local name -> (module, attribute) for `from M import A` and `import M`."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = (node.module, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = (alias.name, None)
    return names


def static_findings(tree: ast.AST, path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for module in modules:
                top = module.split(".")[0]
                if top in ("PyQt5", "PyQt6", "sip"):
                    found.append((node.lineno, f"import {module}: import it through qgis.PyQt"))
                if module == "qgis.PyQt.Qt":
                    found.append((node.lineno, "qgis.PyQt.Qt is gone in QGIS 4: import Qt from qgis.PyQt.QtCore"))
            for alias in node.names:
                if alias.name in REMOVED_NAMES:
                    found.append((node.lineno, REMOVED_NAMES[alias.name]))
                if alias.name == "resources_rc":
                    found.append((node.lineno, "compiled resources are gone in Qt 6: load files by path"))
        elif isinstance(node, ast.FunctionDef) and node.name == "exec_":
            found.append((node.lineno, "def exec_: name it exec"))
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr == "exec_":
                found.append((node.lineno, "exec_() is gone in Qt 6: call exec()"))
            if isinstance(func, ast.Attribute) and func.attr == "desktop" and not node.args:
                found.append((node.lineno, REMOVED_NAMES["QDesktopWidget"]))
            if isinstance(func, ast.Name) and func.id == "QVariant" and not node.args:
                found.append((node.lineno, "QVariant() as NULL: use NULL from qgis.core"))
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            owner = node.value.id
            if owner == "QVariant" and path in QVARIANT_TYPES_ALLOWED_IN:
                pass
            elif owner == "QVariant" and node.attr == "Type":
                found.append((node.lineno, "QVariant.Type is gone in Qt 6: use the constants of qt_compat"))
            elif owner == "QVariant" and node.attr[:1].isupper():
                found.append((node.lineno, f"QVariant.{node.attr} is gone in Qt 6: use qt_compat's field types"))
            if (owner, node.attr) in RENAMED_ENUMS:
                found.append((node.lineno, f"{owner}.{node.attr} is gone in Qt 6: {RENAMED_ENUMS[owner, node.attr]}"))
            if owner in REMOVED_NAMES:
                found.append((node.lineno, REMOVED_NAMES[owner]))
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) \
                and node.value.attr == "activated" and isinstance(node.slice, ast.Name):
            found.append((node.lineno, "activated[str] is gone in Qt 6: use textActivated"))
    return found


class _Resolver:
    """Objects behind names imported from Qt and QGIS, looked up in the running QGIS."""

    def __init__(self, imports: dict[str, tuple[str, str | None]]):
        self.imports = imports

    def origin(self, node: ast.AST) -> str | None:
        while isinstance(node, ast.Attribute):
            node = node.value
        if isinstance(node, ast.Name) and node.id in self.imports:
            module = self.imports[node.id][0]
            if module.startswith(QT_MODULES):
                return "qt"
            if module.startswith(QGIS_MODULES):
                return "qgis"
        return None

    def value(self, node: ast.AST):
        if isinstance(node, ast.Name):
            module, attribute = self.imports[node.id]
            loaded = importlib.import_module(module)
            if attribute is None:
                return loaded
            try:
                return getattr(loaded, attribute)
            except AttributeError:  # a submodule, such as qgis.PyQt.sip
                return importlib.import_module(f"{module}.{attribute}")
        if isinstance(node, ast.Attribute):
            owner = self.value(node.value)
            return getattr(owner, node.attr)
        raise LookupError(node)


def _enum_scope(owner: type, member) -> str | None:
    """The name under ``owner`` of the enum type that ``member`` belongs to, if any."""
    kind = type(member)
    if kind in (int, bool, float, str) or inspect.isclass(member) or callable(member):
        return None
    for name in dir(owner):
        if name[:1].isupper() and getattr(owner, name, None) is kind:
            return name
    return None


def enum_findings(tree: ast.AST, imports: dict[str, tuple[str, str | None]]) -> list[tuple[int, str]]:
    resolver = _Resolver(imports)
    found = []
    parents = {id(child): parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute) or isinstance(parents.get(id(node)), ast.Attribute):
            continue  # look at whole chains only: Qt.AlignmentFlag.AlignLeft, not its Qt.AlignmentFlag
        origin = resolver.origin(node)
        if origin is None:
            continue
        text = ast.unparse(node)
        try:
            owner = resolver.value(node.value)
            member = getattr(owner, node.attr)
        except (AttributeError, ImportError, LookupError, KeyError):
            found.append((node.lineno, f"{text} does not exist in this QGIS/Qt"))
            continue
        if not inspect.isclass(owner) or not node.attr[:1].isupper():
            continue
        if getattr(owner, "__name__", "") == type(member).__name__ or type(member) is owner:
            continue  # already scoped: the owner is the enum itself
        scope = _enum_scope(owner, member)
        if scope is None:
            continue
        try:
            getattr(getattr(owner, scope), node.attr)
        except AttributeError:
            continue  # this QGIS has no scoped form of it: leave it (QGIS 3.22's own enums)
        found.append((node.lineno, f"unscoped enum {text}: write {ast.unparse(node.value)}.{scope}.{node.attr}"))
    return found


def check_file(path: Path, with_enums: bool) -> list[str]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, str(path))
    found = static_findings(tree, path)
    if with_enums:
        found += enum_findings(tree, _imports(tree))
    rel = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    return [f"{rel}:{line}: {message}" for line, message in sorted(set(found))]


def python_files(paths: list[Path]) -> list[Path]:
    files = []
    for path in paths:
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return [f for f in files if "__pycache__" not in f.parts]


def qgis_available() -> bool:
    try:
        importlib.import_module("qgis.core")
    except ImportError:
        return False
    return True


def main(argv: list[str]) -> int:
    paths = [Path(p).resolve() for p in argv] or DEFAULT_PATHS
    with_enums = qgis_available()
    if not with_enums:
        print("check_qt6: qgis is not importable here: enum scoping not checked", file=sys.stderr)
    findings = [line for path in python_files(paths) for line in check_file(path, with_enums)]
    for line in findings:
        print(line)
    print(f"check_qt6: {len(findings)} finding(s)", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
