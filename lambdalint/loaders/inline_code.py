"""Where inline code (``ZipFile``, ``InlineCode``) sits in its template, line by line.

Inline code is parsed as a module of its own; a finding in it must point into the template. A
literal block (``|``) keeps the code's lines, shifted by the block's indentation. A quoted scalar on
one line (every JSON template, and ``"..."`` in YAML) holds the code with escapes (``\\n``, ``\\"``),
so each code position is mapped through the escapes to its column on that line. Anything else
(folded blocks, quoted scalars over several lines) is placed at the scalar's start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lambdalint.loaders.tree import Scalar

#: one escape sequence of a double-quoted YAML / JSON string, or one plain character
_DOUBLE_QUOTED_CHARACTER = re.compile(r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|.", re.DOTALL)


@dataclass(frozen=True)
class Placement:
    """Maps a 1-based (line, column) in the code to one in the template."""

    #: the template line of the code's first line
    first_line: int
    #: a literal block: how far its lines are indented
    indentation: int = 0
    #: a one-line scalar: the template column of each character of the code (``None`` for a block)
    columns: tuple[int, ...] | None = None
    #: a one-line scalar: the index in the code where each code line starts
    line_starts: tuple[int, ...] = (0,)

    def place(self, line: int, column: int) -> tuple[int, int]:
        if self.columns is None:
            return self.first_line + line - 1, column + self.indentation
        start = self.line_starts[min(line, len(self.line_starts)) - 1]
        index = min(max(start + column - 1, 0), len(self.columns) - 1)
        return self.first_line, self.columns[index]


def placement(template_lines: list[str], node: Scalar) -> Placement:
    """How the code in ``node`` (a string scalar) lies in the template's lines."""
    line, column = node.span.start_line, node.span.start_column
    text = template_lines[line - 1] if line <= len(template_lines) else ""
    indicator = text[column - 1 : column]
    if indicator == "|":
        return _literal_block(template_lines, line)
    code = str(node.value)
    if indicator in ('"', "'") and node.span.end_line == line:
        return Placement(line, columns=_quoted_columns(code, text, column, indicator), line_starts=_starts(code))
    return Placement(line, columns=(column,))


def _literal_block(template_lines: list[str], indicator_line: int) -> Placement:
    """The block's indentation is that of its first non-blank line (YAML's rule)."""
    for text in template_lines[indicator_line:]:
        if text.strip():
            return Placement(indicator_line + 1, len(text) - len(text.lstrip(" ")))
    return Placement(indicator_line + 1)


def _quoted_columns(code: str, text: str, column: int, quote: str) -> tuple[int, ...]:
    """Template columns of the code's characters, read through the escapes after the quote."""
    columns: list[int] = []
    position = column  # 0-based index of the character after the opening quote
    while position < len(text) and len(columns) < len(code):
        if quote == '"':
            match = _DOUBLE_QUOTED_CHARACTER.match(text, position)
            width = len(match.group()) if match else 1
        else:
            width = 2 if text.startswith("''", position) else 1
        columns.append(position + 1)
        position += width
    columns.extend([position + 1] * (len(code) + 1 - len(columns)))
    return tuple(columns)


def _starts(code: str) -> tuple[int, ...]:
    return (0, *(index + 1 for index, character in enumerate(code) if character == "\n"))
