"""The JSON report: valid against its published schema, stable in shape and bytes."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from lambdalint.findings import Location, Suppression
from lambdalint.output import OutputOptions
from lambdalint.output.json_report import render_json
from lambdalint.result import RunResult

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "lambdalint/schemas/output.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def report(result: RunResult, validator: jsonschema.Draft202012Validator, **options: bool) -> dict[str, Any]:
    """Render, check the bytes are the canonical form, validate and parse."""
    text = render_json(result, OutputOptions(**options))
    document = json.loads(text)
    assert text == json.dumps(document, indent=2, sort_keys=True) + "\n"
    validator.validate(document)
    return document


def test_document_head_and_summary(run_result: RunResult, validator) -> None:
    document = report(run_result, validator)
    assert document["version"] == 1
    assert document["tool"] == {"name": "lambdalint", "version": "0.1.0"}
    assert document["root"] == str(Path("/srv/project").absolute())
    assert document["summary"] == {
        "total": 3,
        "by_severity": {"error": 1, "warning": 1, "note": 1},
        "suppressed": 1,
        "files_checked": 7,
        "stale_baseline": 0,
    }


def test_finding_with_related_places(run_result: RunResult, sample, validator) -> None:
    first = report(run_result, validator)["findings"][0]
    assert first == {
        "rule": "LL110",
        "name": "client-in-handler",
        "severity": "warning",
        "message": "boto3 client created per invocation; create it at module scope",
        "location": {
            "path": "app.py",
            "start": {"line": 12, "column": 14},
            "end": {"line": 12, "column": 32},
        },
        "related": [
            {
                "path": "app.py",
                "start": {"line": 10, "column": 1},
                "end": {"line": 10, "column": 30},
                "label": "handler defined here",
            },
            {
                "path": "template.yaml",
                "start": {"line": 8, "column": 5},
                "end": {"line": 8, "column": 20},
                "label": "function Orders",
            },
        ],
        "fingerprint": sample.client.fingerprint,
        "suppressed": None,
    }


def test_finding_without_span(run_result: RunResult, validator) -> None:
    last = report(run_result, validator)["findings"][-1]
    assert last["location"] == {"path": "build/orders.zip", "start": None, "end": None}


def test_suppressed_findings_only_when_asked(run_result: RunResult, validator) -> None:
    default = report(run_result, validator)["findings"]
    assert [finding["rule"] for finding in default] == ["LL110", "LL150", "LL006"]
    assert all(finding["suppressed"] is None for finding in default)

    everything = report(run_result, validator, include_suppressed=True)
    assert [finding["fingerprint"] for finding in everything["findings"]] == [
        finding.fingerprint for finding in run_result.findings
    ]
    assert everything["findings"][2]["suppressed"] == {
        "kind": "inline",
        "reason": "region is per tenant",
        "location": {
            "path": "app.py",
            "start": {"line": 30, "column": 43},
            "end": {"line": 30, "column": 89},
        },
    }
    assert everything["summary"] == report(run_result, validator)["summary"]


def test_baseline_suppression_without_span_or_reason(sample, validator) -> None:
    baselined = dataclasses.replace(
        sample.secret, suppressed_by=Suppression("baseline", Location(".lambdalint-baseline.json"))
    )
    finding = report(sample.result(baselined), validator, include_suppressed=True)["findings"][0]
    assert finding["suppressed"] == {
        "kind": "baseline",
        "reason": "",
        "location": {"path": ".lambdalint-baseline.json", "start": None, "end": None},
    }


def test_finding_of_a_rule_outside_the_run_has_no_name(sample, validator) -> None:
    crashed = dataclasses.replace(sample.unanalysed, rule_id="LL004")
    assert report(sample.result(crashed), validator)["findings"][0]["name"] is None


def test_empty_run(sample, validator) -> None:
    document = report(sample.result(), validator)
    assert document["findings"] == []
    assert document["summary"]["total"] == 0


def test_same_input_same_bytes(run_result: RunResult) -> None:
    options = OutputOptions(include_suppressed=True)
    assert render_json(run_result, options) == render_json(run_result, options)
