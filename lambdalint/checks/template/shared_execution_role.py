"""LL204 shared-execution-role: one IAM role used by more than one function."""

from __future__ import annotations

import json
from collections.abc import Iterator

from lambdalint.checks.base import CheckContext, Report, TemplatePlace, function_check
from lambdalint.loaders.tree import Node, to_plain
from lambdalint.model.graph import ResourceRef
from lambdalint.model.project import SERVERLESS_FUNCTION, Function


def role_identity(function: Function) -> str | None:
    """What names the function's role, comparable between functions; ``None`` for a role of its own.

    A SAM function without ``Role`` gets an implicit role made from its ``Policies``: its own.
    A role of this template is named by its logical id (``!Ref`` and ``!GetAtt .Arn`` alike); any
    other value by what it evaluates to, or else by the expression itself (two functions with
    ``Role: !Ref ExecutionRoleArn`` share whatever that parameter names).
    """
    node = function.get("Role")
    if node is None:
        return None if function.type == SERVERLESS_FUNCTION else "(no role)"
    graph = function.template.graph
    value = graph.evaluate(node)
    if isinstance(value, ResourceRef):
        return f"resource:{value.logical_id}"
    if isinstance(value, str):
        return f"arn:{value}"
    roles = [logical_id for logical_id in graph.references(node) if graph.type_of(logical_id) == "AWS::IAM::Role"]
    if len(roles) == 1:  # !Sub "${Role.Arn}" and the like
        return f"resource:{roles[0]}"
    return f"expression:{json.dumps(to_plain(node), sort_keys=True)}"


@function_check("LL204")
def shared_execution_role(function: Function, context: CheckContext) -> Iterator[Report]:
    identity = role_identity(function)
    role = function.get("Role")
    if identity is None or role is None:
        return
    sharing = [
        other
        for other in context.project.functions
        if other is not function and other.template is function.template and role_identity(other) == identity
    ]
    if not sharing:
        return
    names = ", ".join(other.logical_id for other in sharing)
    yield Report(
        f"{function.logical_id} shares its execution role with {names}: each function then holds the "
        "permissions all of them need. Give each function its own role (in SAM, drop Role and list the "
        "function's own Policies) with only what its code uses",
        TemplatePlace(function.template, role),
        tuple(
            (TemplatePlace(other.template, _role_node(other)), f"{other.logical_id} uses the same role")
            for other in sharing
        ),
        function=function,
    )


def _role_node(function: Function) -> Node:
    return function.get("Role") or function.properties_node
