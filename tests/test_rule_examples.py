"""Every example in every rule file is a test: `# error: LLnnn` lines must be reported, others not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lambdalint.checks.base import CODE_CHECKS, CodeCheck, Report
from lambdalint.examples import run_example
from lambdalint.rulepack import Example, Rule, builtin_rules

CASES = [
    pytest.param(rule, example, id=f"{rule.id}-{'valid' if example.valid else 'invalid'}-{example.name}")
    for rule in builtin_rules().values()
    for example in rule.examples
]


class _Crash(CodeCheck):
    rule_id = "crash"

    def finish(self) -> Iterator[Report]:
        raise RuntimeError("boom")


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_example(rule: Rule, example: Example, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if rule.id == "LL004" and not example.valid:
        for rule_id in example.select:  # LL004's invalid examples need a rule that raises
            monkeypatch.setitem(CODE_CHECKS, rule_id, _Crash)
    outcome = run_example(rule, example, tmp_path)
    assert not outcome.problem
    assert outcome.found == outcome.expected
