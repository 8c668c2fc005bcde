"""The Markdown job summary, asserted character for character."""

from __future__ import annotations

import dataclasses

from lambdalint.findings import Finding, Location, Severity, Span, Suppression
from lambdalint.output import OutputOptions, render
from lambdalint.output.markdown import render_markdown

LL110_URI = "https://github.com/lambdalint/lambdalint/blob/main/rules/LL110-client-in-handler.yaml"


def test_the_summary_has_the_verdict_counts_findings_by_rule_and_by_function_and_the_suppressions(sample) -> None:
    client = dataclasses.replace(sample.client, resource=("template.yaml", "Orders"))
    secret = dataclasses.replace(sample.secret, resource=("template.yaml", "Orders"))
    result = dataclasses.replace(sample.result(client, secret, sample.suppressed, sample.unanalysed), stale_baseline=2)
    assert render("markdown", result, OutputOptions()) == (
        "## ❌ lambdalint: 3 findings\n"
        "\n"
        "| Errors | Warnings | Notes | Suppressed | Files checked | Stale baseline entries |\n"
        "| ---: | ---: | ---: | ---: | ---: | ---: |\n"
        "| 1 | 1 | 1 | 1 | 7 | 2 |\n"
        "\n"
        "### Findings by rule\n"
        "\n"
        "| Rule | Name | Severity | Findings |\n"
        "| --- | --- | --- | ---: |\n"
        "| [LL150](https://github.com/lambdalint/lambdalint/blob/main/rules/LL150-hardcoded-aws-credentials.yaml)"
        " | hardcoded-aws-credentials | error | 1 |\n"
        f"| [LL110]({LL110_URI}) | client-in-handler | warning | 1 |\n"
        "| [LL006](https://github.com/lambdalint/lambdalint/blob/main/rules/LL006-not-analysed.yaml)"
        " | not-analysed | note | 1 |\n"
        "\n"
        "### Findings by function\n"
        "\n"
        "| Function | Template | Errors | Warnings | Notes |\n"
        "| --- | --- | ---: | ---: | ---: |\n"
        "| Orders | template.yaml | 1 | 1 | 0 |\n"
        "| Other files |  | 0 | 0 | 1 |\n"
        "\n"
        "### Findings\n"
        "\n"
        "| Location | Rule | Severity | Message |\n"
        "| --- | --- | --- | --- |\n"
        "| app.py:12 | LL110 client-in-handler | warning | "
        "boto3 client created per invocation; create it at module scope |\n"
        "| app.py:20 | LL150 hardcoded-aws-credentials | error | literal AWS secret key passed to boto3.client |\n"
        "| build/orders.zip | LL006 not-analysed | note | code in S3 (s3://artifacts/orders.zip) is not analysed |\n"
        "\n"
        "### Suppressed findings\n"
        "\n"
        "| Location | Rule | Suppressed by | Written at | Reason |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| app.py:30 | LL110 client-in-handler | inline comment | app.py:30 | region is per tenant |\n"
    )


def test_a_clean_run_is_a_heading_and_the_counts(sample) -> None:
    assert render("markdown", sample.result(), OutputOptions()) == (
        "## ✅ lambdalint: no findings\n"
        "\n"
        "| Errors | Warnings | Notes | Suppressed | Files checked |\n"
        "| ---: | ---: | ---: | ---: | ---: |\n"
        "| 0 | 0 | 0 | 0 | 7 |\n"
    )


def test_the_verdict_is_the_most_severe_level_reported(sample) -> None:
    assert render("markdown", sample.result(sample.client), OutputOptions()).startswith("## ⚠️ lambdalint: 1 finding\n")
    assert render("markdown", sample.result(sample.unanalysed), OutputOptions()).startswith(
        "## ℹ️ lambdalint: 1 finding\n"
    )


def test_a_rule_reported_at_several_levels_lists_them_most_severe_first(sample) -> None:
    note = dataclasses.replace(sample.client, severity=Severity.NOTE, location=Location("other.py", Span(3, 1, 3, 9)))
    report = render("markdown", sample.result(note, sample.client), OutputOptions())
    assert f"| [LL110]({LL110_URI}) | client-in-handler | warning, note | 2 |\n" in report


