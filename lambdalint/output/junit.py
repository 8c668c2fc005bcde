"""JUnit XML for CI systems that show test reports: a test case per rule and resource.

Each (rule, resource) pair with findings is a test case with one ``<failure>`` per finding; each
enabled rule that found nothing is one passing test case, so the report shows what was checked.
The resource is the template resource a finding concerns, else the file it is in.
"""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree

from lambdalint.findings import Finding
from lambdalint.output.report import OutputOptions
from lambdalint.result import RunResult


def render_junit(result: RunResult, options: OutputOptions) -> str:
    cases: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in result.reported:
        cases[(finding.rule_id, _subject(finding))].append(finding)
    checked = {rule_id for rule_id, _ in cases}
    suite = ElementTree.Element(
        "testsuite",
        name="lambdalint",
        tests=str(len(cases) + len(set(result.rules) - checked)),
        failures=str(len(cases)),
        errors="0",
    )
    for (rule_id, subject), findings in sorted(cases.items()):
        case = ElementTree.SubElement(suite, "testcase", classname=_classname(result, rule_id), name=subject)
        for finding in findings:
            failure = ElementTree.SubElement(case, "failure", message=finding.message, type=finding.severity.value)
            failure.text = _where(finding)
    for rule_id in sorted(set(result.rules) - checked):
        ElementTree.SubElement(suite, "testcase", classname=_classname(result, rule_id), name="(no findings)")
    root = ElementTree.Element("testsuites")
    root.append(suite)
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(root, encoding="unicode") + "\n"


def _subject(finding: Finding) -> str:
    if finding.resource is not None:
        template, logical_id = finding.resource
        return f"{template}#{logical_id}"
    return finding.location.path


def _classname(result: RunResult, rule_id: str) -> str:
    rule = result.rules.get(rule_id)
    return f"{rule_id} {rule.name}" if rule else rule_id


def _where(finding: Finding) -> str:
    span = finding.location.span
    place = f"{finding.location.path}:{span.start_line}:{span.start_column}" if span else finding.location.path
    return f"{place}: {finding.rule_id} [{finding.severity.value}] {finding.message}"
