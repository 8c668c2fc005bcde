"""Suppression comments and Metadata entries: scanning, matching, LL005 (unused) and LL007 (malformed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambdalint.findings import Finding, Location, Severity, Span, Suppression
from lambdalint.loaders.template import load_template_text
from lambdalint.rulepack import Rule
from lambdalint.suppression import Directive, Malformed, apply_suppressions, scan_metadata, scan_python, scan_yaml


def make_rule(rule_id: str, name: str, severity: Severity = Severity.WARNING) -> Rule:
    return Rule(rule_id, name, severity, "summary", "doc", (), (), (), Path(f"{rule_id}-{name}.yaml"))


RULES = {
    rule.id: rule
    for rule in (
        make_rule("LL005", "unused-suppression"),
        make_rule("LL007", "malformed-suppression"),
        make_rule("LL110", "client-in-handler"),
        make_rule("LL201", "too-many-layers"),
        make_rule("LL205", "memory-too-low"),
    )
}
ALL = set(RULES)


def finding(rule_id: str, path: str, line: int, resource: tuple[str, str] | None = None) -> Finding:
    location = Location(path, Span(line, 1, line, 5))
    return Finding(rule_id, RULES[rule_id].severity, f"{rule_id} here", location, f"{rule_id}:x", resource=resource)


def run(findings: list[Finding], directives: list[Directive | Malformed], enabled: set[str] = ALL) -> list[Finding]:
    return apply_suppressions(findings, directives, RULES, enabled)


def suppressed(results: list[Finding]) -> list[tuple[str, int]]:
    return [(f.rule_id, f.location.span.start_line) for f in results if f.suppressed_by is not None]


def reported(results: list[Finding]) -> list[tuple[str, int, str]]:
    return [(f.rule_id, f.location.span.start_line, f.message) for f in results if f.suppressed_by is None]


# --- comments in Python -------------------------------------------------------------------------


def test_trailing_comment_suppresses_its_own_line_only() -> None:
    text = "client = boto3.client('s3')  # lambdalint: ignore[LL110] created once per container\nother = 1\n"
    (directive,) = scan_python("app.py", text)
    assert directive == Directive(
        "inline",
        ("LL110",),
        "created once per container",
        Location("app.py", Span(1, 30, 1, 84)),
        covers_next_line=False,
        target_line=1,
        place="# lambdalint: ignore[LL110] created once per container",
        snippet="client = boto3.client('s3')  # lambdalint: ignore[LL110] created once per container",
    )
    results = run([finding("LL110", "app.py", 1), finding("LL110", "app.py", 2)], [directive])
    assert results[0].suppressed_by == Suppression("inline", directive.location, "created once per container")
    assert results[1].suppressed_by is None
    assert len(results) == 2


def test_comment_alone_covers_the_next_line() -> None:
    text = "def handler(event, context):\n    # lambdalint: ignore[LL110] warm path\n    c = boto3.client('s3')\n"
    (directive,) = scan_python("app.py", text)
    assert (directive.covers_next_line, directive.target_line) == (True, 3)
    results = run([finding("LL110", "app.py", 2), finding("LL110", "app.py", 3)], [directive])
    assert suppressed(results) == [("LL110", 3)]
    assert reported(results) == [("LL110", 2, "LL110 here")]


def test_comment_alone_skips_blank_and_comment_lines() -> None:
    """Decision: a comment alone on its line covers the next line that is neither blank nor a comment."""
    text = "# lambdalint: ignore[LL110]\n\n# lambdalint: ignore[LL201]\n# an ordinary comment\nx = f()\ny = g()\n"
    directives = scan_python("app.py", text)
    assert [d.target_line for d in directives] == [5, 5]
    results = run(
        [finding("LL110", "app.py", 5), finding("LL201", "app.py", 5), finding("LL110", "app.py", 6)], directives
    )
    assert suppressed(results) == [("LL110", 5), ("LL201", 5)]
    assert reported(results) == [("LL110", 6, "LL110 here")]


def test_several_codes_and_rule_names_in_any_case() -> None:
    text = "x = 1  # lambdalint: ignore[LL110, Too-Many-Layers , memory-too-low] all three\n"
    (directive,) = scan_python("app.py", text)
    assert directive.codes == ("LL110", "Too-Many-Layers", "memory-too-low")
    results = run([finding(rule_id, "app.py", 1) for rule_id in ("LL110", "LL201", "LL205")], [directive])
    assert suppressed(results) == [("LL110", 1), ("LL201", 1), ("LL205", 1)]
    assert {f.suppressed_by.reason for f in results} == {"all three"}


def test_file_ignore_covers_the_whole_file_and_only_that_file() -> None:
    text = "import boto3\n\nx = 1\n# lambdalint: file-ignore[client-in-handler] a script, not a handler\n"
    (directive,) = scan_python("tools/script.py", text)
    assert (directive.kind, directive.target_line) == ("file", None)
    results = run(
        [
            finding("LL110", "tools/script.py", 1),
            finding("LL110", "tools/script.py", 40),
            finding("LL110", "app.py", 1),
        ],
        [directive],
    )
    assert [(f.location.path, f.suppressed_by) for f in results] == [
        ("tools/script.py", Suppression("file", directive.location, "a script, not a handler")),
        ("tools/script.py", Suppression("file", directive.location, "a script, not a handler")),
        ("app.py", None),
    ]


def test_a_comment_in_another_file_does_not_apply() -> None:
    directives = scan_python("a.py", "x = 1  # lambdalint: ignore[LL110]\n")
    results = run([finding("LL110", "b.py", 1)], directives, enabled={"LL110"})
    assert reported(results) == [("LL110", 1, "LL110 here")]


def test_string_literals_containing_the_marker_do_not_count() -> None:
    text = (
        'HELP = "x = 1  # lambdalint: ignore[LL110]"\n'
        "DOC = '''\n# lambdalint: ignore[LL201]\n'''\n"
        "y = f'{a}# lambdalint: ignore[bogus]'  # an ordinary comment\n"
    )
    assert scan_python("app.py", text) == []


def test_syntax_error_falls_back_to_a_line_scan_that_skips_quotes() -> None:
    text = "def handler(event, context:\n    x = '# lambdalint: ignore[LL201]'  # lambdalint: ignore[LL110] why\n"
    (directive,) = scan_python("app.py", text)
    assert (directive.codes, directive.reason, directive.location.span) == (("LL110",), "why", Span(2, 40, 2, 71))


def test_marker_after_another_comment_is_found() -> None:
    (directive,) = scan_python("app.py", "x = 1  # noqa: E501  # lambdalint: ignore[LL110]\n")
    assert (directive.codes, directive.target_line, directive.place) == (("LL110",), 1, "# lambdalint: ignore[LL110]")


# --- comments and Metadata in templates -----------------------------------------------------------

TEMPLATE = """\
Resources:
  Fn:  # lambdalint: ignore[LL201] layers are vendored
    Type: AWS::Serverless::Function
    Properties:
      Description: "see # lambdalint: ignore[LL205]"
      Handler: it's # lambdalint: ignore[memory-too-low]
  Other:
    Type: AWS::Serverless::Function
    Metadata:
      lambdalint:
        ignore:
          - {id: LL201, reason: "platform layers"}
          - {id: too-many-layers}
