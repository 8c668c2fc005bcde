"""The Python loader parses once, reports syntax errors in the parser's words, and places nodes."""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from lambdalint.findings import Span
from lambdalint.loaders.inline_code import Placement
from lambdalint.loaders.python import PythonLoadError, SourceModule, decode_source, parse_python


@pytest.mark.parametrize(
    ("source", "message", "line", "column"),
    [
        ("def handler(event, context:\n    return 1\n", "'(' was never closed", 1, 12),
        ("x = 1\nprint 'hello'\n", "Missing parentheses in call to 'print'. Did you mean print(...)?", 2, 1),
        ("def f():\nreturn 1\n", "expected an indented block after function definition on line 1", 2, 1),
    ],
)
def test_syntax_errors_carry_cpythons_message_and_position(source: str, message: str, line: int, column: int) -> None:
    with pytest.raises(PythonLoadError) as raised:
        parse_python(source)
    assert (raised.value.message, raised.value.line, raised.value.column) == (message, line, column)


def test_encoding_cookie_is_honoured_and_bad_bytes_are_an_error() -> None:
    assert decode_source("# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n".encode("latin-1")).endswith("café'\n")
    with pytest.raises(PythonLoadError, match="cannot decode"):
        decode_source(b"name = '\xff\xfe'\n")


def test_spans_are_one_based_and_shifted_for_inline_code(tmp_path) -> None:
    module, _ = parse_python("import boto3\n\ndef handler(event, context):\n    return boto3.client('s3')\n")
    call = module.body[1].body.body[0].body[0].value
    assert isinstance(call, cst.Call)
    plain = SourceModule(tmp_path / "app.py", "app.py", module.code, module)
    assert plain.span(call) == Span(4, 12, 4, 30)
    inline = SourceModule(tmp_path / "template.yaml", "template.yaml", module.code, module, Placement(11, 10))
    assert inline.span(call) == Span(14, 22, 14, 40)


def test_positions_per_statement_match_positions_of_the_whole_module(tmp_path) -> None:
    """Spans are computed for one top-level statement at a time; they must equal libcst's own."""
    source = (
        '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n\n"""Orders."""\nimport os; import json\n\n\n'
        "# the table\nTABLE = os.environ['TABLE']\n\n@decorator(\n    1,\n)\nclass Repo:\n"
        "    '''Doc.'''\n\n    def get(self, key):\n        # comment\n        return json.dumps({'k': key})\n"
        "\n\nif __name__ == '__main__':\n    print(Repo().get(1))\n"
    )
    module, syntax = parse_python(source)
    whole = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    source_module = SourceModule(tmp_path / "app.py", "app.py", source, module, syntax=syntax)

    class Every(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            nodes.append(node)
            return True

    nodes: list[cst.CSTNode] = []
    module.visit(Every())
    source_module.traverse([])
    for node in nodes[1:]:  # the Module itself has no statement
        expected = whole[node]
        span = source_module.span(node)
        assert (span.start_line, span.start_column - 1, span.end_line, span.end_column - 1) == (
            expected.start.line,
            expected.start.column,
            expected.end.line,
            expected.end.column,
        ), module.code_for_node(node)
