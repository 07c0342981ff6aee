"""QGIS's own Python interpreter, as a program to start (standard library only).

Inside QGIS ``sys.executable`` is QGIS itself (``qgis``, ``qgis-bin.exe``,
``qgis_process.bin``) or whatever ``python3`` a shim points at, so each candidate is
asked for its version first and only one of this process's version is taken: its
compiled packages are the ones QGIS loads. Used to start the map export workers and
to run pip for the dependency installer.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


def candidates() -> list[str]:
    """Where QGIS's Python sits, most likely first, per platform:
    Windows standalone/OSGeo4W: ``python.exe`` in ``sys.prefix`` (``apps/Python3xx``) or
    ``python3.exe``/``python.exe`` beside ``qgis-bin.exe``; Linux/macOS: ``python3.X`` on the
    same prefix, then ``/usr/bin/python3.X`` (Debian) and the PATH."""
    wanted = f"{sys.version_info[0]}.{sys.version_info[1]}"
    exe_dir = Path(sys.executable).parent if sys.executable else None
    found = [sys.executable, getattr(sys, "_base_executable", "")]
    if sys.platform.startswith("win"):
        found += [str(Path(sys.prefix) / "python.exe"), str(Path(sys.base_prefix) / "python.exe")]
        if exe_dir is not None:
            found += [str(exe_dir / "python3.exe"), str(exe_dir / "python.exe")]
    else:
        for prefix in dict.fromkeys((sys.prefix, sys.base_prefix)):
            found += [str(Path(prefix) / "bin" / f"python{wanted}"), str(Path(prefix) / "bin" / "python3")]
        if exe_dir is not None:  # macOS: QGIS.app/Contents/MacOS/bin/python3
            found += [str(exe_dir / "bin" / "python3"), str(exe_dir / f"python{wanted}")]
        found.append(f"/usr/bin/python{wanted}")
    found += [shutil.which(f"python{wanted}") or "", shutil.which("python3") or "", shutil.which("python") or ""]
    return list(dict.fromkeys(c for c in found if c))


def python_interpreter() -> str | None:
    """A Python of this process's version, or None when there is none to start."""
    wanted = f"{sys.version_info[0]}.{sys.version_info[1]}"
    for candidate in candidates():
        if Path(candidate).name.lower().startswith("python") and version_of(candidate) == wanted:
            return candidate
    return None


def version_of(interpreter: str) -> str | None:
    try:
        found = subprocess.run([interpreter, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                               capture_output=True, text=True, timeout=20, check=False, **hidden_window())
    except (OSError, subprocess.TimeoutExpired):
        return None
    return found.stdout.strip() if found.returncode == 0 else None


def hidden_window() -> dict:
    """subprocess options that keep a console window from flashing up on Windows."""
    if sys.platform.startswith("win"):
        return {"creationflags": getattr(subprocess, "CREATE_NO_WINDOW", 0)}
    return {}
