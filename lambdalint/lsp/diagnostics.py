"""Findings as LSP diagnostics: ranges in the editor's units, rule links, related locations."""

from __future__ import annotations

import functools
from collections.abc import Callable

from lsprotocol.types import (
    CodeDescription,
    Diagnostic,
    DiagnosticRelatedInformation,
    DiagnosticSeverity,
    Location,
)

from lambdalint.findings import Finding, Severity
from lambdalint.lsp.positions import split_lines, to_range
from lambdalint.result import RunResult
from lambdalint.rulepack import builtin_rules

SOURCE = "lambdalint"
SEVERITIES = {
    Severity.ERROR: DiagnosticSeverity.Error,
    Severity.WARNING: DiagnosticSeverity.Warning,
    Severity.NOTE: DiagnosticSeverity.Information,
}


def diagnostics(result: RunResult, rel: str, encoding: str, uri_of: Callable[[str], str]) -> list[Diagnostic]:
    """The reported findings located in ``rel``; ``uri_of`` maps a location path to its URI."""
    lines = functools.cache(lambda path: split_lines(result.texts.get(path, "")))
    return [
        _diagnostic(finding, result, lines, encoding, uri_of)
        for finding in result.reported
        if finding.location.path == rel
    ]


def _diagnostic(
    finding: Finding,
    result: RunResult,
    lines: Callable[[str], list[str]],
    encoding: str,
    uri_of: Callable[[str], str],
) -> Diagnostic:
    rule = result.rules.get(finding.rule_id) or builtin_rules().get(finding.rule_id)
    related = [
        DiagnosticRelatedInformation(
            Location(uri_of(location.path), to_range(location.span, lines(location.path), encoding)),
            location.label or "related location",
        )
        for location in finding.related
    ]
    span = finding.location.span
    return Diagnostic(
        range=to_range(span, lines(finding.location.path), encoding),
        message=finding.message,
        severity=SEVERITIES[finding.severity],
        code=finding.rule_id,
        code_description=CodeDescription(rule.help_uri) if rule and rule.help_uri else None,
        source=SOURCE,
        related_information=related or None,
        # what a quick fix needs: the rule to suppress and the 1-based line (None: the whole file)
        data={"ruleId": finding.rule_id, "line": span.start_line if span else None},
    )
