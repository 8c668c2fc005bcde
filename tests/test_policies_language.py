"""Organisation policies written in YAML: they judge SAM and CloudFormation functions alike."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from lambdalint.cli import main
from tests.files import write

POLICIES = Path(__file__).resolve().parent / "policies"
SARIF_SCHEMA = Path(__file__).resolve().parents[1].parent / "shared/sarif/sarif-schema-2.1.0.json"

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.11
    Tracing: Active
Resources:
  Heavy:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): pass"
      Handler: index.handler
      MemorySize: 4096
      Tags:
        Workload: heavy
  Big:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): pass"
      Handler: index.handler
      Runtime: python3.12
      MemorySize: 3008
  Plain:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.13
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/plain
      MemorySize: 8192
      Code: {ZipFile: "def handler(event, context): pass"}
      Tags: [{Key: Workload, Value: heavy}]
  Node:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/node
      TracingConfig: {Mode: Active}
      Code: {ZipFile: "exports.handler = async () => 1"}
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    write(tmp_path, "template.yaml", TEMPLATE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict]]:
    code = main(["check", "--format", "json", "--select", "ORG", "--rules", str(POLICIES), *args])
    out, err = capsys.readouterr()
    assert err == ""
    return code, json.loads(out)["findings"]


def test_the_three_policies_judge_sam_and_cloudformation_functions(project: Path, capsys) -> None:
    code, findings = check(capsys)
    assert code == 1
    assert [(f["rule"], f["location"]["start"]["line"], f["severity"], f["message"]) for f in findings] == [
        # Heavy's runtime comes from Globals: reported at the Globals line
        (
            "ORG003",
            5,
            "error",
            "Python functions use an approved runtime: runtime is python3.11, expected runtime one of "
            "python3.12, python3.13",
        ),
        # Big has no Workload tag: over the budget
        (
            "ORG002",
            22,
            "warning",
            "Functions stay within 2048 MB unless tagged as heavy: memory is 3008, expected memory at most 2048",
        ),
        # Plain (CloudFormation) has no TracingConfig: Lambda's PassThrough, at its Properties key
        (
            "ORG001",
            25,
            "error",
            "Every function has active X-Ray tracing: tracing is PassThrough (Lambda's default), expected "
            "tracing equal to 'Active'",
        ),
    ]
    # Heavy and Plain are tagged heavy (a SAM map and a CloudFormation list); Node is not Python.


def test_policies_are_listed_selected_suppressed_and_described_in_sarif(project: Path, capsys) -> None:
    assert main(["rules", "--rules", str(POLICIES)]) == 0
    assert "ORG002  memory-budget" in capsys.readouterr().out

    code, findings = check(capsys, "--ignore", "ORG001,ORG003")
    assert [f["rule"] for f in findings] == ["ORG002"]

    write(
        project,
        "template.yaml",
        TEMPLATE.replace("MemorySize: 3008", "MemorySize: 3008  # lambdalint: ignore[ORG002] load test"),
    )
    code, findings = check(capsys, "--ignore", "ORG001,ORG003")
    assert (code, findings) == (0, [])

    main(["check", "--format", "sarif", "--select", "ORG", "--rules", str(POLICIES)])
    log = json.loads(capsys.readouterr().out)
    jsonschema.Draft4Validator(
        json.loads(SARIF_SCHEMA.read_text()), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    ).validate(log)
    rules = {rule["id"]: rule for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["ORG001"]["fullDescription"]["text"] == "Every function has active X-Ray tracing"
    assert rules["ORG001"]["help"]["text"] == "Every function has active X-Ray tracing"
    # a policy links to its own documentation when it names one, and to nothing else
    assert rules["ORG002"]["helpUri"] == "https://wiki.example.com/lambda/memory-budget"
    assert "helpUri" not in rules["ORG001"]


def test_a_malformed_policy_is_an_error_naming_the_file_and_line(project: Path, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad-policies"
    write(
        bad,
        "owner.yaml",
        "id: ORG010\nname: owner-tag\nseverity: error\nsummary: Every function has an Owner tag\n"
        "applies-to: function\nrequire:\n  tags.Owner: {exist: true}\n",
    )
    assert main(["check", "--rules", str(bad)]) == 2
    message = capsys.readouterr().err
    assert message.startswith(f"lambdalint: error: {bad / 'owner.yaml'}:7: require.tags.Owner: ")
    assert "'exist'" in message and "\n" not in message.strip()


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        # a missing property without a default fails `require`: reported at the function's Properties
        ("applies-to: function\nrequire:\n  tags.Owner: {exists: true}\n", {10, 18, 25, 34}),
        ("applies-to: function\nrequire:\n  architectures: {count-max: 1}\n", set()),
        ("applies-to: function\nrequire:\n  reserved-concurrency: {absent: true}\n", set()),
        (
            "applies-to: function\nrequire:\n  any-of:\n    - {memory: {max: 1024}}\n"
            "    - {tags.Workload: {equals: heavy}}\n",
            {22},  # at the first alternative's property: Big's MemorySize
        ),
        # "python3.11" rendered as JSON is 12 bytes; at the Globals line for the function that inherits it
        ("applies-to: function\nrequire:\n  runtime: {size-max: 11}\n", {5, 21, 26, 35}),
        ("applies-to: {resource: AWS::Lambda::Function}\nrequire:\n  MemorySize: {exists: true}\n", {34}),
    ],
    ids=["exists", "count-max", "absent", "any-of", "size-max", "raw-resource"],
)
def test_operators(project: Path, tmp_path: Path, capsys, policy: str, expected: set[int]) -> None:
    directory = tmp_path / "one"
    write(directory, "rule.yaml", f"id: ORG100\nname: probe\nseverity: warning\nsummary: A probe policy\n{policy}")
    main(["check", "--format", "json", "--select", "ORG100", "--rules", str(directory)])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert {f["location"]["start"]["line"] for f in findings} == expected


@pytest.mark.parametrize(
    "configuration",
    [
        'rules = ["policies"]\n',
        '[rules]\npaths = ["policies"]\n\n[rules.LL111]\nconstructors = ["company_db.connect"]\n',
    ],
    ids=["list", "table-with-paths"],
)
def test_policy_folders_in_configuration(project: Path, capsys, configuration: str) -> None:
    for policy in POLICIES.glob("*.yaml"):
        write(project, f"policies/{policy.name}", policy.read_text())
    write(project, ".lambdalint.toml", configuration)
    assert main(["check", "--quiet", "--select", "ORG"]) == 1
    assert [line.split(" [")[0] for line in capsys.readouterr().out.splitlines()] == [
        "template.yaml:5:5: ORG003",
        "template.yaml:22:7: ORG002",
        "template.yaml:25:5: ORG001",
    ]


def test_test_rules_runs_the_examples_in_policy_files(tmp_path: Path, capsys) -> None:
    assert main(["test-rules", str(POLICIES)]) == 0
    assert capsys.readouterr().out == "2 passed, 0 failed (3 rules)\n"

    broken = tmp_path / "broken"
    text = (POLICIES / "ORG001-tracing-required.yaml").read_text()
    write(broken, "ORG001.yaml", text.replace("Properties:  # error: ORG001", "Properties:"))
    assert main(["test-rules", str(broken)]) == 1
    assert capsys.readouterr().out == (
        'FAIL ORG001 invalid example "a function with Lambda\'s default PassThrough tracing": '
        "an invalid example has no marker for its rule\n"
        "  reported, not expected: template.yaml:5: ORG001\n"
        "1 passed, 1 failed (1 rules)\n"
    )


def test_a_policy_severity_can_be_overridden_like_any_rule(project: Path, capsys) -> None:
    write(project, ".lambdalint.toml", 'severity = { ORG002 = "error" }\n')
    _, findings = check(capsys, "--ignore", "ORG001,ORG003")
    assert [(f["rule"], f["severity"]) for f in findings] == [("ORG002", "error")]


def test_layers_are_judged_on_their_raw_properties(project: Path, tmp_path: Path, capsys) -> None:
    write(
        project,
        "template.yaml",
        TEMPLATE + "  Deps:\n    Type: AWS::Serverless::LayerVersion\n    Properties:\n      ContentUri: layer/\n",
    )
    directory = tmp_path / "layer-policies"
    write(
        directory,
        "runtimes.yaml",
        "id: ORG200\nname: layer-runtimes\nseverity: warning\nsummary: Layers declare their runtimes\n"
        "applies-to: layer\nrequire:\n  CompatibleRuntimes: {count-min: 1}\n",
    )
    main(["check", "--format", "json", "--select", "ORG200", "--rules", str(directory)])
    findings = json.loads(capsys.readouterr().out)["findings"]
    # no CompatibleRuntimes: reported at the layer's Properties key
    assert [(f["rule"], f["location"]["start"]["line"]) for f in findings] == [("ORG200", 42)]
