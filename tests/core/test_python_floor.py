"""The plugin runs on the oldest Python it declares (pyproject's requires-python; QGIS
3.22 on Windows brings 3.9): every module parses with that grammar, and uses nothing
newer that the grammar check cannot see (type unions evaluated at run time, library
names and keyword arguments added later). In `make test-compat` the low venv runs this
with Python 3.9 itself, so the real 3.9 parser reads every file there too."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from hunchun_risk_plugin.core.definitions import read_toml

ROOT = Path(__file__).resolve().parents[2]
PLUGIN = ROOT / "hunchun_risk_plugin"

# (module, name) -> the Python that added it; only names a plugin could plausibly use.
NEWER_NAMES = {
    ("itertools", "pairwise"): (3, 10), ("itertools", "batched"): (3, 12),
    ("typing", "TypeAlias"): (3, 10), ("typing", "ParamSpec"): (3, 10), ("typing", "TypeGuard"): (3, 10),
    ("typing", "Concatenate"): (3, 10), ("typing", "Self"): (3, 11), ("typing", "Never"): (3, 11),
    ("typing", "LiteralString"): (3, 11), ("typing", "assert_never"): (3, 11), ("typing", "override"): (3, 12),
    ("datetime", "UTC"): (3, 11), ("enum", "StrEnum"): (3, 11), ("contextlib", "chdir"): (3, 11),
    ("hashlib", "file_digest"): (3, 11), ("math", "cbrt"): (3, 11), ("math", "exp2"): (3, 11),
    ("asyncio", "TaskGroup"): (3, 11),
}
NEWER_MODULES = {"tomllib": (3, 11)}  # only inside try/except ImportError (see core/definitions.py)
# (callee name, keyword) -> the Python that added the keyword
NEWER_KEYWORDS = {
    ("zip", "strict"): (3, 10), ("dataclass", "slots"): (3, 10), ("dataclass", "kw_only"): (3, 10),
    ("dataclass", "match_args"): (3, 10), ("bisect_left", "key"): (3, 10), ("bisect_right", "key"): (3, 10),
    ("insort", "key"): (3, 10), ("bisect", "key"): (3, 10),
}


def python_floor() -> tuple[int, int]:
    spec = read_toml(ROOT / "pyproject.toml")["project"]["requires-python"]
    match = re.fullmatch(r">=\s*(\d+)\.(\d+)", spec.strip())
    assert match, f"requires-python should be '>=X.Y', not {spec!r}"
    return int(match[1]), int(match[2])


def _is_union(node: ast.AST) -> bool:
    return isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr)


def _none_union(node: ast.AST) -> bool:
    """`X | None`: never a bitwise or, always a PEP 604 union."""
    return _is_union(node) and any(isinstance(side, ast.Constant) and side.value is None
                                   for side in (node.left, node.right))


def _annotations(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            args = node.args
            for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
                if arg is not None and arg.annotation is not None:
                    yield arg.annotation
            if node.returns is not None:
                yield node.returns
        elif isinstance(node, ast.AnnAssign):
            yield node.annotation


def _guarded_imports(tree: ast.AST) -> set[int]:
    """Line numbers of imports inside a `try` that handles ImportError/ModuleNotFoundError."""
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
                isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")
                for h in node.handlers):
            lines.update(n.lineno for stmt in node.body for n in ast.walk(stmt) if isinstance(n, ast.Import))
    return lines


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def newer_than(source: str, floor: tuple[int, int], name: str = "<source>") -> list[str]:
    """What in ``source`` needs a Python newer than ``floor``, as 'line: reason'."""
    try:
        tree = ast.parse(source, name, feature_version=floor)
    except SyntaxError as exc:
        return [f"{exc.lineno}: syntax newer than Python {floor[0]}.{floor[1]}: {exc.msg}"]
    found = []
    postponed = any(isinstance(n, ast.ImportFrom) and n.module == "__future__"
                    and any(a.name == "annotations" for a in n.names) for n in tree.body)
    annotation_nodes = {id(n) for a in _annotations(tree) for n in ast.walk(a)}
    if floor < (3, 10):
        if not postponed:
            found += [f"{a.lineno}: 'X | Y' annotation is evaluated at import (add "
                      "'from __future__ import annotations')" for a in _annotations(tree)
                      if any(_is_union(n) for n in ast.walk(a))]
        found += [f"{n.lineno}: 'X | None' evaluated at run time (use Optional[X])" for n in ast.walk(tree)
                  if _none_union(n) and id(n) not in annotation_nodes]
        found += [f"{n.lineno}: isinstance/issubclass with 'X | Y' (use a tuple)" for n in ast.walk(tree)
                  if isinstance(n, ast.Call) and _callee(n) in ("isinstance", "issubclass")
                  and len(n.args) == 2 and _is_union(n.args[1])]
    modules = {}  # local alias -> module, for `import x as y` then `y.name`
    guarded = _guarded_imports(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                modules[alias.asname or alias.name] = alias.name
                if NEWER_MODULES.get(alias.name, (0, 0)) > floor and node.lineno not in guarded:
                    found.append(f"{node.lineno}: module {alias.name} is Python "
                                 f"{'.'.join(map(str, NEWER_MODULES[alias.name]))}+ (import it in a try/except)")
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                since = NEWER_NAMES.get((node.module, alias.name))
                if since and since > floor:
                    found.append(f"{node.lineno}: {node.module}.{alias.name} is Python {since[0]}.{since[1]}+")
            if NEWER_MODULES.get(node.module or "", (0, 0)) > floor and node.lineno not in guarded:
                found.append(f"{node.lineno}: module {node.module} is too new for Python {floor[0]}.{floor[1]}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            since = NEWER_NAMES.get((modules.get(node.value.id), node.attr))
            if since and since > floor:
                found.append(f"{node.lineno}: {modules[node.value.id]}.{node.attr} is Python {since[0]}.{since[1]}+")
        elif isinstance(node, ast.Call):
            for keyword in node.keywords:
                since = NEWER_KEYWORDS.get((_callee(node), keyword.arg))
                if since and since > floor:
                    found.append(f"{node.lineno}: {_callee(node)}({keyword.arg}=) is Python {since[0]}.{since[1]}+")
    return found


def test_requires_python_is_the_floor_qgis_3_22_needs():
    assert python_floor() == (3, 9)


def test_every_plugin_module_runs_on_the_oldest_supported_python():
    floor = python_floor()
    problems = [f"{path.relative_to(ROOT)}:{problem}"
                for path in sorted(PLUGIN.rglob("*.py"))
                for problem in newer_than(path.read_text(encoding="utf-8"), floor, str(path))]
    assert problems == []


@pytest.mark.parametrize("source", [
    "match x:\n    case 1:\n        pass\n",
    "try:\n    pass\nexcept* ValueError:\n    pass\n",
    "def f(x: int | None) -> None:\n    pass\n",
    "from __future__ import annotations\nMaybe = int | None\n",
    "from __future__ import annotations\nok = isinstance(1, int | str)\n",
    "import tomllib\n",
    "from itertools import pairwise\n",
    "import datetime as dt\nnow = dt.datetime.now(dt.UTC)\n",
    "pairs = list(zip([1], [2], strict=True))\n",
    "from dataclasses import dataclass\n@dataclass(slots=True)\nclass A:\n    x: int\n",
])
def test_the_check_finds_what_python_3_9_lacks(source):
    assert newer_than(source, (3, 9)) != []


def test_the_check_accepts_what_python_3_9_has():
    source = (
        "from __future__ import annotations\n"
        "try:\n    import tomllib\nexcept ModuleNotFoundError:\n    import tomli as tomllib\n"
        "def f(x: int | None, y: list[str]) -> dict[str, int] | None:\n    return None\n"
        "flags = 1 | 2\n"
        "pairs = list(zip([1], [2]))\n"
    )
    assert newer_than(source, (3, 9)) == []
    # and the same constructs are fine once the floor is 3.11
    assert newer_than("import tomllib\nMaybe = int | None\n", (3, 11)) == []


def fiona_reachable_calls(source: str) -> list[int]:
    """Lines of geopandas file calls that leave the engine to geopandas: before 1.0 it
    picks fiona whenever fiona is installed, and fiona 1.10 broke geopandas 0.14's use
    of it ("module 'fiona' has no attribute 'path'"). The plugin reads through pyogrio."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("read_file", "to_file") \
                and not any(keyword.arg == "engine" for keyword in node.keywords):
            lines.append(node.lineno)
    return lines


def test_no_plugin_module_lets_geopandas_pick_fiona():
    found = {path.relative_to(ROOT).as_posix(): lines for path in sorted(PLUGIN.rglob("*.py"))
             if (lines := fiona_reachable_calls(path.read_text(encoding="utf-8")))}
    assert found == {}


def test_the_fiona_check_sees_a_call_without_an_engine():
    assert fiona_reachable_calls("import geopandas as gpd\nf = gpd.read_file('a.gpkg')\nf.to_file('b.gpkg')\n") \
        == [2, 3]
    assert fiona_reachable_calls("f = gpd.read_file('a.gpkg', engine='pyogrio')\n") == []