def test_text_from_the_project_cannot_make_markdown_tables_links_or_html(sample) -> None:
    hostile = dataclasses.replace(
        sample.client,
        message="a|b *bold* _it_ `code` [link](http://x) <script>alert(1)</script> $x$ ~~s~~ #1 &amp;\nnext line",
        location=Location("dir|x/[a].py", Span(1, 1, 1, 2)),
        resource=("t|.yaml", "Fn_1"),
    )
    report = render("markdown", sample.result(hostile), OutputOptions())
    assert (
        "| dir\\|x/\\[a\\].py:1 | LL110 client-in-handler | warning | a\\|b \\*bold\\* \\_it\\_ \\`code\\` "
        "\\[link\\](http://x) \\<script\\>alert(1)\\</script\\> \\$x\\$ \\~\\~s\\~\\~ \\#1 \\&amp; next line |\n"
    ) in report
    assert "| Fn\\_1 | t\\|.yaml | 0 | 1 | 0 |\n" in report


def test_every_kind_of_suppression_is_named_with_where_it_is_written(sample) -> None:
    def suppressed(line: int, kind: str, written: Location, reason: str) -> Finding:
        location = Location("app.py", Span(line, 1, line, 5))
        return dataclasses.replace(sample.client, location=location, suppressed_by=Suppression(kind, written, reason))

    findings = (
        suppressed(1, "inline", Location("app.py", Span(1, 20, 1, 60)), "a | pipe"),
        suppressed(2, "file", Location("app.py", Span(1, 1, 1, 40)), "generated code"),
        suppressed(3, "metadata", Location("template.yaml", Span(9, 9, 9, 20)), "tenant clients"),
        suppressed(4, "baseline", Location(".lambdalint-baseline.json"), ""),
    )
    report = render("markdown", sample.result(*findings), OutputOptions())
    assert report.split("### Suppressed findings\n\n", 1)[1] == (
        "| Location | Rule | Suppressed by | Written at | Reason |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| app.py:1 | LL110 client-in-handler | inline comment | app.py:1 | a \\| pipe |\n"
        "| app.py:2 | LL110 client-in-handler | file-ignore | app.py:1 | generated code |\n"
        "| app.py:3 | LL110 client-in-handler | resource Metadata | template.yaml:9 | tenant clients |\n"
        "| app.py:4 | LL110 client-in-handler | baseline | .lambdalint-baseline.json | *no reason given* |\n"
    )


def test_the_listings_hold_the_rows_that_fit_in_the_limit_and_say_how_many_they_left_out(sample) -> None:
    findings = [
        dataclasses.replace(sample.client, location=Location("app.py", Span(line, 1, line, 5))) for line in range(1, 6)
    ]
    result = sample.result(*findings)
    row = "| app.py:{} | LL110 client-in-handler | warning | " + sample.client.message + " |\n"
    head = render_markdown(result, OutputOptions()).split("### Findings\n", 1)[0]
    two_rows = (
        f"{head}### Findings\n"
        "\n"
        "| Location | Rule | Severity | Message |\n"
        "| --- | --- | --- | --- |\n"
        f"{row.format(1)}{row.format(2)}"
        "\n"
        "*3 findings not listed: GitHub caps a job summary at 1 MiB. "
        "`--format text` or `--format sarif` lists them all.*\n"
    )
    limit = len(two_rows.encode())

    assert render_markdown(result, OutputOptions(), limit=limit) == two_rows
    assert render_markdown(result, OutputOptions(), limit=limit - 1) == two_rows.replace(row.format(2), "").replace(
        "*3 findings", "*4 findings"
    )


def test_a_huge_run_stays_under_githubs_one_mebibyte(sample) -> None:
    message = "x" * 300
    findings = [
        dataclasses.replace(sample.client, message=message, location=Location(f"f{n}.py", Span(1, 1, 1, 2)))
        for n in range(5000)
    ]
    report = render("markdown", sample.result(*findings), OutputOptions())
    assert len(report.encode()) < 1024 * 1024
    assert report.count(message) < 5000
    assert report.endswith(
        "findings not listed: GitHub caps a job summary at 1 MiB. "
        "`--format text` or `--format sarif` lists them all.*\n"
    )
