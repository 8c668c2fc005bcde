"""The text report, asserted character for character; and the registry of formats."""

from __future__ import annotations

import dataclasses

import pytest

from lambdalint.findings import Location, Span, Suppression
from lambdalint.output import FORMATTERS, OutputOptions, render
from lambdalint.output.text import render_text
from lambdalint.result import RunResult

CLIENT_BLOCK = """\
app.py:12:14: LL110 [warning] boto3 client created per invocation; create it at module scope
   |
12 |     client = boto3.client("s3")
   |              ^^^^^^^^^^^^^^^^^^
  = related: app.py:10:1: handler defined here
  = related: template.yaml:8:5: function Orders
"""
SECRET_BLOCK = """\
app.py:20:5: LL150 [error] literal AWS secret key passed to boto3.client
   |
20 |     s3 = boto3.client("s3", aws_secret_access_key="abc123",
   |     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
"""
SUPPRESSED_BLOCK = """\
app.py:30:14: LL110 [warning] boto3 client created per invocation; create it at module scope \
(suppressed: region is per tenant)
   |
30 |     client = boto3.client("s3", region)  # lambdalint: ignore[LL110] region is per tenant
   |              ^^^^^^^^^^^^^^^^^^^^^^^
"""
UNANALYSED_BLOCK = """\
build/orders.zip: LL006 [note] code in S3 (s3://artifacts/orders.zip) is not analysed
"""
SUMMARY = "Found 3 findings (1 error, 1 warning, 1 note) in 7 files; 1 suppressed.\n"


def test_default_report(run_result: RunResult) -> None:
    expected = "\n".join((CLIENT_BLOCK, SECRET_BLOCK, UNANALYSED_BLOCK, SUMMARY))
    assert render_text(run_result, OutputOptions()) == expected


def test_include_suppressed_marks_the_suppressed_finding(run_result: RunResult) -> None:
    expected = "\n".join((CLIENT_BLOCK, SECRET_BLOCK, SUPPRESSED_BLOCK, UNANALYSED_BLOCK, SUMMARY))
    assert render_text(run_result, OutputOptions(include_suppressed=True)) == expected


def test_quiet_prints_only_the_finding_lines(run_result: RunResult) -> None:
    assert render_text(run_result, OutputOptions(quiet=True)) == (
        "app.py:12:14: LL110 [warning] boto3 client created per invocation;"
        " create it at module scope\n"
        "app.py:20:5: LL150 [error] literal AWS secret key passed to boto3.client\n"
        "build/orders.zip: LL006 [note] code in S3 (s3://artifacts/orders.zip) is not analysed\n"
    )


def test_quiet_with_nothing_found_prints_nothing(sample) -> None:
    assert render_text(sample.result(), OutputOptions(quiet=True)) == ""


@pytest.mark.parametrize(
    ("names", "files_checked", "summary"),
    [
        ((), 7, "No findings in 7 files.\n"),
        ((), 1, "No findings in 1 file.\n"),
        (("suppressed",), 7, "No findings in 7 files; 1 suppressed.\n"),
        (("unanalysed",), 1, f"{UNANALYSED_BLOCK}\nFound 1 finding (1 note) in 1 file.\n"),
    ],
)
def test_summary_wording(sample, names: tuple[str, ...], files_checked: int, summary: str) -> None:
    result = sample.result(*(getattr(sample, name) for name in names), files_checked=files_checked)
    assert render_text(result, OutputOptions()) == summary


def test_baseline_suppression_without_reason_names_its_kind(sample) -> None:
    baselined = dataclasses.replace(
        sample.unanalysed,
        suppressed_by=Suppression("baseline", Location(".lambdalint-baseline.json")),
    )
    options = OutputOptions(include_suppressed=True, quiet=True)
    assert render_text(sample.result(baselined), options) == (
        "build/orders.zip: LL006 [note] code in S3 (s3://artifacts/orders.zip) is not analysed"
        " (suppressed by baseline)\n"
    )


@pytest.mark.parametrize(
    ("snippet", "span", "excerpt"),
    [
        # a tab is shown as four spaces and the carets move with it
        (
            "\tx = boto3.client('s3')",
            Span(3, 6, 3, 24),
            "3 |     x = boto3.client('s3')\n  |         ^^^^^^^^^^^^^^^^^^\n",
        ),
        # wide characters take two cells before and inside the span
        ("名前 = 'データ'", Span(3, 6, 3, 11), "3 | 名前 = 'データ'\n  |        ^^^^^^^^\n"),
        # an empty span still gets one caret
        ("x = 1", Span(3, 5, 3, 5), "3 | x = 1\n  |     ^\n"),
        # a span ending on a later line is underlined to the end of its first line
        ("def handler(", Span(3, 5, 9, 2), "3 | def handler(\n  |     ^^^^^^^^\n"),
    ],
)
def test_excerpt_carets(sample, snippet: str, span: Span, excerpt: str) -> None:
    finding = dataclasses.replace(sample.client, location=Location("app.py", span), snippet=snippet, related=())
    header = f"app.py:3:{span.start_column}: LL110 [warning] {sample.client.message}\n"
    expected = f"{header}  |\n{excerpt}\nFound 1 finding (1 warning) in 7 files.\n"
    assert render_text(sample.result(finding), OutputOptions()) == expected


def test_no_excerpt_without_snippet(sample) -> None:
    finding = dataclasses.replace(sample.secret, snippet="")
    assert render_text(sample.result(finding), OutputOptions()) == (
        "app.py:20:5: LL150 [error] literal AWS secret key passed to boto3.client\n"
        "\n"
        "Found 1 finding (1 error) in 7 files.\n"
    )


def test_related_place_without_label_or_span(sample) -> None:
    finding = dataclasses.replace(sample.secret, snippet="", related=(Location("layer.zip!/python/boto3/__init__.py"),))
    assert render_text(sample.result(finding), OutputOptions()).splitlines()[1] == (
        "  = related: layer.zip!/python/boto3/__init__.py"
    )


def test_same_input_same_output(run_result: RunResult) -> None:
    options = OutputOptions(include_suppressed=True)
    assert render_text(run_result, options) == render_text(run_result, options)


def test_formats_are_registered_by_name(run_result: RunResult) -> None:
    assert sorted(FORMATTERS) == ["github", "html", "json", "junit", "markdown", "sarif", "text"]
    options = OutputOptions()
    for name, formatter in FORMATTERS.items():
        assert render(name, run_result, options) == formatter(run_result, options)


def test_unknown_format_lists_the_known_ones(run_result: RunResult) -> None:
    with pytest.raises(ValueError, match="known: github, html, json, junit, markdown, sarif, text"):
        render("xml", run_result, OutputOptions())
