"""Output formats, registered by name so the CLI can write several per run.

Every formatter is a pure function of the run's result and the options: the same input gives
byte-identical output (findings arrive sorted in ``RunResult``; nothing here reads a clock).
"""

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
    )


Formatter = Callable[[RunResult, OutputOptions], str]

# The formatters import the helpers above from this package, so they are imported once those exist.
from lambdalint.output.json_report import render_json  # noqa: E402
from lambdalint.output.sarif import render_sarif  # noqa: E402
from lambdalint.output.text import render_text  # noqa: E402

FORMATTERS: dict[str, Formatter] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
}


def render(name: str, result: RunResult, options: OutputOptions) -> str:
    """Render ``result`` in the format called ``name``; a bad name is told the good ones."""
    try:
        formatter = FORMATTERS[name]
    except KeyError:
        known = ", ".join(sorted(FORMATTERS))
        raise ValueError(f"unknown output format {name!r} (known: {known})") from None
    return formatter(result, options)
