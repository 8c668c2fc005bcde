"""Markdown: a GitHub Actions job summary (``>> $GITHUB_STEP_SUMMARY``), and the rule catalogue.

The summary opens with the verdict and the counts, then findings by rule and by function, the
findings themselves and every suppression with its reason (a job summary is read by people, so
suppressions are always listed). GitHub refuses a summary over 1 MiB: the listings hold the rows
that keep the whole under :data:`SUMMARY_LIMIT` bytes and say how many they left out. Messages,
paths and reasons come from the linted project, so every character Markdown (or GitHub's math and
tables) would read as syntax is escaped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from itertools import accumulate
from urllib.parse import quote

from lambdalint.findings import Finding, Location, Severity
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

#: the whole summary stays within this many bytes, a margin under the 1 MiB (1,048,576 bytes) GitHub accepts
SUMMARY_LIMIT = 1_000_000

_VERDICT = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.NOTE: "ℹ️"}
_FINDING_COLUMNS = ("Location", "Rule", "Severity", "Message")
_SUPPRESSION_COLUMNS = ("Location", "Rule", "Suppressed by", "Written at", "Reason")
#: what inline Markdown, GFM tables and GitHub's math read as syntax (the rest matters only at the
#: start of a line, which a table cell never is)
_SYNTAX = re.compile(r"([\\`*_\[\]<>|~&$#])")


def render_markdown(result: RunResult, options: OutputOptions, *, limit: int = SUMMARY_LIMIT) -> str:
    """The job summary, within ``limit`` bytes: the listings hold the rows that fit, in order."""
    summary = summarize(result)
    blocks = [_heading(summary)]
    if summary.total:
        blocks += [_by_rule(result), _by_function(result)]
    listings = [
        listing
        for listing in (
            _Listing("Findings", _FINDING_COLUMNS, [_finding_row(f, result) for f in result.reported], "finding"),
            _Listing(
                "Suppressed findings",
                _SUPPRESSION_COLUMNS,
                [_suppression_row(f, result) for f in _suppressed(result)],
                "suppressed finding",
            ),
        )
        if listing.rows
    ]
    fixed = sum(len(block.encode()) for block in blocks)

    def size() -> int:
        joints = len(blocks) + len(listings) - 1
        return fixed + sum(listing.size() for listing in listings) + 2 * joints + 1

    for listing in listings:
        while listing.shown < len(listing.rows):
            listing.shown += 1
            if size() > limit:
                listing.shown -= 1
                break
    return "\n\n".join([*blocks, *(listing.render() for listing in listings)]) + "\n"


class _Listing:
    """A table of findings that may be cut short, and its size in bytes however many rows it lists."""

    def __init__(self, title: str, columns: tuple[str, ...], rows: list[list[str]], noun: str) -> None:
        self.head = "\n".join([f"### {title}", "", *_table(columns, [])])
        self.rows = [_row(cells) for cells in rows]
        self.noun = noun
        #: how many rows are listed
        self.shown = 0
        #: bytes of the first n rows, each with the line break before it
        self.sizes = list(accumulate((len(row.encode()) + 1 for row in self.rows), initial=0))

    def note(self) -> str:
        """What was left out, or nothing."""
        if self.shown == len(self.rows):
            return ""
        return (
            f"*{plural(len(self.rows) - self.shown, self.noun)} not listed: GitHub caps a job summary at 1 MiB. "
            "`--format text` or `--format sarif` lists them all.*"
        )

    def render(self) -> str:
        note = self.note()
        return "\n".join([self.head, *self.rows[: self.shown], *(["", note] if note else [])])

    def size(self) -> int:
        """Bytes of :meth:`render`, computed."""
        note = self.note()
        return len(self.head.encode()) + self.sizes[self.shown] + (len(note.encode()) + 2 if note else 0)


def _heading(summary: Summary) -> str:
    worst = summary.most_severe
    if worst is None:
        title = "## ✅ lambdalint: no findings"
    else:
        title = f"## {_VERDICT[worst]} lambdalint: {plural(summary.total, 'finding')}"
    counts = {f"{severity.value.capitalize()}s": count for severity, count in summary.by_severity.items()}
    counts |= {"Suppressed": summary.suppressed, "Files checked": summary.files_checked}
    if summary.stale_baseline:
        counts["Stale baseline entries"] = summary.stale_baseline
    return "\n".join([title, "", *_table(counts, [[str(count) for count in counts.values()]], numeric=set(counts))])


def _by_rule(result: RunResult) -> str:
    findings: dict[str, list[Finding]] = {}
    for finding in result.reported:
        findings.setdefault(finding.rule_id, []).append(finding)
    rows = []
    for rule_id, found in sorted(findings.items(), key=lambda item: (-max(f.severity.rank for f in item[1]), item[0])):
        rule = result.rules.get(rule_id)
        severities = {finding.severity for finding in found}
        rows.append(
            [
                _link(rule_id, rule.help_uri) if rule and rule.help_uri else _text(rule_id),
                _text(rule.name) if rule else "",
                ", ".join(severity.value for severity in MOST_SEVERE_FIRST if severity in severities),
                str(len(found)),
            ]
        )
    return "\n".join(
        ["### Findings by rule", "", *_table(("Rule", "Name", "Severity", "Findings"), rows, {"Findings"})]
    )


def _by_function(result: RunResult) -> str:
    """Per template resource a finding concerns (a function, mostly); the rest under "Other files"."""
    counts: dict[tuple[str, str] | None, Counter[Severity]] = {}
    for finding in result.reported:
        counts.setdefault(finding.resource, Counter())[finding.severity] += 1
    resources = sorted(key for key in counts if key is not None)
    rows = [
        [_text(logical_id), _text(template), *_severity_counts(counts[(template, logical_id)])]
        for template, logical_id in resources
    ]
    if None in counts:
        rows.append(["Other files", "", *_severity_counts(counts[None])])
    columns = ("Function", "Template", *(f"{severity.value.capitalize()}s" for severity in MOST_SEVERE_FIRST))
    return "\n".join(["### Findings by function", "", *_table(columns, rows, set(columns[2:]))])


def _severity_counts(counts: Counter[Severity]) -> list[str]:
    return [str(counts[severity]) for severity in MOST_SEVERE_FIRST]


def _suppressed(result: RunResult) -> list[Finding]:
    return [finding for finding in result.findings if finding.suppressed_by is not None]


def _finding_row(finding: Finding, result: RunResult) -> list[str]:
    return [_place(finding.location), _rule(finding, result), finding.severity.value, _text(finding.message)]


def _suppression_row(finding: Finding, result: RunResult) -> list[str]:
    suppression = finding.suppressed_by
    assert suppression is not None
    return [
        _place(finding.location),
        _rule(finding, result),
        SUPPRESSION_KINDS.get(suppression.kind, _text(suppression.kind)),
        _place(suppression.location),
        _text(suppression.reason) if suppression.reason else "*no reason given*",
    ]


def _table(columns: Iterable[str], rows: list[list[str]], numeric: set[str] | None = None) -> list[str]:
    columns = list(columns)
    rule = ["---:" if numeric and column in numeric else "---" for column in columns]
    return [_row(columns), _row(rule), *(_row(cells) for cells in rows)]


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _place(location: Location) -> str:
    return _text(line_position(location))


def _rule(finding: Finding, result: RunResult) -> str:
    rule = result.rules.get(finding.rule_id)
    return _text(f"{finding.rule_id} {rule.name}" if rule else finding.rule_id)


def _text(value: str) -> str:
    """Untrusted text as literal Markdown: one line, every syntax character backslash-escaped."""
    return _SYNTAX.sub(r"\\\1", " ".join(value.split()))


def _link(text: str, uri: str) -> str:
    return f"[{_text(text)}]({quote(uri, safe=':/?#=&%')})"


# -- the rule catalogue --------------------------------------------------------------------------


def render_catalogue(rules: Iterable[Rule]) -> str:
    """``rules/README.md``: a table of every rule, then each rule's doc and references."""
    ordered = sorted(rules, key=lambda rule: rule.id)
    lines = [
        "# lambdalint rules",
        "",
        "<!-- Generated by `lambdalint rules --format markdown > rules/README.md`: edit the rule files, not this. -->",
        "",
        f"{plural(len(ordered), 'rule')}. The severity is the default; configuration can change it. Each rule's file "
        "beside this one holds its metadata, its documentation and the examples that are its tests.",
        "",
        *_table(
            ("Rule", "Name", "Severity", "Tags", "Summary"),
            [
                [
                    f"[{rule.id}](#{_anchor(rule)})",
                    rule.name,
                    rule.severity.value,
                    ", ".join(rule.tags),
                    _cell(rule.summary),
                ]
                for rule in ordered
            ],
        ),
    ]
    for rule in ordered:
        lines += [
            "",
            f"## {rule.id} {rule.name}",
            "",
            f"**Severity:** {rule.severity.value} · **Tags:** {', '.join(rule.tags)}",
            "",
            rule.summary,
            "",
            _demoted(rule.doc),
        ]
        if rule.references:
            lines += ["", "### References", "", *(f"- <{reference}>" for reference in rule.references)]
    return "\n".join(lines) + "\n"


def _anchor(rule: Rule) -> str:
    """The anchor GitHub gives the rule's heading."""
    return re.sub(r"[^\w\- ]", "", f"{rule.id} {rule.name}".lower()).replace(" ", "-")


def _cell(markdown: str) -> str:
    """Authored Markdown in a table cell: kept as Markdown, on one line, its pipes escaped."""
    return " ".join(markdown.split()).replace("|", "\\|")


def _demoted(markdown: str) -> str:
    """The doc's headings one level down, under the rule's own; fenced code left as it is."""
    lines = []
    fence = ""
    for line in markdown.splitlines():
        stripped = line.lstrip()
        marker = stripped[:3]
        if marker in ("```", "~~~") and (not fence or marker == fence):
            fence = "" if fence else marker
        elif not fence and re.match(r"#{1,5} ", line):
            line = "#" + line
        lines.append(line)
    return "\n".join(lines)
