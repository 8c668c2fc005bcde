"""The CI formats: GitHub workflow commands and JUnit XML, asserted character for character."""

from __future__ import annotations

from xml.etree import ElementTree

from lambdalint.output import OutputOptions, render
from lambdalint.result import RunResult


def test_github_annotations(run_result: RunResult) -> None:
    assert render("github", run_result, OutputOptions()) == (
        "::warning file=app.py,line=12,col=14,endLine=12,endColumn=32,title=LL110 client-in-handler"
        "::boto3 client created per invocation; create it at module scope\n"
        "::error file=app.py,line=20,col=5,endLine=21,endColumn=10,title=LL150 hardcoded-aws-credentials"
        "::literal AWS secret key passed to boto3.client\n"
        "::notice file=build/orders.zip,title=LL006 not-analysed::code in S3 (s3://artifacts/orders.zip)"
        " is not analysed\n"
    )


def test_github_escapes_what_the_runner_would_read_as_syntax(sample) -> None:
    import dataclasses

    odd = dataclasses.replace(sample.client, message="50% of the time\nit fails")
    assert render("github", sample.result(odd), OutputOptions()).endswith("::50%25 of the time%0Ait fails\n")


def test_junit_has_a_failing_case_per_rule_and_resource_and_a_passing_one_per_clean_rule(run_result) -> None:
    report = render("junit", run_result, OutputOptions())
    assert report.startswith('<?xml version="1.0" encoding="utf-8"?>\n<testsuites>')
    suite = ElementTree.fromstring(report.split("\n", 1)[1]).find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("4", "3")
    cases = [
        (case.get("classname"), case.get("name"), [f.get("type") for f in case.findall("failure")])
        for case in suite.findall("testcase")
    ]
    assert cases == [
        ("LL006 not-analysed", "build/orders.zip", ["note"]),
        ("LL110 client-in-handler", "app.py", ["warning"]),
        ("LL150 hardcoded-aws-credentials", "app.py", ["error"]),
        ("LL201 too-many-layers", "(no findings)", []),
    ]
    failure = suite.find("testcase/failure")
    assert failure is not None and failure.text == (
        "build/orders.zip: LL006 [note] code in S3 (s3://artifacts/orders.zip) is not analysed"
    )
