"""LL302 package-too-large-unzipped: code plus all its layers over 262,144,000 bytes unpacked.

Layers from outside the template have no size here unless ``[tool.lambdalint.layer-sizes]`` declares one
(by ARN, or by layer name for every version); without it they are left out of the total, so the
rule reports only what it knows is over, and says how many layers it could not count.
"""

from __future__ import annotations

from collections.abc import Iterator

from lambdalint.checks.base import CheckContext, Place, Report, TemplatePlace, function_check
from lambdalint.checks.package._shipped import describe, naming_place
from lambdalint.loaders.tree import Node
from lambdalint.model.packages import Shipped, function_code, function_layers, human, largest
from lambdalint.model.project import Function

LIMIT_BYTES = 262_144_000


@function_check("LL302")
def package_too_large_unzipped(function: Function, context: CheckContext) -> Iterator[Report]:
    code = function_code(function, context.project)
    if code is None:
        return  # an image (10 GB limit) or inline code
    layers, outside = function_layers(function, context.project)
    known = [item for item in [code, *layers] if item.package is not None]
    parts = [(_contributor(item), item.package.unzipped) for item in known if item.package]
    declared_sizes = context.layer_sizes
    unknown = sum(item.package is None for item in layers)
    related: list[tuple[Place, str]] = [
        (TemplatePlace(function.template, item.node), f"{describe(item)}: {human(item.package.unzipped)} unzipped")
        for item in layers
        if item.node is not None and item.package is not None
    ]
    for node in outside:
        arn, size = _declared(function, node, declared_sizes)
        if size is None:
            unknown += 1
            continue
        parts.append((f"layer {arn} {human(size)} (declared)", size))
        related.append((TemplatePlace(function.template, node), f"layer declared at {human(size)} unzipped"))
    total = sum(size for _, size in parts)
    if total <= LIMIT_BYTES:
        return  # also when unknown layers might push it over: precision first
    named = ", ".join(text for text, _ in sorted(parts, key=lambda part: -part[1])[:3])
    missing = [f"{unknown} layer(s) of unknown size"] if unknown else []
    missing += [] if code.package is not None else ["the function code"]
    not_counted = f"; not counted: {' and '.join(missing)}" if missing else ""
    yield Report(
        f"{human(total)} unzipped ({total:,} bytes) with layers, limit 250 MB ({LIMIT_BYTES:,} bytes); "
        f"largest contributors: {named}{not_counted}",
        naming_place(function, code),
        related=tuple(related),
        function=function,
    )


def _contributor(item: Shipped) -> str:
    assert item.package is not None
    inside = ", ".join(f"{name} {human(size)}" for name, size in largest(item.package, zipped=False, count=2))
    return f"{describe(item)} {human(item.package.unzipped)} ({inside})"


def _declared(function: Function, node: Node, sizes: dict[str, int]) -> tuple[str, int | None]:
    """The layer's ARN as the template gives it, and its size from the option (by ARN or by name)."""
    arn = function.template.graph.evaluate(node)
    if not isinstance(arn, str):
        return "", None
    parts = arn.split(":")
    name = parts[6] if len(parts) >= 7 and parts[5] == "layer" else arn
    size = sizes.get(arn, sizes.get(name))
    return (name if name != arn else arn), size
