"""Extract the plugin's English/Chinese string pairs into the Qt translation file
``hunchun_risk_plugin/i18n/hunchun_risk_zh_CN.ts`` (``make translations`` then builds the
``.qm`` with lrelease).

The code keeps its strings as pairs, ``tr("Run all", "全部运行")``; ``i18n.tr`` looks the
English up through ``QCoreApplication.translate`` first, so the pairs become Qt
translations mechanically: this script finds every call ``tr(en, zh)``, ``self.tr(en, zh)``
and ``both(en, zh)`` whose two arguments are plain string literals and writes one finished
message per English source. Pairs built with f-strings cannot be looked up by their
source text; ``--report`` counts them (they need ``tr("… {n} …", "… {n} …").format(n=…)``
to join). ``--check`` exits 1 when the committed file differs from what the code says.
"""
from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = ROOT / "hunchun_risk_plugin"
TS_FILE = PLUGIN / "i18n" / "hunchun_risk_zh_CN.ts"
CONTEXT = "hunchun_risk"  # i18n.QT_CONTEXT
CALLS = {"tr", "both"}


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def pairs_in(path: Path) -> tuple[list[tuple[str, str, int]], int]:
    """(english, chinese, line) of every literal pair in ``path``, and the number of
    pairs written with f-strings."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found, dynamic = [], 0
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _name(node.func) in CALLS and len(node.args) == 2 and not node.keywords):
            continue
        en, zh = node.args
        if all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in (en, zh)):
            found.append((en.value, zh.value, node.lineno))
        elif any(isinstance(a, ast.JoinedStr) for a in (en, zh)):
            dynamic += 1
    return found, dynamic


def collect() -> tuple[dict[str, str], list[str], int]:
    """English -> Chinese over the plugin's sources (first seen wins, in path order),
    the conflicts (one English, two Chinese), and the count of f-string pairs."""
    table: dict[str, str] = {}
    where: dict[str, str] = {}
    conflicts, dynamic = [], 0
    for path in sorted(PLUGIN.rglob("*.py")):
        pairs, n = pairs_in(path)
        dynamic += n
        for en, zh, line in pairs:
            here = f"{path.relative_to(ROOT)}:{line}"
            if en in table and table[en] != zh:
                conflicts.append(f"{here}: '{en}' is '{zh}' here, '{table[en]}' at {where[en]}")
                continue
            table.setdefault(en, zh)
            where.setdefault(en, here)
    return table, conflicts, dynamic


def ts_text(table: dict[str, str]) -> str:
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE TS>",
             '<TS version="2.1" language="zh_CN" sourcelanguage="en">', "<context>", f"    <name>{CONTEXT}</name>"]
    for en in sorted(table):
        lines += ["    <message>", f"        <source>{escape(en)}</source>",
                  f"        <translation>{escape(table[en])}</translation>", "    </message>"]
    lines += ["</context>", "</TS>", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when the committed .ts is out of date")
    parser.add_argument("--report", action="store_true", help="print the conflicts and the f-string pairs left")
    args = parser.parse_args(argv)
    table, conflicts, dynamic = collect()
    text = ts_text(table)
    if args.report:
        print(f"{len(table)} literal pairs, {dynamic} f-string pairs not yet translatable, {len(conflicts)} conflicts")
        for line in conflicts:
            print("  conflict:", line)
    if args.check:
        current = TS_FILE.read_text(encoding="utf-8") if TS_FILE.exists() else ""
        if current != text:
            print(f"{TS_FILE.relative_to(ROOT)} is out of date: run make translations", file=sys.stderr)
            return 1
        return 0
    TS_FILE.parent.mkdir(parents=True, exist_ok=True)
    TS_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {TS_FILE.relative_to(ROOT)} ({len(table)} messages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
