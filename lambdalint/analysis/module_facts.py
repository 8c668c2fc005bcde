"""Facts about one module, gathered in the shared libcst traversal before code rules decide.

The facts are what the call graph (:mod:`lambdalint.analysis.program`) needs: the module's imports
(so ``b.client`` reads as ``boto3.client``), its functions and methods, the calls each makes and the
names each reads, the objects their decorators register them with (``@app.get("/")``), and the
values names are bound to (``session = boto3.Session()`` makes ``session.client`` read as
``boto3.Session().client``). Calls under a lazy-initialisation guard are marked as such.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst

CACHE_DECORATORS = frozenset(
    {"functools.cache", "functools.lru_cache", "functools.cached_property", "cachetools.cached"}
)


@dataclass
class FunctionInfo:
    """A module-level function or a method (named ``Class.method``); nested functions belong to it."""

    name: str
    node: cst.FunctionDef
    #: what it calls, as qualified names: local (``helper``, ``Repo``, ``Repo.get``, ``Repo().get``)
    #: or through imports (``pkg.utils.helper``, ``boto3.client``)
    calls: set[str] = field(default_factory=set)
    #: the names it reads, qualified the same way (``app`` in ``app.resolve(event, context)``)
    references: set[str] = field(default_factory=set)
    #: the objects its decorators belong to: ``app`` for ``@app.get("/orders")``
    registered_with: set[str] = field(default_factory=set)
    globals: set[str] = field(default_factory=set)
    #: what its local names are bound to (``session`` → ``boto3.Session()``)
    bindings: dict[str, str] = field(default_factory=dict)
    #: ``functools.cache`` and friends: the body runs once per distinct argument, not per invocation
    cached: bool = False
    #: its parameters (but ``self``, ``cls``, ``context``) and the local names assigned from them,
    #: in code order: values that may change from one invocation to the next
    request_names: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class CallSite:
    """A call seen inside a function, with what was true of its surroundings."""

    node: cst.Call
    function: str
    lazily_guarded: bool


class ModuleFacts(cst.BatchableCSTVisitor):
    """First in every batched traversal; code rules read it while they visit."""

    def __init__(self, module_name: str = "") -> None:
        super().__init__()
        #: the dotted name the module is imported by from its code root (``handlers.orders``)
        self.module_name = module_name
        self.imports: dict[str, str] = {}
        self.functions: dict[str, FunctionInfo] = {}
        self.classes: dict[str, set[str]] = {}
        #: module-level names and what they are bound to (a qualified call, or "" when unknown)
        self.module_bindings: dict[str, str] = {}
        #: module-level ``a.include_router(b)`` / ``handler = Mangum(app)``: (a, b) pairs, where
        #: ``b`` is active whenever ``a`` is
        self.links: list[tuple[str, str]] = []
        #: the names each call mentions (its callee and arguments)
        self.call_names: dict[cst.Call, set[str]] = {}
        self._function_stack: list[FunctionInfo] = []
        self._class_stack: list[str] = []
        self._guards: list[cst.CSTNode] = []
        #: names seen inside the calls and assignments being visited (innermost last)
        self._collecting: list[set[str]] = []

    # -- imports -------------------------------------------------------------------------------
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
        if isinstance(node.names, cst.ImportStar):
            return
        module = self._absolute_module(node)
        if module is None:
            return
        for alias in node.names:
            name = _dotted(alias.name)
            if name is None:
                continue
            local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else name
            self.imports[local] = f"{module}.{name}" if module else name

    def _absolute_module(self, node: cst.ImportFrom) -> str | None:
        """``pkg.utils`` for ``from .utils import x`` in ``pkg.app``; ``None`` if it leaves the root."""
        module = _dotted(node.module) if node.module is not None else ""
        if module is None:
            return None
        level = len(node.relative)
        if not level:
            return module
        package = self.module_name.split(".")[:-1]
        if level - 1 > len(package):
            return None
        base = package[: len(package) - (level - 1)]
        return ".".join([*base, module] if module else base)

    # -- functions and classes -----------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._class_stack.append(node.name.value)
        if not self._function_stack and len(self._class_stack) == 1:
            self.classes[node.name.value] = set()

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._class_stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self._function_stack:
            self._function_stack.append(self._function_stack[-1])  # nested: belongs to its parent
            return
        name = ".".join([*self._class_stack, node.name.value])
        info = FunctionInfo(name, node)
        params = node.params
        parameters = [*params.posonly_params, *params.params, *params.kwonly_params]
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                parameters.append(star)
        info.bindings = dict.fromkeys((p.name.value for p in parameters), "")  # they shadow module names
        info.request_names = {p.name.value for p in parameters} - {"self", "cls", "context"}
        for decorator in node.decorators:
            target = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
            info.cached = info.cached or self.qualified_name(target) in CACHE_DECORATORS
            if isinstance(target, cst.Attribute) and (owner := _dotted(target.value)) is not None:
                head, _, rest = owner.partition(".")
                info.registered_with.add(".".join(filter(None, [self.imports.get(head, head), rest])))
        if len(self._class_stack) == 1 and self._class_stack[0] in self.classes:
            self.classes[self._class_stack[0]].add(node.name.value)
        self.functions[name] = info
        self._function_stack.append(info)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._function_stack.pop()

    def visit_Global(self, node: cst.Global) -> None:
        if self._function_stack:
            self._function_stack[-1].globals.update(item.name.value for item in node.names)

    def visit_If(self, node: cst.If) -> None:
        current = self.current_function
        if current is not None and _guards_lazy_init(node.test, current.globals, set(self.module_bindings)):
            self._guards.append(node)

    def leave_If(self, original_node: cst.If) -> None:
        self._leave_guard(original_node)

    def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
        """``_client = _client or boto3.client("s3")``: the right side runs once."""
        current = self.current_function
        if (
            current is not None
            and isinstance(node.operator, cst.Or)
            and _names_state(node.left, current.globals, set(self.module_bindings))
        ):
            self._guards.append(node)

    def leave_BooleanOperation(self, original_node: cst.BooleanOperation) -> None:
        self._leave_guard(original_node)

    def _leave_guard(self, node: cst.CSTNode) -> None:
        if self._guards and self._guards[-1] is node:
            self._guards.pop()

    def visit_Call(self, node: cst.Call) -> None:
        self._collecting.append(set())
        current = self.current_function
        if current is None:
            self._link_module_level_call(node)
            return
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
            owner = current.name.rpartition(".")[0]
            if owner:
                current.calls.add(f"{owner}.{func.attr.value}")
            return
        target = self.qualified_name(func)
        if target is not None:
            current.calls.add(target)

    def leave_Call(self, original_node: cst.Call) -> None:
        names = self._collecting.pop()
        self.call_names[original_node] = names
        if self._collecting:
            self._collecting[-1].update(names)

    def visit_Name(self, node: cst.Name) -> None:
        if self._collecting:
            self._collecting[-1].add(node.value)
        current = self.current_function
        if current is not None:
            current.references.add(self.imports.get(node.value, node.value))

    def leave_Assign(self, original_node: cst.Assign) -> None:
        """``region = event["region"]`` makes ``region`` a per-request value too."""
        names = self._collecting.pop()
        current = self.current_function
        if current is not None and names & current.request_names:
            for target in original_node.targets:
                if isinstance(target.target, cst.Name):
                    current.request_names.add(target.target.value)

    def visit_For(self, node: cst.For) -> None:
        self._bind_locally(node.target)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind_locally(node.asname.name)

    def _bind_locally(self, target: cst.BaseExpression) -> None:
        """A loop or ``with`` target: a local whose value we do not follow."""
        current = self.current_function
        if current is None:
            return
        if isinstance(target, cst.Name):
            current.bindings[target.value] = ""
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_locally(element.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        self._collecting.append(set())
        value = self._binding(node.value)
        current = self.current_function
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                if current is None:
                    self.module_bindings[target.target.value] = value
                    self._link_arguments(target.target.value, node.value)
                else:
                    current.bindings[target.target.value] = value

    def _binding(self, value: cst.BaseExpression) -> str:
        if isinstance(value, cst.Call):
            return self.qualified_name(value) or ""
        return ""

    def _link_module_level_call(self, node: cst.Call) -> None:
        """``app.include_router(router)`` at module scope: ``router`` serves whenever ``app`` does."""
        if isinstance(node.func, cst.Attribute) and isinstance(node.func.value, cst.Name):
            self._link_arguments(node.func.value.value, node)

    def _link_arguments(self, owner: str, value: cst.BaseExpression) -> None:
        if isinstance(value, cst.Call):
            for argument in value.args:
                if isinstance(argument.value, cst.Name):
                    self.links.append((owner, argument.value.value))

    # -- what rules ask ------------------------------------------------------------------------
    @property
    def current_function(self) -> FunctionInfo | None:
        return self._function_stack[-1] if self._function_stack else None

    def call_site(self, node: cst.Call) -> CallSite | None:
        """Where a call is, for a rule to decide on in ``finish``; ``None`` at module scope."""
        current = self.current_function
        if current is None:
            return None
        return CallSite(node, current.name, lazily_guarded=bool(self._guards))

    def qualified_name(self, expression: cst.BaseExpression) -> str | None:
        """What an expression names, through imports and bindings.

        ``boto3.client`` for ``b.client`` after ``import boto3 as b``; a call adds ``()``, so
        ``session.client`` after ``session = boto3.Session()`` is ``boto3.Session().client``.
        """
        if isinstance(expression, cst.Name):
            name = expression.value
            current = self.current_function
            if current is not None and name in current.bindings:
                return current.bindings[name] or name  # a local: what it was bound to, if known
            return self.module_bindings.get(name) or self.imports.get(name, name)
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
    """State that outlives the invocation: a ``global`` name, an attribute of ``self`` (an object
    kept across invocations initialises it once), a lookup in a module-level container."""
    if isinstance(expression, cst.Name):
        return expression.value in global_names
    if isinstance(expression, cst.Attribute):
        return isinstance(expression.value, cst.Name) and expression.value.value == "self"
    if isinstance(expression, cst.Call) and isinstance(expression.func, cst.Attribute):
        owner = expression.func.value
        return expression.func.attr.value == "get" and isinstance(owner, cst.Name) and owner.value in module_names
    return False
