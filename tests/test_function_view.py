"""The function view reads SAM and CloudFormation alike, with Globals merged and Lambda's defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambdalint.model.build import build_project
from lambdalint.model.function_view import FIELD_NAMES, Field, function_view, lookup
from lambdalint.model.graph import Unknown
from lambdalint.model.project import Function

SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
    Default: prod
  MemoryBudget:
    Type: Number
Globals:
  Function:
    Runtime: python3.12
    Timeout: 30
    Tracing: Active
    Layers:
      - arn:aws:lambda:eu-west-1:123456789012:layer:powertools:3
    Environment:
      Variables:
        STAGE: !Ref Stage
    Tags:
      Owner: payments
Resources:
  OrdersRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: orders-api
      CodeUri: src/
      Handler: app.handler
      MemorySize: 1024
      EphemeralStorage:
        Size: 2048
      Architectures: [arm64]
      Role: !GetAtt OrdersRole.Arn
      ReservedConcurrentExecutions: 10
      DeadLetterQueue:
        Type: SQS
        TargetArn: arn:aws:sqs:eu-west-1:123456789012:orders-dlq
      VpcConfig:
        SubnetIds: [subnet-0a1b2c3d]
        SecurityGroupIds: [sg-0a1b2c3d]
      Environment:
        Variables:
          TABLE_NAME: orders
      Tags:
        Workload: heavy
      EventInvokeConfig:
        DestinationConfig:
          OnFailure:
            Type: SQS
            Destination: arn:aws:sqs:eu-west-1:123456789012:orders-failed
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: arn:aws:sqs:eu-west-1:123456789012:orders-jobs
  Quiet:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      MemorySize: !Ref MemoryBudget
      Tracing: PassThrough
"""

CLOUDFORMATION = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Stage:
    Type: String
    Default: prod
