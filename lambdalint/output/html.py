"""The audit report: one self-contained HTML file an auditor opens in a browser.

Everything is inline — the stylesheet (``html.css`` beside this module), no script, no font, no
image — and a Content-Security-Policy forbids the page any request at all. The report shows
untrusted text (the project's code, templates and the messages that quote them), so every piece of
it is HTML-escaped.

Per function it shows the settings (from :mod:`lambdalint.model.inventory`) and each enabled rule's
verdict, like checkov's passed and failed checks: *failed* when a reported finding concerns the
function, *suppressed* when only suppressed ones do, else *passed* — or *not applicable* when the
rule never looks at this function: engine rules (LL0xx) judge files and the run, code rules (LL1xx)
need the function's Python handler code, package rules (LL3xx) need its package's contents, and a
policy applies only to what its ``applies-to`` selects.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from importlib.resources import files
from itertools import groupby

from lambdalint.findings import Finding, Span
from lambdalint.model.inventory import FunctionInfo
from lambdalint.model.packages import human
from lambdalint.output.report import (
    MOST_SEVERE_FIRST,
    SUPPRESSION_KINDS,
    OutputOptions,
    Summary,
    line_position,
    plural,
    summarize,
)
from lambdalint.result import RunResult
from lambdalint.rulepack import Rule

#: lines shown above and below a finding's span
CONTEXT = 2
#: lines of a long span shown before the rest is cut
SPAN_LINES = 8

_STATUSES = ("failed", "suppressed", "passed", "not applicable")


def render_html(result: RunResult, options: OutputOptions) -> str:
    """The report; suppressed findings have their own section whatever the options (audits want them)."""
    summary = summarize(result)
    style = "\n" + files("lambdalint.output").joinpath("html.css").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        # nothing may load, and the only style that applies is this stylesheet (by its hash)
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-{digest}'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>lambdalint audit report</title>",
        f"<style>{style}</style>",
        "</head>",
        "<body>",
        *_header(result, summary),
        "<main>",
        *_functions(result),
        *_findings(result),
        *_suppressed(result),
        "</main>",
        f"<footer>Written by lambdalint {_e(result.tool_version)}; self-contained, it loads nothing.</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


# -- the summary ----------------------------------------------------------------------------------


def _header(result: RunResult, summary: Summary) -> Iterator[str]:
    yield '<header class="report">'
    yield "<h1>lambdalint audit report</h1>"
    worst = summary.most_severe
    if worst is None:
        yield '<p class="verdict clean">No findings</p>'
    else:
        found = ", ".join(plural(n, severity.value) for severity, n in summary.by_severity.items() if n)
        yield f'<p class="verdict {worst.value}">{plural(summary.total, "finding")}: {found}</p>'
    counts = {f"{severity.value.capitalize()}s": n for severity, n in summary.by_severity.items()}
    counts |= {
        "Suppressed": summary.suppressed,
        "Functions": len(result.functions),
        "Files checked": summary.files_checked,
        "Rules enabled": len(result.rules),
    }
    if summary.stale_baseline:
        counts["Stale baseline entries"] = summary.stale_baseline
    yield '<dl class="counts">'
    yield from (f"<div><dt>{name}</dt><dd>{number}</dd></div>" for name, number in counts.items())
    yield "</dl>"
    yield f'<p class="muted">lambdalint {_e(result.tool_version)}</p>'
    sections = {"functions": "Functions", "findings": "Findings", "suppressed": "Suppressed findings"}
    yield "<nav>" + " ".join(f'<a href="#{anchor}">{title}</a>' for anchor, title in sections.items()) + "</nav>"
    yield "</header>"


# -- functions ------------------------------------------------------------------------------------


def _functions(result: RunResult) -> Iterator[str]:
    yield '<section id="functions">'
    yield "<h2>Functions</h2>"
    if not result.functions:
        yield '<p class="muted">No template defines a function.</p>'
        yield "</section>"
        return
    verdicts = {info.key: _verdicts(result, info) for info in result.functions}
    yield '<div class="scroll"><table>'
    yield (
        "<thead><tr><th>Function</th><th>Rules</th><th>Runtime</th><th>Memory</th><th>Timeout</th>"
        "<th>Package</th><th>Layers</th><th>Role</th><th>VPC</th></tr></thead>"
    )
    yield "<tbody>"
    for number, info in enumerate(result.functions, 1):
        yield from _function_row(number, info, verdicts[info.key])
    yield "</tbody>"
    yield "</table></div>"
    for number, info in enumerate(result.functions, 1):
        yield from _function_checks(number, info, verdicts[info.key], result)
    yield "</section>"


def _function_row(number: int, info: FunctionInfo, verdicts: list[Verdict]) -> Iterator[str]:
    tally = Counter(verdict.status for verdict in verdicts)
    rules = "".join(
        f'<li><span class="status {_css(status)}">{tally[status]} {status}</span></li>'
        for status in _STATUSES
        if tally[status]
    )
    yield "<tr>"
    yield (
        f'<td><a href="#function-{number}">{_e(info.logical_id)}</a><br>'
        f"<small>{_e(line_position(info.location))}<br>{_e(info.type)}</small></td>"
    )
    yield f'<td><ul class="plain tally">{rules}</ul></td>'
    yield f"<td>{_e(_runtime(info))}</td>"
    yield f'<td class="number">{_e(_unit(info.memory, "MB"))}</td>'
    yield f'<td class="number">{_e(_unit(info.timeout, "s"))}</td>'
    yield f"<td>{_e(_package(info))}</td>"
    yield f'<td class="names layers">{_names(info.layers)}</td>'
    yield f'<td class="names">{_e(_role(info))}</td>'
    yield f'<td class="names">{_vpc(info)}</td>'
    yield "</tr>"


def _runtime(info: FunctionInfo) -> str:
    if info.runtime is not None:
        return info.runtime
    return "container image" if info.code == "image" else "unknown"


def _unit(value: int | None, unit: str) -> str:
    return f"{value:,} {unit}" if value is not None else "unknown"


def _package(info: FunctionInfo) -> str:
    if info.package_size is not None:
        return f"{human(info.package_size)} unzipped"
    return {"image": "container image", "inline": "inline code", "s3": "unknown (code in S3)"}.get(info.code, "unknown")


def _names(names: tuple[str, ...] | None) -> str:
    if names is None:
        return "unknown"
    if not names:
        return "none"
    return '<ul class="plain mono">' + "".join(f"<li>{_e(name)}</li>" for name in names) + "</ul>"


def _role(info: FunctionInfo) -> str:
    if info.role is not None:
        return info.role
    return "generated by SAM" if info.role_generated else "none"


def _vpc(info: FunctionInfo) -> str:
    if info.subnets is None or info.security_groups is None:
        return "unknown"
    if not info.subnets and not info.security_groups:
        return "none"
    return f"subnets: {_names(info.subnets)}security groups: {_names(info.security_groups)}"


# -- each rule's verdict per function -------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """One rule's verdict on one function, and what it rests on."""

    rule: Rule
    #: one of ``_STATUSES``
    status: str
    findings: tuple[Finding, ...] = ()
    #: why the rule does not apply
    reason: str = ""


