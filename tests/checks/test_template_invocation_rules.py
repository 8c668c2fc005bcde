"""LL208, LL209, LL213, LL215, LL218: what the rule examples cannot show — severities, messages,
related locations, and findings made once where several functions share a resource."""

from __future__ import annotations

import json
from pathlib import Path

from lambdalint.checks.template.resource_policy_size import LIMIT_BYTES, _statement_bytes
from lambdalint.findings import Finding, Severity
from lambdalint.loaders.template import load_template_text
from lambdalint.loaders.tree import Mapping
from lambdalint.model.graph import TemplateGraph
from lambdalint.model.project import Template
from tests.files import lint_files


def findings(root: Path, rule_id: str, template: str, rel: str = "template.yaml") -> list[Finding]:
    return lint_files(root, {rel: template}, rule_id)


def line(finding: Finding) -> int:
    assert finding.location.span is not None
    return finding.location.span.start_line


def related(finding: Finding) -> list[tuple[int, str | None]]:
    return [(r.span.start_line if r.span else 0, r.label) for r in finding.related]


# -- LL208 sqs-visibility-timeout -------------------------------------------------------------
QUEUE_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: {timeout}
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: {visibility}
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): pass"
      Handler: index.handler
      Runtime: python3.12
      Events:
        Work:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
"""


def test_queue_shorter_than_the_timeout_is_an_error_at_the_queue(tmp_path: Path) -> None:
    (finding,) = findings(tmp_path, "LL208", QUEUE_TEMPLATE.format(timeout=60, visibility=45))
    assert finding.severity is Severity.ERROR
    assert line(finding) == 9
    assert finding.message.startswith(
        "Jobs's visibility timeout (45 s) is shorter than the Timeout of Worker, which reads it (60 s): "
        "Lambda refuses to create the event source mapping. Set VisibilityTimeout to at least 360 s"
    )
    assert related(finding) == [(4, "Worker's Timeout"), (17, "Worker reads Jobs here")]
    assert finding.resource == ("template.yaml", "Jobs")  # Metadata suppressions go on the queue


def test_queue_under_six_times_is_a_warning(tmp_path: Path) -> None:
    (finding,) = findings(tmp_path, "LL208", QUEUE_TEMPLATE.format(timeout=60, visibility=300))
    assert finding.severity is Severity.WARNING
    assert "less than six times the Timeout of Worker" in finding.message
    assert finding.message.endswith("Set VisibilityTimeout to at least 360 s")


def test_default_timeout_and_visibility_are_named_as_defaults(tmp_path: Path) -> None:
    template = QUEUE_TEMPLATE.replace("Globals:\n  Function:\n    Timeout: {timeout}\n", "").replace(
        "    Properties:\n      VisibilityTimeout: {visibility}\n", "    Properties:\n      FifoQueue: true\n", 1
    )
    template = template.replace("Handler: index.handler", "Handler: index.handler\n      Timeout: 6")
    (finding,) = findings(tmp_path, "LL208", template)
    assert finding.message.startswith("Jobs's visibility timeout (the default 30 s) is less than six times")
    assert line(finding) == 5  # the queue's Properties: the fix goes there


def test_a_queue_read_by_two_functions_is_reported_once_for_the_longer_timeout(tmp_path: Path) -> None:
    template = QUEUE_TEMPLATE.format(timeout=10, visibility=100) + (
        "  Auditor:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        '      InlineCode: "def handler(event, context): pass"\n'
        "      Handler: index.handler\n"
        "      Runtime: python3.12\n"
        "      Timeout: 120\n"
        "      Events:\n"
        "        Audit:\n"
        "          Type: SQS\n"
        "          Properties:\n"
        "            Queue: !GetAtt Jobs.Arn\n"
    )
    (finding,) = findings(tmp_path, "LL208", template)
    assert finding.severity is Severity.ERROR
    assert "the Timeout of Auditor, which reads it (120 s)" in finding.message


# -- LL209 api-timeout-exceeds-integration ----------------------------------------------------
API_TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 60
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): pass"
      Handler: index.handler
      Runtime: python3.12
      Events:
        List:
          Type: HttpApi
          Properties: {Path: /orders, Method: GET}
        Get:
          Type: Api
          Properties: {Path: "/orders/{id}", Method: GET}
"""


