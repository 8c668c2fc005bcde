"""The project model links each function to its effective properties, its code and its handler."""

from __future__ import annotations

from pathlib import Path

from lambdalint.loaders.tree import scalar_value, to_plain
from lambdalint.model.build import build_project
from lambdalint.model.project import Project

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Runtime: python3.12
    Timeout: 10
    Layers:
      - !Ref CommonLayer
    Environment:
      Variables:
        TABLE: orders
        LOG_LEVEL: INFO
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/orders/
      Handler: handlers.api.handler
      Timeout: 20
      Layers:
        - !Ref ExtraLayer
      Environment:
        Variables:
          LOG_LEVEL: DEBUG
  FromBucket:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: s3://artifacts/orders.zip
      Handler: app.handler
  Container:
    Type: AWS::Serverless::Function
    Properties:
      PackageType: Image
      ImageUri: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:latest
  Inline:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code:
        ZipFile: |
          import json

          def handler(event, context):
              return json.dumps(event)
"""


def build(tmp_path: Path) -> Project:
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    code = tmp_path / "src/orders/handlers/api.py"
    code.parent.mkdir(parents=True)
    code.write_text("def handler(event, context):\n    return {}\n")
    return build_project(tmp_path, [(tmp_path / "template.yaml", False)], [code], [], [], {"handler"}.__contains__)


def test_globals_merge_scalars_maps_and_lists_keeping_origins(tmp_path: Path) -> None:
    orders = build(tmp_path).functions[0]
    assert scalar_value(orders.get("Runtime")) == "python3.12"
    assert orders.get("Runtime").path == ("Globals", "Function", "Runtime")
    assert scalar_value(orders.get("Timeout")) == 20
    variables = orders.environment_variables()
    assert to_plain(variables) == {"TABLE": "orders", "LOG_LEVEL": "DEBUG"}
    assert variables.get("TABLE").path[0] == "Globals" and variables.get("LOG_LEVEL").path[0] == "Resources"
    assert to_plain(orders.layers()) == [{"Ref": "CommonLayer"}, {"Ref": "ExtraLayer"}]


def test_handler_resolves_dotted_modules_under_the_code_root(tmp_path: Path) -> None:
    orders = build(tmp_path).functions[0]
    assert orders.code.kind == "directory" and orders.code.path == tmp_path / "src/orders"
    assert orders.handler.module.rel == "src/orders/handlers/api.py"
    assert orders.handler.function_name == "handler"


def test_code_in_s3_and_images_are_not_analysed_but_named(tmp_path: Path) -> None:
    project = build(tmp_path)
    kinds = {function.logical_id: function.code.kind for function in project.functions}
    assert kinds == {"Orders": "directory", "FromBucket": "s3", "Container": "image", "Inline": "inline"}
    assert sorted(item.message for item in project.not_analysed) == [
        "Container: function code is a container image; its code is not analysed",
        "FromBucket: function code is in S3 (CodeUri: s3://artifacts/orders.zip); it is not analysed",
        "layer !Ref CommonLayer comes from outside this template; its contents and size are not analysed",
        "layer !Ref ExtraLayer comes from outside this template; its contents and size are not analysed",
    ]


def test_inline_code_is_a_module_placed_at_its_template_lines(tmp_path: Path) -> None:
    inline = build(tmp_path).functions[3]
    module = inline.handler.module
    assert module.rel == "template.yaml"
    definition = module.module.body[1]
    assert module.span(definition).start_line == 45 and module.span(definition).start_column == 11


def test_pattern_handlers_only_outside_template_code_roots(tmp_path: Path) -> None:
    script = tmp_path / "scripts/job.py"
    script.parent.mkdir()
    script.write_text("def lambda_handler(event, context):\n    pass\n\ndef helper(a):\n    pass\n")
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    code = tmp_path / "src/orders/handlers/api.py"
    code.parent.mkdir(parents=True)
    code.write_text("def handler(event, context):\n    return {}\n")
    project = build_project(
        tmp_path,
        [(tmp_path / "template.yaml", False)],
        [code, script],
        [],
        [],
        {"handler", "lambda_handler"}.__contains__,
    )
    assert [(module.rel, name) for module, name in project.pattern_handlers] == [("scripts/job.py", "lambda_handler")]
