"""The plugin's modules import each other without a cycle, counting imports inside
functions too (a cycle hidden in a function still couples the modules both ways), and
nothing of the demo or of build-time code ships in the plugin package."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "hunchun_risk_plugin"
NAME = PACKAGE.name


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, known: set[str], root: Path = PACKAGE) -> set[str]:
    """The package's modules that ``path`` imports anywhere in its body."""
    here = module_name(path, root)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:  # `from . import x` may import the submodule x
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {m for m in found if m in known and m != here}


def import_graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: imported_modules(path, set(files)) for name, path in files.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_known_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_function_level_and_relative_imports_are_seen(tmp_path):
    root = tmp_path / "pkg"
    (root / "sub").mkdir(parents=True)
    for name in ("__init__.py", "sub/__init__.py", "sub/y.py", "top.py"):
        (root / name).write_text("")
    module = root / "sub" / "x.py"
    module.write_text("import os\n\ndef f():\n    from .y import g\n    from .. import top\n")
    known = {"pkg", "pkg.sub", "pkg.sub.x", "pkg.sub.y", "pkg.top"}
    assert imported_modules(module, known, root) == {"pkg.sub.y", "pkg.top"}


def test_no_import_cycle_in_the_plugin():
    assert cycles(import_graph()) == []


def test_no_demo_or_build_code_in_the_plugin():
    names = [p.stem for p in PACKAGE.rglob("*.py")]
    assert not [n for n in names if n.startswith("demo") or n in ("template_builder", "overview_layout")]


def test_relative_imports_of_the_script_packages_resolve():
    """Moved code keeps no stale relative import (scripts/ is not run by the tests)."""
    scripts = PACKAGE.parent / "scripts"
    stale = []
    for package in (p.parent for p in scripts.glob("*/__init__.py")):
        modules = {p.stem for p in package.glob("*.py")} | {p.name for p in package.iterdir() if p.is_dir()}
        for path in package.glob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.level:
                    target = (node.module or "").split(".")[0]
                    if node.level > 1 or (target and target not in modules):
                        stale.append(f"{path.relative_to(scripts)}:{node.lineno} from {'.' * node.level}{node.module}")
    assert stale == []
