"""LL304 layer-layout: a Python layer whose modules Lambda does not put on ``sys.path``.

A layer unpacks to ``/opt``; the Python runtimes import from ``/opt/python`` and from
``/opt/python/lib/python3.x/site-packages`` for their own 3.x only. Modules anywhere else in the
layer (at its root, or one folder too deep, ``layer/python/...``) cannot be imported.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from lambdalint.checks.base import CheckContext, Place, Report, TemplatePlace, function_check
from lambdalint.checks.package._shipped import describe, layer_runtimes, member_place, naming_place, python_version
from lambdalint.loaders.tree import Mapping
from lambdalint.model.packages import Entry, Shipped, function_layers
from lambdalint.model.project import Function

#: folders named in the message and as related locations
SHOWN = 3
SITE_PACKAGES = re.compile(r"^python/lib/python(\d+\.\d+)/site-packages/")
#: top-level folders whose Python files are not meant for import: scripts, extensions
NOT_MODULES = ("bin/", "extensions/")


@function_check("LL304")
def layer_layout(function: Function, context: CheckContext) -> Iterator[Report]:
    layers, _ = function_layers(function, context.project)
    for item in layers:
        package = item.package
        if package is None or _built_by_sam(function, item):
            continue
        runtimes = layer_runtimes(function, item)
        if runtimes is not None and not any(runtime.startswith("python") for runtime in runtimes):
            continue  # a layer for another language
        modules = [
            entry
            for entry in package.entries
            if not entry.is_dir and entry.name.endswith(".py") and not entry.name.startswith(NOT_MODULES)
        ]
        if not modules:
            continue
        if not any(entry.name.startswith("python/") for entry in modules):
            yield _misplaced(function, context, item, modules)
            continue
        version = python_version(function.runtime())
        installed = {match.group(1) for entry in modules if (match := SITE_PACKAGES.match(entry.name))}
        if version is None or not installed or version in installed:
            continue
        others = sorted(installed)
        folders = ", ".join(f"python/lib/python{other}/site-packages/" for other in others)
        related: list[tuple[Place, str]] = [
            (member_place(package, context.project, f"python/lib/python{others[0]}/site-packages/"), "installed here")
        ]
        runtime_node = function.get("Runtime")
        if runtime_node is not None:
            related.append((TemplatePlace(function.template, runtime_node), f"the function runs python{version}"))
        yield Report(
            f"{describe(item)}: its packages are installed in {folders}, which the python{version} runtime does "
            f"not put on sys.path (it reads python/ and python/lib/python{version}/site-packages/); "
            f"rebuild the layer for python{version} or install into python/",
            naming_place(function, item),
            related=tuple(related),
            function=function,
        )


def _misplaced(function: Function, context: CheckContext, item: Shipped, modules: list[Entry]) -> Report:
    package = item.package
    assert package is not None
    nested = next((entry.name for entry in modules if "/python/" in entry.name), None)
    if nested is not None:
        folder = nested[: nested.index("/python/") + 1]
        advice = f"the zip has one folder too many: zip the contents of {folder} so that python/ is at its root"
    else:
        advice = "move them into a python/ folder at the layer's root"
    tops: dict[str, Entry] = {}
    for entry in modules:
        head, _, rest = entry.name.partition("/")
        tops.setdefault(f"{head}/" if rest else head, entry)
    shown = list(tops)[:SHOWN]
    more = f" and {len(tops) - SHOWN} more" if len(tops) > SHOWN else ""
    return Report(
        f"{describe(item)}: its Python modules are not under python/ or python/lib/python3.x/site-packages/, "
        f"so Lambda (which unpacks layers to /opt) cannot import them: {', '.join(shown)}{more}; {advice}",
        naming_place(function, item),
        related=tuple(
            (member_place(package, context.project, posixpath.normpath(tops[top].name)), "not importable")
            for top in shown
        ),
    )


def _built_by_sam(function: Function, item: Shipped) -> bool:
    """A source folder that ``sam build`` lays out itself (``Metadata: BuildMethod``), not yet built."""
    package = item.package
    if package is None or package.kind != "directory" or ".aws-sam" in package.path.parts:
        return False
    resources = function.template.resources()
    resource = resources.get(item.label) if resources is not None else None
    metadata = resource.mapping("Metadata") if isinstance(resource, Mapping) else None
    return metadata is not None and metadata.get("BuildMethod") is not None
