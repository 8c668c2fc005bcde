"""LL310 archive-bomb-suspected: members too large and too compressed to read safely, or too many."""

from __future__ import annotations

from collections.abc import Iterator

from lambdalint.checks.base import CheckContext, Report, function_check
from lambdalint.checks.package._shipped import (
    describe,
    member_place,
    naming_place,
    package_place,
    shipped_packages,
)
from lambdalint.model.packages import MAX_ENTRIES, human
from lambdalint.model.project import Function


@function_check("LL310")
def archive_bomb_suspected(function: Function, context: CheckContext) -> Iterator[Report]:
    for item in shipped_packages(function, context.project):
        package = item.package
        if package is None or package.kind != "zip":
            continue
        owner = function if item.label == "code" else None
        for entry in (entry for entry in package.entries if entry.suspicious):
            ratio = entry.size // max(entry.compressed or 1, 1)
            yield Report(
                f"{describe(item)}: {entry.name} declares {human(entry.size)} compressed {ratio:,}:1, "
                "the signature of a zip bomb; it was not read (its declared size still counts toward the limits)",
                naming_place(function, item),
                related=((member_place(package, context.project, entry.name), "the member"),),
                function=owner,
            )
        if package.too_many_entries:
            yield Report(
                f"{describe(item)}: the archive has {package.count:,} entries; only the first {MAX_ENTRIES:,} "
                "were inspected",
                naming_place(function, item),
                related=((package_place(package, context.project), "the archive"),),
                function=owner,
            )
