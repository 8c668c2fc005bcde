"""Facts about one module gathered in the shared libcst traversal, before code rules decide.

What runs per invocation (this slice): the handler's body and every module-level function it
reaches through calls by name in the same module. Module scope runs once per execution environment.
Calls under a lazy-initialisation guard (``if _client is None:`` on a ``global``) or inside a
``functools.cache``/``lru_cache`` function run once as well.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst

from lambdalint.analysis.batching import BatchableVisitor

CACHE_DECORATORS = frozenset(
    {"functools.cache", "functools.lru_cache", "functools.cached_property", "cachetools.cached"}
)


@dataclass
class FunctionInfo:
    """A module-level function (or a method, named ``Class.method``)."""

    name: str
    node: cst.FunctionDef
    calls: set[str] = field(default_factory=set)
    globals: set[str] = field(default_factory=set)
    cached: bool = False


@dataclass(frozen=True)
class CallSite:
    """A call seen inside a function, with what was true of its surroundings."""

    node: cst.Call
    function: str
    lazily_guarded: bool


class ModuleFacts(BatchableVisitor):
    """Imports, functions, calls between them and guards; first in every batched traversal."""

    def __init__(self, handler_names: tuple[str, ...]) -> None:
        super().__init__()
        self.handler_names = handler_names
        self.imports: dict[str, str] = {}
        self.functions: dict[str, FunctionInfo] = {}
        self.module_names: set[str] = set()
        self._function_stack: list[FunctionInfo] = []
        self._class_stack: list[str] = []
        self._guards: list[cst.If] = []

    # -- imports -----------------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            dotted = _dotted(alias.name)
            if dotted is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self.imports[alias.asname.name.value] = dotted
            else:
                top = dotted.split(".")[0]
                self.imports[top] = top

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        module = _dotted(node.module)
        for alias in node.names:
            name = _dotted(alias.name)
            if module is None or name is None:
                continue
            local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
            self.imports[local] = f"{module}.{name}"

    # -- functions and classes ---------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._class_stack.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._class_stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self._function_stack:
            self._function_stack.append(self._function_stack[-1])  # nested: belongs to its parent
            return
        name = ".".join([*self._class_stack, node.name.value])
        info = FunctionInfo(name, node)
        info.cached = any(self.qualified_name(_undecorated(d.decorator)) in CACHE_DECORATORS for d in node.decorators)
        self.functions[name] = info
        self._function_stack.append(info)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._function_stack.pop()

    def visit_Global(self, node: cst.Global) -> None:
        if self._function_stack:
            self._function_stack[-1].globals.update(item.name.value for item in node.names)

    def visit_If(self, node: cst.If) -> None:
        current = self.current_function
        if current is not None and _guards_lazy_init(node.test, current.globals, self.module_names):
            self._guards.append(node)

    def leave_If(self, original_node: cst.If) -> None:
        if self._guards and self._guards[-1] is original_node:
            self._guards.pop()

    def visit_Call(self, node: cst.Call) -> None:
        current = self.current_function
        if current is None:
            return
        func = node.func
        if isinstance(func, cst.Name):
            current.calls.add(func.value)
            current.calls.add(f"{func.value}.__init__")  # instantiating a class runs its __init__
        elif isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
            owner = current.name.rpartition(".")[0]
            if owner:
                current.calls.add(f"{owner}.{func.attr.value}")

    def visit_Assign(self, node: cst.Assign) -> None:
        if not self._function_stack:
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self.module_names.add(target.target.value)

    # -- what rules ask ----------------------------------------------------------------------
    @property
    def current_function(self) -> FunctionInfo | None:
        return self._function_stack[-1] if self._function_stack else None

    def call_site(self, node: cst.Call) -> CallSite | None:
        """Record where a call is, for a rule to decide on in ``finish``; ``None`` at module scope."""
        current = self.current_function
        if current is None:
            return None
        return CallSite(node, current.name, lazily_guarded=bool(self._guards))

    def per_invocation(self) -> set[str]:
        """Names of the functions that run on every invocation: the handlers and what they call."""
        reached: set[str] = set()
        pending = [name for name in self.handler_names if name in self.functions]
        while pending:
            name = pending.pop()
            if name in reached:
                continue
            reached.add(name)
            info = self.functions[name]
            if info.cached:
                continue
            pending.extend(callee for callee in info.calls if callee in self.functions)
        return {name for name in reached if not self.functions[name].cached}

    def qualified_name(self, expression: cst.BaseExpression) -> str | None:
        """``boto3.client`` for ``b.client`` after ``import boto3 as b``; calls become ``name()``."""
        if isinstance(expression, cst.Name):
            return self.imports.get(expression.value, expression.value)
        if isinstance(expression, cst.Attribute):
            base = self.qualified_name(expression.value)
            return None if base is None else f"{base}.{expression.attr.value}"
        if isinstance(expression, cst.Call):
            base = self.qualified_name(expression.func)
            return None if base is None else f"{base}()"
        return None


def handler_candidates(module: cst.Module, is_handler_name: Callable[[str], bool]) -> list[str]:
    """Module-level functions that look like handlers: a matching name and two positional parameters."""
    names = []
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef) and is_handler_name(statement.name.value):
            params = statement.params
            if len(params.posonly_params) + len(params.params) == 2:
                names.append(statement.name.value)
    return names


def _dotted(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def _undecorated(decorator: cst.BaseExpression) -> cst.BaseExpression:
    """``lru_cache`` for ``@lru_cache(maxsize=32)``."""
    return decorator.func if isinstance(decorator, cst.Call) else decorator


def _guards_lazy_init(test: cst.BaseExpression, global_names: set[str], module_names: set[str]) -> bool:
    """A test that lets its body run once per environment, not once per invocation.

    ``X is None`` / ``not X`` on a ``global`` X, and ``key not in CACHE`` / ``CACHE.get(key) is None``
    / ``not CACHE.get(key)`` on a module-level cache.
    """
    if isinstance(test, cst.BooleanOperation):
        return any(_guards_lazy_init(side, global_names, module_names) for side in (test.left, test.right))
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        return _names_state(test.expression, global_names, module_names)
    if isinstance(test, cst.Comparison):
        for target in test.comparisons:
            if isinstance(target.operator, cst.NotIn):
                return isinstance(target.comparator, cst.Name) and target.comparator.value in module_names
            if isinstance(target.operator, cst.Is) and isinstance(target.comparator, cst.Name):
                return target.comparator.value == "None" and _names_state(test.left, global_names, module_names)
    return False


def _names_state(expression: cst.BaseExpression, global_names: set[str], module_names: set[str]) -> bool:
    """A ``global`` name, or a lookup in a module-level container (``CACHE.get(key)``)."""
    if isinstance(expression, cst.Name):
        return expression.value in global_names
    if isinstance(expression, cst.Call) and isinstance(expression.func, cst.Attribute):
        owner = expression.func.value
        return expression.func.attr.value == "get" and isinstance(owner, cst.Name) and owner.value in module_names
    return False
