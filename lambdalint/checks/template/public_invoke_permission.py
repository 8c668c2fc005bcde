"""LL215 public-invoke-permission: a function anyone can invoke — a permission open to ``*`` with
no source condition, or a function URL without authentication."""

from __future__ import annotations

from collections.abc import Iterator

from lambdalint.checks.base import CheckContext, Place, Report, TemplatePlace, function_check
from lambdalint.checks.template.function_links import pointing_resources
from lambdalint.findings import Severity
from lambdalint.loaders.tree import Mapping, Node, to_plain
from lambdalint.model.events import refers_to
from lambdalint.model.graph import TemplateGraph
from lambdalint.model.project import Function

#: properties that tie a permission to one source, account, organization or skill
RESTRICTIONS = ("SourceArn", "SourceAccount", "PrincipalOrgID", "EventSourceToken")

PUBLIC_URL_HINT = (
    "If the endpoint is public on purpose (a webhook that verifies its signatures), say so with "
    "`# lambdalint: ignore[LL215] <why>`; otherwise use AuthType AWS_IAM"
)


@function_check("LL215")
def public_invoke_permission(function: Function, context: CheckContext) -> Iterator[Report]:
    template = function.template
    graph = template.graph
    for permission in pointing_resources(function, context, "AWS::Lambda::Permission"):
        yield from _permission(function, graph, permission)
    for url in pointing_resources(function, context, "AWS::Lambda::Url"):
        auth, target = graph.properties(url).get("AuthType"), graph.properties(url).get("TargetFunctionArn")
        if auth is not None and graph.evaluate(auth) == "NONE":
            yield Report(
                f"function URL {url} has AuthType NONE: anyone on the internet can invoke "
                f"{_target(function, graph, target)} without signing the request. {PUBLIC_URL_HINT}",
                TemplatePlace(template, auth),
                _related(function, graph, target),
            )
    config = function.get("FunctionUrlConfig")
    auth = config.get("AuthType") if isinstance(config, Mapping) else None
    if auth is not None and graph.evaluate(auth) == "NONE":
        yield Report(
            f"the function URL of {function.logical_id} has AuthType NONE: anyone on the internet can invoke it "
            f"without signing the request. {PUBLIC_URL_HINT}",
            TemplatePlace(template, auth),
            function=function,
        )


def _permission(function: Function, graph: TemplateGraph, permission: str) -> Iterator[Report]:
    properties = graph.properties(permission)
    principal_node = properties.get("Principal")
    principal = graph.evaluate(principal_node)
    if principal_node is None or not isinstance(principal, str):
        return
    if any(properties.get(name) is not None for name in RESTRICTIONS):
        return
    target = _target(function, graph, properties.get("FunctionName"))
    action = graph.evaluate(properties.get("Action"))
    action_text = action if isinstance(action, str) else "its action"
    place = TemplatePlace(function.template, principal_node)
    related = _related(function, graph, properties.get("FunctionName"))
    if principal == "*":
        auth = graph.evaluate(properties.get("FunctionUrlAuthType"))
        via_url = auth == "NONE" or graph.evaluate(properties.get("InvokedViaFunctionUrl")) in (True, "true")
        if auth == "AWS_IAM" or (via_url and _has_url(function, graph, properties.get("FunctionName"))):
            return  # signed calls only, or the function URL's own finding covers it
        reach = "through its function URL, unauthenticated" if via_url else f"({action_text}) from any AWS account"
        yield Report(
            f'permission {permission} lets anyone invoke {target} {reach}: Principal is "*" and neither '
            "SourceArn, SourceAccount nor PrincipalOrgID narrows it. Name the caller's account or service "
            "and its source",
            place,
            related,
        )
    elif principal.endswith((".amazonaws.com", ".amazon.com")):
        yield Report(
            f"permission {permission} lets {principal} invoke {target} on behalf of any AWS account: without "
            "SourceArn or SourceAccount, another account's resource of that service can trigger it (the "
            "confused deputy problem). Add SourceArn (the bucket, topic, rule or API) and SourceAccount",
            place,
            related,
            severity=Severity.WARNING,
        )


def _has_url(function: Function, graph: TemplateGraph, target: Node | None) -> bool:
    """Whether the template gives the permission's function a URL (whose own finding then covers it)."""
    urls = [graph.properties(url).get("TargetFunctionArn") for url in graph.of_type("AWS::Lambda::Url")]
    if refers_to(graph, target, function):
        return function.get("FunctionUrlConfig") is not None or any(refers_to(graph, url, function) for url in urls)
    # a function deployed elsewhere: a URL here that names it the same way
    return target is not None and any(url is not None and to_plain(url) == to_plain(target) for url in urls)


def _target(function: Function, graph: TemplateGraph, node: Node | None) -> str:
    """The function a resource opens, as the message names it."""
    return function.logical_id if refers_to(graph, node, function) else "a function defined outside this template"


def _related(function: Function, graph: TemplateGraph, node: Node | None) -> tuple[tuple[Place, str], ...]:
    if not refers_to(graph, node, function):
        return ()
    return ((TemplatePlace(function.template, function.resource), f"{function.logical_id}, the function it opens"),)
