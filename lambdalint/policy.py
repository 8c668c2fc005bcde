"""Declarative rules (policies) as data: what they select and what must hold.

A policy's ``when``, ``unless`` and ``require`` map paths (``memory``, ``tags.Owner``) to conditions
(``{max: 2048}``); ``any-of`` / ``all-of`` combine such maps. How they are judged against a template
is :mod:`lambdalint.checks.declarative`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Combination = Literal["all-of", "any-of"]
COMBINATIONS: dict[str, Combination] = {"all-of": "all-of", "any-of": "any-of"}


@dataclass(frozen=True)
class Condition:
    path: str
    operators: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class Group:
    kind: Literal["all-of", "any-of"]
    items: tuple[Condition | Group, ...]


@dataclass(frozen=True)
class Policy:
    #: "function", "layer", or a resource type such as "AWS::SQS::Queue"
    applies_to: str
    when: Group | None
    unless: Group | None
    require: Group
    #: the finding's message, with ``{path}``, ``{value}`` and ``{expected}`` filled in
    message: str | None = None


def parse_policy(data: Mapping[str, Any]) -> Policy | None:
    """The policy of a (schema-valid) rule file, or ``None`` for a rule written in Python."""
    if "require" not in data:
        return None
    target = data["applies-to"]
    applies_to = target["resource"] if isinstance(target, Mapping) else str(target)
    when, unless = data.get("when"), data.get("unless")
    return Policy(
        applies_to,
        _group("all-of", when) if when else None,
        _group("all-of", unless) if unless else None,
        _group("all-of", data["require"]),
        data.get("message"),
    )


def _group(kind: Literal["all-of", "any-of"], conditions: Mapping[str, Any]) -> Group:
    items: list[Condition | Group] = []
    for key, value in conditions.items():
        if key in COMBINATIONS:
            items.append(Group(COMBINATIONS[key], tuple(_group("all-of", item) for item in value)))
        else:
            items.append(Condition(key, tuple(value.items())))
    return Group(kind, tuple(items))


def describe(item: Condition | Group) -> str:
    """What a condition asks for, in words for a message."""
    if isinstance(item, Group):
        return (", or " if item.kind == "any-of" else " and ").join(describe(child) for child in item.items)
    words = {
        "exists": lambda _: "set",
        "absent": lambda _: "not set",
        "equals": lambda x: f"equal to {x!r}",
        "not-equals": lambda x: f"not {x!r}",
        "in": lambda x: "one of " + ", ".join(map(str, x)),
        "not-in": lambda x: "none of " + ", ".join(map(str, x)),
        "matches": lambda x: f"matching /{x}/",
        "min": lambda x: f"at least {x}",
        "max": lambda x: f"at most {x}",
        "count-min": lambda x: f"at least {x} item(s)",
        "count-max": lambda x: f"at most {x} item(s)",
        "size-max": lambda x: f"at most {x} bytes",
    }
    return f"{item.path} " + " and ".join(words[name](expected) for name, expected in item.operators)