Resources:
  OrdersRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
  Orders:
    Type: AWS::Lambda::Function
    Properties:
      FunctionName: orders-api
      Code:
        S3Bucket: artifacts-123456789012
        S3Key: orders.zip
      Runtime: python3.12
      Handler: app.handler
      MemorySize: "1024"
      Timeout: 30
      EphemeralStorage:
        Size: 2048
      Architectures: [arm64]
      Role: !GetAtt OrdersRole.Arn
      TracingConfig:
        Mode: Active
      Layers:
        - arn:aws:lambda:eu-west-1:123456789012:layer:powertools:3
      ReservedConcurrentExecutions: 10
      DeadLetterConfig:
        TargetArn: arn:aws:sqs:eu-west-1:123456789012:orders-dlq
      VpcConfig:
        SubnetIds: [subnet-0a1b2c3d]
        SecurityGroupIds: [sg-0a1b2c3d]
      Environment:
        Variables:
          STAGE: !Ref Stage
          TABLE_NAME: orders
      Tags:
        - Key: Owner
          Value: payments
        - Key: Workload
          Value: heavy
  OrdersInvokeConfig:
    Type: AWS::Lambda::EventInvokeConfig
    Properties:
      FunctionName: !Ref Orders
      Qualifier: $LATEST
      DestinationConfig:
        OnFailure:
          Destination: arn:aws:sqs:eu-west-1:123456789012:orders-failed
  OrdersJobs:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Orders
      EventSourceArn: arn:aws:sqs:eu-west-1:123456789012:orders-jobs
  Quiet:
    Type: AWS::Lambda::Function
    Properties:
      Code:
        ZipFile: "def handler(event, context): pass"
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/quiet
"""


def functions(tmp_path: Path, text: str) -> dict[str, Function]:
    tmp_path.mkdir(exist_ok=True)
    path = tmp_path / "template.yaml"
    path.write_text(text, encoding="utf-8")
    project = build_project(tmp_path, [(path, False)], [], [], [], lambda name: False)
    return {function.logical_id: function for function in project.functions}


def line(text: str, marker: str) -> int:
    """The 1-based line of the only line containing ``marker``."""
    (number,) = [index for index, content in enumerate(text.splitlines(), 1) if marker in content]
    return number


def node_line(found: Field | None) -> int:
    assert found is not None and found.node is not None
    return found.node.span.start_line


def test_sam_with_globals_and_cloudformation_give_one_view(tmp_path: Path) -> None:
    sam = function_view(functions(tmp_path / "sam", SAM)["Orders"])
    plain = function_view(functions(tmp_path / "cfn", CLOUDFORMATION)["Orders"])
    expected = {
        "runtime": "python3.12",
        "handler": "app.handler",
        "package-type": "Zip",
        "memory": 1024,
        "timeout": 30,
        "ephemeral-storage": 2048,
        "architectures": ["arm64"],
        "tracing": "Active",
        "layers": ["arn:aws:lambda:eu-west-1:123456789012:layer:powertools:3"],
        "environment": {"STAGE": "prod", "TABLE_NAME": "orders"},
        "role": "OrdersRole",
        "vpc": {"subnet-ids": ["subnet-0a1b2c3d"], "security-group-ids": ["sg-0a1b2c3d"]},
        "tags": {"Owner": "payments", "Workload": "heavy"},
        "reserved-concurrency": 10,
        "dead-letter": "arn:aws:sqs:eu-west-1:123456789012:orders-dlq",
        "destinations": {"on-failure": "arn:aws:sqs:eu-west-1:123456789012:orders-failed"},
        "function-name": "orders-api",
    }
    for view in (sam, plain):
        assert {name: view[name].value for name in expected} == expected
        assert list(view) == [name for name in FIELD_NAMES if name in view]
    assert sam["code-uri"].value == "src/"
    assert plain["code-uri"].value == {"S3Bucket": "artifacts-123456789012", "S3Key": "orders.zip"}
    assert sam["events"].value == ["SQS"]
    assert plain["events"].value == ["AWS::Lambda::EventSourceMapping"]


def test_nodes_point_at_the_property_and_at_globals(tmp_path: Path) -> None:
    view = function_view(functions(tmp_path, SAM)["Orders"])
    assert node_line(view["memory"]) == line(SAM, "MemorySize: 1024")
    assert node_line(view["ephemeral-storage"]) == line(SAM, "Size: 2048")
    assert node_line(view["timeout"]) == line(SAM, "Timeout: 30")  # from Globals
    assert node_line(view["tracing"]) == line(SAM, "Tracing: Active")
    assert not view["memory"].defaulted


def test_defaults_when_the_template_is_silent(tmp_path: Path) -> None:
    view = function_view(functions(tmp_path, CLOUDFORMATION)["Quiet"])
    defaults = {
        "memory": 128,
        "timeout": 3,
        "ephemeral-storage": 512,
        "tracing": "PassThrough",
        "architectures": ["x86_64"],
        "package-type": "Zip",
        "events": [],
    }
    for name, value in defaults.items():
        assert view[name] == Field(value, None, defaulted=True), name
    assert view["role"].value == "arn:aws:iam::123456789012:role/quiet"


def test_settings_without_a_default_are_absent(tmp_path: Path) -> None:
    sam = function_view(functions(tmp_path / "sam", SAM)["Quiet"])
    plain = function_view(functions(tmp_path / "cfn", CLOUDFORMATION)["Quiet"])
    for absent in ("vpc", "dead-letter", "destinations", "reserved-concurrency", "provisioned-concurrency"):
        assert absent not in sam and absent not in plain
        assert lookup(plain, absent) is None
    assert "role" not in sam  # SAM creates one
    assert "function-name" not in plain and "tags" not in plain and "environment" not in plain
    assert lookup(plain, "tags.Owner") is None
    assert lookup(sam, "tags.Team") is None  # tags exist (from Globals), this one does not
    assert lookup(sam, "runtime.x") is None


def test_a_parameter_without_default_is_unknown(tmp_path: Path) -> None:
    view = function_view(functions(tmp_path, SAM)["Quiet"])
    memory = view["memory"]
    assert isinstance(memory.value, Unknown)
    assert "MemoryBudget" in memory.value.reason
    assert memory.node is not None and memory.node.key_span is not None
    assert memory.node.key_span.start_line == line(SAM, "MemorySize: !Ref MemoryBudget")
    assert view["tracing"].value == "PassThrough" and not view["tracing"].defaulted


@pytest.mark.parametrize(
    ("text", "owner_line", "workload_line"),
    [
        (SAM, line(SAM, "Owner: payments"), line(SAM, "Workload: heavy")),
        (CLOUDFORMATION, line(CLOUDFORMATION, "Value: payments"), line(CLOUDFORMATION, "Value: heavy")),
    ],
    ids=["sam-map-with-globals", "cloudformation-list"],
)
def test_lookup_of_tags_points_at_the_tag(tmp_path: Path, text: str, owner_line: int, workload_line: int) -> None:
    view = function_view(functions(tmp_path, text)["Orders"])
    owner, workload = lookup(view, "tags.Owner"), lookup(view, "tags.Workload")
    assert owner is not None and owner.value == "payments" and node_line(owner) == owner_line
    assert workload is not None and workload.value == "heavy" and node_line(workload) == workload_line


def test_lookup_of_environment_variables_and_nested_records(tmp_path: Path) -> None:
    view = function_view(functions(tmp_path, SAM)["Orders"])
    stage, table = lookup(view, "environment.STAGE"), lookup(view, "environment.TABLE_NAME")
    assert stage is not None and stage.value == "prod" and node_line(stage) == line(SAM, "STAGE: !Ref Stage")
    assert table is not None and table.value == "orders" and node_line(table) == line(SAM, "TABLE_NAME: orders")
    subnets = lookup(view, "vpc.subnet-ids")
    assert subnets is not None and subnets.value == ["subnet-0a1b2c3d"]
    assert node_line(subnets) == line(SAM, "SubnetIds:")
    failure = lookup(view, "destinations.on-failure")
    assert failure is not None and node_line(failure) == line(SAM, "Destination: arn:aws:sqs")
    assert lookup(view, "memory") is view["memory"]


def test_values_decided_at_deploy_time(tmp_path: Path) -> None:
    text = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  Team: {Type: String}
Conditions:
  IsProd: !Equals [!Ref AWS::StackName, prod]
Resources:
  Table:
    Type: AWS::DynamoDB::Table
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.13
      Tracing: !If [IsProd, Active, PassThrough]
      Environment:
        Variables:
          TABLE: !Ref Table
      Tags: !If [IsProd, {Owner: a}, {Owner: b}]
      EventInvokeConfig:
        DestinationConfig:
          OnSuccess:
            Type: SNS
"""
    view = function_view(functions(tmp_path, text)["Fn"])
    assert isinstance(view["tracing"].value, Unknown) and not view["tracing"].defaulted
    table = lookup(view, "environment.TABLE")
    assert table is not None and isinstance(table.value, Unknown) and table.value.references == {"Table"}
    owner = lookup(view, "tags.Owner")
    assert owner is not None and isinstance(owner.value, Unknown)
    success = lookup(view, "destinations.on-success")
    assert success is not None and isinstance(success.value, Unknown)  # SAM creates the topic


