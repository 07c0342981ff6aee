"""Security: the plugin parses its model, scenario, field-map and template files as data
and never executes anything it reads: no eval/exec/compile, no pickle or its kin, no
YAML loader that builds objects, no shell. Nothing reaches the network (only pip, run
by the dependency installer as a separate process, does). Read from the source itself."""
from __future__ import annotations

import ast
from pathlib import Path

PLUGIN = Path(__file__).resolve().parents[2] / "hunchun_risk_plugin"
FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "execfile"}
FORBIDDEN_MODULES = {"pickle", "cPickle", "dill", "marshal", "shelve", "joblib", "yaml",
                     "urllib", "urllib2", "http", "requests", "socket", "ftplib", "smtplib", "xmlrpc"}


def _trees():
    for path in sorted(PLUGIN.rglob("*.py")):
        yield path.relative_to(PLUGIN), ast.parse(path.read_text(encoding="utf-8"), str(path))


def test_the_scan_sees_what_it_looks_for():
    tree = ast.parse("import pickle\nfrom urllib import request\neval('1')\nx.exec()\nrun(cmd, shell=True)")
    assert _findings(tree) == ["import pickle", "import urllib", "call eval", "shell=True"]


def _findings(tree) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"import {a.name.split('.')[0]}" for a in node.names if a.name.split(".")[0] in FORBIDDEN_MODULES]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in FORBIDDEN_MODULES:
            found.append(f"import {node.module.split('.')[0]}")
        elif isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_CALLS:
                found.append(f"call {node.func.id}")  # x.exec() (Qt dialogs) is a method, not the builtin
            for keyword in node.keywords:
                if keyword.arg == "shell" and isinstance(keyword.value, ast.Constant) and keyword.value.value:
                    found.append("shell=True")
    return found


def test_no_module_of_the_plugin_executes_or_unpickles_or_goes_online():
    findings = {str(path): _findings(tree) for path, tree in _trees()}
    assert {path: f for path, f in findings.items() if f} == {}
    assert len(findings) > 50  # the scan did read the plugin
