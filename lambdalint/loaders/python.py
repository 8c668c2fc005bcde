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
from lambdalint.loaders.inline_code import Placement

#: libcst's native parser overflows the C stack somewhere past a thousand levels of nesting (and is
#: quadratic on long operator chains well before); real handler code stays under 50
MAX_NESTING = 500


class PythonLoadError(Exception):
    """The file is not Python we can parse: the message is the parser's own words.

    ``valid`` is set when the code is valid Python that we still cannot analyse (LL006, not LL001).
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None, valid: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.valid = valid


@dataclass(eq=False)
class SourceModule:
    """A parsed Python file (or inline code from a template, placed at its lines there)."""

    path: Path
    rel: str
    text: str
    module: cst.Module
    #: inline code: where the code's lines and columns sit in its template
    placement: Placement | None = None
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
        start = self.place(code_range.start.line, code_range.start.column + 1)
        return Span(*start, *self.place(code_range.end.line, code_range.end.column + 1))

    def place(self, line: int, column: int) -> tuple[int, int]:
        """A 1-based position in the code as a position in the file that holds it."""
        return self.placement.place(line, column) if self.placement else (line, column)

    @property
    def is_inline(self) -> bool:
        return self.placement is not None


def decode_source(data: bytes) -> str:
    """Decode Python source bytes as the interpreter would (PEP 263 cookie, BOM, else UTF-8)."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except (SyntaxError, LookupError) as error:
        raise PythonLoadError(f"cannot decode the file: {error}", 1, 1) from None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        message = f"cannot decode the file as {encoding}: {error.reason} (byte 0x{data[error.start]:02x})"
        raise PythonLoadError(message, line, column) from None


def parse_python(text: str) -> cst.Module:
    """Parse with libcst, behind CPython's own parser.

    libcst's native parser overflows the C stack on deeply nested code and takes the process
    down (LibCST #619); CPython's parser refuses such code with an exception, costs a tenth of
    libcst's, and words syntax errors better. A syntax error CPython reports that libcst accepts
    is newer syntax than the interpreter running lambdalint, so libcst has the last word.
    """
    cpython_error: SyntaxError | None = None
    too_deep = PythonLoadError(f"the code is nested more than {MAX_NESTING} levels deep", valid=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
        if _deeper_than(tree, MAX_NESTING):
            raise too_deep
    except (RecursionError, MemoryError):  # how deep CPython itself can go depends on its version
        raise too_deep from None
    except ValueError as error:  # null bytes
        raise PythonLoadError(str(error), 1, 1) from None
    except SyntaxError as error:
        if "too many" in (error.msg or "") or "too complex" in (error.msg or ""):
            raise PythonLoadError(error.msg, error.lineno, error.offset) from None
        cpython_error = error
    try:
        return cst.parse_module(text)
    except cst.ParserSyntaxError as error:
        if cpython_error is not None:
            raise PythonLoadError(cpython_error.msg, cpython_error.lineno, cpython_error.offset) from None
        message = str(error.message).removeprefix("parser error: ")
        raise PythonLoadError(message, error.raw_line, error.raw_column + 1) from None
    except RecursionError:
        raise PythonLoadError("the code is nested too deeply to parse", 1, 1) from None


def _deeper_than(tree: ast.AST, limit: int) -> bool:
    """Whether the syntax tree nests deeper than ``limit`` (walked with a stack, not recursion)."""
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return False
