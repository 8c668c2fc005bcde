"""Positions as the editor counts them.

lambdalint's spans have 1-based lines and 1-based code-point columns. LSP positions are 0-based and
count UTF-16 code units, unless client and server agreed on UTF-8 or UTF-32 at ``initialize``: an
emoji is one code point, two UTF-16 units and four UTF-8 bytes, so every column after one shifts.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol.types import Position, PositionEncodingKind, Range

from lambdalint.findings import Span

#: the range of a finding about a whole file (no span)
FILE_START = Range(Position(0, 0), Position(0, 0))


def units(text: str, encoding: str) -> int:
    """How many code units of the negotiated ``encoding`` ``text`` takes."""
    if encoding == PositionEncodingKind.Utf32:
        return len(text)
    if encoding == PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def position(lines: Sequence[str], line: int, column: int, encoding: str) -> Position:
    """The LSP position of a 1-based line and code-point column.

    Columns past the end of the line (or of a file whose text is unknown) count one unit each.
    """
    text = lines[line - 1] if 1 <= line <= len(lines) else ""
    before = text[: column - 1]
    return Position(max(line - 1, 0), units(before, encoding) + max(column - 1 - len(before), 0))


def to_range(span: Span | None, lines: Sequence[str], encoding: str) -> Range:
    """The LSP range of a span in a file split into ``lines``."""
    if span is None:
        return FILE_START
    start = position(lines, span.start_line, span.start_column, encoding)
    return Range(start, position(lines, span.end_line, span.end_column, encoding))


def split_lines(text: str) -> list[str]:
    """Lines numbered as lambdalint numbers them (a ``\\r`` left at a line's end is past any span start)."""
    return text.split("\n")
