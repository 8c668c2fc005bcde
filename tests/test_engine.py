"""The engine keeps going when a check fails: the failure is an LL004 finding for that rule only."""

from __future__ import annotations

import gc
from pathlib import Path

import libcst as cst
import pytest

from lambdalint.checks.base import CODE_CHECKS, CodeCheck
from lambdalint.config import load_config
from lambdalint.engine import run


class _RaisesWhileVisiting(CodeCheck):
    rule_id = "LL111"

    def visit_Call(self, node: cst.Call) -> None:
        raise ValueError("boom")


def test_a_check_that_raises_during_the_traversal_does_not_silence_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(CODE_CHECKS, "LL111", _RaisesWhileVisiting)
    (tmp_path / "app.py").write_text("import boto3\n\ndef handler(event, context):\n    return boto3.client('s3')\n")
    config = load_config(None).merged_with(select=["LL004", "LL110", "LL111"])
    result = run([tmp_path], config, root=tmp_path)
    assert [(f.rule_id, f.location.span.start_line) for f in result.reported] == [("LL004", 1), ("LL110", 4)]
    assert result.reported[0].message.startswith("LL111 connection-in-handler crashed on this file (ValueError: boom)")


def test_a_run_gives_the_garbage_collector_back_its_thresholds(tmp_path: Path) -> None:
    """Runs collect less often (their syntax trees live long); the process's own setting comes back."""
    (tmp_path / "app.py").write_text("def handler(event, context):\n    return 1\n", encoding="utf-8")
    before = gc.get_threshold()
    gc.set_threshold(1234, 5, 6)
    try:
        run([tmp_path], load_config(None), root=tmp_path)
        assert gc.get_threshold() == (1234, 5, 6)
    finally:
        gc.set_threshold(*before)