def _verdicts(result: RunResult, info: FunctionInfo) -> list[Verdict]:
    concerning: dict[str, list[Finding]] = {}
    for finding in result.findings:
        if finding.resource == info.key:
            concerning.setdefault(finding.rule_id, []).append(finding)
    verdicts = []
    for rule_id, rule in sorted(result.rules.items()):
        found = concerning.get(rule_id, [])
        reported = [finding for finding in found if finding.suppressed_by is None]
        reason = _not_applicable(rule, info)
        if reported:
            verdicts.append(Verdict(rule, "failed", tuple(reported)))
        elif found:
            verdicts.append(Verdict(rule, "suppressed", tuple(found)))
        elif reason:
            verdicts.append(Verdict(rule, "not applicable", reason=reason))
        else:
            verdicts.append(Verdict(rule, "passed"))
    return verdicts


def _not_applicable(rule: Rule, info: FunctionInfo) -> str:
    """Why ``rule`` never looks at this function; empty when it does. Built-in rules are told apart
    by their id's family, as the catalogue numbers them."""
    if rule.policy is not None:
        target = rule.policy.applies_to
        return "" if target == "function" else f"a policy on {'layers' if target == 'layer' else target} resources"
    family = rule.id[:3]
    if family == "LL0":
        return "an engine rule: it judges files and the run, not a function"
    if family == "LL1" and not info.code_analysed:
        return "a code rule: the function's Python handler code was not analysed"
    if family == "LL3" and info.package_size is None:
        return "a package rule: the function's package contents are unknown"
    return ""


