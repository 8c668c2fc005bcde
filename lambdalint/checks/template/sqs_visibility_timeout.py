"""LL208 sqs-visibility-timeout: a queue that hides a message for less time than its consumer may
take, so the message comes back while it is still being processed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lambdalint.checks.base import CheckContext, Place, Report, TemplatePlace, function_check
from lambdalint.checks.template.function_links import number, seconds, timeout
from lambdalint.findings import Severity
from lambdalint.model.events import EventSource, event_sources
from lambdalint.model.project import Function

#: SQS's VisibilityTimeout when the queue sets none (seconds)
DEFAULT_VISIBILITY_TIMEOUT = 30
#: AWS's recommendation: at least six times the function's timeout
RECOMMENDED_FACTOR = 6


@dataclass(frozen=True)
class Consumer:
    function: Function
    timeout: float
    events: tuple[EventSource, ...]


@function_check("LL208")
def sqs_visibility_timeout(function: Function, context: CheckContext) -> Iterator[Report]:
    graph = function.template.graph
    for queue, consumer in _consumers(function).items():
        # A queue read by several functions is reported once, for the one that runs longest.
        others = (
            _consumers(other).get(queue)
            for other in context.project.functions
            if other is not function and other.template is function.template
        )
        if any(other is not None and other.timeout > consumer.timeout for other in others):
            continue
        node = graph.properties(queue).get("VisibilityTimeout")
        visibility = number(graph.evaluate(node)) if node is not None else DEFAULT_VISIBILITY_TIMEOUT
        if visibility is None or visibility >= RECOMMENDED_FACTOR * consumer.timeout:
            continue
        # The fix belongs on the queue: its VisibilityTimeout, else where it would go.
        resource = graph.resources[queue]
        anchor = node if node is not None else resource.get("Properties")
        place = TemplatePlace(function.template, anchor if anchor is not None else resource)
        yield _report(consumer, queue, visibility, node is None, place)


def _consumers(function: Function) -> dict[str, Consumer]:
    """The queues of this template the function reads, with its SQS event sources for each."""
    limit, _ = timeout(function)
    if limit is None:
        return {}
    graph = function.template.graph
    events: dict[str, list[EventSource]] = {}
    for source in event_sources(function):
        if source.type in ("SQS", "AWS::Lambda::EventSourceMapping") and source.source is not None:
            queue = source.source.logical_id
            if graph.type_of(queue) == "AWS::SQS::Queue":
                events.setdefault(queue, []).append(source)
    return {queue: Consumer(function, limit, tuple(found)) for queue, found in events.items()}


def _report(consumer: Consumer, queue: str, visibility: float, default: bool, place: TemplatePlace) -> Report:
    function, template = consumer.function, consumer.function.template
    given = "the default " if default else ""
    timeout_node = function.get("Timeout")
    timeout_text = f"{seconds(consumer.timeout)} s" + ("" if timeout_node is not None else " (Lambda's default)")
    recommended = seconds(RECOMMENDED_FACTOR * consumer.timeout)
    severity: Severity | None = None  # the rule's: an error
    if visibility < consumer.timeout:
        message = (
            f"{queue}'s visibility timeout ({given}{seconds(visibility)} s) is shorter than the Timeout of "
            f"{function.logical_id}, which reads it ({timeout_text}): Lambda refuses to create the event "
            f"source mapping. Set VisibilityTimeout to at least {recommended} s (six times the function's timeout)"
        )
    else:
        severity = Severity.WARNING
        message = (
            f"{queue}'s visibility timeout ({given}{seconds(visibility)} s) is less than six times the Timeout "
            f"of {function.logical_id}, which reads it ({timeout_text}): when an invocation is throttled or "
            "retried, messages become visible again while their batch is still being processed and are "
            f"delivered twice. Set VisibilityTimeout to at least {recommended} s"
        )
    related: list[tuple[Place, str]] = [
        (TemplatePlace(template, timeout_node), f"{function.logical_id}'s Timeout")
        if timeout_node is not None
        else (TemplatePlace(template, function.properties_node), f"{function.logical_id} keeps the 3 s default Timeout")
    ]
    related.extend(
        (TemplatePlace(template, source.node), f"{function.logical_id} reads {queue} here")
        for source in consumer.events
    )
    return Report(message, place, tuple(related), severity=severity)
