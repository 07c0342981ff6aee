"""Provenance records: every output says which model, weights, inputs, version and
time produced it."""
from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .version import plugin_version


def file_sha256(path: str | os.PathLike, chunk: int = 1 << 20) -> str | None:
    """SHA-256 of a file, or None when the input is not a plain file (memory layer…)."""
    try:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            while block := handle.read(chunk):
                digest.update(block)
        return digest.hexdigest()
    except OSError:
        return None


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def describe_input(source: str | None) -> dict[str, Any]:
    """Path and hash of an input; the part after '|' (layer name) is kept in the path."""
    if not source:
        return {"path": None, "sha256": None}
    file_part = source.split("|", 1)[0]
    return {"path": source, "sha256": file_sha256(file_part)}


def build_record(
    tool: str,
    parameters: Mapping[str, Any],
    inputs: Mapping[str, str | None],
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A JSON-ready provenance record."""
    record: dict[str, Any] = {
        "tool": tool,
        "plugin": "hunchun_risk_plugin",
        "plugin_version": plugin_version(),
        "created_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "parameters": dict(parameters),
        "inputs": {name: describe_input(src) for name, src in inputs.items()},
    }
    if extra:
        record.update(extra)
    return record


def write_record(record: Mapping[str, Any], path: str | os.PathLike) -> Path:
    target = Path(path)
    target.write_text(json.dumps(record, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    return target
