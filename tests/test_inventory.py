"""The function inventory: each function's deployed shape, Globals merged (into SAM functions only),
Lambda's defaults filled in, and what the template leaves open left unknown."""

from __future__ import annotations

from pathlib import Path

from lambdalint.config import load_config
from lambdalint.engine import run
from lambdalint.findings import Location, Span
from lambdalint.model.inventory import FunctionInfo
from tests.files import write

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Memory:
    Type: Number
  Runtime:
    Type: String
  Region:
    Type: String
    Default: eu-west-1
Conditions:
  IsProd: !Equals [!Ref Region, eu-west-1]
Globals:
  Function:
    Runtime: python3.12
    Timeout: 30
    Layers:
      - !Ref CommonLayer
Resources:
  CommonLayer:
    Type: AWS::Serverless::LayerVersion
    Properties:
      ContentUri: layer/
  PrivateSubnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: vpc-0a1b2c3d
      CidrBlock: 10.0.0.0/24
  OrdersRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      MemorySize: 1024
      Role: !GetAtt OrdersRole.Arn
      VpcConfig:
        SubnetIds: [!Ref PrivateSubnet, subnet-0f00]
        SecurityGroupIds: [sg-0a1b2c3d]
  Reports:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://artifacts/reports.zip
      Handler: app.handler
      Runtime: !Ref Runtime
      MemorySize: !Ref Memory
      Layers:
        - !Sub arn:aws:lambda:${AWS::Region}:123456789012:layer:fonts:2
      VpcConfig: !If [IsProd, {SubnetIds: [subnet-1]}, !Ref AWS::NoValue]
  Cleanup:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/cleanup
      Code:
        ZipFile: "exports.handler = async () => {};"
"""


def test_every_function_with_its_settings_globals_merged_and_unknowns_unknown(tmp_path: Path) -> None:
    write(tmp_path, "template.yaml", TEMPLATE)
    write(tmp_path, "src/app.py", "def handler(event, context):\n    return 1\n")  # 42 bytes
    write(tmp_path, "src/requirements.txt", "boto3\n")  # 6 bytes
    write(tmp_path, "src/__pycache__/app.cpython-312.pyc", "x" * 100)  # left out by sam build
    write(tmp_path, "layer/python/common.py", "")

    functions = run([tmp_path], load_config(None), root=tmp_path).functions

    assert functions == (
        FunctionInfo(
            template="template.yaml",
            logical_id="Cleanup",
            type="AWS::Lambda::Function",
            location=Location("template.yaml", Span(53, 3, 53, 10)),
            code="inline",
            runtime="nodejs20.x",
            memory=128,
            timeout=3,
            package_size=None,
            layers=(),
            role="arn:aws:iam::123456789012:role/cleanup",
            subnets=(),
            security_groups=(),
            code_analysed=False,
        ),
        FunctionInfo(
            template="template.yaml",
            logical_id="Orders",
            type="AWS::Serverless::Function",
            location=Location("template.yaml", Span(33, 3, 33, 9)),
            code="directory",
            runtime="python3.12",
            memory=1024,
            timeout=30,
            package_size=48,
            layers=("CommonLayer",),
            role="OrdersRole",
            subnets=("PrivateSubnet", "subnet-0f00"),
            security_groups=("sg-0a1b2c3d",),
            code_analysed=True,
        ),
        FunctionInfo(
            template="template.yaml",
            logical_id="Reports",
            type="AWS::Serverless::Function",
            location=Location("template.yaml", Span(43, 3, 43, 10)),
            code="s3",
            runtime=None,
            memory=None,
            timeout=30,
            package_size=None,
            layers=("CommonLayer", "!Sub arn:aws:lambda:${AWS::Region}:123456789012:layer:fonts:2"),
            role=None,
            subnets=None,
            security_groups=None,
            code_analysed=False,
        ),
    )
    cleanup, orders, reports = functions
    assert orders.key == ("template.yaml", "Orders")
    assert (cleanup.role_generated, orders.role_generated, reports.role_generated) == (False, False, True)


def test_a_project_without_templates_has_no_functions(tmp_path: Path) -> None:
    write(tmp_path, "app.py", "def handler(event, context):\n    return 1\n")
    assert run([tmp_path], load_config(None), root=tmp_path).functions == ()
