"""Every example in every rule file is a test: `# error: LLnnn` lines must be reported, others not."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from lambdalint.checks.base import CODE_CHECKS, CodeCheck, Report
from lambdalint.config import config_from_mapping
from lambdalint.engine import run
from lambdalint.rulepack import Example, Rule, builtin_rules

MARKER = re.compile(r"#\s*error:\s*((?:[A-Z]+\d+)(?:\s*,\s*[A-Z]+\d+)*)")
JSON_MARKER = re.compile(r"[ \t]*#\s*error:[^\n]*")


def expected_findings(example: Example) -> set[tuple[str, int, str]]:
    expected = set()
    for path, text in example.files.items():
        for number, line in enumerate(text.splitlines(), start=1):
            match = MARKER.search(line)
            if match:
                expected.update((path, number, code.strip()) for code in match.group(1).split(","))
    return expected


def lint_example(rule: Rule, example: Example, directory: Path) -> set[tuple[str, int, str]]:
    for rel, text in example.files.items():
        target = directory / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if rel.endswith(".json"):  # JSON has no comments: the markers are the test's, not the file's
            text = JSON_MARKER.sub("", text)
        target.write_text(text, encoding="utf-8")
    config = config_from_mapping(example.config, base=directory).merged_with(
        select=(rule.id, *example.select), as_of=example.as_of
    )
    result = run([directory], config, root=directory)
    return {
        (finding.location.path, finding.location.span.start_line if finding.location.span else 0, finding.rule_id)
        for finding in result.reported
    }


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
    expected = expected_findings(example)
    if example.valid:
        assert not {item for item in expected if item[2] == rule.id}, "a valid example carries a marker"
    else:
        assert any(item[2] == rule.id for item in expected), "an invalid example has no marker for its rule"
    assert lint_example(rule, example, tmp_path) == expected
