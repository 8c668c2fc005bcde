"""What the package rules share: every package a function deploys, and where findings about it go."""

from __future__ import annotations

import re
from collections.abc import Sequence

from lambdalint.checks.base import FilePlace, Report, TemplatePlace
from lambdalint.loaders.tree import Mapping, scalar_value
from lambdalint.loaders.tree import Sequence as SequenceNode
from lambdalint.model.packages import Package, Shipped, function_code, function_layers
from lambdalint.model.project import Function, Project


def shipped_packages(function: Function, project: Project) -> list[Shipped]:
    """The function's code and its in-template layers whose contents are known."""
    code = function_code(function, project)
    layers, _ = function_layers(function, project)
    return [item for item in ([code] if code else []) + layers if item.package is not None]


def naming_place(function: Function, item: Shipped) -> TemplatePlace:
    """The template line naming the package: ``CodeUri``/``Code``/``ContentUri``, else ``Properties``."""
    return TemplatePlace(function.template, item.node or function.properties_node)


def package_place(package: Package, project: Project) -> FilePlace:
    return FilePlace(_rel(package, project))


def member_place(package: Package, project: Project, name: str) -> FilePlace:
    """A member as a related location: ``pkg.zip!/path/inside`` or ``folder/path/inside``."""
    separator = "!/" if package.kind == "zip" else "/"
    return FilePlace(f"{_rel(package, project)}{separator}{name}")


def _rel(package: Package, project: Project) -> str:
    try:
        return package.path.relative_to(project.root).as_posix()
    except ValueError:
        return package.path.as_posix()


def describe(item: Shipped) -> str:
    return "the function code" if item.label == "code" else f"layer {item.label}"


#: how many members a package finding names (and relates) before "and N more"
SHOWN = 5


def package_report(
    function: Function, item: Shipped, project: Project, message: str, members: Sequence[tuple[str, str]]
) -> Report:
    """A finding on the line that names the package, its first members as related locations."""
    assert item.package is not None
    package = item.package
    return Report(
        message,
        naming_place(function, item),
        tuple((member_place(package, project, name), label) for name, label in members[:SHOWN]),
        function=function if item.label == "code" else None,
    )


def more(count: int, noun: str = "") -> str:
    """`` and 3 more`` when a list of ``count`` was cut at :data:`SHOWN`."""
    return f" and {count - SHOWN} more{' ' + noun if noun else ''}" if count > SHOWN else ""


def python_version(runtime: str | None) -> str | None:
    """``python3.12`` -> ``3.12``; None for another runtime or an unknown one."""
    match = re.fullmatch(r"python(\d+\.\d+)", runtime or "")
    return match.group(1) if match else None


def layer_runtimes(function: Function, item: Shipped) -> list[str] | None:
    """The layer's ``CompatibleRuntimes``; None when not given or not all literal."""
    properties = _layer_properties(function, item)
    runtimes = properties.get("CompatibleRuntimes") if properties else None
    if not isinstance(runtimes, SequenceNode):
        return None
    values = [scalar_value(node) for node in runtimes.items]
    return [value for value in values if isinstance(value, str)] if all(isinstance(v, str) for v in values) else None


def _layer_properties(function: Function, item: Shipped) -> Mapping | None:
    resources = function.template.resources()
    resource = resources.get(item.label) if resources is not None else None
    return resource.mapping("Properties") if isinstance(resource, Mapping) else None
