"""LL307 package-bloat: files shipped in a package that the function never uses.

Test suites, VCS and tool caches, and bytecode compiled for another Python version only add to
the package size (and to the cold start that downloads and unpacks it). ``*.dist-info`` metadata
is left alone: ``importlib.metadata`` reads it at run time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lambdalint.checks.base import CheckContext, Report, function_check
from lambdalint.checks.package._shipped import (
    SHOWN,
    describe,
    layer_runtimes,
    more,
    package_report,
    python_version,
    shipped_packages,
)
from lambdalint.model.packages import Package, Shipped, human
from lambdalint.model.project import Function

#: offenders named in the message and as related locations
BLOAT_FOLDERS = frozenset({"tests", ".git", ".hg", ".svn", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".tox"})
BYTECODE = re.compile(r"\.cpython-(\d)(\d+)(?:\.opt-\d)?\.pyc$")


@dataclass
class Offender:
    """A bloat folder, or all the bytecode of one foreign Python version."""

    label: str
    #: the member shown as related location
    member: str
    size: int = 0
    files: int = 0


@function_check("LL307")
def package_bloat(function: Function, context: CheckContext) -> Iterator[Report]:
    for item in shipped_packages(function, context.project):
        package = item.package
        assert package is not None
        offenders = sorted(
            _offenders(package, _versions(function, item)).values(),
            key=lambda offender: (-offender.size, offender.label),
        )
        if not offenders:
            continue
        total = sum(offender.size for offender in offenders)
        shown = ", ".join(
            f"{offender.label} {human(offender.size)} ({offender.files} file{'s' if offender.files != 1 else ''})"
            for offender in offenders[:SHOWN]
        )
        yield package_report(
            function,
            item,
            context.project,
            f"{describe(item)}: {human(total)} of files the function never uses (tests, caches, VCS data, bytecode "
            f"of another Python version): {shown}{more(len(offenders))}",
            [(offender.member, f"{human(offender.size)} unused") for offender in offenders],
        )


def _versions(function: Function, item: Shipped) -> set[str]:
    """The Python versions the package's bytecode may serve: the layer's runtimes, else the function's."""
    runtimes = layer_runtimes(function, item) if item.label != "code" else None
    versions = {version for runtime in runtimes or () if (version := python_version(runtime))}
    own = python_version(function.runtime())
    return versions or ({own} if own else set())


def _offenders(package: Package, versions: set[str]) -> dict[str, Offender]:
    offenders: dict[str, Offender] = {}
    for entry in package.entries:
        parts = entry.name.rstrip("/").split("/")
        folder = next((index for index, part in enumerate(parts) if part in BLOAT_FOLDERS), None)
        if folder is not None and (entry.is_dir or folder < len(parts) - 1):
            label = "/".join(parts[: folder + 1]) + "/"
        elif (match := BYTECODE.search(entry.name)) and versions and f"{match[1]}.{match[2]}" not in versions:
            label = f"*.cpython-{match[1]}{match[2]}.pyc"
        else:
            continue
        offender = offenders.setdefault(label, Offender(label, label if label.endswith("/") else entry.name))
        offender.size += entry.size
        offender.files += not entry.is_dir
    return offenders
