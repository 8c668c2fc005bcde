"""Event sources are found in SAM Events and in the resources that point at a function."""

from __future__ import annotations

from pathlib import Path

from lambdalint.model.build import build_project
from lambdalint.model.events import event_sources
from lambdalint.model.graph import ResourceRef

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Uploads:
    Type: AWS::S3::Bucket
  Jobs:
    Type: AWS::SQS::Queue
  Api:
    Type: AWS::Serverless::Function
    Properties:
      InlineCode: "def handler(event, context): pass"
      Handler: index.handler
      Runtime: python3.12
      Events:
        Get: {Type: Api, Properties: {Path: /, Method: get}}
        Upload: {Type: S3, Properties: {Bucket: !Ref Uploads, Events: s3:ObjectCreated:*}}
        Work: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}
  Plain:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/plain
      Code: {ZipFile: "def handler(event, context): pass"}
  PlainMapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Plain
      EventSourceArn: !GetAtt Jobs.Arn
  Nightly:
    Type: AWS::Events::Rule
    Properties:
      ScheduleExpression: rate(1 day)
      Targets: [{Id: plain, Arn: !GetAtt Plain.Arn}]
  FromSns:
    Type: AWS::Lambda::Permission
    Properties:
      FunctionName: !GetAtt Plain.Arn
      Action: lambda:InvokeFunction
      Principal: sns.amazonaws.com
"""


def test_sources_and_how_they_invoke(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    project = build_project(tmp_path, [(tmp_path / "template.yaml", False)], [], [], [], lambda name: False)
    api, plain = project.functions
    assert [(s.type, s.invocation, s.source) for s in event_sources(api)] == [
        ("Api", "sync", None),
        ("S3", "async", ResourceRef("Uploads")),
        ("SQS", "poll", ResourceRef("Jobs", "Arn")),
    ]
    assert [(s.type, s.invocation, s.source) for s in event_sources(plain)] == [
        ("AWS::Lambda::EventSourceMapping", "poll", ResourceRef("Jobs", "Arn")),
        ("AWS::Events::Rule", "async", None),
        ("AWS::Lambda::Permission", "async", None),
    ]
