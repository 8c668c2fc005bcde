"""The rule pack: one YAML file per rule (metadata, doc, references, tags, examples).

The pack is found beside the installed package (``lambdalint/rulepack``, where the wheel puts the
repository's ``rules/`` folder) or, in a source checkout, at ``rules/`` itself. Every file is validated
against ``rule.schema.json`` kept in the same folder.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from lambdalint.findings import Severity
from lambdalint.loaders.template import TemplateLoadError, load_template_text
from lambdalint.loaders.tree import anchor_span, find
from lambdalint.policy import Policy, parse_policy

_PACKAGE_DIR = Path(__file__).resolve().parent
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: where the built-in rule files are published
BUILTIN_DOCS = "https://github.com/lambdalint/lambdalint/blob/main/rules/"


class RulePackError(Exception):
    """A rule file is unreadable or does not follow the rule schema."""


@dataclass(frozen=True)
class Example:
    name: str
    files: dict[str, str]
    valid: bool
    select: tuple[str, ...] = ()
    config: dict[str, Any] = field(default_factory=dict)
    #: the date the example is judged on (dated rules must not depend on the day the tests run)
    as_of: date | None = None
    #: zip files built when the example runs: path → member name → text or a member spec
    archives: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: Severity
    summary: str
    doc: str
    tags: tuple[str, ...]
    references: tuple[str, ...]
    examples: tuple[Example, ...]
    source: Path
    security_severity: float | None = None
    options_schema: dict[str, Any] | None = None
    #: what a declarative rule checks; ``None`` for a rule written in Python
    policy: Policy | None = None
    #: where the rule is documented: the built-in rule's file on GitHub, a policy's own ``help-uri``
    help_uri: str | None = None


def rule_pack_dir() -> Path:
    """Where the built-in rules are: inside the installed package, else the source checkout."""
    for candidate in (_PACKAGE_DIR / "rulepack", _PACKAGE_DIR.parent / "rules"):
        if (candidate / "rule.schema.json").is_file():
            return candidate
    raise RulePackError("the built-in rule pack is missing (is the package installed correctly?)")


@functools.cache
def rule_schema_validator(directory: Path) -> jsonschema.Draft202012Validator:
    schema = json.loads((directory / "rule.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def load_rule_file(path: Path, validator: jsonschema.Draft202012Validator | None, *, builtin: bool = True) -> Rule:
    """A rule file, validated unless ``validator`` is None; errors name the file, the line and what is wrong.

    The built-in pack is validated by the test suite, not on every run: validation costs more than
    the rest of a pre-commit run on a small project.
    """
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_YAML_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise RulePackError(f"{path}: cannot read rule file: {error}") from None
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))) if validator else []
    if errors:
        first = jsonschema.exceptions.best_match(errors) or errors[0]
        where = ".".join(str(part) for part in first.absolute_path) or "(top level)"
        raise RulePackError(f"{path}:{_line_of(text, tuple(first.absolute_path))}: {where}: {first.message}")
    expected_name = f"{data['id']}-{data['name']}.yaml"
    if builtin and path.name != expected_name:
        raise RulePackError(f"{path}: a rule file must be named {expected_name}")
    examples = data.get("examples", {})
    return Rule(
        id=data["id"],
        name=data["name"],
        severity=Severity(data["severity"]),
        summary=data["summary"],
        doc=data.get("doc", data["summary"]).strip(),  # a policy may say no more than its summary
        tags=tuple(data.get("tags", ())),
        references=tuple(data.get("references", ())),
        examples=tuple(
            _example(item, valid=kind == "valid") for kind in ("invalid", "valid") for item in examples.get(kind, ())
        ),
        source=path,
        security_severity=data.get("security-severity"),
        options_schema=data.get("options"),
        policy=parse_policy(data),
        help_uri=BUILTIN_DOCS + path.name if builtin else data.get("help-uri"),
    )


def _line_of(text: str, path: tuple[Any, ...]) -> int:
    """The line of the value at ``path`` in a YAML file (its nearest existing parent's)."""
    try:
        node, _ = find(load_template_text(text, is_json=False), path)
    except TemplateLoadError:
        return 1
    return anchor_span(node).start_line


def load_policies(directories: list[Path], known: dict[str, Rule]) -> dict[str, Rule]:
    """The rules in the YAML files of ``directories`` (``--rules DIR``), validated like the pack."""
    validator = rule_schema_validator(rule_pack_dir())
    policies: dict[str, Rule] = {}
    for directory in directories:
        if not directory.is_dir():
            raise RulePackError(f"{directory}: not a directory of rule files")
        for path in sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")]):
            rule = load_rule_file(path, validator, builtin=False)
            if rule.id in known or rule.id in policies:
                raise RulePackError(f"{path}: rule id {rule.id} is already taken")
            policies[rule.id] = rule
    return policies


def _example(item: dict[str, Any], *, valid: bool) -> Example:
    if "code" in item:
        files = {"app.py": item["code"]}
    elif "template" in item:
        files = {"template.yaml": item["template"]}
    else:
        files = dict(item["files"])
    as_of = date.fromisoformat(item["as-of"]) if "as-of" in item else None
    return Example(
        item["name"],
        files,
        valid,
        tuple(item.get("select", ())),
        item.get("config", {}),
        as_of,
        item.get("archives", {}),
    )


def builtin_rule_files() -> list[Path]:
    return sorted(rule_pack_dir().glob("LL*.yaml"))


@functools.cache
def builtin_rules() -> dict[str, Rule]:
    """Every built-in rule by id, sorted by id."""
    rules = [load_rule_file(path, None) for path in builtin_rule_files()]
    return {rule.id: rule for rule in sorted(rules, key=lambda rule: rule.id)}


def all_rules(directories: list[Path]) -> dict[str, Rule]:
    """The built-in rules and those in the folders of your own rule files (``--rules DIR``)."""
    builtin = builtin_rules()
    return {**builtin, **load_policies(directories, builtin)} if directories else builtin
