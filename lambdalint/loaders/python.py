"""Python loader: source bytes into one libcst module per file, parsed once.

Positions are not computed at load time (libcst's PositionProvider costs more than the parse);
:meth:`SourceModule.span` resolves them for a module the first time one of its nodes is reported.
"""

from __future__ import annotations

import ast
import io
import tokenize
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import libcst as cst
from libcst.metadata import CodeRange, PositionProvider

from lambdalint.findings import Span


class PythonLoadError(Exception):
    """The file is not Python we can parse: the message is the parser's own words."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(eq=False)
class SourceModule:
    """A parsed Python file (or inline code from a template, placed at its lines there)."""

    path: Path
    rel: str
    text: str
    module: cst.Module
    #: inline code: where line 1, column 1 of the code sits in the template
    line_offset: int = 0
    column_offset: int = 0
    _positions: Mapping[cst.CSTNode, Any] | None = field(default=None, repr=False)

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def span(self, node: cst.CSTNode) -> Span:
        """The node's 1-based span in the file that holds it."""
        if self._positions is None:
            # The provider's code generation alone: MetadataWrapper.resolve adds a second full
            # traversal and doubles the cost, for nothing we use.
            provider = PositionProvider()
            provider._gen_impl(self.module)
            self._positions = provider._computed
        code_range = cast(CodeRange, self._positions[node])
        return Span(
            code_range.start.line + self.line_offset,
            code_range.start.column + 1 + self.column_offset,
            code_range.end.line + self.line_offset,
            code_range.end.column + 1 + self.column_offset,
        )


def decode_source(data: bytes) -> str:
    """Decode Python source bytes as the interpreter would (PEP 263 cookie, BOM, else UTF-8)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        return data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError) as error:
        raise PythonLoadError(f"cannot decode the file: {error}", 1, 1) from None


def parse_python(text: str) -> cst.Module:
    """Parse with libcst; on failure, report CPython's clearer message when it has one."""
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        line, column = error.raw_line, error.raw_column + 1
        message = str(error.message).removeprefix("parser error: ")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ast.parse(text)
        except SyntaxError as syntax_error:
            message = syntax_error.msg
            line = syntax_error.lineno or line
            column = syntax_error.offset or column
        except (ValueError, RecursionError, MemoryError):
            pass
        raise PythonLoadError(message, line, column) from None
    except RecursionError:
        raise PythonLoadError("the code is nested too deeply to parse", 1, 1) from None
