"""LL211 and LL216: what the rule examples cannot show — messages that never repeat a secret,
masked excerpts, related locations, and the cases where LL216 must know it does not know."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lambdalint.checks.template.plaintext_secret_in_environment import names_a_secret
from lambdalint.config import load_config
from lambdalint.engine import run
from lambdalint.findings import Finding, Severity
from lambdalint.model.lambda_environment import RESERVED, RUNTIME_SET
from lambdalint.output import OutputOptions, render
from lambdalint.rulepack import builtin_rules
from tests.files import lint_files, write


def findings(root: Path, rule_id: str, files: dict[str, str]) -> list[Finding]:
    return lint_files(root, files, rule_id)


def related(finding: Finding) -> list[tuple[str, int, str | None]]:
    return [(r.path, r.span.start_line if r.span else 0, r.label) for r in finding.related]


def sam(variables: str = "", globals_variables: str = "", *functions: str) -> str:
    """A SAM template whose functions (default one, OrdersFunction) share ``CodeUri: src/``."""
    text = "Transform: AWS::Serverless-2016-10-31\n"
    if globals_variables:
        text += f"Globals:\n  Function:\n    Environment:\n      Variables:\n{globals_variables}"
    text += "Resources:\n"
    for name in functions or ("OrdersFunction",):
        text += (
            f"  {name}:\n    Type: AWS::Serverless::Function\n    Properties:\n"
            "      CodeUri: src/\n      Handler: app.handler\n      Runtime: python3.12\n"
        )
        if variables:
            text += f"      Environment:\n        Variables:\n{variables}"
    return text


# -- the shared list of Lambda's own variables -------------------------------------------------
def test_every_reserved_name_is_present_at_run_time() -> None:
    assert RESERVED < RUNTIME_SET
    assert {"TZ", "AWS_XRAY_DAEMON_ADDRESS", "AWS_LAMBDA_LOG_LEVEL"} <= RUNTIME_SET - RESERVED


# -- LL211 --------------------------------------------------------------------------------------
def test_ll211_is_a_security_error_with_a_score() -> None:
    rule = builtin_rules()["LL211"]
    assert (rule.severity, rule.tags, rule.security_severity) == (Severity.ERROR, ("security",), 7.5)


def test_ll211_names_the_kind_of_secret_never_the_secret(tmp_path: Path) -> None:
    password, token = "Summer2024!Orders", "xoxb-2817364519-5520348817265-Kq7ZtR2mWv9LxB4nHs8PcD3e"
    variables = f"          DB_PASSWORD: {password}\n          NOTIFY: {token}\n"
    found = findings(tmp_path, "LL211", {"template.yaml": sam(variables)})
    messages = sorted(finding.message for finding in found)
    assert [m.split(":")[0] for m in messages] == [
        "DB_PASSWORD holds a literal secret written in the template",
        "NOTIFY holds a Slack token written in the template",
    ]
    assert not any(password in m or token in m for m in messages)


def test_ll211_secrets_never_reach_any_output(tmp_path: Path) -> None:
    """A private key in a JSON template sits on one line: its body must be masked there too."""
    body = "MHcCAQEEIBkq9vZ3Wm8Tr2Lx5Hn7Pc4Yd1Qs6Ju0Fa3Ke8Gb2Vo9RoAoGCCqGSM49"
    key = f"-----BEGIN EC PRIVATE KEY-----\n{body}\n-----END EC PRIVATE KEY-----\n"
    password = "Vq3!rT8zLp2w"
    template = {
        "Resources": {
            "Signer": {
                "Type": "AWS::Lambda::Function",
                "Properties": {
                    "Runtime": "python3.12",
                    "Handler": "app.handler",
                    "Code": {"S3Bucket": "artifacts", "S3Key": "signer.zip"},
                    "Environment": {
                        "Variables": {
                            "SIGNING_KEY": key,
                            "DATABASE_URL": f"postgresql://signer:{password}@db.internal:5432/signer",
                        }
                    },
                },
            }
        }
    }
    write(tmp_path, "stack.template.json", json.dumps(template, indent=2))
    result = run([tmp_path], load_config(None).merged_with(select=["LL211"]), root=tmp_path)
    assert len(result.reported) == 2
    for name in ("text", "json", "sarif"):
        report = render(name, result, OutputOptions())
        assert body not in report and password not in report, name
    assert "Vq3!********" in render("text", result, OutputOptions())


def test_ll211_globals_secret_is_one_finding_for_every_function(tmp_path: Path) -> None:
    template = sam("", "        API_KEY: 9f8Kq2LmZ7xWv4RtB1nYc6Hs\n", "OrdersFunction", "RefundsFunction")
    (finding,) = findings(tmp_path, "LL211", {"template.yaml": template})
    assert finding.location.span is not None and finding.location.span.start_line == 6
    assert [label for _, _, label in related(finding)] == [
        "OrdersFunction gets this value from Globals",
        "RefundsFunction gets this value from Globals",
    ]


@pytest.mark.parametrize(
    "name",
    ["DB_PASSWORD", "STRIPE_API_KEY", "GITHUB_TOKEN", "CLIENT_SECRET", "clientSecret", "APIKEY", "API_KEY_LIVE",
     "DB_PASS", "SECRET_KEY", "NEW_RELIC_LICENSE_KEY", "DB_CREDENTIALS", "WEBHOOK_SIGNING_KEY"],
)  # fmt: skip
def test_names_that_hold_a_secret(name: str) -> None:
    assert names_a_secret(name)


@pytest.mark.parametrize(
    "name",
    ["SECRET_ARN", "SECRET_NAME", "TOKEN_PARAMETER", "API_KEY_SECRET_ID", "TOKEN_TTL", "PASSWORD_MIN_LENGTH",
     "GITHUB_TOKEN_PARAM", "AUTH_TOKEN_HEADER", "SECRETS_EXTENSION_HTTP_PORT", "PARTITION_KEY", "S3_KEY",
     "KMS_KEY", "AWS_ACCESS_KEY_ID", "BYPASS_CACHE", "PASSWORD_RESET_URL"],
)  # fmt: skip
def test_names_that_say_where_a_secret_lives(name: str) -> None:
    assert not names_a_secret(name)


# -- LL216 --------------------------------------------------------------------------------------
def test_ll216_message_and_related_locations(tmp_path: Path) -> None:
    code = "import os\n\nTABLE = os.environ['ORDERS_TABLE']\n"
    template = sam("          TABLE_NAME: orders\n")
    (finding,) = findings(
        tmp_path, "LL216", {"template.yaml": template, "src/app.py": code + "def handler(e, c): pass\n"}
    )
    assert finding.severity is Severity.ERROR
    assert finding.message == (
        "ORDERS_TABLE is read without a default but OrdersFunction does not set it: add it to the "
        "function's Environment.Variables (or Globals) or use os.environ.get with a default"
    )
    assert (finding.location.path, finding.location.span and finding.location.span.start_line) == ("src/app.py", 3)
    assert related(finding) == [("template.yaml", 10, "OrdersFunction's environment variables")]


def test_ll216_one_finding_per_name_with_the_other_reads(tmp_path: Path) -> None:
    code = (
        "import os\n"
        "def handler(event, context):\n"
        "    return os.environ['BUCKET']\n"  # 3
        "def other():\n"
        "    return os.environ['BUCKET'] + os.environ['PREFIX']\n"  # 5
    )
    found = findings(tmp_path, "LL216", {"template.yaml": sam(), "src/app.py": code})
    by_name = {finding.message.split()[0]: finding for finding in found}
    assert sorted(by_name) == ["BUCKET", "PREFIX"]
    assert related(by_name["BUCKET"]) == [
        ("src/app.py", 5, "BUCKET is read here too"),
        ("template.yaml", 5, "OrdersFunction sets no environment variables"),
    ]


def test_ll216_globals_and_several_functions(tmp_path: Path) -> None:
    template = sam("", "        LOG_LEVEL: INFO\n", "OrdersFunction", "RefundsFunction")
    code = "import os\ndef handler(event, context):\n    return os.environ['BUS']\n"
    (finding,) = findings(tmp_path, "LL216", {"template.yaml": template, "src/app.py": code})
    assert "but none of OrdersFunction, RefundsFunction sets it: add it to their Environment.Variables" in (
        finding.message
    )
    assert related(finding) == [
        ("template.yaml", 5, "OrdersFunction's environment variables (from Globals)"),
        ("template.yaml", 5, "RefundsFunction's environment variables (from Globals)"),
    ]


def test_ll216_a_name_in_neither_branch_of_an_if_is_missing(tmp_path: Path) -> None:
    template = (
        "Transform: AWS::Serverless-2016-10-31\n"
        "Conditions:\n  IsProd: !Equals [!Ref AWS::StackName, prod]\n"
        "Resources:\n  OrdersFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      CodeUri: src/\n      Handler: app.handler\n      Runtime: python3.12\n"
        "      Environment: !If\n        - IsProd\n        - Variables: {TABLE: orders, ALARMS: arn}\n"
        "        - !Ref AWS::NoValue\n"
    )
    code = "import os\ndef handler(event, context):\n    return os.environ['ALARMS'], os.environ['QUEUE']\n"
    (finding,) = findings(tmp_path, "LL216", {"template.yaml": template, "src/app.py": code})
    assert finding.message.startswith("QUEUE is read without a default")


def test_ll216_a_check_guards_only_its_own_function(tmp_path: Path) -> None:
    code = (
        "import os\n"
        "def handler(event, context):\n"
        "    return os.environ['STAGE'] if 'STAGE' in os.environ else 'dev'\n"
        "def banner():\n"
        "    return os.environ['STAGE']\n"
    )
    (finding,) = findings(tmp_path, "LL216", {"template.yaml": sam(), "src/app.py": code})
    assert finding.location.span is not None and finding.location.span.start_line == 5


def test_ll216_writes_and_deletes_are_not_reads(tmp_path: Path) -> None:
    code = (
        "import os\n"
        "os.environ['BOTO_CONFIG'] = '/var/task/boto.cfg'\n"
        "del os.environ['HTTP_PROXY']\n"
        "def handler(event, context):\n"
        "    return os.environ['BOTO_CONFIG']\n"
    )
    assert findings(tmp_path, "LL216", {"template.yaml": sam(), "src/app.py": code}) == []


@pytest.mark.parametrize(
    ("rel", "text", "reported"),
    [
        ("src/config.py", "from dotenv import load_dotenv\nload_dotenv()\n", False),
        ("src/config.py", "import os\nos.environ.update(json.load(open('env.json')))\n", False),
        ("src/config.py", "import os\nos.environ.setdefault('TABLE', 'orders')\n", False),
        ("src/tests/conftest.py", "import os\nos.environ['TABLE'] = 'test-orders'\n", True),
        ("other/config.py", "import os\nos.environ['TABLE'] = 'orders'\n", True),
    ],
)
def test_ll216_variables_the_code_sets_itself(tmp_path: Path, rel: str, text: str, reported: bool) -> None:
    code = "import os\ndef handler(event, context):\n    return os.environ['TABLE']\n"
    found = findings(tmp_path, "LL216", {"template.yaml": sam(), "src/app.py": code, rel: text})
    assert bool(found) is reported
