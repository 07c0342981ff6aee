"""Atomic outputs and provenance records."""
from __future__ import annotations

import json
import os

import pytest

from hunchun_risk_plugin.core.errors import InputError
from hunchun_risk_plugin.core.provenance import build_record, file_sha256, write_record
from hunchun_risk_plugin.core.staging import staged_outputs


def test_success_moves_every_file_into_place(tmp_path):
    with staged_outputs(tmp_path / "out") as stage:
        stage.path("a.txt").write_text("A")
        stage.path("b.txt").write_text("B")
    assert sorted(os.listdir(tmp_path / "out")) == ["a.txt", "b.txt"]


def test_failure_leaves_nothing_and_keeps_older_outputs(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.txt").write_text("old")
    with pytest.raises(RuntimeError), staged_outputs(out) as stage:
        stage.path("a.txt").write_text("new")
        raise RuntimeError("boom")
    assert os.listdir(out) == ["a.txt"] and (out / "a.txt").read_text() == "old"


def test_unwritable_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError, match="cannot be written"), staged_outputs(blocker / "sub"):
        pass


def test_provenance_hashes_inputs(tmp_path):
    data = tmp_path / "input.bin"
    data.write_bytes(b"abc")
    # SHA-256 of "abc" (FIPS 180-2 test vector)
    expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert file_sha256(data) == expected
    record = build_record("hunchunrisk:test", {"CELL": 25}, {"roads": f"{data}|layername=roads"})
    assert record["inputs"]["roads"]["sha256"] == expected
    path = write_record(record, tmp_path / "p.json")
    loaded = json.loads(path.read_text(encoding="utf-8"))
    assert loaded["parameters"] == {"CELL": 25} and loaded["plugin_version"] != "unknown"