def test_api_timeout_names_the_tightest_integration_and_lists_all(tmp_path: Path) -> None:
    (finding,) = findings(tmp_path, "LL209", API_TEMPLATE)
    assert finding.severity is Severity.WARNING
    assert line(finding) == 4  # the Globals line
    assert finding.message.startswith(
        "Timeout 60 s is above the 29 s integration timeout of the REST API event Get: API Gateway stops "
        "waiting after 29 s"
    )
    assert related(finding) == [
        (13, "the HTTP API event List waits 30 s"),
        (16, "the REST API event Get waits 29 s"),
        (6, "Orders gets this value from Globals"),
    ]


def test_an_integration_timeout_known_only_at_deploy_time_is_not_judged(tmp_path: Path) -> None:
    template = API_TEMPLATE.replace(
        'Properties: {Path: "/orders/{id}", Method: GET}',
        'Properties: {Path: "/orders/{id}", Method: GET, TimeoutInMillis: !Ref Millis}',
    ).replace("Resources:", "Parameters:\n  Millis: {Type: Number}\nResources:")
    (finding,) = findings(tmp_path, "LL209", template)
    assert "the HTTP API event List" in finding.message  # the REST event is left out


# -- LL213 alias-routing-invalid -------------------------------------------------------------
ALIAS_TEMPLATE = """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: {ZipFile: "def handler(event, context): pass"}
  Live:
    Type: AWS::Lambda::Alias
    Properties:
      FunctionName: !Ref Fn
      FunctionVersion: "3"
      Name: live
      RoutingConfig:
        AdditionalVersionWeights:
          - {FunctionVersion: live, FunctionWeight: 25}
"""


def test_alias_findings_explain_and_point_at_the_alias(tmp_path: Path) -> None:
    version, weight = findings(tmp_path, "LL213", ALIAS_TEMPLATE)
    assert version.message.startswith("alias Live routes traffic to 'live', which is not a published version")
    assert weight.message.startswith("alias Live gives a FunctionWeight of 25: weights are fractions from 0.0")
    assert related(version) == related(weight) == [(2, "Fn, the function it routes")]
    assert version.resource == ("template.yaml", "Live")


# -- LL215 public-invoke-permission ----------------------------------------------------------
PERMISSION_TEMPLATE = """\
Resources:
  First:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/first
      Code: {ZipFile: "def handler(event, context): pass"}
  Second:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/second
      Code: {ZipFile: "def handler(event, context): pass"}
  FromS3:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Second
      Action: lambda:InvokeFunction
      Principal: s3.amazonaws.com
  Elsewhere:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: arn:aws:lambda:eu-west-1:123456789012:function:billing
      Action: lambda:GetFunction
      Principal: "*"
"""


def test_permissions_severity_message_and_related(tmp_path: Path) -> None:
    from_s3, elsewhere = findings(tmp_path, "LL215", PERMISSION_TEMPLATE)
    assert from_s3.severity is Severity.WARNING
    assert from_s3.message.startswith("permission FromS3 lets s3.amazonaws.com invoke Second on behalf of any AWS")
    assert "confused deputy" in from_s3.message
    assert related(from_s3) == [(9, "Second, the function it opens")]
    # a permission for a function of another stack is checked once, with no function to relate
    assert elsewhere.severity is Severity.ERROR
    assert elsewhere.message.startswith(
        "permission Elsewhere lets anyone invoke a function defined outside this template "
        "(lambda:GetFunction) from any AWS account"
    )
    assert related(elsewhere) == []
    assert line(elsewhere) == 27


