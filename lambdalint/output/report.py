"""What every output format shares: the user's options and the summary counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from lambdalint.findings import Finding, Severity
from lambdalint.result import RunResult


@dataclass(frozen=True)
class OutputOptions:
    """What a user can ask of every format."""

    #: list suppressed findings too (marked as such); audit reports want them, CI gates do not
    include_suppressed: bool = False
    #: one line per finding, nothing else (only the text format has anything to leave out)
    quiet: bool = False

    def shown(self, result: RunResult) -> tuple[Finding, ...]:
        """The findings a report lists, in the result's (sorted) order."""
        return result.findings if self.include_suppressed else result.reported


_MOST_SEVERE_FIRST = tuple(sorted(Severity, key=lambda severity: severity.rank, reverse=True))


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


def summarize(result: RunResult) -> Summary:
    """Count the run's findings; suppressed ones are counted apart, whatever the options."""
    counts = Counter(finding.severity for finding in result.reported)
    return Summary(
        by_severity={severity: counts[severity] for severity in _MOST_SEVERE_FIRST},
        suppressed=len(result.findings) - len(result.reported),
        files_checked=result.files_checked,
        stale_baseline=result.stale_baseline,
    )


Formatter = Callable[[RunResult, OutputOptions], str]
