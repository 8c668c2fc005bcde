"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

``::error file=app.py,line=12,col=14,endLine=12,endColumn=32,title=LL110 client-in-handler::message``;
notes are ``::notice``. Values are escaped as the runner expects (``%``, line breaks; and ``:``,
``,`` in properties), and paths are relative to the repository root, as GitHub needs them.
"""

from __future__ import annotations

from lambdalint.findings import Finding, Severity
from lambdalint.output.report import OutputOptions
from lambdalint.result import RunResult

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}


def render_github(result: RunResult, options: OutputOptions) -> str:
    return "".join(_command(finding, result) + "\n" for finding in options.shown(result))


def _command(finding: Finding, result: RunResult) -> str:
    rule = result.rules.get(finding.rule_id)
    properties = {"file": finding.location.path}
    span = finding.location.span
    if span is not None:
        properties |= {
            "line": str(span.start_line),
            "col": str(span.start_column),
            "endLine": str(span.end_line),
            "endColumn": str(span.end_column),
        }
    properties["title"] = f"{finding.rule_id} {rule.name}" if rule else finding.rule_id
    listed = ",".join(f"{key}={_property(value)}" for key, value in properties.items())
    return f"::{COMMANDS[finding.severity]} {listed}::{_data(finding.message)}"


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
