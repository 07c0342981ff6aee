"""Atomic output: files are written to a hidden staging folder next to their
destination and moved into place only when the whole job has succeeded, so that a
failure or a cancel never leaves a partial result behind."""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import InputError


def check_writable_folder(folder: str | os.PathLike) -> Path:
    """Create ``folder`` if needed and prove it is writable, before any work starts."""
    path = Path(folder)
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-", delete=True)
        probe.close()
    except OSError as exc:
        raise InputError(
            f"Output folder '{path}' cannot be written ({exc.strerror}). "
            "Choose a folder you have write access to.",
            f"输出文件夹“{path}”无法写入（{exc.strerror}）。请选择有写入权限的文件夹。",
        ) from exc
    return path


class Stage:
    """A staging folder; ``path(name)`` gives where to write the output ``name``."""

    def __init__(self, root: Path, destination: Path) -> None:
        self.root = root
        self.destination = destination
        self.names: list[str] = []

    def path(self, name: str) -> Path:
        if name not in self.names:
            self.names.append(name)
        return self.root / name

    def final_path(self, name: str) -> Path:
        return self.destination / name


@contextmanager
def staged_outputs(destination: str | os.PathLike) -> Iterator[Stage]:
    """Yield a ``Stage``; on success move every staged file into ``destination``
    (replacing older ones), on any exception delete the staging folder."""
    folder = check_writable_folder(destination)
    root = Path(tempfile.mkdtemp(prefix=".hunchun-staging-", dir=folder))
    stage = Stage(root, folder)
    try:
        yield stage
        for name in stage.names:
            source = root / name
            if source.exists():
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, folder / name)
    finally:
        shutil.rmtree(root, ignore_errors=True)
