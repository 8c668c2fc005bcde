"""Whole projects (template + code), each with the exact findings it must produce.

Each folder in ``tests/projects/`` is a small, realistic project; beside its files an
``expected.txt`` lists every finding as ``path:line:col: RULE`` (``path: RULE`` for a finding
without a position, a trailing ``(suppressed)`` for one a suppression silenced), sorted, ``#``
lines being comments. The test copies the folder into a fresh git work tree (so the folder is the
root every path is relative to) and compares that list with what
``lambdalint check --format json --include-suppressed`` reports there.

The same results are also rendered as SARIF and validated against the official SARIF 2.1.0
schema, and the JSON report against lambdalint's own output schema.
"""

from __future__ import annotations

import functools
import json
import shutil
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from lambdalint.cli import main
from lambdalint.config import config_from_mapping
from lambdalint.engine import run
from lambdalint.output import OutputOptions, render
from lambdalint.result import RunResult

PROJECTS = Path(__file__).resolve().parent / "projects"
SARIF_SCHEMA = Path(__file__).resolve().parents[1].parent / "shared/sarif/sarif-schema-2.1.0.json"
OUTPUT_SCHEMA = Path(__file__).resolve().parents[1] / "lambdalint/schemas/output.schema.json"

#: the scenarios are judged on a fixed day, so that runtime deprecations do not change them
AS_OF = date(2026, 11, 23)

SCENARIOS = sorted(path.name for path in PROJECTS.iterdir() if (path / "expected.txt").is_file())

#: the exit code of `lambdalint check` in each scenario (0: nothing at or above warning)
EXIT_CODES = {"sam-app": 0}


