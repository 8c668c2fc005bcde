"""LL202 environment-too-large: environment variables over Lambda's 4 KB limit."""

from __future__ import annotations

from collections.abc import Iterator

from lambdalint.checks.base import CheckContext, Report, TemplatePlace, function_check
from lambdalint.loaders.tree import Mapping, Node
from lambdalint.model.project import Function

LIMIT_BYTES = 4096


@function_check("LL202")
def environment_too_large(function: Function, context: CheckContext) -> Iterator[Report]:
    variables = function.environment_variables()
    if variables is None:
        return
    graph = function.template.graph
    size, unknown, from_globals = 0, 0, 0
    for name, value in variables.items():
        known = len(name.encode()) + len(graph.known_text(value).encode())
        size += known
        unknown += not isinstance(graph.evaluate(value), (str, int, float, bool))
        if value.path[:1] == ("Globals",):
            from_globals += known
    if size <= LIMIT_BYTES:
        return
    # Point where most of the bytes are: the fix belongs there.
    own = _own_variables(function)
    anchor = _globals_variables(function) if own is None or from_globals * 2 > size else own
    not_counted = f" (not counting {unknown} value(s) behind intrinsic functions)" if unknown else ""
    yield Report(
        f"environment variables of {function.logical_id} take {size:,} bytes{not_counted}, over Lambda's "
        f"{LIMIT_BYTES:,}-byte limit: move large values to SSM Parameter Store, Secrets Manager or S3",
        TemplatePlace(function.template, anchor),
        function=function,
    )


def _own_variables(function: Function) -> Node | None:
    properties = function.resource.mapping("Properties")
    environment = properties.mapping("Environment") if properties else None
    return environment.get("Variables") if environment else None


def _globals_variables(function: Function) -> Node:
    node: Node | None = function.template.root
    for key in ("Globals", "Function", "Environment", "Variables"):
        node = node.get(key) if isinstance(node, Mapping) else None
    return node or function.properties_node
