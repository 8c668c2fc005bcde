"""The rule pack and the checks are two halves of each rule: neither may exist without the other."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambdalint.checks.base import CODE_CHECKS, FUNCTION_CHECKS
from lambdalint.engine import ENGINE_RULES
from lambdalint.rulepack import builtin_rule_files, builtin_rules, load_rule_file, rule_pack_dir, rule_schema_validator

IMPLEMENTED = (
    set(CODE_CHECKS)
    | set(FUNCTION_CHECKS)
    | ENGINE_RULES
    | {rule.id for rule in builtin_rules().values() if rule.policy is not None}
)


def test_every_rule_file_has_logic() -> None:
    assert set(builtin_rules()) - IMPLEMENTED == set()


def test_every_check_has_a_rule_file() -> None:
    assert IMPLEMENTED - set(builtin_rules()) == set()


def test_ids_and_names_are_unique() -> None:
    rules = builtin_rules().values()
    assert len({rule.name for rule in rules}) == len(rules)


def test_every_built_in_rule_is_tagged_and_exemplified() -> None:
    """Policies may be bare; the built-in pack may not (the schema allows both)."""
    for rule in builtin_rules().values():
        assert rule.tags, rule.id
        assert any(not example.valid for example in rule.examples), f"{rule.id} has no invalid example"
        assert any(example.valid for example in rule.examples), f"{rule.id} has no valid example"


def test_every_rule_documents_what_why_and_how() -> None:
    for rule in builtin_rules().values():
        for heading in ("## What it finds", "## Why it matters on Lambda", "## How to fix"):
            assert heading in rule.doc, f"{rule.id} lacks {heading!r}"


@pytest.mark.parametrize("path", builtin_rule_files(), ids=lambda path: path.stem)
def test_every_built_in_rule_file_is_valid_against_the_schema(path: Path) -> None:
    """Runs skip validating the built-in pack (it is slower than a small run); this is where it is checked."""
    rule = load_rule_file(path, rule_schema_validator(rule_pack_dir()))
    assert rule == builtin_rules()[rule.id]