def test_cloudformation_tag_keys_and_dotted_keys(tmp_path: Path) -> None:
    text = """\
Parameters:
  TagKey: {Type: String}
Resources:
  Dotted:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/fn
      Code: {ZipFile: "def handler(event, context): pass"}
      Runtime: python3.13
      Handler: index.handler
      Tags:
        - {Key: app.example.com/team, Value: search}
  Decided:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/fn
      Code: {ZipFile: "def handler(event, context): pass"}
      Runtime: python3.13
      Handler: index.handler
      Tags:
        - {Key: !Ref TagKey, Value: search}
"""
    found = functions(tmp_path, text)
    dotted = lookup(function_view(found["Dotted"]), "tags.app.example.com/team")
    assert dotted is not None and dotted.value == "search"
    decided = lookup(function_view(found["Decided"]), "tags.Owner")
    assert decided is not None and isinstance(decided.value, Unknown)


def test_provisioned_concurrency_from_sam_and_from_an_alias(tmp_path: Path) -> None:
    text = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Sam:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.13
      AutoPublishAlias: live
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 5
  Plain:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/fn
      Code: {ZipFile: "def handler(event, context): pass"}
      Runtime: python3.13
      Handler: index.handler
  PlainVersion:
    Type: AWS::Lambda::Version
    Properties:
      FunctionName: !Ref Plain
  PlainAlias:
    Type: AWS::Lambda::Alias
    Properties:
      Name: live
      FunctionName: !Ref Plain
      FunctionVersion: !GetAtt PlainVersion.Version
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: "5"
"""
    found = functions(tmp_path, text)
    assert function_view(found["Sam"])["provisioned-concurrency"].value == 5
    plain = function_view(found["Plain"])["provisioned-concurrency"]
    assert plain.value == 5 and node_line(plain) == line(text, 'ProvisionedConcurrentExecutions: "5"')
