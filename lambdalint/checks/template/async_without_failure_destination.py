"""LL206 async-without-failure-destination: asynchronous events that fail are dropped unseen."""

from __future__ import annotations

from collections.abc import Iterator

from lambdalint.checks.base import CheckContext, Report, TemplatePlace, function_check
from lambdalint.loaders.tree import Mapping, Node, intrinsic_name
from lambdalint.model.events import event_sources
from lambdalint.model.project import Function


@function_check("LL206")
def async_without_failure_destination(function: Function, context: CheckContext) -> Iterator[Report]:
    asynchronous = [source for source in event_sources(function) if source.invocation == "async"]
    if not asynchronous or _keeps_failures(function):
        return
    kinds = ", ".join(sorted({source.type.removeprefix("AWS::") for source in asynchronous}))
    yield Report(
        f"{function.logical_id} is invoked asynchronously ({kinds}) but has no dead-letter queue and no "
        "on-failure destination: an event that still fails after Lambda's two retries is dropped without "
        "a trace. Add DeadLetterQueue (SAM) / DeadLetterConfig, or EventInvokeConfig with "
        "DestinationConfig.OnFailure",
        TemplatePlace(function.template, function.properties_node),
        tuple(
            (TemplatePlace(function.template, source.node), f"asynchronous source: {source.type}")
            for source in asynchronous
        ),
        function=function,
    )


def _keeps_failures(function: Function) -> bool:
    """A DLQ, or an on-failure destination on the function or an EventInvokeConfig for it."""
    if function.get("DeadLetterQueue") is not None or _has(function.get("DeadLetterConfig"), "TargetArn"):
        return True
    if _on_failure(function.get("EventInvokeConfig")):
        return True
    graph = function.template.graph
    return any(
        function.logical_id in graph.references(graph.properties(config).get("FunctionName"))
        and _on_failure(graph.properties(config))
        for config in graph.of_type("AWS::Lambda::EventInvokeConfig")
    )


def _on_failure(config: Node | None) -> bool:
    destinations = config.get("DestinationConfig") if isinstance(config, Mapping) else None
    return _has(destinations, "OnFailure")


def _has(node: Node | None, key: str) -> bool:
    """Whether a mapping sets ``key`` (an intrinsic standing for the mapping may: assume it does)."""
    if intrinsic_name(node) is not None:
        return True
    return isinstance(node, Mapping) and node.get(key) is not None
