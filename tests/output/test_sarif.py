"""SARIF: valid against the official OASIS schema, with what GitHub code scanning needs."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from lambdalint.findings import Location, Severity, Span, Suppression
from lambdalint.output import OutputOptions
from lambdalint.output.line_hash import line_hashes
from lambdalint.output.sarif import render_sarif
from lambdalint.result import RunResult

SARIF_SCHEMA = Path(__file__).resolve().parents[2].parent / "shared/sarif/sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


@pytest.fixture
def sarif(validator: jsonschema.Draft4Validator) -> Callable[..., dict[str, Any]]:
    """Render a result, validate it against the schema and return the parsed log."""

    def render(result: RunResult, **options: Any) -> dict[str, Any]:
        text = render_sarif(result, OutputOptions(**options))
        assert text.endswith("}\n")
        log = json.loads(text)
        validator.validate(log)
        return log

    return render


def only_run(log: dict[str, Any]) -> dict[str, Any]:
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    return run


def fingerprints(results: list[dict[str, Any]]) -> list[str]:
    return [result["partialFingerprints"]["lambdalintFingerprint/v1"] for result in results]


def walk_keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from walk_keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk_keys(item)


def walk_numbers(value: Any) -> Iterator[int | float]:
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            yield from walk_numbers(item)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield value


def test_driver_lists_every_enabled_rule(run_result: RunResult, sarif) -> None:
    driver = only_run(sarif(run_result))["tool"]["driver"]
    assert driver["name"] == "lambdalint"
    assert driver["version"] == "0.1.0"
    assert driver["informationUri"] == "https://github.com/lambdalint/lambdalint"
    # LL201 has no finding and is listed all the same
    assert [rule["id"] for rule in driver["rules"]] == ["LL006", "LL110", "LL150", "LL201"]


def test_rule_descriptor(run_result: RunResult, sample, sarif) -> None:
    rules = {rule["id"]: rule for rule in only_run(sarif(run_result))["tool"]["driver"]["rules"]}
    doc = sample.rules["LL110"].doc
    assert rules["LL110"] == {
        "id": "LL110",
        "name": "client-in-handler",
        "shortDescription": {"text": "Reports client-in-handler."},
        "fullDescription": {"text": "The client-in-handler pattern, found in Lambda code."},
        "help": {"text": doc, "markdown": doc},
        "helpUri": ("https://github.com/lambdalint/lambdalint/blob/main/rules/LL110-client-in-handler.yaml"),
        # "warning" is also sarif-om's default level: it must be written all the same
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": ["performance", "cost"]},
    }
    assert rules["LL150"]["properties"] == {"tags": ["security"], "security-severity": "7.5"}
    assert rules["LL150"]["defaultConfiguration"] == {"level": "error"}
    assert rules["LL006"]["defaultConfiguration"] == {"level": "note"}


def test_full_description_keeps_the_list_a_colon_announces(sample, sarif) -> None:
    rule = dataclasses.replace(
        sample.rules["LL201"],
        doc="## What it finds\n\nA function with:\n\n- six layers;\n- or more.\n\n## Why\n\nQuota.",
    )
    result = dataclasses.replace(sample, rules={"LL201": rule}).result()
    (descriptor,) = only_run(sarif(result))["tool"]["driver"]["rules"]
    assert descriptor["fullDescription"] == {"text": "A function with: - six layers; - or more."}


def test_run_header(run_result: RunResult, sarif) -> None:
    run = only_run(sarif(run_result))
    assert run["automationDetails"] == {"id": "lambdalint/"}
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///srv/project/"}}


@pytest.mark.parametrize(
    ("category", "automation_id"),
    [("orders", "orders/"), ("orders/", "orders/"), ("services/orders", "services/orders/")],
)
def test_category_names_the_run(run_result: RunResult, sarif, category: str, automation_id: str) -> None:
    # GitHub reads the part before the last slash as the category, and adds the slash itself
    run = only_run(sarif(run_result, category=category))
    assert run["automationDetails"] == {"id": automation_id}


def test_results_point_at_their_rules_and_places(run_result: RunResult, sample, sarif) -> None:
    run = only_run(sarif(run_result))
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert [result["ruleId"] for result in results] == ["LL110", "LL150", "LL006"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    client, secret, unanalysed = results
    assert client == {
        "ruleId": "LL110",
        "ruleIndex": 1,
        "level": "warning",
        "message": {"text": sample.client.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "app.py", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 12, "startColumn": 14, "endLine": 12, "endColumn": 32},
                }
            }
        ],
        "relatedLocations": [
            {
                "id": 1,
                "message": {"text": "handler defined here"},
                "physicalLocation": {
                    "artifactLocation": {"uri": "app.py", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 10, "startColumn": 1, "endLine": 10, "endColumn": 30},
                },
            },
            {
                "id": 2,
                "message": {"text": "function Orders"},
                "physicalLocation": {
                    "artifactLocation": {"uri": "template.yaml", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 8, "startColumn": 5, "endLine": 8, "endColumn": 20},
                },
            },
        ],
        "partialFingerprints": {"lambdalintFingerprint/v1": sample.client.fingerprint},
    }
    assert secret["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 20,
        "startColumn": 5,
        "endLine": 21,
        "endColumn": 10,
    }
    assert "relatedLocations" not in secret
    assert unanalysed["locations"] == [
        {"physicalLocation": {"artifactLocation": {"uri": "build/orders.zip", "uriBaseId": "%SRCROOT%"}}}
    ]
    assert unanalysed["partialFingerprints"] == {"lambdalintFingerprint/v1": sample.unanalysed.fingerprint}


def app_text() -> str:
    """An app.py with a distinct line for each of the sample's places (lines 10 to 30)."""
    return "".join(f"line_{number} = {number}\n" for number in range(1, 41))


