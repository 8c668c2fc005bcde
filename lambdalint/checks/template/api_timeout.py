"""LL209 api-timeout-exceeds-integration: a function behind API Gateway allowed to run longer than
API Gateway waits for it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lambdalint.checks.base import CheckContext, Report, TemplatePlace, function_check
from lambdalint.checks.template.function_links import number, seconds, timeout
from lambdalint.loaders.tree import Mapping, Node
from lambdalint.model.events import EventSource, event_sources, refers_to
from lambdalint.model.graph import TemplateGraph
from lambdalint.model.project import Function

#: integration timeouts, in seconds (a quota increase can raise a Regional or private REST API's)
REST_LIMIT: float = 29
HTTP_LIMIT: float = 30
REST_APIS = ("AWS::ApiGateway::RestApi", "AWS::Serverless::Api")


@dataclass(frozen=True)
class Integration:
    """One way API Gateway calls the function, and how long it waits."""

    description: str
    limit: float
    node: Node


@function_check("LL209")
def api_timeout_exceeds_integration(function: Function, context: CheckContext) -> Iterator[Report]:
    value, node = timeout(function)
    if value is None or node is None:
        return
    exceeded = [integration for integration in _integrations(function) if integration.limit < value]
    if not exceeded:
        return
    tightest = min(exceeded, key=lambda integration: integration.limit)
    limit = seconds(tightest.limit)
    yield Report(
        f"Timeout {seconds(value)} s is above the {limit} s integration timeout of {tightest.description}: "
        f"API Gateway stops waiting after {limit} s and answers the client with an error while the function "
        f"runs on, billed, for up to {seconds(value)} s. Keep Timeout at or below {limit} s, or move long work "
        "to an asynchronous path (a queue or a Step Functions execution) and answer at once",
        TemplatePlace(function.template, node),
        tuple(
            (
                TemplatePlace(function.template, integration.node),
                f"{integration.description} waits {seconds(integration.limit)} s",
            )
            for integration in exceeded
        ),
        function=function,
    )


def _integrations(function: Function) -> Iterator[Integration]:
    """The API Gateway sources of the function whose waiting time the template fixes."""
    graph = function.template.graph
    for source in event_sources(function):
        if source.type in ("Api", "HttpApi"):
            kind, default = ("REST API", REST_LIMIT) if source.type == "Api" else ("HTTP API", HTTP_LIMIT)
            limit = _custom_limit(graph, [source.properties.get("TimeoutInMillis")], default)
            if limit is not None:
                yield Integration(f"the {kind} event {source.node.path[-1]}", limit, source.node)
        elif _is_api_gateway_permission(graph, source):
            described = _api_kind(graph, source.properties.get("SourceArn"))
            if described is None:
                continue  # a WebSocket API
            kind, default = described
            limit = _custom_limit(graph, _integration_timeouts(function), default)
            if limit is not None:
                yield Integration(f"{kind} (permission {source.node.path[-1]})", limit, source.node)


def _is_api_gateway_permission(graph: TemplateGraph, source: EventSource) -> bool:
    return (
        source.type == "AWS::Lambda::Permission"
        and graph.evaluate(source.properties.get("Principal")) == "apigateway.amazonaws.com"
    )


def _custom_limit(graph: TemplateGraph, nodes: list[Node | None], default: float) -> float | None:
    """The integration timeout: the largest ``TimeoutInMillis`` set (a raised quota shows there), else
    the default; ``None`` when one is set but unknown."""
    custom = [number(graph.evaluate(node)) for node in nodes if node is not None]
    if any(value is None for value in custom):
        return None
    return max(value for value in custom if value is not None) / 1000 if custom else default


def _api_kind(graph: TemplateGraph, source_arn: Node | None) -> tuple[str, float] | None:
    """Which API a permission's SourceArn names, and its integration timeout; ``None`` for WebSocket.

    Unnamed APIs may be REST or HTTP: only a Timeout above both limits is sure to be too long.
    """
    apis = graph.references(source_arn)
    kinds = {graph.type_of(api) for api in apis}
    if kinds & set(REST_APIS):
        return "the REST API", REST_LIMIT
    protocols = {
        graph.evaluate(graph.properties(api).get("ProtocolType"))
        for api in apis
        if graph.type_of(api) == "AWS::ApiGatewayV2::Api"
    }
    if "AWS::Serverless::HttpApi" in kinds or protocols == {"HTTP"}:
        return "the HTTP API", HTTP_LIMIT
    if protocols == {"WEBSOCKET"}:
        return None
    return "API Gateway", HTTP_LIMIT


def _integration_timeouts(function: Function) -> list[Node | None]:
    """``TimeoutInMillis`` of the REST methods and HTTP API integrations that call the function."""
    graph = function.template.graph
    found: list[Node | None] = []
    for method in graph.of_type("AWS::ApiGateway::Method"):
        integration = graph.properties(method).mapping("Integration")
        if integration is not None and refers_to(graph, integration.get("Uri"), function):
            found.append(integration.get("TimeoutInMillis"))
    for integration_id in graph.of_type("AWS::ApiGatewayV2::Integration"):
        properties: Mapping = graph.properties(integration_id)
        if refers_to(graph, properties.get("IntegrationUri"), function):
            found.append(properties.get("TimeoutInMillis"))
    return found
