"""Reading a call's arguments and literal strings, the same way for every code rule."""

from __future__ import annotations

import libcst as cst


def argument(call: cst.Call, position: int | None, *keywords: str) -> cst.BaseExpression | None:
    """What a call passes by one of ``keywords``, or at ``position`` among its positional arguments
    (positions after a ``*args`` cannot be told, and are ``None``)."""
    positional: list[cst.BaseExpression] = []
    starred = False
    for arg in call.args:
        if arg.keyword is not None:
            if arg.keyword.value in keywords:
                return arg.value
        elif arg.star:
            starred = True
        elif not starred:
            positional.append(arg.value)
    return positional[position] if position is not None and position < len(positional) else None


def literal_string(node: cst.BaseExpression | None) -> str | None:
    """The text of a literal string (``"a" "b"`` included), else ``None``."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None
