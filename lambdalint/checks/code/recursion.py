"""LL101 handler-recursion: the handler calls itself again, directly or through other functions.

The call graph gives the cycle (:meth:`Invocation.cycle`); the finding points at the call that closes
it. The graph follows names, so a name that a function binds itself (a parameter ``handler``, a
dispatch table's ``handler = ROUTES[key]``) is not the module's handler: each link of the cycle made
in this module must be a call this rule can confirm, or it stays silent.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import libcst as cst

from lambdalint.analysis.program import Invocation
from lambdalint.checks.base import CodeCheck, CodePlace, Place, Report, code_check


@code_check
class HandlerRecursion(CodeCheck):
    rule_id = "LL101"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: function → its calls: (node, callee as qualified without "()", the local name it starts
        #: with when that name could be the function's own rather than the module's)
        self.calls: dict[str, list[tuple[cst.Call, str, str | None]]] = {}
        #: function → the names it binds itself (parameters, assignments, loop targets, imports …)
        self.local_names: dict[str, set[str]] = {}

    # -- collecting ----------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        current = self.facts.current_function
        if current is None:
            return
        func = node.func
        head: str | None = None
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
            callee = f"{current.name.rpartition('.')[0]}.{func.attr.value}"
        else:
            callee = (self.facts.qualified_name(func) or "").replace("()", "")
            head = _head(func)
            if head is not None and current.bindings.get(head):
                head = None  # resolved through what the name was bound to
        if callee:
            self.calls.setdefault(current.name, []).append((node, callee, head))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        current = self.facts.current_function
        if current is not None and current.node is not node:  # a nested def binds its name
            self._bind(node.name)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._bind(node.name)

    def visit_Param(self, node: cst.Param) -> None:
        self._bind(node.name)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._bind(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        """``with … as x``, ``except … as x``, ``import … as x``."""
        self._bind(node.name)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        if node.asname is None:
            self._bind(node.name.value if isinstance(node.name, cst.Attribute) else node.name)

    def _bind(self, target: cst.BaseExpression) -> None:
        current = self.facts.current_function
        if current is None:
            return
        names = self.local_names.setdefault(current.name, set())
        names.update(name for name in _target_names(target) if name not in current.globals)

    # -- deciding ------------------------------------------------------------------------------
    def finish(self, invocation: Invocation) -> Iterator[Report]:
        if not invocation.handlers:
            return
        names = {id(info.node.name): name for name, info in self.facts.functions.items()}
        for handler in invocation.handlers:
            cycle = invocation.cycle(handler.name)
            if cycle is None:
                continue
            places = [place for place, _ in cycle]
            hops = list(zip(places, [*places[1:], places[0]], strict=True))
            confirmed = [self._calls(caller, callee, names) for caller, callee in hops if _in(caller, self.module)]
            if not confirmed or not all(confirmed):
                continue
            path = " → ".join(_function_name(place, names) for place in [*places, places[0]])
            how = "calls itself" if len(places) == 1 else f"calls itself again ({path})"
            for call in confirmed[-1]:
                yield Report(
                    f"{handler.name} {how}: every level runs inside this one invocation, against its "
                    "timeout, memory and Python's recursion limit; loop instead, bounded by "
                    "context.get_remaining_time_in_millis(), or hand the rest to a queue or Step "
                    "Functions (and let a failure raise, so the event source retries it)",
                    CodePlace(self.module, call),
                    cycle,
                )

    def _calls(self, caller: Place, callee: Place, names: dict[int, str]) -> list[cst.Call]:
        """The calls ``caller`` (in this module) makes to ``callee`` that name it for sure."""
        assert isinstance(caller, CodePlace) and isinstance(callee, CodePlace)
        function = names.get(id(caller.node))
        if function is None:
            return []
        shadowed = self.local_names.get(function, set())
        wanted = _function_name(callee, names)
        local = _in(callee, self.module)
        return [
            call
            for call, target, head in self.calls.get(function, ())
            if (target == wanted if local else target.rpartition(".")[2] == wanted.rpartition(".")[2])
            and head not in shadowed
        ]


def _in(place: Place, module: object) -> bool:
    return isinstance(place, CodePlace) and place.module is module


def _function_name(place: Place, names: dict[int, str]) -> str:
    """``name`` or ``Class.method`` for a function of this module, the bare name for another's."""
    assert isinstance(place, CodePlace) and isinstance(place.node, cst.Name)
    return names.get(id(place.node)) or place.node.value


def _head(expression: cst.BaseExpression) -> str | None:
    """The name an expression starts with: ``repo`` in ``repo.orders.save``."""
    while isinstance(expression, cst.Attribute):
        expression = expression.value
    return expression.value if isinstance(expression, cst.Name) else None


def _target_names(target: cst.BaseExpression) -> Iterator[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _target_names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from _target_names(target.value)
