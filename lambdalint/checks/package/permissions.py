"""LL303 package-permissions: files or folders in a package that Lambda's runtime user cannot read.

Lambda unpacks the package as one user and runs the code as another, so only the "other" bits
count: a file needs read for everyone (0444), a folder read and search for everyone (0555; 0755
as usual). Modes come from the zip's ``external_attr``, or from the disk for a folder, which
``sam build`` zips with its modes; entries without mode bits (a zip made on Windows) are skipped.
"""

from __future__ import annotations

import stat
from collections.abc import Iterator

from lambdalint.checks.base import CheckContext, Report, function_check
from lambdalint.checks.package._shipped import SHOWN, describe, more, package_report, shipped_packages
from lambdalint.model.packages import Entry
from lambdalint.model.project import Function

#: entries named in the message and as related locations
FILE_BITS = 0o444
DIRECTORY_BITS = 0o555


@function_check("LL303")
def package_permissions(function: Function, context: CheckContext) -> Iterator[Report]:
    for item in shipped_packages(function, context.project):
        package = item.package
        assert package is not None
        unreadable = [entry for entry in package.entries if _unreadable(entry)]
        if not unreadable:
            continue
        files = sum(not entry.is_dir for entry in unreadable)
        folders = len(unreadable) - files
        counts = " and ".join(
            text
            for count, text in (
                (files, f"{files} file{'s' if files != 1 else ''} not readable by everyone (0444)"),
                (folders, f"{folders} folder{'s' if folders != 1 else ''} not open to everyone (0755)"),
            )
            if count
        )
        names = ", ".join(f"{entry.name} ({_mode(entry)})" for entry in unreadable[:SHOWN])
        yield package_report(
            function,
            item,
            context.project,
            f"{describe(item)}: {counts}; Lambda runs the code as another user, which cannot read them "
            f"(Permission denied on import): {names}{more(len(unreadable))}",
            [(entry.name, f"mode {_mode(entry)}") for entry in unreadable],
        )


def _unreadable(entry: Entry) -> bool:
    if entry.mode is None or entry.is_symlink or not stat.S_IMODE(entry.mode):
        return False  # no mode recorded; a link's own bits mean nothing
    needed = DIRECTORY_BITS if entry.is_dir else FILE_BITS
    return stat.S_IMODE(entry.mode) & needed != needed


def _mode(entry: Entry) -> str:
    assert entry.mode is not None
    return f"{stat.S_IMODE(entry.mode):04o}"
