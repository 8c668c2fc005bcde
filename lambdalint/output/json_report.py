"""The machine-readable report: a documented, versioned JSON document for scripts and dashboards.

Its shape is ``lambdalint/schemas/output.schema.json``; ``version`` changes only when a field
changes meaning or goes away (new fields may appear). Keys are sorted and the document
pretty-printed, so two runs over the same input give the same bytes and their diffs stay readable.
"""

from __future__ import annotations

import json
from typing import Any

from lambdalint.findings import Finding, Location, Suppression
from lambdalint.output.report import OutputOptions, summarize
from lambdalint.result import RunResult

#: the document's format version (not the tool's)
FORMAT_VERSION = 1


def render_json(result: RunResult, options: OutputOptions) -> str:
    summary = summarize(result)
    document = {
        "version": FORMAT_VERSION,
        "tool": {"name": "lambdalint", "version": result.tool_version},
        "root": str(result.root.absolute()),
        "summary": {
            "total": summary.total,
            "by_severity": {severity.value: number for severity, number in summary.by_severity.items()},
            "suppressed": summary.suppressed,
            "files_checked": summary.files_checked,
            "stale_baseline": summary.stale_baseline,
        },
        "findings": [_finding(finding, result) for finding in options.shown(result)],
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def _finding(finding: Finding, result: RunResult) -> dict[str, Any]:
    rule = result.rules.get(finding.rule_id)
    return {
        "rule": finding.rule_id,
        "name": rule.name if rule is not None else None,
        "severity": finding.severity.value,
        "message": finding.message,
        "location": _location(finding.location),
        "related": [{**_location(place), "label": place.label} for place in finding.related],
        "fingerprint": finding.fingerprint,
        "suppressed": _suppression(finding.suppressed_by),
    }


def _suppression(suppression: Suppression | None) -> dict[str, Any] | None:
    if suppression is None:
        return None
    return {
        "kind": suppression.kind,
        "reason": suppression.reason,
        "location": _location(suppression.location),
    }


def _location(location: Location) -> dict[str, Any]:
    """Path and span; ``start``/``end`` are null when the place is a whole file or package."""
    span = location.span
    return {
        "path": location.path,
        "start": _position(span.start_line, span.start_column) if span else None,
        "end": _position(span.end_line, span.end_column) if span else None,
    }


def _position(line: int, column: int) -> dict[str, int]:
    return {"line": line, "column": column}
