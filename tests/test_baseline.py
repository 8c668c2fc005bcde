"""Baselines: ``--write-baseline FILE`` records today's findings, ``--baseline FILE`` reports only new ones.

The project is one function whose handler creates two SDK clients per invocation (LL110 twice).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lambdalint.cli import main
from tests.files import write

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
"""

HANDLER = """\
import boto3


def handler(event, context):
    s3 = boto3.client("s3")
    sqs = boto3.client("sqs")
    return s3, sqs
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    write(tmp_path, "template.yaml", TEMPLATE)
    write(tmp_path, "src/app.py", HANDLER)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    """Exit code and the output lines of ``lambdalint check -q`` with ``args`` (earlier output dropped)."""
    capsys.readouterr()
    code = main(["check", "-q", *args])
    return code, capsys.readouterr().out.splitlines()


def summary(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    capsys.readouterr()
    main(["check", "--format", "json", *args])
    return json.loads(capsys.readouterr().out)["summary"]


def test_writing_a_baseline_records_every_finding_and_passes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check(capsys, "--write-baseline", "baseline.json") == (0, [])
    document = json.loads((project / "baseline.json").read_text(encoding="utf-8"))
    assert document["lambdalint-baseline"] == 1
    assert [(entry["rule"], entry["path"]) for entry in document["findings"]] == [
        ("LL110", "src/app.py"),
        ("LL110", "src/app.py"),
    ]
    assert all(len(entry["fingerprint"]) == 32 for entry in document["findings"])
    assert check(capsys, "--baseline", "baseline.json") == (0, [])


def test_lines_moving_above_a_finding_do_not_make_it_new(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--write-baseline", "baseline.json"])
    write(
        project, "src/app.py", '"""Orders."""\nimport json\n\n' + HANDLER.replace("def handler", "# entry\ndef handler")
    )
    assert check(capsys, "--baseline", "baseline.json") == (0, [])


def test_only_new_findings_are_reported(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--write-baseline", "baseline.json"])
    write(project, "src/app.py", HANDLER.replace("    return", '    sns = boto3.client("sns")\n    return'))
    code, lines = check(capsys, "--baseline", "baseline.json")
    assert code == 1
    assert [line.split(" [")[0] for line in lines] == ["src/app.py:7:11: LL110"]


def test_a_second_identical_finding_is_new(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Entries count: one recorded ``boto3.client("s3")`` covers one such line, not two."""
    main(["check", "--write-baseline", "baseline.json"])
    write(project, "src/app.py", HANDLER.replace("    return", '    s3 = boto3.client("s3")\n    return'))
    code, lines = check(capsys, "--baseline", "baseline.json")
    assert (code, len(lines)) == (1, 1)


def test_stale_entries_are_counted(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--write-baseline", "baseline.json"])
    write(project, "src/app.py", HANDLER.replace('    sqs = boto3.client("sqs")\n', "    sqs = None\n"))
    assert summary(capsys, "--baseline", "baseline.json") == {
        "total": 0,
        "by_severity": {"error": 0, "warning": 0, "note": 0},
        "suppressed": 1,
        "files_checked": 2,
        "stale_baseline": 1,
    }
    capsys.readouterr()
    main(["check", "--baseline", "baseline.json"])
    assert capsys.readouterr().out.splitlines()[-1] == (
        "No findings in 2 files; 1 suppressed. 1 baseline entry matched nothing (fixed or gone): "
        "refresh the baseline with --write-baseline."
    )


def test_rewriting_the_baseline_drops_stale_entries(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--write-baseline", "baseline.json"])
    write(project, "src/app.py", HANDLER.replace('    sqs = boto3.client("sqs")\n', "    sqs = None\n"))
    refreshed = summary(capsys, "--baseline", "baseline.json", "--write-baseline", "baseline.json")
    assert (refreshed["total"], refreshed["suppressed"], refreshed["stale_baseline"]) == (0, 1, 0)
    document = json.loads((project / "baseline.json").read_text(encoding="utf-8"))
    assert len(document["findings"]) == 1
    assert summary(capsys, "--baseline", "baseline.json")["stale_baseline"] == 0


def test_baselined_findings_show_with_include_suppressed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "--write-baseline", "baseline.json"])
    capsys.readouterr()
    main(["check", "--format", "json", "--include-suppressed", "--baseline", "baseline.json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [finding["suppressed"] for finding in findings] == [
        {
            "kind": "baseline",
            "reason": "recorded in the baseline",
            "location": {"path": "baseline.json", "start": None, "end": None},
        }
    ] * 2


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (None, "lambdalint: error: cannot read baseline missing.json: No such file or directory"),
        (
            "{",
            "lambdalint: error: baseline missing.json is not valid JSON: "
            "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        ),
        (
            '{"version": 1}',
            "lambdalint: error: missing.json is not a lambdalint baseline (written by --write-baseline)",
        ),
        (
            '{"lambdalint-baseline": 1, "findings": [{"rule": "LL110"}]}',
            "lambdalint: error: baseline missing.json: 'findings' must be a list of entries with a fingerprint",
        ),
    ],
)
def test_a_bad_baseline_is_a_usage_error(
    project: Path, capsys: pytest.CaptureFixture[str], content: str | None, error: str
) -> None:
    if content is not None:
        write(project, "missing.json", content)
    assert main(["check", "--baseline", "missing.json"]) == 2
    assert capsys.readouterr().err.splitlines() == [error]
