"""Extract the plugin's English/Chinese string pairs into the Qt translation file
``hunchun_risk_plugin/i18n/hunchun_risk_zh_CN.ts`` (``make translations`` then builds the
``.qm`` with lrelease).

The code keeps its strings as pairs, ``tr("Run all", "全部运行")``; ``i18n.tr`` looks the
English up through ``QCoreApplication.translate`` first, so the pairs become Qt
translations mechanically: this script finds every call that takes a pair (``PAIR_CALLS``:
``tr``, ``trf`` templates, ``both``, ``pair`` markers, parameter help given to ``add``,
``LayerOutput`` labels, ``report_input`` lines) whose two arguments are plain string
literals and writes one finished message per English source. The QGIS-free core keeps
its messages as pairs by design (``InputError(en, zh)``, ``progress.say(en, zh)``): its
literal pairs go into the same file for review (``i18n.error_text`` looks a core error
up through Qt too); its formatted ones stay pairs in the code and are not counted. A pair written with
f-strings cannot be looked up by its source text: ``--report`` lists them (write
``trf("… {n} …", "… {n} …", n=…)`` instead), and so does the test, which fails on any.
A template whose English and Chinese name different ``{fields}`` is a conflict too.
``--check`` exits 1 when the committed file differs from what the code says.
"""
from __future__ import annotations

import argparse
import ast
import string
import sys
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = ROOT / "hunchun_risk_plugin"
TS_FILE = PLUGIN / "i18n" / "hunchun_risk_zh_CN.ts"
CONTEXT = "hunchun_risk"  # i18n.QT_CONTEXT
# Call name -> (position of the English, position of the Chinese) of the pair it takes.
PAIR_CALLS = {"tr": (0, 1), "trf": (0, 1), "both": (0, 1), "pair": (0, 1), "report_input": (0, 1),
              "add": (1, 2), "LayerOutput": (3, 4)}
# The core's pairs (no Qt there): errors (``…Error(en, zh)``) and bilingual log lines.
CORE_PAIR_CALLS = {"say": (0, 1)}


def _pair_positions(name: str) -> tuple[tuple[int, int] | None, bool]:
    """Where a call's pair is, and whether an f-string there is a fault (not for the
    core's pairs, formatted by design)."""
    if name in PAIR_CALLS:
        return PAIR_CALLS[name], True
    if name in CORE_PAIR_CALLS:
        return CORE_PAIR_CALLS[name], False
    if name.endswith("Error"):  # HunchunRiskError and its subclasses
        return (0, 1), False
    return None, False


def _name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def pairs_in(path: Path) -> tuple[list[tuple[str, str, int]], list[int]]:
    """(english, chinese, line) of every literal pair in ``path``, and the lines of the
    pairs written with f-strings."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found, dynamic = [], []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        positions, strict = _pair_positions(_name(node.func))
        if positions is None:
            continue
        i, j = positions
        if len(node.args) <= j or any(isinstance(a, ast.Starred) for a in node.args[:j + 1]):
            continue
        en, zh = node.args[i], node.args[j]
        if _is_text(en) and _is_text(zh):
            found.append((en.value, zh.value, node.lineno))
        elif strict and any(isinstance(a, ast.JoinedStr) for a in (en, zh)):
            dynamic.append(node.lineno)
    return found, dynamic


def fields(template: str) -> set[str]:
    """The ``{names}`` a template fills in (none for text with no braces)."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError:  # a lone brace: not a template
        return set()


def collect() -> tuple[dict[str, str], list[str], list[str]]:
    """English -> Chinese over the plugin's sources (first seen wins, in path order),
    the conflicts (one English, two Chinese; a template's two sides naming different
    fields), and where the f-string pairs are."""
    table: dict[str, str] = {}
    where: dict[str, str] = {}
    conflicts, dynamic = [], []
    for path in sorted(PLUGIN.rglob("*.py")):
        pairs, lines = pairs_in(path)
        dynamic += [f"{path.relative_to(ROOT)}:{line}" for line in lines]
        for en, zh, line in pairs:
            here = f"{path.relative_to(ROOT)}:{line}"
            if fields(en) != fields(zh):
                conflicts.append(f"{here}: '{en}' fills {sorted(fields(en))}, its Chinese {sorted(fields(zh))}")
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
        print(f"{len(table)} literal pairs, {len(dynamic)} f-string pairs not yet translatable, "
              f"{len(conflicts)} conflicts")
        for line in conflicts:
            print("  conflict:", line)
        for line in dynamic:
            print("  f-string pair:", line)
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
