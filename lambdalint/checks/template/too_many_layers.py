"""LL201 too-many-layers: Lambda accepts at most five layers per function."""

from __future__ import annotations

from collections.abc import Iterator

from lambdalint.checks.base import CheckContext, Report, TemplatePlace, function_check
from lambdalint.model.project import Function

MAX_LAYERS = 5


@function_check("LL201")
def too_many_layers(function: Function, context: CheckContext) -> Iterator[Report]:
    layers = function.layers()
    if layers is None or len(layers) <= MAX_LAYERS:
        return
    for index, item in enumerate(layers.items[MAX_LAYERS:], start=MAX_LAYERS + 1):
        yield Report(
            f"{function.logical_id} has {len(layers)} layers; Lambda allows at most {MAX_LAYERS} "
            f"(this is layer {index}): merge layers or move dependencies into the package",
            TemplatePlace(function.template, item),
            function=function,
        )
