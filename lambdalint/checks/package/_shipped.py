"""What the package rules share: every package a function deploys, and where findings about it go."""

from __future__ import annotations

from lambdalint.checks.base import FilePlace, TemplatePlace
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
