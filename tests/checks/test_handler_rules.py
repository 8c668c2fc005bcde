"""LL101, LL102, LL103, LL130, LL131: what the rule examples cannot show — severities, messages
and related locations."""

from __future__ import annotations

from pathlib import Path

from lambdalint.findings import Finding, Severity
from tests.files import lint_files

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
"""


def findings(root: Path, rule_id: str, files: dict[str, str]) -> list[Finding]:
    return lint_files(root, files, rule_id)


def where(finding: Finding) -> tuple[str, int, int]:
    span = finding.location.span
    assert span is not None
    return finding.location.path, span.start_line, span.start_column


def related(finding: Finding) -> list[tuple[str, int, str | None]]:
    return [(r.path, r.span.start_line if r.span else 0, r.label) for r in finding.related]


def test_recursion_through_a_helper_lists_the_cycle(tmp_path: Path) -> None:
    code = (
        "def unwrap(record, context):\n"  # 1
        "    return handler(record['inner'], context)\n"  # 2
        "\n"
        "\n"
        "def handler(event, context):\n"  # 5
        "    return [unwrap(r, context) for r in event['Records']]\n"
    )
    (finding,) = findings(tmp_path, "LL101", {"app.py": code})
    assert where(finding) == ("app.py", 2, 12)
    assert finding.severity is Severity.ERROR
    assert finding.message.startswith("handler calls itself again (handler → unwrap → handler): ")
    assert related(finding) == [("app.py", 5, "calls unwrap"), ("app.py", 1, "calls handler")]


def test_direct_recursion_says_so(tmp_path: Path) -> None:
    code = "def handler(event, context):\n    return handler(event['next'], context) if 'next' in event else 1\n"
    (finding,) = findings(tmp_path, "LL101", {"app.py": code})
    assert finding.message.startswith("handler calls itself: every level runs inside this one invocation")
    assert related(finding) == [("app.py", 1, "calls handler")]


def test_self_invocation_names_the_function_name_it_read(tmp_path: Path) -> None:
    code = (
        "import boto3\n"
        "client = boto3.client('lambda')\n"
        "\n"
        "def handler(event, context):\n"
        "    client.invoke(FunctionName=context.invoked_function_arn, InvocationType='Event')\n"
    )
    (finding,) = findings(tmp_path, "LL102", {"app.py": code})
    assert where(finding) == ("app.py", 5, 5)
    assert finding.message.startswith("invoke(FunctionName=context.invoked_function_arn) invokes this very function")
    assert related(finding) == [("app.py", 4, "the handler, which runs this on every invocation")]


def test_self_invocation_by_a_template_variable_that_names_the_function(tmp_path: Path) -> None:
    template = TEMPLATE + "      Environment:\n        Variables:\n          NEXT: !GetAtt OrdersFunction.Arn\n"
    code = (
        "import os\nimport boto3\n\n"
        "def handler(event, context):\n"
        "    boto3.client('lambda').invoke(FunctionName=os.environ['NEXT'], InvocationType='Event')\n"
    )
    (finding,) = findings(tmp_path, "LL102", {"template.yaml": template, "src/app.py": code})
    assert where(finding) == ("src/app.py", 5, 5)


def test_a_variable_naming_another_function_is_not_self_invocation(tmp_path: Path) -> None:
    template = TEMPLATE + "      Environment:\n        Variables:\n          NEXT: !Ref OtherFunction\n"
    code = (
        "import os\nimport boto3\n\n"
        "def handler(event, context):\n"
        "    boto3.client('lambda').invoke(FunctionName=os.environ['NEXT'], InvocationType='Event')\n"
    )
    assert findings(tmp_path, "LL102", {"template.yaml": template, "src/app.py": code}) == []


def test_sync_invoke_is_a_note_with_the_callee_in_the_message(tmp_path: Path) -> None:
    code = (
        "import boto3\n"
        "lambda_client = boto3.client('lambda')\n"
        "\n"
        "def handler(event, context):\n"
        "    return lambda_client.invoke(FunctionName='pricing', Payload=b'{}')\n"
    )
    (finding,) = findings(tmp_path, "LL103", {"app.py": code})
    assert finding.severity is Severity.NOTE
    assert where(finding) == ("app.py", 5, 12)
    assert finding.message.startswith("synchronous invoke of 'pricing': this function waits, billed,")
    assert 'InvocationType="Event"' in finding.message


def test_sync_self_invocation_is_only_ll102(tmp_path: Path) -> None:
    code = (
        "import boto3\n"
        "lambda_client = boto3.client('lambda')\n"
        "\n"
        "def handler(event, context):\n"
        "    return lambda_client.invoke(FunctionName=context.function_name)\n"
    )
    assert findings(tmp_path, "LL103", {"app.py": code}) == []
    assert [f.rule_id for f in findings(tmp_path, "LL102", {})] == ["LL102"]


def test_async_handler_points_at_the_async_keyword_and_the_template(tmp_path: Path) -> None:
    code = "import asyncio\n\n\nasync def handler(event, context):\n    await asyncio.sleep(0)\n"
    (finding,) = findings(tmp_path, "LL130", {"template.yaml": TEMPLATE, "src/app.py": code})
    assert where(finding) == ("src/app.py", 4, 1)
    assert finding.location.span is not None and finding.location.span.end_column == 6
    assert finding.message.startswith("handler is async def: the Python runtime calls the handler without awaiting")
    assert related(finding) == [("template.yaml", 7, "OrdersFunction's Handler")]


def test_handler_signature_messages_say_what_is_wrong(tmp_path: Path) -> None:
    cases = {
        "def handler(event):\n    pass\n": "handler takes 1 positional parameter, but Lambda calls it with two",
        "def handler():\n    pass\n": "handler takes 0 positional parameters, but Lambda calls it with two",
        "def handler(event, context, table, queue):\n    pass\n": (
            "handler requires 4 positional parameters, but Lambda passes only (event, context): every "
            "invocation fails with TypeError; give table, queue a default"
        ),
        "def handler(event, context, *, bucket, prefix=''):\n    pass\n": (
            "handler requires the keyword-only parameter bucket, which Lambda never passes"
        ),
        "handler = 'app.main'\n": "the template's Handler names handler, a string, not a function",
    }
    for number, (code, message) in enumerate(cases.items()):
        root = tmp_path / str(number)
        (finding,) = findings(root, "LL131", {"template.yaml": TEMPLATE, "src/app.py": code})
        assert finding.message.startswith(message), finding.message
        assert related(finding) == [("template.yaml", 7, "OrdersFunction's Handler")]
