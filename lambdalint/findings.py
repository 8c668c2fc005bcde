"""What every layer agrees on: severities, spans, locations and findings.

Positions are 1-based lines and columns everywhere inside lambdalint; loaders convert from their
0-based marks once, and output formats convert to whatever their consumer wants at the edge.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass, field


class Severity(enum.Enum):
    """Finding severity; ordered so that ``ERROR > WARNING > NOTE``."""

    NOTE = "note"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __ge__(self, other: Severity) -> bool:
        return self.rank >= other.rank

    def __gt__(self, other: Severity) -> bool:
        return self.rank > other.rank


_RANK = {Severity.NOTE: 0, Severity.WARNING: 1, Severity.ERROR: 2}


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A region in a file: 1-based lines and columns, the end column exclusive."""

    start_line: int
    start_column: int
    end_line: int
    end_column: int

    @classmethod
    def line(cls, line: int, text: str = "") -> Span:
        """The whole of one line (used when only a line number is known)."""
        return cls(line, 1, line, max(len(text), 0) + 1)


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a file, relative to the run's root (POSIX separators)."""

    path: str
    span: Span | None = None
    label: str | None = None


@dataclass(frozen=True, slots=True)
class Suppression:
    """Why a finding is not reported: an inline comment, a Metadata entry or a baseline."""

    kind: str  # "inline", "file", "metadata", "baseline"
    location: Location
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Finding:
    """One reported problem. ``logical_place`` identifies where it is without line numbers."""

    rule_id: str
    severity: Severity
    message: str
    location: Location
    logical_place: str
    related: tuple[Location, ...] = ()
    #: the raw text of the primary location's first line (for excerpts and fingerprints)
    snippet: str = ""
    #: the template resource the finding concerns, as (template path, logical id), for
    #: ``Metadata: lambdalint: ignore`` suppressions
    resource: tuple[str, str] | None = None
    suppressed_by: Suppression | None = field(default=None, compare=False)

    @property
    def fingerprint(self) -> str:
        """Stable across edits above the finding: rule, logical place and normalised source text."""
        text = " ".join(self.snippet.split())
        digest = hashlib.sha256("\x1f".join((self.rule_id, self.location.path, self.logical_place, text)).encode())
        return digest.hexdigest()[:32]

    def sort_key(self) -> tuple:
        span = self.location.span or Span(0, 0, 0, 0)
        return (self.location.path, span, self.rule_id, self.message)
