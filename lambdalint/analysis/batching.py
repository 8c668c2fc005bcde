"""A batchable libcst visitor whose method table is computed once per class.

libcst's ``BatchableCSTVisitor.get_visitors`` inspects every attribute of the instance (hundreds of
no-op stubs) on every traversal: about 3 ms per visitor per module, more than parsing a small
handler. The table depends only on the class, so it is cached there.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Mapping

import libcst as cst
from libcst._batched_visitor import VisitorMethod


class BatchableVisitor(cst.BatchableCSTVisitor):
    def get_visitors(self) -> Mapping[str, VisitorMethod]:
        return {name: getattr(self, name) for name in _visitor_names(type(self))}


@functools.cache
def _visitor_names(cls: type) -> tuple[str, ...]:
    """The ``visit_*``/``leave_*`` methods the class defines itself (libcst's stubs are no-ops)."""
    return tuple(
        name
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if name.startswith(("visit_", "leave_")) and not getattr(member, "_is_no_op", False)
    )
