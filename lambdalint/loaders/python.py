"""Python loader: source bytes into one libcst module per file, parsed once.

Positions are not computed at load time (libcst's PositionProvider costs more than the parse);
:meth:`SourceModule.span` resolves them for a module the first time one of its nodes is reported.
"""

from __future__ import annotations

import ast
import io
import tokenize
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import libcst as cst
from libcst.metadata import CodeRange, PositionProvider

from lambdalint.findings import Span
from lambdalint.loaders.cst_walk import walk
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
    """A parsed Python file (or inline code from a template, placed at its lines there).

    Positions cost as much as the parse when computed for a whole module (libcst's
    PositionProvider generates the code again), so they are computed for the top-level statement
    that holds a reported node only; :meth:`traverse` notes which statement holds each node.
    """

    path: Path
    rel: str
    text: str
    module: cst.Module
    #: inline code: where the code's lines and columns sit in its template
    placement: Placement | None = None
    #: CPython's tree of the same code (``None`` for syntax newer than the running interpreter)
    syntax: ast.Module | None = None
    _statement_of: dict[cst.CSTNode, cst.CSTNode] = field(default_factory=dict, repr=False)
    _first_lines: dict[cst.CSTNode, int] | None = field(default=None, repr=False)
    #: node positions within each top-level statement located so far (or the whole module)
    _located: dict[cst.CSTNode, dict[cst.CSTNode, CodeRange]] = field(default_factory=dict, repr=False)

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def traverse(self, visitors: Sequence[cst.BatchableCSTVisitor]) -> dict[cst.BatchableCSTVisitor, Exception]:
        """One traversal for all ``visitors``, noting each node's top-level statement; returns the
        visitors that raised (the walk went on without them)."""
        top = set(self.module.body)
        statement: list[cst.CSTNode] = []

        def note(node: cst.CSTNode) -> None:
            if node in top:
                statement[:] = [node]
            elif statement:
                self._statement_of[node] = statement[0]

        return walk(self.module, visitors, before_visit=note)

    def span(self, node: cst.CSTNode) -> Span:
        """The node's 1-based span in the file that holds it."""
        statement = self._statement_of.get(node, node)
        offset = self.first_lines().get(statement)
        if offset is None:  # not seen in a traversal: place it within the whole module
            statement, offset = self.module, 0
        if statement not in self._located:
            alone = (
                self.module
                if statement is self.module
                else self.module.with_changes(body=[statement], header=[], footer=[])
            )
            self._located[statement] = _positions(alone)
        code_range = self._located[statement][node]
        start = self.place(code_range.start.line + offset, code_range.start.column + 1)
        return Span(*start, *self.place(code_range.end.line + offset, code_range.end.column + 1))

    def first_lines(self) -> dict[cst.CSTNode, int]:
        """How many lines come before each top-level statement (its comments included)."""
        if self._first_lines is None:
            self._first_lines = _first_lines_from(self.module, self.syntax) if self.syntax else None
        if self._first_lines is None:  # no CPython tree, or one that does not pair up
            line = len(self.module.header)
            self._first_lines = {}
            for statement in self.module.body:
                self._first_lines[statement] = line
                line += self.module.code_for_node(statement).count("\n")
        return self._first_lines

    def place(self, line: int, column: int) -> tuple[int, int]:
        """A 1-based position in the code as a position in the file that holds it."""
        return self.placement.place(line, column) if self.placement else (line, column)

    @property
    def is_inline(self) -> bool:
        return self.placement is not None


def _first_lines_from(module: cst.Module, syntax: ast.Module) -> dict[cst.CSTNode, int] | None:
    """Lines before each top-level statement, read off CPython's tree: the statements pair up in
    order (a line of ``a; b`` is one libcst statement and two of CPython's)."""
    cpython = iter(syntax.body)
    lines: dict[cst.CSTNode, int] = {}
    try:
        for statement in module.body:
            count = len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
            first = [next(cpython) for _ in range(count)][0]
            decorators = getattr(first, "decorator_list", [])
            start = min([first.lineno, *(decorator.lineno for decorator in decorators)])
            lines[statement] = start - 1 - len(statement.leading_lines)
    except StopIteration:
        return None
    return lines if next(cpython, None) is None else None


def _positions(module: cst.Module) -> dict[cst.CSTNode, CodeRange]:
    """Every node's position. (The provider's code generation alone: ``MetadataWrapper.resolve``
    would add a second traversal for nothing we use.)"""
    provider = PositionProvider()
    provider._gen_impl(module)
    return cast(dict[cst.CSTNode, CodeRange], provider._computed)


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


def parse_python(text: str) -> tuple[cst.Module, ast.Module | None]:
    """Parse with libcst, behind CPython's own parser; CPython's tree comes along (it places
    statements by line without generating code again).

    libcst's native parser overflows the C stack on deeply nested code and takes the process
    down (LibCST #619); CPython's parser refuses such code with an exception, costs a tenth of
    libcst's, and words syntax errors better. A syntax error CPython reports that libcst accepts
    is newer syntax than the interpreter running lambdalint, so libcst has the last word.
    """
    cpython_error: SyntaxError | None = None
    tree: ast.Module | None = None
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
        return cst.parse_module(text), tree
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