def _function_checks(number: int, info: FunctionInfo, verdicts: list[Verdict], result: RunResult) -> Iterator[str]:
    yield f'<section class="function" id="function-{number}">'
    yield f"<h3>{_e(info.logical_id)} <small>{_e(line_position(info.location))}</small></h3>"
    for status in _STATUSES:
        chosen = [verdict for verdict in verdicts if verdict.status == status]
        if not chosen:
            continue
        chips = "".join(_chip(verdict, result) for verdict in chosen)
        label = f"{status.capitalize()} ({len(chosen)})"
        if status == "not applicable":
            yield f'<details><summary>{label}</summary><ul class="checks">{chips}</ul></details>'
        else:
            yield f'<p class="checks-label">{label}</p><ul class="checks">{chips}</ul>'
    yield "</section>"


def _chip(verdict: Verdict, result: RunResult) -> str:
    rule = verdict.rule
    text = f"{_rule_link(rule.id, result)} {_e(rule.name)}"
    if verdict.findings:
        severities = Counter(finding.severity for finding in verdict.findings)
        text += " — " + ", ".join(plural(severities[s], s.value) for s in MOST_SEVERE_FIRST if severities[s])
    title = f' title="{_e(verdict.reason)}"' if verdict.reason else ""
    return f'<li class="{_css(verdict.status)}"{title}>{text}</li>'


# -- findings -------------------------------------------------------------------------------------


def _findings(result: RunResult) -> Iterator[str]:
    reported = result.reported
    yield '<section id="findings">'
    yield f"<h2>Findings ({len(reported)})</h2>"
    if not reported:
        yield '<p class="muted">Nothing to report.</p>'
    functions = {info.key: number for number, info in enumerate(result.functions, 1)}
    for path, group in groupby(reported, key=lambda finding: finding.location.path):
        yield f"<h3>{_e(path)}</h3>"
        for finding in group:
            yield from _finding(finding, result, functions)
    yield "</section>"


def _finding(finding: Finding, result: RunResult, functions: dict[tuple[str, str], int]) -> Iterator[str]:
    severity = finding.severity.value
    yield f'<article class="finding {severity}">'
    yield (
        f'<header><span class="sev {severity}">{severity}</span> {_rule_link(finding.rule_id, result)} '
        f"{_e(_name(finding, result))} "
        f'<span class="where mono">{_e(line_position(finding.location))}</span></header>'
    )
    yield f'<p class="message">{_e(finding.message)}</p>'
    if finding.resource is not None:
        template, logical_id = finding.resource
        number = functions.get(finding.resource)
        name = f'<a href="#function-{number}">{_e(logical_id)}</a>' if number else _e(logical_id)
        yield f'<p class="muted">Resource {name} in {_e(template)}</p>'
    yield from _excerpt(finding, result)
    if finding.related:
        yield '<ul class="related">'
        for place in finding.related:
            label = f" — {_e(place.label)}" if place.label else ""
            yield f'<li><span class="mono">{_e(line_position(place))}</span>{label}</li>'
        yield "</ul>"
    yield "</article>"