def test_line_hash_of_the_primary_location_start_line(run_result: RunResult, sample, sarif) -> None:
    text = app_text()
    result = dataclasses.replace(run_result, texts={"app.py": text, "template.yaml": "Resources: {}\n"})
    hashes = line_hashes(text)

    client, secret, suppressed, unanalysed = only_run(sarif(result, include_suppressed=True))["results"]

    assert client["partialFingerprints"] == {
        "lambdalintFingerprint/v1": sample.client.fingerprint,
        "primaryLocationLineHash": hashes[12],
    }
    assert secret["partialFingerprints"]["primaryLocationLineHash"] == hashes[20]  # a span's first line
    assert suppressed["partialFingerprints"]["primaryLocationLineHash"] == hashes[30]
    # build/orders.zip: no span and no text, so no line hash (GitHub computes none either)
    assert unanalysed["partialFingerprints"] == {"lambdalintFingerprint/v1": sample.unanalysed.fingerprint}


def test_no_line_hash_for_a_file_whose_text_the_run_did_not_load(run_result: RunResult, sarif) -> None:
    # a member of a zip, or a file outside what was linted: the run has no text for it
    result = dataclasses.replace(run_result, texts={"template.yaml": "Resources: {}\n"})
    results = only_run(sarif(result))["results"]
    assert [list(result["partialFingerprints"]) for result in results] == [["lambdalintFingerprint/v1"]] * 3


def test_overridden_level_is_kept_even_when_it_is_sarif_om_default(sample, sarif) -> None:
    downgraded = dataclasses.replace(sample.secret, severity=Severity.WARNING)
    (result,) = only_run(sarif(sample.result(downgraded)))["results"]
    assert result["level"] == "warning"


def test_suppressed_findings_are_left_out_by_default(run_result: RunResult, sarif) -> None:
    results = only_run(sarif(run_result))["results"]
    assert all("suppressions" not in result for result in results)
    assert fingerprints(results) == [f.fingerprint for f in run_result.reported]


def test_include_suppressed_keeps_them_with_suppressions(run_result: RunResult, sarif) -> None:
    results = only_run(sarif(run_result, include_suppressed=True))["results"]
    assert fingerprints(results) == [f.fingerprint for f in run_result.findings]
    suppressed = [result for result in results if "suppressions" in result]
    assert len(suppressed) == 1
    assert suppressed[0]["suppressions"] == [
        {
            "kind": "inSource",
            "justification": "region is per tenant",
            "location": {
                "physicalLocation": {
                    "artifactLocation": {"uri": "app.py", "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": 30, "startColumn": 43, "endLine": 30, "endColumn": 89},
                }
            },
        }
    ]


@pytest.mark.parametrize(
    ("kind", "sarif_kind"),
    [
        ("inline", "inSource"),
        ("file", "inSource"),
        ("metadata", "inSource"),
        ("baseline", "external"),
    ],
)
def test_suppression_kinds(sample, sarif, kind: str, sarif_kind: str) -> None:
    finding = dataclasses.replace(sample.secret, suppressed_by=Suppression(kind, Location(".lambdalint-baseline.json")))
    (result,) = only_run(sarif(sample.result(finding), include_suppressed=True))["results"]
    # no reason given: no justification rather than an empty one
    assert result["suppressions"] == [
        {
            "kind": sarif_kind,
            "location": {
                "physicalLocation": {
                    "artifactLocation": {
                        "uri": ".lambdalint-baseline.json",
                        "uriBaseId": "%SRCROOT%",
                    }
                }
            },
        }
    ]


def test_uris_are_relative_and_escaped(sample, sarif) -> None:
    finding = dataclasses.replace(
        sample.client,
        location=Location("src/my app/handler.py", Span(1, 1, 1, 2)),
        related=(Location("dist/orders.zip!/python/boto3/__init__.py"),),
    )
    (result,) = only_run(sarif(sample.result(finding)))["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == ("src/my%20app/handler.py")
    assert result["relatedLocations"] == [
        {
            "id": 1,
            "physicalLocation": {
                "artifactLocation": {
                    "uri": "dist/orders.zip!/python/boto3/__init__.py",
                    "uriBaseId": "%SRCROOT%",
                }
            },
        }
    ]


def test_finding_of_a_rule_outside_the_run_has_no_rule_index(sample, sarif) -> None:
    crashed = dataclasses.replace(sample.unanalysed, rule_id="LL004")
    (result,) = only_run(sarif(sample.result(crashed)))["results"]
    assert result["ruleId"] == "LL004"
    assert "ruleIndex" not in result


def test_empty_run_still_has_results_and_rules(sample, sarif) -> None:
    run = only_run(sarif(sample.result()))
    assert run["results"] == []
    assert len(run["tool"]["driver"]["rules"]) == 4


def test_no_sarif_om_sentinel_leaks(run_result: RunResult, sarif) -> None:
    log = sarif(run_result, include_suppressed=True)
    sentinels = {"language", "newlineSequences", "contents", "rank", "index", "charOffset"}
    assert not set(walk_keys(log)) & sentinels
    assert all("kind" not in result for result in only_run(log)["results"])
    assert -1 not in set(walk_numbers(log))


def test_same_input_same_bytes(run_result: RunResult) -> None:
    options = OutputOptions(include_suppressed=True)
    first = render_sarif(run_result, options)
    assert first == render_sarif(run_result, options)
    assert first.endswith("\n") and not first.endswith("\n\n")
