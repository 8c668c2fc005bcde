"""LL301 package-too-large-zipped: a function zip over the 50 MB direct-upload limit."""

from __future__ import annotations

from collections.abc import Iterator

from lambdalint.checks.base import CheckContext, Report, function_check
from lambdalint.checks.package._shipped import naming_place, package_place
from lambdalint.model.packages import function_code, human, largest
from lambdalint.model.project import Function

LIMIT_BYTES = 52_428_800


@function_check("LL301")
def package_too_large_zipped(function: Function, context: CheckContext) -> Iterator[Report]:
    code = function_code(function, context.project)
    package = code.package if code else None
    if code is None or package is None or package.zipped is None or package.zipped <= LIMIT_BYTES:
        return  # a directory's zip does not exist yet: its zipped size is unknown
    entries = ", ".join(f"{name} {human(size)}" for name, size in largest(package, zipped=True))
    yield Report(
        f"{human(package.zipped)} zipped ({package.zipped:,} bytes), limit 50 MB ({LIMIT_BYTES:,} bytes) "
        f"for a direct upload; largest entries: {entries}",
        naming_place(function, code),
        related=((package_place(package, context.project), "the package"),),
        function=function,
    )