def read_expected(name: str) -> list[str]:
    lines = (PROJECTS / name / "expected.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def line_key(line: str) -> tuple:
    """Sort ``path:line:col: RULE`` lines by path, then numerically by position, then rule."""
    place, _, rest = line.partition(": ")
    parts = place.split(":")
    if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
        return (parts[0], int(parts[1]), int(parts[2]), rest)
    return (place, 0, 0, rest)


def as_lines(report: dict) -> list[str]:
    """The JSON report's findings as expected.txt writes them."""
    lines = []
    for finding in report["findings"]:
        location = finding["location"]
        start = location["start"]
        place = f"{location['path']}:{start['line']}:{start['column']}" if start else location["path"]
        suppressed = " (suppressed)" if finding["suppressed"] else ""
        lines.append(f"{place}: {finding['rule']}{suppressed}")
    return sorted(lines, key=line_key)


def lint_copy(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, *args: str) -> tuple[int, dict]:
    """Copy the scenario into a fresh work tree and run the CLI there; returns (exit code, JSON report)."""
    root = tmp_path / name
    shutil.copytree(PROJECTS / name, root, symlinks=True, ignore=shutil.ignore_patterns("expected.txt"))
    (root / ".git").mkdir()
    monkeypatch.chdir(root)
    code = main(["check", "--format", "json", "--include-suppressed", "--as-of", AS_OF.isoformat(), *args])
    out, err = capsys.readouterr()
    assert err == ""
    return code, json.loads(out)


def lint_in_place(name: str) -> RunResult:
    """The engine run on the scenario folder itself, with the folder as root and default settings."""
    directory = PROJECTS / name
    return run([directory], config_from_mapping({}, base=directory).merged_with(as_of=AS_OF), root=directory)


# --- the expected findings -------------------------------------------------------------------


def test_every_scenario_is_listed() -> None:
    assert SCENARIOS == [
        "cloudformation-json",
        "globals-merge",
        "handler-paths",
        "inline-code",
        "sam-app",
        "suppressions",
    ]


@pytest.mark.parametrize("name", SCENARIOS)
def test_expected_txt_is_sorted_and_well_formed(name: str) -> None:
    expected = read_expected(name)
    assert expected == sorted(expected, key=line_key)
    for line in expected:
        place, _, rest = line.partition(": ")
        rule, _, suffix = rest.partition(" ")
        assert rule.startswith("LL") and rule[2:].isdigit(), line
        assert suffix in ("", "(suppressed)"), line
        assert (PROJECTS / name / place.split(":")[0]).exists(), line


@pytest.mark.parametrize("name", SCENARIOS)
def test_scenario_findings_match_expected(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    code, report = lint_copy(name, tmp_path, monkeypatch, capsys)

    assert as_lines(report) == read_expected(name)
    assert code == EXIT_CODES.get(name, 1)


@pytest.mark.parametrize("name", SCENARIOS)
def test_in_place_run_agrees_with_the_cli_on_a_copy(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    _, report = lint_copy(name, tmp_path, monkeypatch, capsys)
    in_place = json.loads(render("json", lint_in_place(name), OutputOptions(include_suppressed=True)))

    assert as_lines(in_place) == as_lines(report)
    assert [f["fingerprint"] for f in in_place["findings"]] == [f["fingerprint"] for f in report["findings"]]


# --- what the scenarios show, told in detail -------------------------------------------------


def findings_of(report: dict, rule: str) -> list[dict]:
    return [finding for finding in report["findings"] if finding["rule"] == rule]


def test_sam_app_is_clean_and_reads_every_file(tmp_path: Path, monkeypatch, capsys) -> None:
    code, report = lint_copy("sam-app", tmp_path, monkeypatch, capsys)

    assert code == 0
    assert report["findings"] == []
    # template.yaml and five Python files; events/event.json is not a template and is not counted.
    assert report["summary"]["files_checked"] == 6


def test_globals_values_are_reported_at_globals_with_the_function_related(tmp_path, monkeypatch, capsys) -> None:
    _, report = lint_copy("globals-merge", tmp_path, monkeypatch, capsys)

    (memory,) = findings_of(report, "LL205")
    assert memory["message"].startswith("memory 20480 is outside what Lambda accepts (memory at least 128 and")
    assert [(r["path"], r["start"]["line"], r["label"]) for r in memory["related"]] == [
        ("template.yaml", 28, "IngestFunction gets this value from Globals")
    ]

    (region,) = findings_of(report, "LL217")
    assert [(r["start"]["line"], r["label"]) for r in region["related"]] == [
        (28, "IngestFunction gets this value from Globals"),
        (41, "ReportFunction gets this value from Globals"),
    ]

    (layers,) = findings_of(report, "LL201")
    assert layers["message"].startswith("more than 5 layers: Lambda accepts at most 5 per function")


def test_cloudformation_json_timeout_is_reported_at_its_line(tmp_path, monkeypatch, capsys) -> None:
    _, report = lint_copy("cloudformation-json", tmp_path, monkeypatch, capsys)

    (timeout,) = findings_of(report, "LL205")
    assert (timeout["location"]["path"], timeout["location"]["start"]) == (
        "forwarder.template.json",
        {"line": 36, "column": 9},
    )
    assert timeout["message"] == (
        "timeout 901 is outside what Lambda accepts (timeout at least 1 and at most 900, or capacity-provider "
        "set and timeout at least 1 and at most 5400); the deployment will fail"
    )
    # the per-invocation client in the inline code is found (where it is placed: see KNOWN_BUGS)
    (client,) = findings_of(report, "LL110")
    assert client["location"]["path"] == "forwarder.template.json"
    assert client["message"].startswith("boto3 client created on every invocation")


def test_suppressions_name_their_reason_and_kind(tmp_path, monkeypatch, capsys) -> None:
    _, report = lint_copy("suppressions", tmp_path, monkeypatch, capsys)

    suppressed = {
        (f["location"]["path"], f["location"]["start"]["line"]): (f["suppressed"]["kind"], f["suppressed"]["reason"])
        for f in report["findings"]
        if f["suppressed"]
    }
    assert suppressed == {
        ("src/legacy/app.py", 6): ("file", "this module is being replaced by src/orders; do not fix here"),
        ("src/legacy/app.py", 7): ("file", "this module is being replaced by src/orders; do not fix here"),
        ("src/orders/app.py", 11): ("inline", "credentials are per tenant"),
        ("src/orders/app.py", 12): ("inline", "see above"),
        ("template.yaml", 13): ("inline", "the account has a raised limit in eu-west-1 (ticket OPS-42)"),
        ("template.yaml", 14): ("inline", "reviewed with the platform team"),
        ("template.yaml", 33): (
            "metadata",
            "the legacy code reads AWS_REGION before boto3 does; removal tracked in OPS-7",
        ),
    }
    assert report["summary"]["suppressed"] == 7
    (unused,) = findings_of(report, "LL005")
    assert unused["message"] == "unused suppression: LL205 (quota-out-of-range) suppressed nothing here"
    (malformed,) = findings_of(report, "LL007")
    assert malformed["message"] == "`ignore` needs rule codes in brackets, e.g. ignore[LL201]"


def test_suppressed_findings_leave_the_default_report(tmp_path: Path, monkeypatch, capsys) -> None:
    root = tmp_path / "suppressions"
    shutil.copytree(PROJECTS / "suppressions", root)
    (root / ".git").mkdir()
    monkeypatch.chdir(root)

    code = main(["check", "--quiet", "--as-of", AS_OF.isoformat()])

    assert code == 1
    assert [line.split(" [")[0] for line in capsys.readouterr().out.splitlines()] == [
        "src/orders/app.py:14:13: LL110",
        "template.yaml:30:20: LL005",
        "template.yaml:34:29: LL007",
    ]


def test_handler_not_found_messages(tmp_path, monkeypatch, capsys) -> None:
    _, report = lint_copy("handler-paths", tmp_path, monkeypatch, capsys)

    assert [finding["message"] for finding in findings_of(report, "LL210")] == [
        "Handler 'handlers.orders.cancel.handle': src/handlers/orders/cancel.py has no module-level 'handle' "
        "(did you mean 'handler'?)",
        "Handler 'handlers.payments.refund.handler': no handlers/payments/refund.py or "
        "handlers/payments/refund/__init__.py in the function's code",
    ]


# --- output formats over the scenarios -------------------------------------------------------


@functools.cache
def sarif_validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


@functools.cache
def output_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(OUTPUT_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def assert_valid(validator: jsonschema.protocols.Validator, document: dict) -> None:
    errors = sorted(validator.iter_errors(document), key=lambda error: list(error.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


@pytest.mark.parametrize("include_suppressed", [False, True], ids=["default", "include-suppressed"])
@pytest.mark.parametrize("name", SCENARIOS)
def test_sarif_of_each_scenario_is_valid(name: str, include_suppressed: bool) -> None:
    result = lint_in_place(name)
    log = json.loads(render("sarif", result, OutputOptions(include_suppressed=include_suppressed)))

    assert_valid(sarif_validator(), log)
    (sarif_run,) = log["runs"]
    shown = result.findings if include_suppressed else result.reported
    assert len(sarif_run["results"]) == len(shown)
    assert [rule["id"] for rule in sarif_run["tool"]["driver"]["rules"]] == list(result.rules)
    for sarif_result in sarif_run["results"]:
        uri = sarif_result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert not uri.startswith(("/", "file:")), uri  # relative to the scenario root
        assert (PROJECTS / name / uri).exists(), uri


@pytest.mark.parametrize("include_suppressed", [False, True], ids=["default", "include-suppressed"])
@pytest.mark.parametrize("name", SCENARIOS)
def test_json_of_each_scenario_follows_the_output_schema(name: str, include_suppressed: bool) -> None:
    result = lint_in_place(name)
    report = json.loads(render("json", result, OutputOptions(include_suppressed=include_suppressed)))

    assert_valid(output_validator(), report)
    assert report["root"] == str((PROJECTS / name).resolve())
    assert report["summary"]["total"] == len(result.reported)