"""


def test_yaml_comments_skip_quoted_text_but_not_apostrophes() -> None:
    directives = scan_yaml("template.yaml", TEMPLATE)
    assert [(d.location.span, d.codes, d.reason) for d in directives] == [
        (Span(2, 8, 2, 55), ("LL201",), "layers are vendored"),
        (Span(6, 21, 6, 57), ("memory-too-low",), ""),
    ]


def test_yaml_single_quote_escape_and_double_quote_escape() -> None:
    text = "A: 'it''s # lambdalint: ignore[LL1]'\nB: \"a \\\" # lambdalint: ignore[LL2]\"\nC: x#not-a-comment\n"
    assert scan_yaml("template.yaml", text) == []


def test_metadata_on_a_resource_covers_its_findings() -> None:
    root = load_template_text(TEMPLATE, is_json=False)
    directives = scan_metadata("template.yaml", root)
    entry = "Resources/Other/Metadata/lambdalint/ignore/"
    assert [(d.kind, d.codes, d.reason, d.resource, d.place) for d in directives] == [
        ("metadata", ("LL201",), "platform layers", ("template.yaml", "Other"), entry + "0"),
        ("metadata", ("too-many-layers",), "", ("template.yaml", "Other"), entry + "1"),
    ]
    assert directives[0].location == Location("template.yaml", Span(12, 13, 12, 51))
    results = run(
        [
            finding("LL201", "template.yaml", 7, resource=("template.yaml", "Other")),
            finding("LL201", "template.yaml", 1, resource=("template.yaml", "Fn")),
            finding("LL205", "template.yaml", 7, resource=("template.yaml", "Other")),
        ],
        directives,
        enabled={"LL201", "LL205"},
    )
    assert results[0].suppressed_by == Suppression("metadata", directives[0].location, "platform layers")
    assert [f.suppressed_by for f in results[1:]] == [None, None]


def test_inline_wins_over_metadata_and_file_and_all_count_as_used() -> None:
    root = load_template_text(TEMPLATE, is_json=False)
    directives = [
        *scan_metadata("template.yaml", root),
        *scan_python("template.yaml", "# lambdalint: file-ignore[LL201]\n"),
        *scan_yaml("template.yaml", TEMPLATE),
    ]
    results = run([finding("LL201", "template.yaml", 2, resource=("template.yaml", "Other"))], directives)
    assert results[0].suppressed_by.kind == "inline"
    # the LL205 name on line 6 suppressed nothing; every LL201 suppression covered the finding
    assert reported(results) == [("LL005", 6, "unused suppression: LL205 (memory-too-low) suppressed nothing here")]


# --- LL005 unused ---------------------------------------------------------------------------------


def test_unused_codes_are_reported_for_enabled_rules_only() -> None:
    text = "x = 1  # lambdalint: ignore[LL110, LL201, LL205] reason\n"
    (directive,) = scan_python("app.py", text)
    results = run([finding("LL110", "app.py", 1)], [directive], enabled={"LL005", "LL110", "LL201"})
    assert suppressed(results) == [("LL110", 1)]
    assert results[1:] == [
        Finding(
            "LL005",
            Severity.WARNING,
            "unused suppression: LL201 (too-many-layers) suppressed nothing here",
            directive.location,
            "suppression:LL201:# lambdalint: ignore[LL110, LL201, LL205] reason",
            snippet=text.rstrip("\n"),
        )
    ]


def test_unused_file_and_metadata_suppressions_and_duplicates() -> None:
    root = load_template_text(TEMPLATE, is_json=False)
    directives = [
        *scan_metadata("template.yaml", root),
        *scan_python("app.py", "# lambdalint: file-ignore[LL110, client-in-handler]\n"),
    ]
    results = run([], directives)
    assert [(f.message, f.logical_place, f.resource) for f in results] == [
        (
            "unused suppression: LL201 (too-many-layers) suppressed nothing on this resource",
            "suppression:LL201:Resources/Other/Metadata/lambdalint/ignore/0",
            ("template.yaml", "Other"),
        ),
        (
            "unused suppression: LL201 (too-many-layers) suppressed nothing on this resource",
            "suppression:LL201:Resources/Other/Metadata/lambdalint/ignore/1",
            ("template.yaml", "Other"),
        ),
        (
            "unused suppression: LL110 (client-in-handler) suppressed nothing in this file",
            "suppression:LL110:# lambdalint: file-ignore[LL110, client-in-handler]",
            None,
        ),
    ]


def test_no_ll005_when_it_is_not_enabled() -> None:
    directives = scan_python("app.py", "x = 1  # lambdalint: ignore[LL110]\n")
    assert run([], directives, enabled={"LL110", "LL007"}) == []


def test_unused_warnings_can_be_suppressed_file_wide() -> None:
    text = "# lambdalint: file-ignore[LL005] generated file\nx = 1  # lambdalint: ignore[LL110]\n"
    results = run([], scan_python("app.py", text))
    assert [(f.rule_id, f.suppressed_by.kind) for f in results] == [("LL005", "file")]


# --- LL007 malformed ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("# lambdalint: ignore", "`ignore` needs rule codes in brackets, e.g. ignore[LL201]"),
        ("# lambdalint: ignore[]", "`ignore[]` names no rule codes"),
        ("# lambdalint: ignore[ , ] why", "`ignore[]` names no rule codes"),
        ("# lambdalint: file-ignore[LL110", "`file-ignore[` is not closed with `]`"),
        (
            "# lambdalint: ignroe[LL110]",
            "unknown suppression directive 'ignroe': expected ignore[...] or file-ignore[...] (did you mean ignore?)",
        ),
        ("# lambdalint:", "no suppression directive: expected ignore[...] or file-ignore[...]"),
    ],
)
def test_malformed_comments(comment: str, message: str) -> None:
    text = f"x = 1  {comment}\n"
    (malformed,) = scan_python("app.py", text)
    assert malformed == Malformed(
        Location("app.py", Span(1, 8, 1, 8 + len(comment))), message, " ".join(comment.split()), text.rstrip("\n")
    )
    results = run([finding("LL110", "app.py", 1)], [malformed])
    assert [(f.rule_id, f.severity, f.message, f.logical_place) for f in results] == [
        ("LL110", Severity.WARNING, "LL110 here", "LL110:x"),
        ("LL007", Severity.WARNING, message, f"suppression:{' '.join(comment.split())}"),
    ]


def test_unknown_code_is_reported_and_the_known_ones_still_work() -> None:
    (directive,) = scan_python("app.py", "x = 1  # lambdalint: ignore[LL110, LL2O1, no-such-rule]\n")
    results = run([finding("LL110", "app.py", 1)], [directive])
    assert suppressed(results) == [("LL110", 1)]
    assert [(f.rule_id, f.message, f.logical_place) for f in results[1:]] == [
        (
            "LL007",
            "unknown rule 'LL2O1' in suppression (did you mean LL201?)",
            "suppression:LL2O1:# lambdalint: ignore[LL110, LL2O1, no-such-rule]",
        ),
        (
            "LL007",
            "unknown rule 'no-such-rule' in suppression",
            "suppression:no-such-rule:# lambdalint: ignore[LL110, LL2O1, no-such-rule]",
        ),
    ]


def test_malformed_metadata_entries() -> None:
    text = """\
