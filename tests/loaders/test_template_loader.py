"""The template loader keeps positions, reads both formats into one shape and refuses bad input."""

from __future__ import annotations

import time

import pytest

from lambdalint.findings import Span
from lambdalint.loaders.template import TemplateLoadError, load_template_text
from lambdalint.loaders.tree import Mapping, Scalar, find, intrinsic_name, to_plain

YAML = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      MemorySize: 512
      Role: !GetAtt OrdersRole.Arn
      Policies:
        - !Sub "arn:${AWS::Partition}:iam::aws:policy/ReadOnly"
      Layers: !If [HasLayer, [!Ref Layer], !Ref AWS::NoValue]
      Code: {"Fn::ImportValue": SharedCode}
"""


def test_yaml_keeps_one_based_positions_of_keys_and_values() -> None:
    root = load_template_text(YAML, is_json=False)
    node, found = find(root, ("Resources", "Orders", "Properties", "MemorySize"))
    assert found and isinstance(node, Scalar) and node.value == 512
    assert node.key_span == Span(6, 7, 6, 17)
    assert node.span == Span(6, 19, 6, 22)


def test_short_form_tags_become_the_long_form() -> None:
    properties = to_plain(load_template_text(YAML, is_json=False))["Resources"]["Orders"]["Properties"]
    assert properties["Role"] == {"Fn::GetAtt": ["OrdersRole", "Arn"]}
    assert properties["Policies"] == [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/ReadOnly"}]
    assert properties["Layers"] == {"Fn::If": ["HasLayer", [{"Ref": "Layer"}], {"Ref": "AWS::NoValue"}]}
    assert properties["Code"] == {"Fn::ImportValue": "SharedCode"}


def test_intrinsics_keep_their_position() -> None:
    root = load_template_text(YAML, is_json=False)
    role, _ = find(root, ("Resources", "Orders", "Properties", "Role"))
    assert intrinsic_name(role) == "Fn::GetAtt"
    assert role.span.start_line == 7 and role.key_span == Span(7, 7, 7, 11)


def test_json_templates_share_the_model_with_positions() -> None:
    text = (
        '{\n\t"Resources": {\n\t\t"Fn": {"Type": "AWS::Lambda::Function",\n'
        '\t\t\t"Properties": {"Timeout": 901, "Handler": "app.handler", "Flag": true}}}}\n'
    )
    root = load_template_text(text, is_json=True)
    timeout, found = find(root, ("Resources", "Fn", "Properties", "Timeout"))
    assert found and timeout.value == 901 and timeout.span.start_line == 4
    assert to_plain(root)["Resources"]["Fn"]["Properties"]["Flag"] is True


@pytest.mark.parametrize(
    ("text", "is_json", "message", "line"),
    [
        ("Resources:\n  A: 1\n  A: 2\n", False, "duplicate key 'A' (first defined on line 2)", 3),
        ('{"a": 1, "a": 2}', True, "duplicate key 'a' (first defined on line 1)", 1),
        ("Resources:\n  A: [1, 2\n", False, "invalid YAML", 3),
        ('{"a": 1,}', True, "invalid JSON: ", 1),  # the words depend on the Python version
        ("a: !Foo x\n", False, "unknown tag '!Foo'", 1),
        ("", False, "the document is empty", None),
        ("a: 1\n---\nb: 2\n", False, "invalid YAML", 2),
    ],
)
def test_bad_documents_are_errors_with_a_position(text: str, is_json: bool, message: str, line: int | None) -> None:
    with pytest.raises(TemplateLoadError) as raised:
        load_template_text(text, is_json=is_json)
    assert raised.value.message.startswith(message)
    assert (raised.value.span.start_line if raised.value.span else None) == line


def test_an_alias_bomb_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    started = time.perf_counter()
    with pytest.raises(TemplateLoadError, match="expands to more than"):
        load_template_text("\n".join(lines), is_json=False)
    assert time.perf_counter() - started < 30  # generous: the point is that it ends


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(TemplateLoadError):
        load_template_text("[" * 100_000 + "]" * 100_000, is_json=False)
    with pytest.raises(TemplateLoadError):
        load_template_text("[" * 100_000 + "]" * 100_000, is_json=True)


def test_merge_keys_and_aliases_expand_like_yaml_does() -> None:
    root = load_template_text(
        "base: &b {Runtime: python3.12, Timeout: 3}\nfn:\n  <<: *b\n  Timeout: 10\n", is_json=False
    )
    fn = root.get("fn")
    assert isinstance(fn, Mapping)
    assert to_plain(fn) == {"Runtime": "python3.12", "Timeout": 10}
