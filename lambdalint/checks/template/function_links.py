"""What the invocation rules share: a function's effective timeout, numbers as templates write
them, and the Lambda resources (permissions, aliases, URLs) that point at a function."""

from __future__ import annotations

from lambdalint.checks.base import CheckContext
from lambdalint.loaders.tree import Node
from lambdalint.model.events import refers_to
from lambdalint.model.graph import Value
from lambdalint.model.project import Function

#: Lambda's Timeout when the template sets none (seconds)
DEFAULT_TIMEOUT = 3

#: the property by which each resource type names its function
FUNCTION_PROPERTY = {
    "AWS::Lambda::Permission": "FunctionName",
    "AWS::Lambda::Alias": "FunctionName",
    "AWS::Lambda::Url": "TargetFunctionArn",
}


def number(value: Value) -> float | None:
    """A number the template fixes (YAML and JSON write numbers as numbers or as strings)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def seconds(value: float) -> str:
    """``30`` rather than ``30.0``; fractions stay (``0.5``)."""
    return f"{value:g}"


def timeout(function: Function) -> tuple[float | None, Node | None]:
    """The function's Timeout after Globals (3 s when unset) and the node that sets it; the value is
    ``None`` when only the deployment decides it."""
    node = function.get("Timeout")
    if node is None:
        return DEFAULT_TIMEOUT, None
    return number(function.template.graph.evaluate(node)), node


def pointing_resources(function: Function, context: CheckContext, kind: str) -> list[str]:
    """The resources of ``kind`` that name this function (directly, or an alias or version of it).

    Those naming no function of the template — one deployed elsewhere, or behind an import — are
    checked once, with the template's first function, since rules run per function.
    """
    graph = function.template.graph
    siblings = [other for other in context.project.functions if other.template is function.template]
    adopts_strays = bool(siblings) and siblings[0] is function
    found = []
    for logical_id in graph.of_type(kind):
        target = graph.properties(logical_id).get(FUNCTION_PROPERTY[kind])
        if refers_to(graph, target, function) or (
            adopts_strays and not any(refers_to(graph, target, other) for other in siblings)
        ):
            found.append(logical_id)
    return found
