"""LL218 resource-policy-too-large: a function's permissions add up to more than the 20 KB its
resource-based policy may hold."""

from __future__ import annotations

import json
from collections.abc import Iterator

from lambdalint.checks.base import CheckContext, Report, TemplatePlace, function_check
from lambdalint.loaders.tree import Mapping, Node
from lambdalint.model.events import refers_to
from lambdalint.model.graph import ResourceRef, TemplateGraph
from lambdalint.model.project import Function

LIMIT_BYTES = 20_480
#: what Lambda wraps the statements in
_POLICY = {"Version": "2012-10-17", "Id": "default", "Statement": []}
#: permission property → how Lambda writes it into the statement's Condition
_CONDITIONS = {
    "SourceAccount": ("StringEquals", "AWS:SourceAccount"),
    "PrincipalOrgID": ("StringEquals", "aws:PrincipalOrgID"),
    "EventSourceToken": ("StringEquals", "lambda:EventSourceToken"),
    "FunctionUrlAuthType": ("StringEquals", "lambda:FunctionUrlAuthType"),
    "SourceArn": ("ArnLike", "AWS:SourceArn"),
    "InvokedViaFunctionUrl": ("Bool", "lambda:InvokedViaFunctionUrl"),
}
#: CloudFormation names what it creates ``<stack>-<logical id>-<suffix>``: only the logical id is
#: known, and only as far as the name's length limit keeps it
_STATEMENT_ID_LIMIT = 100
_FUNCTION_NAME_LIMIT = 64


@function_check("LL218")
def resource_policy_too_large(function: Function, context: CheckContext) -> Iterator[Report]:
    graph = function.template.graph
    # One policy per function, and one per alias or version: permissions are grouped by what they name.
    policies: dict[str, list[tuple[str, int]]] = {}
    for permission in graph.of_type("AWS::Lambda::Permission"):
        properties = graph.properties(permission)
        policy = _policy_of(function, graph, properties.get("FunctionName"))
        if policy is not None:
            owner, arn = policy
            policies.setdefault(owner, []).append((permission, _statement_bytes(graph, permission, properties, arn)))
    for owner, statements in policies.items():
        total = len(_compact(_POLICY)) - 1  # n statements are joined by n - 1 commas
        for count, (permission, size) in enumerate(statements, start=1):
            total += size + 1
            if total > LIMIT_BYTES:
                yield _report(function, owner, permission, total, count)
                break


def _report(function: Function, owner: str, permission: str, total: int, count: int) -> Report:
    template = function.template
    graph = template.graph
    resource = graph.resources[permission]
    whose = function.logical_id
    if owner != function.logical_id:
        kind = "alias" if graph.type_of(owner) == "AWS::Lambda::Alias" else "version"
        whose = f"{kind} {owner} of {function.logical_id}"
    return Report(
        f"with {permission}, the resource-based policy of {whose} reaches an estimated {total:,} bytes in "
        f"{count} statements, over Lambda's {LIMIT_BYTES:,}-byte limit: the deployment fails (\"The final "
        'policy size is bigger than the limit"). Grant once per source with a wildcard SourceArn '
        "(arn:aws:execute-api:<region>:<account>:<api-id>/* for an API, a name pattern for rules or buckets) "
        "instead of one permission per route, bucket or rule",
        TemplatePlace(template, resource.get("Type") if "Type" in resource else resource),
        ((TemplatePlace(template, graph.resources[owner]), f"{owner}, whose policy this is"),),
    )


def _policy_of(function: Function, graph: TemplateGraph, node: Node | None) -> tuple[str, str] | None:
    """Whose policy a permission joins — the function, or an alias or version of it — and that
    resource's ARN as far as the template fixes it; ``None`` for anything else."""
    target = graph.evaluate(node)
    if not isinstance(target, ResourceRef):
        return None
    name = function.get("FunctionName")
    base = "arn:aws:lambda:::function:" + (
        graph.known_text(name) if name is not None else function.logical_id[:_FUNCTION_NAME_LIMIT]
    )
    if target.logical_id == function.logical_id and target.attribute in (None, "Arn"):
        return function.logical_id, base
    kind = graph.type_of(target.logical_id)
    properties = graph.properties(target.logical_id)
    if kind in ("AWS::Lambda::Alias", "AWS::Lambda::Version") and refers_to(
        graph, properties.get("FunctionName"), function
    ):
        qualifier = graph.known_text(properties.get("Name")) if kind == "AWS::Lambda::Alias" else ""
        return target.logical_id, f"{base}:{qualifier}"
    return None


def _statement_bytes(graph: TemplateGraph, permission: str, properties: Mapping, resource: str) -> int:
    """The statement Lambda writes for a permission, in bytes, counting what the template fixes."""
    text = graph.known_text
    condition: dict[str, dict[str, str]] = {}
    for name, (operator, key) in _CONDITIONS.items():
        if properties.get(name) is not None:
            condition.setdefault(operator, {})[key] = text(properties.get(name))
    statement: dict[str, object] = {
        "Sid": permission[:_STATEMENT_ID_LIMIT],
        "Effect": "Allow",
        "Principal": _principal(text(properties.get("Principal"))),
        "Action": text(properties.get("Action")),
        "Resource": resource,
    }
    if condition:
        statement["Condition"] = condition
    return len(_compact(statement).encode())


def _principal(principal: str) -> object:
    """How Lambda writes a permission's principal into the statement."""
    if principal == "*":
        return "*"
    if principal.isdigit():
        return {"AWS": f"arn:aws:iam::{principal}:root"}
    if principal.startswith("arn:"):
        return {"AWS": principal}
    return {"Service": principal}


def _compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
