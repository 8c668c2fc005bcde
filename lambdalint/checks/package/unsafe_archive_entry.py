"""LL309 unsafe-archive-entry: zip members that would unpack, or point, outside the package."""

from __future__ import annotations

from collections.abc import Iterator

from lambdalint.checks.base import CheckContext, Report, function_check
from lambdalint.checks.package._shipped import describe, member_place, naming_place, shipped_packages
from lambdalint.model.packages import escapes, link_escapes
from lambdalint.model.project import Function

#: members named in the message and as related locations
SHOWN = 5


@function_check("LL309")
def unsafe_archive_entry(function: Function, context: CheckContext) -> Iterator[Report]:
    for item in shipped_packages(function, context.project):
        package = item.package
        if package is None or package.kind != "zip":
            continue  # a directory's names cannot escape it, and sam build copies what its links point to
        unsafe = [entry for entry in package.entries if escapes(entry.name) or link_escapes(entry)]
        if not unsafe:
            continue
        names = ", ".join(
            f"{entry.name} -> {entry.target}" if link_escapes(entry) else entry.name for entry in unsafe[:SHOWN]
        )
        more = f" and {len(unsafe) - SHOWN} more" if len(unsafe) > SHOWN else ""
        yield Report(
            f"{describe(item)}: {len(unsafe)} archive entr{'y' if len(unsafe) == 1 else 'ies'} would land outside "
            f"the package when unpacked: {names}{more}",
            naming_place(function, item),
            related=tuple(
                (member_place(package, context.project, entry.name), "unsafe entry") for entry in unsafe[:SHOWN]
            ),
            function=function if item.label == "code" else None,
        )
