"""Declarative rules judged against a template: a policy's conditions, value by value.

Functions are seen through the normalised view (SAM and CloudFormation alike, Globals merged,
Lambda's defaults filled in); layers and other resources through their raw properties. Judging is
three-valued: a value the template does not fix is neither true nor false, so ``require`` reports
only what certainly fails, and ``when`` / ``unless`` apply only where they certainly hold.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from lambdalint.checks.base import CheckContext, Report, TemplatePlace
from lambdalint.loaders.tree import Node, Sequence, find
from lambdalint.model.function_view import Field, function_view, lookup
from lambdalint.model.graph import Unknown
from lambdalint.model.project import Function, Template
from lambdalint.policy import Condition, Group, Policy, describe
from lambdalint.rulepack import Rule

#: a path's field, or ``None`` when the path is absent (no value, no default)
Lookup = Callable[[str], Field | None]

LAYER_TYPES = ("AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion")


def policy_reports(rule: Rule, template: Template, context: CheckContext) -> Iterator[Report]:
    """The findings of one declarative rule in one template."""
    policy = rule.policy
    assert policy is not None
    if policy.applies_to == "function":
        for function in context.project.functions:
            if function.template is template:
                look = partial(lookup, function_view(function))
                yield from _judged(rule, policy, template, look, function.properties_node, function)
        return
    kinds = LAYER_TYPES if policy.applies_to == "layer" else (policy.applies_to,)
    graph = template.graph
    for logical_id in graph.of_type(*kinds):
        resource = graph.resources[logical_id]
        properties = resource.get("Properties") or resource
        yield from _judged(rule, policy, template, _raw_lookup(template, logical_id), properties, None)


def _judged(
    rule: Rule, policy: Policy, template: Template, look: Lookup, fallback: Node, function: Function | None
) -> Iterator[Report]:
    if policy.when is not None and holds(policy.when, look) is not True:
        return
    if policy.unless is not None and holds(policy.unless, look) is not False:
        return
    summary = rule.summary.rstrip(".")
    for item in _failing(policy.require, look):
        condition = _first_condition(item, look)
        field = look(condition.path) if condition else None
        if policy.message:
            value = _text(field.value) if field is not None else "not set"
            path = condition.path if condition else ""
            message = policy.message.format(path=path, value=value, expected=describe(item))
        else:
            message = f"{summary}: {_found(condition, field)}, expected {describe(item)}"
        yield Report(
            message,
            TemplatePlace(template, _where(condition, field) or fallback),
            function=function,
        )


def _failing(group: Group, look: Lookup) -> Iterator[Condition | Group]:
    """What certainly does not hold; the members of a failing ``all-of`` one by one."""
    for item in group.items:
        if holds(item, look) is not False:
            continue
        if isinstance(item, Group) and item.kind == "all-of":
            yield from _failing(item, look)
        else:
            yield item


def _first_condition(item: Condition | Group, look: Lookup) -> Condition | None:
    """The condition whose value a finding shows: the first, in an alternative, that is set."""
    if isinstance(item, Condition):
        return item
    conditions = [found for child in item.items if (found := _first_condition(child, look)) is not None]
    return next((c for c in conditions if look(c.path) is not None), conditions[0] if conditions else None)


def _where(condition: Condition | None, field: Field | None) -> Node | None:
    """The property to point at; for too many items, the first item over the limit."""
    if field is None or field.node is None or condition is None:
        return None
    limit = dict(condition.operators).get("count-max")
    if isinstance(limit, int) and isinstance(field.node, Sequence) and len(field.node.items) > limit:
        return field.node.items[limit]
    return field.node


def _found(condition: Condition | None, field: Field | None) -> str:
    if condition is None:
        return "none of the alternatives holds"
    if field is None:
        return f"{condition.path} is not set"
    default = " (Lambda's default)" if field.defaulted else ""
    if isinstance(field.value, list) and any(name.startswith("count-") for name, _ in condition.operators):
        return f"{condition.path} has {len(field.value)} item(s){default}"
    return f"{condition.path} is {_text(field.value)}{default}"


def _raw_lookup(template: Template, logical_id: str) -> Lookup:
    """Paths into a resource's raw ``Properties`` (``VisibilityTimeout``, ``Tags``)."""
    properties = template.graph.properties(logical_id)

    def look(path: str) -> Field | None:
        node, found = find(properties, tuple(path.split(".")))
        return Field(template.graph.evaluate(node), node) if found else None

    return look


# -- judging -------------------------------------------------------------------------------------
def holds(item: Condition | Group, look: Lookup) -> bool | None:
    """Whether the condition holds: ``True``, ``False``, or ``None`` when the value is unknown."""
    if isinstance(item, Condition):
        return _judge(look(item.path), item.operators)
    results = [holds(child, look) for child in item.items]
    if item.kind == "all-of":
        return False if False in results else None if None in results else True
    return True if True in results else None if None in results else False


def _judge(field: Field | None, operators: tuple[tuple[str, Any], ...]) -> bool | None:
    if field is None:
        return all(name == "absent" for name, _ in operators)
    if isinstance(field.value, Unknown):
        return None
    if any(name in ("min", "max") for name, _ in operators) and _number(field.value) is None:
        return None  # not a number: another rule's business (the template is malformed)
    return all(_operator(name, expected, field.value) for name, expected in operators)


def _operator(name: str, expected: Any, value: object) -> bool:
    if name in ("exists", "absent"):
        return name == "exists"
    if name in ("equals", "not-equals"):
        return _same(value, expected) == (name == "equals")
    if name in ("in", "not-in"):
        return any(_same(value, option) for option in expected) == (name == "in")
    if name == "matches":
        return re.search(expected, _text(value)) is not None
    if name in ("min", "max"):
        number = _number(value)
        return number is not None and (number >= expected if name == "min" else number <= expected)
    if name in ("count-min", "count-max"):
        count = len(value) if isinstance(value, (list, dict)) else 1
        return count >= expected if name == "count-min" else count <= expected
    assert name == "size-max"
    return len(json.dumps(value, separators=(",", ":"), default=str).encode()) <= expected


def _same(value: object, expected: object) -> bool:
    """Templates write numbers and booleans as strings too: ``"128"`` equals 128."""
    return value == expected or _text(value) == _text(expected)


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, default=str)
    return str(value)


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