Resources:
  NoId:
    Type: AWS::Serverless::Function
    Metadata:
      lambdalint:
        ignore:
          - reason: forgot the id
          - LL201
          - {id: LL999}
  NotAList:
    Type: AWS::Serverless::Function
    Metadata:
      lambdalint:
        ignore: LL201
"""
    scanned = scan_metadata("template.yaml", load_template_text(text, is_json=False))
    assert [(type(item).__name__, item.location.span.start_line, item.resource) for item in scanned] == [
        ("Malformed", 7, ("template.yaml", "NoId")),
        ("Malformed", 8, ("template.yaml", "NoId")),
        ("Directive", 9, ("template.yaml", "NoId")),
        ("Malformed", 14, ("template.yaml", "NotAList")),
    ]
    results = run([], scanned)
    assert [(f.rule_id, f.message, f.logical_place) for f in results] == [
        (
            "LL007",
            "a Metadata lambdalint ignore entry needs `id: <rule id or name>`",
            "suppression:Resources/NoId/Metadata/lambdalint/ignore/0",
        ),
        (
            "LL007",
            "a Metadata lambdalint ignore entry must be a mapping {id, reason}",
            "suppression:Resources/NoId/Metadata/lambdalint/ignore/1",
        ),
        (
            "LL007",
            "unknown rule 'LL999' in suppression",
            "suppression:LL999:Resources/NoId/Metadata/lambdalint/ignore/2",
        ),
        (
            "LL007",
            "Metadata lambdalint needs `ignore: [{id: <rule>, reason: <why>}]`",
            "suppression:Resources/NotAList/Metadata/lambdalint",
        ),
    ]


def test_ll007_uses_the_configured_severity_and_only_when_enabled() -> None:
    scanned = scan_python("app.py", "# lambdalint: ignore\n")
    rules = {**RULES, "LL007": make_rule("LL007", "malformed-suppression", Severity.ERROR)}
    assert [f.severity for f in apply_suppressions([], scanned, rules, {"LL007"})] == [Severity.ERROR]
    assert [f.severity for f in apply_suppressions([], scanned, {}, {"LL007"})] == [Severity.WARNING]
    assert apply_suppressions([], scanned, rules, {"LL005", "LL110"}) == []


def test_comment_alone_at_the_end_covers_nothing() -> None:
    (directive,) = scan_python("app.py", "x = 1\n# lambdalint: ignore[LL110]\n\n")
    assert (directive.covers_next_line, directive.target_line) == (True, None)
    results = run([finding("LL110", "app.py", 1)], [directive])
    assert [(f.rule_id, f.suppressed_by) for f in results] == [("LL110", None), ("LL005", None)]


def test_unknown_name_suggests_the_closest_rule_name() -> None:
    (directive,) = scan_python("app.py", "x = 1  # lambdalint: ignore[Too-Many-Layrs]\n")
    (result,) = run([], [directive])
    assert result.message == "unknown rule 'Too-Many-Layrs' in suppression (did you mean too-many-layers?)"


def test_metadata_scan_ignores_templates_without_resources() -> None:
    assert scan_metadata("t.yaml", load_template_text("- a list\n", is_json=False)) == []
    assert scan_metadata("t.yaml", load_template_text("Resources: !Ref X\n", is_json=False)) == []
