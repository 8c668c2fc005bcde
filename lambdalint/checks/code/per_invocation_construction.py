"""What LL110 and LL111 share: something expensive constructed on every invocation.

A rule names what a call constructs; this decides whether the call runs per invocation (not at
module scope, not under a lazy-initialisation guard, not in a cached factory), and words the
finding: move it to module scope, or, when its arguments come from the request (a tenant's region
or endpoint), cache it keyed by those arguments, at note level.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import libcst as cst

from lambdalint.analysis.module_facts import CallSite
from lambdalint.analysis.program import Invocation
from lambdalint.checks.base import CodeCheck, CodePlace, Report
from lambdalint.findings import Severity


class PerInvocationConstruction(CodeCheck):
    """Reports calls that :meth:`constructs` recognises when they run per invocation."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sites: list[tuple[CallSite, str]] = []

    def constructs(self, node: cst.Call) -> str | None:
        """What the call builds, in words for the message ("boto3 client"), or ``None``."""
        raise NotImplementedError

    def visit_Call(self, node: cst.Call) -> None:
        what = self.constructs(node)
        if what is None:
            return
        site = self.facts.call_site(node)
        if site is not None and not site.lazily_guarded:
            self.sites.append((site, what))

    def finish(self, invocation: Invocation) -> Iterator[Report]:
        for site, what in self.sites:
            if not invocation.runs_per_invocation(site.function):
                continue
            place = CodePlace(self.module, site.node)
            related = invocation.related(site.function)
            if self.facts.call_names[site.node] & self.facts.functions[site.function].request_names:
                yield Report(
                    f"{what} created on every invocation from per-request values; cache it in a "
                    "module-level dict keyed by those values (or functools.lru_cache) so warm "
                    "invocations reuse it",
                    place,
                    related,
                    severity=Severity.NOTE,
                )
            else:
                yield Report(
                    f"{what} created on every invocation; create it once at module scope so warm "
                    "invocations reuse it and its connections",
                    place,
                    related,
                )