def test_function_url_finding_says_how_to_keep_a_deliberate_webhook(tmp_path: Path) -> None:
    template = PERMISSION_TEMPLATE.split("  FromS3:")[0] + (
        "  SecondUrl:\n"
        "    Type: AWS::Lambda::Url\n"
        "    Properties:\n"
        "      TargetFunctionArn: !GetAtt Second.Arn\n"
        "      AuthType: NONE\n"
    )
    (finding,) = findings(tmp_path, "LL215", template)
    assert finding.message.startswith("function URL SecondUrl has AuthType NONE: anyone on the internet can invoke")
    assert "`# lambdalint: ignore[LL215] <why>`" in finding.message
    assert line(finding) == 20


# -- LL218 resource-policy-too-large ---------------------------------------------------------
def test_statement_size_is_the_statement_lambda_writes() -> None:
    text = """\
Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties: {FunctionName: orders}
  Allow:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !Ref Fn
      Action: lambda:InvokeFunction
      Principal: s3.amazonaws.com
      SourceAccount: !Ref AWS::AccountId
      SourceArn: !Sub arn:aws:s3:::${AWS::AccountId}-uploads
"""
    root = load_template_text(text, is_json=False)
    assert isinstance(root, Mapping)
    graph = TemplateGraph(Template(Path("template.yaml"), "template.yaml", text, root))
    expected = {
        "Sid": "Allow",
        "Effect": "Allow",
        "Principal": {"Service": "s3.amazonaws.com"},
        "Action": "lambda:InvokeFunction",
        "Resource": "arn:aws:lambda:::function:orders",
        "Condition": {"StringEquals": {"AWS:SourceAccount": ""}, "ArnLike": {"AWS:SourceArn": "arn:aws:s3:::-uploads"}},
    }
    size = _statement_bytes(graph, "Allow", graph.properties("Allow"), "arn:aws:lambda:::function:orders")
    assert size == len(json.dumps(expected, separators=(",", ":")))


def _permissions(count: int, target: str) -> str:
    return "".join(
        f"  Route{index}: {{Type: AWS::Lambda::Permission, Properties: {{FunctionName: !Ref {target}, "
        f"Action: lambda:InvokeFunction, Principal: apigateway.amazonaws.com, "
        f'SourceArn: !Sub "arn:aws:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{Api}}/*/GET/r{index:03}"}}}}\n'
        for index in range(count)
    )


ROUTES_TEMPLATE = """\
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: {ZipFile: "def handler(event, context): pass"}
  Live:
    Type: AWS::Lambda::Alias
    Properties: {FunctionName: !Ref Fn, FunctionVersion: "1", Name: live}
"""


def test_policy_over_the_limit_is_reported_once_at_the_crossing_permission(tmp_path: Path) -> None:
    (finding,) = findings(tmp_path, "LL218", ROUTES_TEMPLATE + _permissions(120, "Fn"))
    assert finding.message.startswith("with Route")
    assert "the resource-based policy of Fn reaches an estimated" in finding.message
    estimated = int(finding.message.split("estimated ")[1].split(" bytes")[0].replace(",", ""))
    assert LIMIT_BYTES < estimated < LIMIT_BYTES + 400
    assert related(finding) == [(4, "Fn, whose policy this is")]
    assert finding.resource is not None and finding.resource[1].startswith("Route")


def test_an_alias_has_a_policy_of_its_own(tmp_path: Path) -> None:
    half = ROUTES_TEMPLATE + _permissions(60, "Fn") + _permissions(60, "Live").replace("Route", "AliasRoute")
    assert findings(tmp_path, "LL218", half) == []
    (finding,) = findings(tmp_path, "LL218", ROUTES_TEMPLATE + _permissions(120, "Live"))
    assert "the resource-based policy of alias Live of Fn reaches" in finding.message
    assert related(finding) == [(11, "Live, whose policy this is")]
