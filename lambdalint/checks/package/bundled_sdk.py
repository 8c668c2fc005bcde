"""LL306 bundled-runtime-sdk: boto3/botocore shipped in a Python package although the runtime has them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lambdalint.checks.base import CheckContext, Report, function_check
from lambdalint.checks.package._shipped import describe, member_place, naming_place, shipped_packages
from lambdalint.model.packages import Package, human, top_level
from lambdalint.model.project import Function

#: the SDK folders and their metadata (``boto3-1.34.0.dist-info``, ``botocore-1.34.0.egg-info``)
SDK = re.compile(r"^(boto3|botocore)(?:-[^/]+\.(?:dist|egg)-info)?$")


@function_check("LL306")
def bundled_runtime_sdk(function: Function, context: CheckContext) -> Iterator[Report]:
    if not function.is_python():
        return
    for item in shipped_packages(function, context.project):
        assert item.package is not None
        sizes, folders = _bundled(item.package)
        if not sizes:
            continue
        parts = " and ".join(f"{name} ({human(size)})" for name, size in sorted(sizes.items()))
        total = f", {human(sum(sizes.values()))} in all" if len(sizes) > 1 else ""
        runtime = function.runtime() or "the Python runtime"
        yield Report(
            f"{describe(item)} bundles {parts}{total}, which {runtime} already provides",
            naming_place(function, item),
            related=tuple(
                (member_place(item.package, context.project, folder), "bundled SDK") for folder in folders.values()
            ),
            function=function if item.label == "code" else None,
        )


def _bundled(package: Package) -> tuple[dict[str, int], dict[str, str]]:
    """Unzipped bytes per SDK project, and its folder as a member path (else its metadata folder)."""
    sizes: dict[str, int] = {}
    folders: dict[str, str] = {}
    for entry in package.entries:
        folder = top_level(entry.name)
        match = SDK.match(folder)
        if match is None:
            continue
        name = match.group(1)
        sizes[name] = sizes.get(name, 0) + entry.size
        if name not in folders or (name == folder and folders[name].rstrip("/").split("/")[-1] != name):
            position = entry.name.find(folder + "/")
            folders[name] = entry.name[: position + len(folder) + 1] if position >= 0 else entry.name
    return sizes, folders
