"""The README stays true: its two commands are what CI runs, and its configuration example loads."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from lambdalint.config import config_from_mapping

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def test_the_readme_opens_with_two_commands_and_ci_runs_the_second() -> None:
    before_the_rule = README.split("\n---\n", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", before_the_rule, flags=re.DOTALL)
    assert len(commands) == 2
    assert "lambdalint check examples" in commands[0]
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8")
    assert commands[1].replace("pip install", "pip install -q") in ci


def test_the_configuration_example_is_valid() -> None:
    (block,) = [block for block in code_blocks("toml") if "[tool.lambdalint]" in block]
    config = config_from_mapping(tomllib.loads(block)["tool"]["lambdalint"], base=ROOT)
    assert config.is_selected("LL110") and not config.is_selected("LL006")
    assert config.is_ignored_for_file("LL110", "scripts/job.py")


def test_the_readme_lists_every_rule() -> None:
    from lambdalint.rulepack import builtin_rules

    for rule in builtin_rules().values():
        assert f"| {rule.id} | {rule.name} |" in README, rule.id


def test_the_readme_documents_every_function_field_of_policies() -> None:
    from lambdalint.model.function_view import FIELDS

    for field in FIELDS:
        assert f"| `{field.name}` | {field.summary} | `{field.sam}` | `{field.cloudformation}` |" in README


def test_the_ci_workflow_in_the_readme_is_the_example_file() -> None:
    workflow = (ROOT / "examples/github-actions/lambdalint.yml").read_text(encoding="utf-8")
    assert workflow in code_blocks("yaml")
