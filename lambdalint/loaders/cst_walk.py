"""One traversal of a libcst tree for many visitors, without rebuilding the tree.

libcst's own ``visit``/``visit_batched`` rebuild (and re-validate) every node on the way back up,
even for visitors that change nothing, and call a hook per attribute: over half the cost of a pass.
This walks the same nodes in the same order (fields in declaration order, lists in order) and
calls the visitors' ``visit_<Node>`` / ``leave_<Node>`` methods, skipping whitespace nodes that no
check looks at. Visitors are ordinary ``libcst.BatchableCSTVisitor`` subclasses.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Sequence

import libcst as cst

#: fields that only hold whitespace, comments and punctuation around the code
_TRIVIA_FIELDS = (
    "whitespace",
    "lpar",
    "rpar",
    "leading_lines",
    "lines_after",
    "trailing_whitespace",
    "comma",
    "semicolon",
    "header",
    "footer",
    "newline",
    "colon",
    "equal",
    "star",
    "dot",
    "lbracket",
    "rbracket",
    "lbrace",
    "rbrace",
    "default_",
    "encoding",
    "has_trailing",
    "indent",
    "footer",
)

_Methods = tuple[list[Callable[[cst.CSTNode], object]], list[Callable[[cst.CSTNode], object]]]


def walk(
    root: cst.CSTNode,
    visitors: Sequence[cst.BatchableCSTVisitor],
    before_visit: Callable[[cst.CSTNode], None] | None = None,
) -> dict[cst.BatchableCSTVisitor, Exception]:
    """Call every visitor's ``visit_X`` on the way down and ``leave_X`` on the way up.

    A visitor that raises is dropped from the rest of the walk, and the others go on: returned
    are the visitors that failed, with their exception.
    """
    failed: dict[cst.BatchableCSTVisitor, Exception] = {}
    active = list(visitors)
    tables: dict[type, _Methods] = {}
    stack: list[tuple[cst.CSTNode, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        kind = type(node)
        methods = tables.get(kind)
        if methods is None:
            methods = tables[kind] = _methods_for(kind, active)
        if not leaving and before_visit is not None:
            before_visit(node)
        for method in methods[1] if leaving else methods[0]:
            try:
                method(node)
            except Exception as error:  # one check's bug must not silence the others
                visitor = method.__self__  # type: ignore[attr-defined]
                failed[visitor] = error
                active.remove(visitor)
                tables.clear()
                break
        if not leaving:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(_children(node)))
    return failed


def _methods_for(kind: type, visitors: Sequence[cst.BatchableCSTVisitor]) -> _Methods:
    name = kind.__name__
    visits = [getattr(v, f"visit_{name}") for v in visitors if f"visit_{name}" in _defined(type(v))]
    leaves = [getattr(v, f"leave_{name}") for v in visitors if f"leave_{name}" in _defined(type(v))]
    return visits, leaves


@functools.cache
def _defined(cls: type) -> frozenset[str]:
    """The ``visit_*``/``leave_*`` methods a visitor class really defines (libcst's are no-op stubs)."""
    return frozenset(
        name
        for name in dir(cls)
        if name.startswith(("visit_", "leave_")) and not getattr(getattr(cls, name), "_is_no_op", False)
    )


@functools.cache
def _node_fields(kind: type) -> tuple[str, ...]:
    """The fields of a node type that can hold code (not whitespace or punctuation)."""
    return tuple(field.name for field in dataclasses.fields(kind) if not field.name.startswith(_TRIVIA_FIELDS))


def _children(node: cst.CSTNode) -> list[cst.CSTNode]:
    children: list[cst.CSTNode] = []
    for name in _node_fields(type(node)):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            children.append(value)
        elif isinstance(value, (list, tuple)):
            children.extend(item for item in value if isinstance(item, cst.CSTNode))
    return children
