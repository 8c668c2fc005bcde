"""The human-readable report, shaped like ruff's and rustc's.

Per finding: a ``path:line:col: ID [severity] message`` line editors and terminals can jump to, the
source line with the span underlined, and the related places; then a one-line summary.
"""

from __future__ import annotations

import unicodedata

from lambdalint.findings import Finding, Location, Suppression
from lambdalint.output.report import OutputOptions, Summary, plural, summarize
from lambdalint.result import RunResult

_TAB = "    "


def render_text(result: RunResult, options: OutputOptions) -> str:
    shown = options.shown(result)
    if options.quiet:
        return "".join(f"{_header(finding)}\n" for finding in shown)
    blocks = ["\n".join(_block(finding)) for finding in shown]
    blocks.append(_summary_line(summarize(result)))
    return "\n\n".join(blocks) + "\n"


def _position(location: Location) -> str:
    """``path:line:col``, or the bare path when the place has no span (a whole file or package)."""
    span = location.span
    if span is None:
        return location.path
    return f"{location.path}:{span.start_line}:{span.start_column}"


def _header(finding: Finding) -> str:
    severity = finding.severity.value
    line = f"{_position(finding.location)}: {finding.rule_id} [{severity}] {finding.message}"
    if finding.suppressed_by is not None:
        line += f" {_suppression_note(finding.suppressed_by)}"
    return line


def _suppression_note(suppression: Suppression) -> str:
    """The reason when one was given; baseline entries usually have none, so name the kind."""
    if suppression.reason:
        return f"(suppressed: {suppression.reason})"
    return f"(suppressed by {suppression.kind})"


def _block(finding: Finding) -> list[str]:
    related = [
        f"  = related: {_position(place)}" + (f": {place.label}" if place.label else "") for place in finding.related
    ]
    return [_header(finding), *_excerpt(finding), *related]


def _excerpt(finding: Finding) -> list[str]:
    """The primary line under a line-number gutter, with carets under the span's columns.

    Columns are 1-based code points, the end exclusive; a span running onto later lines is
    underlined to the end of its first line. An empty span still gets one caret.
    """
    span = finding.location.span
    text = finding.snippet.rstrip("\r\n")
    if span is None or not text:
        return []
    start = span.start_column - 1
    end = span.end_column - 1 if span.end_line == span.start_line else len(text)
    number = str(span.start_line)
    gutter = " " * len(number)
    carets = "^" * max(_width(text[start:end]), 1)
    displayed = text.replace("\t", _TAB)
    return [
        f"{gutter} |",
        f"{number} | {displayed}",
        f"{gutter} | {' ' * _width(text[:start])}{carets}",
    ]


def _width(text: str) -> int:
    """Terminal cells, so carets line up: a tab shows as four spaces, wide characters take two."""
    return sum(
        len(_TAB) if char == "\t" else 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in text
    )


def _summary_line(summary: Summary) -> str:
    files = plural(summary.files_checked, "file")
    suppressed = f"; {summary.suppressed} suppressed" if summary.suppressed else ""
    stale = (
        f" {plural(summary.stale_baseline, 'baseline entry', 'baseline entries')} matched nothing "
        "(fixed or gone): refresh the baseline with --write-baseline."
        if summary.stale_baseline
        else ""
    )
    if not summary.total:
        return f"No findings in {files}{suppressed}.{stale}"
    by_severity = ", ".join(
        plural(number, severity.value) for severity, number in summary.by_severity.items() if number
    )
    return f"Found {plural(summary.total, 'finding')} ({by_severity}) in {files}{suppressed}.{stale}"
