"""The command-line scripts start: each answers --help (their top-level imports resolve
after code moved between the plugin and scripts/)."""
from __future__ import annotations

import subprocess
import sys

import pytest

SCRIPTS = ("demo.py", "print_maps.py", "make_templates.py", "make_sample_data.py", "build_wheelhouse.py")


@pytest.mark.parametrize("script", SCRIPTS)
def test_script_answers_help(repo_root, script):
    result = subprocess.run([sys.executable, str(repo_root / "scripts" / script), "--help"], capture_output=True,
                            text=True, timeout=120, env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout
