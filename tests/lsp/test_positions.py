"""Code-point columns (lambdalint's) to the code units of the encoding the editor negotiated."""

from __future__ import annotations

import pytest
from lsprotocol.types import Position, Range

from lambdalint.findings import Span
from lambdalint.lsp.positions import position, to_range, units

LINES = ['x = "🚀é" + boto3.client("s3")', "y = 1"]


@pytest.mark.parametrize(("encoding", "expected"), [("utf-16", 4), ("utf-8", 7), ("utf-32", 3)])
def test_units(encoding: str, expected: int) -> None:
    assert units("🚀éa", encoding) == expected


def test_a_span_after_an_astral_character_shifts_by_its_extra_units() -> None:
    # boto3 is at code-point column 13 (1-based); 🚀 counts 2 in UTF-16, 4 in UTF-8 and é 2 in UTF-8
    span = Span(1, 13, 1, 31)
    assert to_range(span, LINES, "utf-16") == Range(Position(0, 13), Position(0, 31))
    assert to_range(span, LINES, "utf-8") == Range(Position(0, 16), Position(0, 34))
    assert to_range(span, LINES, "utf-32") == Range(Position(0, 12), Position(0, 30))


def test_columns_past_the_line_or_the_known_text_count_one_unit_each() -> None:
    assert position(LINES, 2, 8, "utf-16") == Position(1, 7)
    assert position([], 3, 5, "utf-16") == Position(2, 4)


def test_a_finding_about_a_whole_file_sits_at_its_start() -> None:
    assert to_range(None, LINES, "utf-16") == Range(Position(0, 0), Position(0, 0))
