"""LL150: the message never repeats the secret, the rule carries a security severity, and test
files are told apart by path."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambdalint.checks.code.hardcoded_credentials import is_test_file
from lambdalint.config import load_config
from lambdalint.engine import run
from lambdalint.output import OutputOptions, render
from lambdalint.rulepack import builtin_rules
from tests.files import write

KEY_ID = "AKIAQX5RB7NCW2ZLTM4D"
SECRET = "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"


def test_the_message_masks_the_value(tmp_path: Path) -> None:
    write(
        tmp_path,
        "app.py",
        "import boto3\n"
        f"s3 = boto3.client('s3', aws_access_key_id='{KEY_ID}', aws_secret_access_key='{SECRET}')\n"
        "def handler(event, context):\n"
        "    return s3\n",
    )
    found = run([tmp_path], load_config(None).merged_with(select=["LL150"]), root=tmp_path).reported
    messages = sorted(f.message for f in found)
    assert [m.split(":")[0] for m in messages] == [
        "AWS access key id written in the code ('AKIA…')",
        "AWS secret access key written in the code ('p8Zk…')",
    ]
    assert not any(KEY_ID in m or SECRET in m for m in messages)


def test_the_rule_is_a_security_rule_with_a_severity_score() -> None:
    rule = builtin_rules()["LL150"]
    assert (rule.tags, rule.security_severity) == (("security",), 8.0)


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("tests/test_app.py", True),
        ("src/tests/helpers.py", True),
        ("test/fixtures.py", True),
        ("src/orders_test.py", True),
        ("conftest.py", True),
        ("src/app.py", False),
        ("src/testing_utils.py", False),
        ("src/latest.py", False),
    ],
)
def test_test_files(rel: str, expected: bool) -> None:
    assert is_test_file(rel) is expected


def test_the_secret_never_reaches_any_output(tmp_path: Path) -> None:
    """The excerpt of the text format quotes the line: the key must be masked there too."""
    secret = "Xk3vPq9ZtL2mWn8RbC4yHs7JdF1gA6eQuT5oVi0N"
    (tmp_path / "app.py").write_text(
        "import boto3\n\n"
        f's3 = boto3.client("s3", aws_access_key_id="AKIA2OGYBAH6QZVXJ7NM", aws_secret_access_key="{secret}")\n\n'
        "def handler(event, context):\n    return s3.list_buckets()\n"
    )
    result = run([tmp_path], load_config(None).merged_with(select=["LL150"]), root=tmp_path)
    for name in ("text", "json", "sarif"):
        report = render(name, result, OutputOptions())
        assert secret not in report and "AKIA2OGYBAH6QZVXJ7NM" not in report, name
    assert "Xk3v" + "*" * 36 in render("text", result, OutputOptions())
