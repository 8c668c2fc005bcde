"""How a function is invoked: its event sources, classified the way Lambda invokes them.

Synchronous sources wait for the answer (API Gateway, ALB, Cognito triggers); asynchronous ones
hand the event to Lambda's queue and move on (S3, SNS, EventBridge, schedules, IoT rules, …), so a
failure is retried and then dropped unless a DLQ or an on-failure destination keeps it; poll-based
ones are event source mappings that Lambda runs (SQS, Kinesis, DynamoDB streams, MQ, Kafka).

Sources come from SAM ``Events`` and from the CloudFormation resources that point at the function:
``AWS::Lambda::EventSourceMapping``, ``AWS::Lambda::Permission`` (by principal), EventBridge rules
and Scheduler schedules that target it, S3 notifications and SNS subscriptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lambdalint.loaders.tree import Mapping, Node, Sequence, scalar_value
from lambdalint.model.graph import ResourceRef, TemplateGraph
from lambdalint.model.project import Function

Invocation = Literal["sync", "async", "poll"]

SAM_EVENT_TYPES: dict[str, Invocation] = {
    **dict.fromkeys(("Api", "HttpApi", "Cognito", "AlexaSkill"), "sync"),
    **dict.fromkeys(
        ("S3", "SNS", "EventBridgeRule", "CloudWatchEvent", "Schedule", "ScheduleV2", "IoTRule", "CloudWatchLogs"),
        "async",
    ),
    **dict.fromkeys(("SQS", "Kinesis", "DynamoDB", "MQ", "MSK", "SelfManagedKafka", "DocumentDB"), "poll"),
}

#: service principals of ``AWS::Lambda::Permission`` and how those services invoke
PRINCIPALS: dict[str, Invocation] = {
    **dict.fromkeys(
        (
            "apigateway.amazonaws.com",
            "elasticloadbalancing.amazonaws.com",
            "cognito-idp.amazonaws.com",
            "lex.amazonaws.com",
            "alexa-appkit.amazon.com",
            "secretsmanager.amazonaws.com",
        ),
        "sync",
    ),
    **dict.fromkeys(
        (
            "s3.amazonaws.com",
            "sns.amazonaws.com",
            "events.amazonaws.com",
            "scheduler.amazonaws.com",
            "iot.amazonaws.com",
            "logs.amazonaws.com",
            "ses.amazonaws.com",
            "cloudwatch.amazonaws.com",
            "config.amazonaws.com",
            "codecommit.amazonaws.com",
            "s3-object-lambda.amazonaws.com",
        ),
        "async",
    ),
}


@dataclass(frozen=True)
class EventSource:
    """One way the function gets invoked."""

    #: the SAM event type or the CloudFormation resource type that invokes it
    type: str
    invocation: Invocation
    #: where the source is declared: the SAM event's mapping, or the resource
    node: Node
    #: the SAM event's ``Properties`` or the resource's properties
    properties: Mapping
    #: the resource the events come from, when the template shows it (the queue, the stream)
    source: ResourceRef | None = None


def event_sources(function: Function) -> list[EventSource]:
    """Every event source of the function the template shows, SAM events first."""
    graph = function.template.graph
    sources = list(_sam_events(function, graph))
    for logical_id in graph.resources:
        sources.extend(_resource_sources(function, graph, logical_id))
    return sources


def _sam_events(function: Function, graph: TemplateGraph) -> list[EventSource]:
    events = function.get("Events")
    found = []
    for _, event in events.items() if isinstance(events, Mapping) else ():
        kind = scalar_value(event.get("Type")) if isinstance(event, Mapping) else None
        if not isinstance(kind, str) or kind not in SAM_EVENT_TYPES:
            continue
        assert isinstance(event, Mapping)
        properties = event.mapping("Properties") or Mapping(event.span, event.path, None, {})
        origin = (
            properties.get("Queue") or properties.get("Stream") or properties.get("Bucket") or properties.get("Topic")
        )
        source = graph.evaluate(origin) if origin is not None else None
        found.append(EventSource(kind, SAM_EVENT_TYPES[kind], event, properties, _as_resource(source)))
    return found


def _resource_sources(function: Function, graph: TemplateGraph, logical_id: str) -> list[EventSource]:
    """The sources a CloudFormation resource makes of the function, if it points at it."""
    kind = graph.type_of(logical_id) or ""
    properties = graph.properties(logical_id)
    resource = graph.resources[logical_id]
    if kind == "AWS::Lambda::EventSourceMapping" and refers_to(graph, properties.get("FunctionName"), function):
        source = _as_resource(graph.evaluate(properties.get("EventSourceArn")))
        return [EventSource(kind, "poll", resource, properties, source)]
    if kind == "AWS::Lambda::Permission" and refers_to(graph, properties.get("FunctionName"), function):
        principal = scalar_value(properties.get("Principal"))
        invocation = PRINCIPALS.get(principal) if isinstance(principal, str) else None
        return [EventSource(kind, invocation, resource, properties)] if invocation else []
    if kind in ("AWS::Events::Rule", "AWS::Scheduler::Schedule"):
        targets = (
            properties.get("Targets")
            if kind == "AWS::Events::Rule"
            else Sequence(resource.span, resource.path, None, tuple(filter(None, [properties.get("Target")])))
        )
        if isinstance(targets, Sequence) and any(
            isinstance(target, Mapping) and refers_to(graph, target.get("Arn"), function) for target in targets
        ):
            return [EventSource(kind, "async", resource, properties)]
    if kind == "AWS::SNS::Subscription" and refers_to(graph, properties.get("Endpoint"), function):
        return [
            EventSource(kind, "async", resource, properties, _as_resource(graph.evaluate(properties.get("TopicArn"))))
        ]
    if kind == "AWS::S3::Bucket" and refers_to(graph, properties.get("NotificationConfiguration"), function):
        return [EventSource(kind, "async", resource, properties, ResourceRef(logical_id))]
    return []


def refers_to(graph: TemplateGraph, node: Node | None, function: Function) -> bool:
    """Whether a value refers to the function (its name, its ARN, an alias or version of it)."""
    if node is None:
        return False
    referenced = graph.references(node)
    if function.logical_id in referenced:
        return True
    return any(
        graph.type_of(other) in ("AWS::Lambda::Alias", "AWS::Lambda::Version")
        and function.logical_id in graph.references(graph.properties(other).get("FunctionName"))
        for other in referenced
    )


def _as_resource(value: object) -> ResourceRef | None:
    return value if isinstance(value, ResourceRef) else None