def _excerpt(finding: Finding, result: RunResult) -> Iterator[str]:
    """A few lines around the span, the span itself marked (a long one cut after ``SPAN_LINES``);
    only the quoted line when the file's text is not at hand (a package member, say). Line numbers
    are drawn by the stylesheet from ``data-line``, so copying the excerpt copies only code."""
    span = finding.location.span
    if span is None:
        return
    text = result.texts.get(finding.location.path)
    cut = min(span.end_line, span.start_line + SPAN_LINES - 1)
    if text is None:
        shown = {span.start_line: finding.snippet} if finding.snippet else {}
    else:
        lines = text.splitlines()
        after = CONTEXT if cut == span.end_line else 0
        first, last = max(span.start_line - CONTEXT, 1), min(cut + after, len(lines))
        shown = {number: lines[number - 1] for number in range(first, last + 1)}
    if span.start_line not in shown:
        return
    rows = [_excerpt_line(number, line, span) for number, line in shown.items()]
    if cut < span.end_line and cut in shown:
        rows.append('<span class="line" data-line="…"></span>')
    yield '<pre class="excerpt"><code>' + "".join(rows) + "</code></pre>"


def _excerpt_line(number: int, line: str, span: Span) -> str:
    if not span.start_line <= number <= span.end_line:
        return f'<span class="line" data-line="{number}">{_e(line)}</span>'
    start = span.start_column - 1 if number == span.start_line else 0
    end = span.end_column - 1 if number == span.end_line else len(line)
    end = max(end, start + 1)  # an empty span still marks one character
    marked = f"{_e(line[:start])}<mark>{_e(line[start:end])}</mark>{_e(line[end:])}"
    return f'<span class="line hit" data-line="{number}">{marked}</span>'


# -- suppressed findings --------------------------------------------------------------------------


def _suppressed(result: RunResult) -> Iterator[str]:
    suppressed = [finding for finding in result.findings if finding.suppressed_by is not None]
    yield '<section id="suppressed">'
    yield f"<h2>Suppressed findings ({len(suppressed)})</h2>"
    if not suppressed:
        yield '<p class="muted">No finding is suppressed.</p>'
        yield "</section>"
        return
    yield "<table>"
    yield (
        "<thead><tr><th>Location</th><th>Rule</th><th>Message</th><th>Suppressed by</th><th>Written at</th>"
        "<th>Reason</th></tr></thead>"
    )
    yield "<tbody>"
    for finding in suppressed:
        suppression = finding.suppressed_by
        assert suppression is not None
        reason = _e(suppression.reason) if suppression.reason else '<span class="muted">no reason given</span>'
        yield (
            f'<tr><td class="mono">{_e(line_position(finding.location))}</td>'
            f"<td>{_rule_link(finding.rule_id, result)} {_e(_name(finding, result))}</td><td>{_e(finding.message)}</td>"
            f"<td>{_e(SUPPRESSION_KINDS.get(suppression.kind, suppression.kind))}</td>"
            f'<td class="mono">{_e(line_position(suppression.location))}</td><td>{reason}</td></tr>'
        )
    yield "</tbody>"
    yield "</table>"
    yield "</section>"


# -- shared ---------------------------------------------------------------------------------------


def _rule_link(rule_id: str, result: RunResult) -> str:
    rule = result.rules.get(rule_id)
    if rule is None or rule.help_uri is None:
        return f'<span class="mono">{_e(rule_id)}</span>'
    return f'<a class="mono" href="{_e(rule.help_uri)}">{_e(rule_id)}</a>'


def _name(finding: Finding, result: RunResult) -> str:
    rule = result.rules.get(finding.rule_id)
    return rule.name if rule else ""


def _css(status: str) -> str:
    return status.replace(" ", "-")


def _e(text: str) -> str:
    return escape(text, quote=True)
