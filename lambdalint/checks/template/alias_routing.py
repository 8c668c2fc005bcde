"""LL213 alias-routing-invalid: weighted alias routing Lambda rejects."""

from __future__ import annotations

from collections.abc import Iterator

from lambdalint.checks.base import CheckContext, Place, Report, TemplatePlace, function_check
from lambdalint.checks.template.function_links import number, pointing_resources
from lambdalint.loaders.tree import Mapping, Sequence
from lambdalint.model.events import refers_to
from lambdalint.model.graph import ResourceRef, TemplateGraph, Value
from lambdalint.model.project import Function, Template

LATEST = "$LATEST"


@function_check("LL213")
def alias_routing_invalid(function: Function, context: CheckContext) -> Iterator[Report]:
    template = function.template
    graph = template.graph
    for alias in pointing_resources(function, context, "AWS::Lambda::Alias"):
        properties = graph.properties(alias)
        routing = properties.mapping("RoutingConfig")
        weights = routing.get("AdditionalVersionWeights") if routing is not None else None
        if not isinstance(weights, Sequence) or not weights.items:
            continue
        related: tuple[tuple[Place, str], ...] = (
            ((TemplatePlace(template, function.resource), f"{function.logical_id}, the function it routes"),)
            if refers_to(graph, properties.get("FunctionName"), function)
            else ()  # a function deployed elsewhere
        )
        primary_node = properties.get("FunctionVersion")
        primary = graph.evaluate(primary_node)
        if primary == LATEST and primary_node is not None:
            yield Report(
                f"alias {alias} points at $LATEST and also routes to another version: weighted routing needs "
                "two published versions. Publish a version (AWS::Lambda::Version, or SAM AutoPublishAlias) "
                "and point FunctionVersion at it",
                TemplatePlace(template, primary_node),
                related,
            )
        for index, item in enumerate(weights.items):
            if index == 1:
                yield Report(
                    f"alias {alias} routes to {len(weights.items) + 1} versions: an alias points at most at two "
                    "(its FunctionVersion and one additional version). Keep one entry in "
                    "AdditionalVersionWeights",
                    TemplatePlace(template, item),
                    related,
                )
            if isinstance(item, Mapping):
                yield from _check_item(template, graph, alias, item, primary, related)


def _check_item(
    template: Template,
    graph: TemplateGraph,
    alias: str,
    item: Mapping,
    primary: Value,
    related: tuple[tuple[Place, str], ...],
) -> Iterator[Report]:
    version_node, weight_node = item.get("FunctionVersion"), item.get("FunctionWeight")
    version = graph.evaluate(version_node)
    if version_node is not None and isinstance(version, str) and not version.isdigit():
        shown = "$LATEST" if version == LATEST else repr(version)
        yield Report(
            f"alias {alias} routes traffic to {shown}, which is not a published version number: weighted "
            "routing accepts published versions only. Publish a version and name it here",
            TemplatePlace(template, version_node),
            related,
        )
    elif version_node is not None and _same_version(version, primary):
        yield Report(
            f"alias {alias} routes its additional weight to the very version it points at: the additional "
            "version must be another published version (the one being shifted to)",
            TemplatePlace(template, version_node),
            related,
        )
    weight = number(graph.evaluate(weight_node))
    if weight_node is not None and weight is not None and not 0.0 <= weight <= 1.0:
        yield Report(
            f"alias {alias} gives a FunctionWeight of {graph.evaluate(weight_node)}: weights are fractions from "
            "0.0 to 1.0 (0.1 sends 10% of the traffic to the additional version)",
            TemplatePlace(template, weight_node),
            related,
        )


def _same_version(version: Value, primary: Value) -> bool:
    """Whether two FunctionVersion values surely name one version (the same number, or one
    ``AWS::Lambda::Version`` resource whether through ``!Ref`` or ``!GetAtt .Version``)."""
    if isinstance(version, ResourceRef) and isinstance(primary, ResourceRef):
        return version.logical_id == primary.logical_id
    if isinstance(version, (str, int)) and isinstance(primary, (str, int)) and not isinstance(version, bool):
        return str(version) == str(primary)
    return False
