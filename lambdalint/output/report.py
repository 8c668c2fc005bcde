"""What every output format shares: the user's options and the summary counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from lambdalint.findings import Finding, Location, Severity
from lambdalint.result import RunResult


@dataclass(frozen=True)
class OutputOptions:
    """What a user can ask of every format."""

    #: list suppressed findings too (marked as such); audit reports want them, CI gates do not
    include_suppressed: bool = False
    #: one line per finding, nothing else (only the text format has anything to leave out)
    quiet: bool = False
    #: SARIF's run category (``automationDetails.id``), one per analysed part of a monorepo; None
    #: for the default; the other formats have no use for it
    category: str | None = None

    def shown(self, result: RunResult) -> tuple[Finding, ...]:
        """The findings a report lists, in the result's (sorted) order."""
        return result.findings if self.include_suppressed else result.reported


#: the order reports list severities in
MOST_SEVERE_FIRST = tuple(sorted(Severity, key=lambda severity: severity.rank, reverse=True))

#: how each kind of suppression is written, in the words of the documentation
SUPPRESSION_KINDS = {
    "inline": "inline comment",
    "file": "file-ignore",
    "metadata": "resource Metadata",
    "baseline": "baseline",
}


@dataclass(frozen=True)
class Summary:
    """The counts every human- or machine-readable report ends with."""

    #: unsuppressed findings per severity, most severe first, zeros included (a stable shape)
    by_severity: dict[Severity, int]
    suppressed: int
    files_checked: int
    #: baseline entries no finding matched any more
    stale_baseline: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_severity.values())

    @property
    def most_severe(self) -> Severity | None:
        """The verdict: the most severe level among the reported findings; None when there are none."""
        return next((severity for severity, count in self.by_severity.items() if count), None)


def summarize(result: RunResult) -> Summary:
    """Count the run's findings; suppressed ones are counted apart, whatever the options."""
    counts = Counter(finding.severity for finding in result.reported)
    return Summary(
        by_severity={severity: counts[severity] for severity in MOST_SEVERE_FIRST},
        suppressed=len(result.findings) - len(result.reported),
        files_checked=result.files_checked,
        stale_baseline=result.stale_baseline,
    )


Formatter = Callable[[RunResult, OutputOptions], str]


def plural(number: int, noun: str, plural_noun: str = "") -> str:
    """``1 finding``, ``3 findings``, ``2 baseline entries``."""
    return f"{number} {noun}" if number == 1 else f"{number} {plural_noun or noun + 's'}"


def line_position(location: Location) -> str:
    """``path:line``, or the bare path when the place has no span (a whole file or package)."""
    span = location.span
    return f"{location.path}:{span.start_line}" if span else location.path
