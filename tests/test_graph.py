"""The resource graph evaluates what the template fixes and says Unknown, with why, for the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambdalint.loaders.template import load_template_text
from lambdalint.loaders.tree import Mapping, find
from lambdalint.model.graph import NO_VALUE, ResourceRef, TemplateGraph, Unknown
from lambdalint.model.project import Template

TEMPLATE = """\
Parameters:
  Stage: {Type: String, Default: prod}
  VpcId: {Type: AWS::EC2::VPC::Id}
Mappings:
  Sizes:
    prod: {Memory: 1024}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
  Images:
    Type: AWS::S3::Bucket
  Queue:
    Type: AWS::SQS::Queue
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Environment:
        Variables:
          BUCKET: !Ref Images
          QUEUE_ARN: !GetAtt Queue.Arn
          TABLE: !Sub "${Stage}-orders"
          URL: !Sub "https://${Images.RegionalDomainName}/x"
          STAGE_PATH: !Join ["/", ["", !Ref Stage, api]]
          MEMORY: !FindInMap [Sizes, !Ref Stage, Memory]
          REGION: !Ref AWS::Region
          VPC: !Ref VpcId
          SHARED: !ImportValue shared-topic
          EITHER: !If [IsProd, !Ref Images, !Ref Queue]
          SAME: !If [IsProd, on, on]
          FIRST: !Select [0, [a, b]]
          DROPPED: !Ref AWS::NoValue
"""


@pytest.fixture
def graph(tmp_path: Path) -> TemplateGraph:
    root = load_template_text(TEMPLATE, is_json=False)
    assert isinstance(root, Mapping)
    return TemplateGraph(Template(tmp_path / "template.yaml", "template.yaml", TEMPLATE, root))


def variable(graph: TemplateGraph, name: str):
    node, found = find(graph.template.root, ("Resources", "Fn", "Properties", "Environment", "Variables", name))
    assert found
    return node


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BUCKET", ResourceRef("Images")),
        ("QUEUE_ARN", ResourceRef("Queue", "Arn")),
        ("TABLE", "prod-orders"),
        ("STAGE_PATH", "/prod/api"),
        ("MEMORY", 1024),
        ("SAME", True),
        ("FIRST", "a"),
        ("DROPPED", NO_VALUE),
    ],
)
def test_known_values(graph: TemplateGraph, name: str, value: object) -> None:
    assert graph.evaluate(variable(graph, name)) == value


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("REGION", "AWS::Region depends on where the stack is deployed"),
        ("VPC", "parameter VpcId has no default"),
        ("SHARED", "a value imported from another stack (Fn::ImportValue)"),
        ("EITHER", "Fn::If whose branches differ (the condition is decided at deploy time)"),
        ("URL", "Fn::Sub with ${Images.RegionalDomainName}"),
    ],
)
def test_unknown_values_say_why(graph: TemplateGraph, name: str, reason: str) -> None:
    value = graph.evaluate(variable(graph, name))
    assert isinstance(value, Unknown) and value.reason == reason


def test_references_follow_ref_getatt_and_sub(graph: TemplateGraph) -> None:
    variables, _ = find(graph.template.root, ("Resources", "Fn", "Properties", "Environment", "Variables"))
    assert graph.references(variables) == {"Images", "Queue"}
    assert graph.references(variable(graph, "URL")) == {"Images"}
    assert graph.of_type("AWS::S3::Bucket", "AWS::SQS::Queue") == ["Images", "Queue"]
    evaluated = graph.evaluate(variables)
    assert isinstance(evaluated, dict) and "DROPPED" not in evaluated  # AWS::NoValue leaves it out


def test_known_text_keeps_what_the_template_fixes(graph: TemplateGraph) -> None:
    assert graph.known_text(variable(graph, "TABLE")) == "prod-orders"
    assert graph.known_text(variable(graph, "URL")) == "https:///x"  # the bucket's domain is decided at deploy
    assert graph.known_text(variable(graph, "STAGE_PATH")) == "/prod/api"
    assert graph.known_text(variable(graph, "MEMORY")) == "1024"
    assert graph.known_text(variable(graph, "SAME")) == "true"
    assert graph.known_text(variable(graph, "REGION")) == ""
    assert graph.known_text(variable(graph, "SHARED")) == ""
    joined = load_template_text('Fn::Join: [":", [arn, !Ref AWS::Partition, !Ref Stage]]\n', is_json=False)
    assert graph.known_text(joined) == "arn::prod"
