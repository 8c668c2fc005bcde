"""SAM policy templates are resolved to the resources they grant."""

from __future__ import annotations

from pathlib import Path

from lambdalint.model.build import build_project
from lambdalint.model.policies import policy_template_grants

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Uploads:
    Type: AWS::S3::Bucket
  Orders:
    Type: AWS::DynamoDB::Table
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): pass"
      Handler: index.handler
      Runtime: python3.12
      Policies:
        - AWSLambdaBasicExecutionRole
        - S3ReadPolicy: {BucketName: !Ref Uploads}
        - DynamoDBCrudPolicy: {TableName: !Sub "${Orders}"}
        - SQSSendMessagePolicy: {QueueName: "*"}
        - CloudWatchPutMetricPolicy: {}
"""


def test_policy_templates_name_their_resources(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    project = build_project(tmp_path, [(tmp_path / "template.yaml", False)], [], [], [], lambda name: False)
    grants = [(g.template, g.parameter, g.resources, g.wildcard) for g in policy_template_grants(project.functions[0])]
    assert grants == [
        ("S3ReadPolicy", "BucketName", frozenset({"Uploads"}), False),
        ("DynamoDBCrudPolicy", "TableName", frozenset({"Orders"}), False),
        ("SQSSendMessagePolicy", "QueueName", frozenset(), True),
    ]
