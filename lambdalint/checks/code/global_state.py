"""LL141 unbounded-global-state: a module-level container that per-invocation code grows without bound.

Also home to the analyses it shares with the file-system rules (LL140, LL142): :class:`ScopeTracking`
(what each name of a module or function is bound to), and :class:`RequestTracking` with
:class:`RequestValues` (which values of a function change from one invocation to the next, the
arguments its callers in the module pass included).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import libcst as cst

from lambdalint.analysis.module_facts import FunctionInfo, ModuleFacts
from lambdalint.analysis.program import Invocation
from lambdalint.checks.base import CodeCheck, CodePlace, Report, code_check
from lambdalint.loaders.cst_walk import walk

#: a scope: a function's name (``handler``, ``Repo.get``), or ``None`` for module scope
Scope = str | None
#: where class bodies at module scope bind their names (never resolved)
CLASS_BODY = "<class body>"

#: helper parameters that carry the request (every parameter of a handler or a route does)
REQUEST_PARAMETERS = frozenset(
    {"event", "evt", "record", "request", "req", "payload", "body", "message", "msg", "detail"}
)
#: parameters that do not change with the request (the Lambda context only through its request id)
STEADY_PARAMETERS = frozenset({"self", "cls", "context", "ctx", "_context", "lambda_context"})
#: calls whose result differs on every call, by qualified name prefix
VARYING_CALLS = (
    "uuid.",
    "time.time",
    "time.perf_counter",
    "time.monotonic",
    "datetime.datetime.now",
    "datetime.datetime.utcnow",
    "datetime.datetime.today",
    "datetime.date.today",
    "random.",
    "secrets.",
    "os.urandom",
)
#: attributes that read the current request (``context.aws_request_id``, Powertools' ``app.current_event``)
VARYING_ATTRIBUTES = frozenset({"aws_request_id", "current_event"})
#: module-level names that stand for the current request
VARYING_NAMES = frozenset({"flask.request"})


class ScopeTracking(CodeCheck):
    """Records what each name is bound to, per scope, for rules that resolve names in ``finish``.

    A name assigned once by a plain ``=`` maps to its value; a name bound twice, or in any other way
    (a parameter, a loop target, ``with ... as``, an import, ``+=``), maps to ``None``: unknown. A
    function's assignment to a ``global`` name binds it at module scope.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bindings: dict[Scope, dict[str, cst.BaseExpression | None]] = {}
        self._class_bodies: list[bool] = []

    @property
    def scope(self) -> Scope:
        current = self.facts.current_function
        if current is not None:
            return current.name
        return CLASS_BODY if any(self._class_bodies) else None

    def lookup(self, scope: Scope, name: str) -> tuple[cst.BaseExpression | None, Scope] | None:
        """The value ``name`` is bound to as seen from ``scope`` (``None`` inside: bound but unknown),
        with the scope that binds it; ``None`` when nothing in the module binds it."""
        if scope is not None and name in self.bindings.get(scope, {}):
            return self.bindings[scope][name], scope
        if name in self.bindings.get(None, {}):
            return self.bindings[None][name], None
        return None

    def is_local(self, function: str, name: str) -> bool:
        return name in self.bindings.get(function, {})

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        if isinstance(target, cst.Name):
            scope = self.scope
            current = self.facts.current_function
            if current is not None and target.value in current.globals:
                scope, value = None, None  # rebinding a module-level name from a function
            table = self.bindings.setdefault(scope, {})
            table[target.value] = None if target.value in table else value
        elif isinstance(target, cst.Tuple | cst.List):
            for element in target.elements:
                self._bind(element.value, None)
        elif isinstance(target, cst.StarredElement):
            self._bind(target.value, None)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._class_bodies.append(self.facts.current_function is None)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._class_bodies.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        single = len(node.targets) == 1
        for target in node.targets:
            self._bind(target.target, node.value if single else None)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind(node.target, None)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target, None)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind(node.target, None)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind(node.asname.name, None)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind(node.target, None)

    def visit_Param(self, node: cst.Param) -> None:
        self._bind(node.name, None)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._bind(node.name.name, None)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        bound: cst.BaseExpression = node.asname.name if node.asname is not None else node.name
        while isinstance(bound, cst.Attribute):  # ``import os.path`` binds ``os``
            bound = bound.value
        if isinstance(bound, cst.Name):
            self._bind(bound, None)


class RequestTracking(ScopeTracking):
    """Adds what a function's parameters receive from its callers in the module, so that
    ``load_profile(user_id)`` called with ``event["user"]`` knows ``user_id`` comes from the request."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: calls made inside functions: (caller, what the callee is called, the call)
        self._calls: list[tuple[str, str, cst.Call]] = []
        self._callers: dict[str, list[tuple[str, cst.Call, int]]] | None = None
        self._values: dict[str, RequestValues] = {}
        self._computing: set[str] = set()

    def visit_Call(self, node: cst.Call) -> None:
        current = self.facts.current_function
        if current is None:
            return
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
            target = f"{current.name.rpartition('.')[0]}.{func.attr.value}"
        else:
            target = (self.facts.qualified_name(func) or "").replace("()", "")
        self._calls.append((current.name, target, node))

    def request_values(self, invocation: Invocation, function: str) -> RequestValues:
        """The :class:`RequestValues` of ``function``. Its parameters are seeds when it is a handler
        or a registered route (all but the context), when they are named like the request
        (``event``, ``record`` …), or when a caller that runs per invocation passes them a value
        that varies there."""
        if function in self._values:
            return self._values[function]
        info = self.facts.functions[function]
        params = info.node.params
        names = [p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)]
        entry = bool(info.registered_with) or any(handler.name == function for handler in invocation.handlers)
        seeds = {name for name in names if name not in STEADY_PARAMETERS and (entry or name in REQUEST_PARAMETERS)}
        if function in self._computing:  # a recursive call: what the other callers pass is enough
            return RequestValues(info, self.facts, seeds)
        self._computing.add(function)
        for caller, call, offset in self._callers_of(function):
            if invocation.runs_per_invocation(caller):
                seeds |= _receiving(call, names, offset, self.request_values(invocation, caller))
        self._computing.discard(function)
        self._values[function] = RequestValues(info, self.facts, seeds)
        return self._values[function]

    def _callers_of(self, function: str) -> list[tuple[str, cst.Call, int]]:
        """The calls of ``function`` in this module, with how many leading parameters (``self``) the
        call does not pass."""
        if self._callers is None:
            self._callers = {}
            functions = self.facts.functions
            for caller, target, call in self._calls:
                callee = target if target in functions else f"{target}.__init__"
                if callee in functions:
                    params = functions[callee].node.params.params
                    bound = "." in callee and bool(params) and params[0].name.value in ("self", "cls")
                    self._callers.setdefault(callee, []).append((caller, call, int(bound)))
        return self._callers.get(function, [])


def _receiving(call: cst.Call, names: list[str], offset: int, values: RequestValues) -> set[str]:
    """The parameters of the callee that ``call`` passes a varying value."""
    received: set[str] = set()
    position = offset
    for argument in call.args:
        if argument.star:
            return received
        if argument.keyword is not None:
            name: str | None = argument.keyword.value
        else:
            name = names[position] if position < len(names) else None
            position += 1
        if name is not None and values.varies(argument.value):
            received.add(name)
    return received


class RequestValues:
    """Which values of one function change from one invocation to the next.

    Seeds: the parameters the caller says carry the request (see :meth:`RequestTracking.request_values`),
    calls such as ``uuid.uuid4()`` or ``datetime.now()``, ``context.aws_request_id`` and Powertools'
    ``app.current_event``. Local names assigned from a seed are seeds too, in code order. Computed
    once per function, in one pass over its body.
    """

    def __init__(self, info: FunctionInfo, facts: ModuleFacts, seeds: set[str]) -> None:
        self.facts = facts
        self.derived = set(seeds)
        walk(info.node.body, [_Propagate(self)])

    def varies(self, expression: cst.CSTNode) -> bool:
        finder = _FindVarying(self)
        walk(expression, [finder])
        return finder.found


class _FindVarying(cst.BatchableCSTVisitor):
    def __init__(self, values: RequestValues) -> None:
        super().__init__()
        self.values = values
        self.found = False
        #: names that are not variables: ``key`` in ``obj.key`` and in ``f(key=1)``
        self._labels: set[int] = set()

    def visit_Name(self, node: cst.Name) -> None:
        if id(node) in self._labels:
            return
        if node.value in self.values.derived or self.values.facts.qualified_name(node) in VARYING_NAMES:
            self.found = True

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._labels.add(id(node.attr))
        if node.attr.value in VARYING_ATTRIBUTES:
            self.found = True

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._labels.add(id(node.keyword))

    def visit_Call(self, node: cst.Call) -> None:
        if (self.values.facts.qualified_name(node.func) or "").startswith(VARYING_CALLS):
            self.found = True


class _Propagate(cst.BatchableCSTVisitor):
    """Adds the names assigned from varying values to ``derived``, in code order."""

    def __init__(self, values: RequestValues) -> None:
        super().__init__()
        self.values = values
        self._nested = 0  # functions and classes inside: their own parameters, their own scope

    def _flow(self, value: cst.CSTNode | None, target: cst.CSTNode | None) -> None:
        if not self._nested and value is not None and target is not None and self.values.varies(value):
            self.values.derived |= target_names(target)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._flow(node.value, target.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._flow(node.value, node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._flow(node.value, node.target)

    def visit_For(self, node: cst.For) -> None:
        self._flow(node.iter, node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._flow(node.iter, node.target)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        self._flow(node.item, node.asname.name if node.asname else None)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._flow(node.value, node.target)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._nested += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._nested -= 1

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._nested += 1

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._nested -= 1


def target_names(target: cst.CSTNode) -> set[str]:
    """The plain names an assignment target binds (``a, (b, *c)`` → a, b, c)."""
    if isinstance(target, cst.Name):
        return {target.value}
    if isinstance(target, cst.Tuple | cst.List):
        return set().union(*(target_names(element.value) for element in target.elements))
    if isinstance(target, cst.StarredElement):
        return target_names(target.value)
    return set()


# -- LL141 ---------------------------------------------------------------------------------------

#: what each container constructor builds, by qualified name
CONSTRUCTORS = {
    "list": "list",
    "dict": "dict",
    "set": "set",
    "collections.deque": "deque",
    "collections.defaultdict": "defaultdict",
    "collections.Counter": "Counter",
    "collections.OrderedDict": "OrderedDict",
}
SEQUENCES = frozenset({"list", "deque"})
MAPPINGS = frozenset({"dict", "defaultdict", "Counter", "OrderedDict"})
#: mappings where reading a missing key (``X[k] += 1``, ``X[k].append``) creates it
AUTO_KEYED = frozenset({"defaultdict", "Counter"})
#: methods that add one or more items to a sequence whatever the value
APPENDS = frozenset({"append", "extend", "insert", "appendleft", "extendleft"})
#: methods that take items out, or empty the container: something keeps it bounded
SHRINKS = frozenset({"clear", "pop", "popitem", "popleft", "remove", "discard"})
#: what a cached client, connection or resource is built by (the last part of the callee's name)
CLIENT_FACTORIES = frozenset(
    {
        "client",
        "resource",
        "Session",
        "session",
        "connect",
        "create_client",
        "create_engine",
        "Table",
        "Bucket",
        "Queue",
        "Topic",
        "Redis",
        "StrictRedis",
        "Elasticsearch",
        "OpenSearch",
        "PoolManager",
        "from_url",
    }
)


@dataclass(frozen=True)
class Growth:
    """A statement in a function that may add to a module-level name."""

    node: cst.CSTNode
    function: str
    name: str
    #: ``append`` (any of :data:`APPENDS`), ``add``, ``update``, ``setdefault``, ``setitem``,
    #: ``augment-item`` (``X[k] += v``), ``augment`` (``X += v``), ``inner`` (``X[k].append(v)``)
    how: str
    #: what decides whether it grows: the key, the added items
    key: cst.BaseExpression | None = None
    #: the value stored under the key (for caches of clients)
    value: cst.BaseExpression | None = None
    #: the names of the ``if not X:`` / ``if X is None:`` tests around it
    guards: tuple[str, ...] = ()


@code_check
class UnboundedGlobalState(RequestTracking):
    rule_id = "LL141"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.growths: list[Growth] = []
        #: module-level names bound once by ``=``, and to what (``None``: bound more than once)
        self.created: dict[str, cst.BaseExpression | None] = {}
        #: names something shrinks, clears, rebinds or compares the size of: bounded, we assume
        self.bounded: set[str] = set()
        #: per function, the module-level names it tests membership in (``key not in X``)
        self.tested: dict[str, set[str]] = {}
        #: the ``if`` statements around the node visited, and the name each one's body is guarded by
        self._ifs: list[cst.If] = []
        self._guards: list[str] = []

    def _grow(
        self,
        node: cst.CSTNode,
        name: str,
        how: str,
        key: cst.BaseExpression | None = None,
        value: cst.BaseExpression | None = None,
    ) -> None:
        current = self.facts.current_function
        if current is not None:
            self.growths.append(Growth(node, current.name, name, how, key, value, tuple(self._guards)))

    def visit_If(self, node: cst.If) -> None:
        if self._ifs and self._ifs[-1].orelse is node:
            self._guards[-1] = ""  # an ``elif`` runs when the test above failed
        self._ifs.append(node)
        test = node.test
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            test = test.expression
        elif isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
            comparison = test.comparisons[0]
            if isinstance(comparison.operator, cst.Is) and _name_of(comparison.comparator) in ("None", "False"):
                test = test.left
        self._guards.append(test.value if isinstance(test, cst.Name) else "")

    def visit_Else(self, node: cst.Else) -> None:
        if self._ifs and self._ifs[-1].orelse is node:  # not the ``else`` of a loop or ``try``
            self._guards[-1] = ""

    def leave_If(self, original_node: cst.If) -> None:
        self._guards.pop()
        self._ifs.pop()

    # -- collection ----------------------------------------------------------------------------
    def _create(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if self.scope is None and isinstance(target, cst.Name):
            self.created[target.value] = None if target.value in self.created else value

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        super().visit_AnnAssign(node)
        if node.value is not None:
            self._create(node.target, node.value)

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        current = self.facts.current_function
        for target in node.targets:
            self._create(target.target, node.value)
            item = target.target
            if current is not None and isinstance(item, cst.Name) and item.value in current.globals:
                self.bounded.add(item.value)
            elif isinstance(item, cst.Subscript) and isinstance(item.value, cst.Name):
                key = _subscript_key(item)
                if key is None:
                    self.bounded.add(item.value.value)  # X[:] = ...
                else:
                    self._grow(item, item.value.value, "setitem", key, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        super().visit_AugAssign(node)
        target = node.target
        if isinstance(target, cst.Name):
            self._grow(node, target.value, "augment", node.value)
        elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
            self._grow(target, target.value.value, "augment-item", _subscript_key(target))

    def visit_Del(self, node: cst.Del) -> None:
        for name in _subject_names(node.target):
            self.bounded.add(name)

    def visit_Call(self, node: cst.Call) -> None:
        super().visit_Call(node)
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        method, owner = func.attr.value, func.value
        positional = [argument.value for argument in node.args if argument.keyword is None]
        first = positional[0] if positional else None
        if isinstance(owner, cst.Name):
            if method in SHRINKS:
                self.bounded.add(owner.value)
            elif method == "get" and self.facts.current_function is not None:
                self.tested.setdefault(self.facts.current_function.name, set()).add(owner.value)
            elif method in APPENDS:
                self._grow(node, owner.value, "append")
            elif method in ("add", "update") and first is not None:
                self._grow(node, owner.value, method, first)
            elif method == "setdefault" and first is not None:
                self._grow(node, owner.value, "setdefault", first, positional[1] if len(positional) > 1 else None)
        elif isinstance(owner, cst.Subscript) and isinstance(owner.value, cst.Name) and method in APPENDS:
            self._grow(node, owner.value.value, "inner")

    def visit_Comparison(self, node: cst.Comparison) -> None:
        for side in (node.left, *(target.comparator for target in node.comparisons)):
            if isinstance(side, cst.Call) and isinstance(side.func, cst.Name) and side.func.value == "len":
                if side.args:  # ``if len(X) > N:``: a size check, assumed to keep X bounded
                    self.bounded.update(_subject_names(side.args[0].value))
        current = self.facts.current_function
        if current is None:
            return
        for target in node.comparisons:
            if isinstance(target.operator, cst.In | cst.NotIn) and isinstance(target.comparator, cst.Name):
                self.tested.setdefault(current.name, set()).add(target.comparator.value)

    # -- decision ------------------------------------------------------------------------------
    def finish(self, invocation: Invocation) -> Iterator[Report]:
        reported: set[str] = set()
        for growth in self.growths:
            if growth.name in reported or growth.name in self.bounded:
                continue
            if not invocation.runs_per_invocation(growth.function) or self.is_local(growth.function, growth.name):
                continue
            if any(guard in self.created for guard in growth.guards):
                continue  # ``if not _loaded:`` / ``if not ITEMS:``: filled once per environment
            created = self.created.get(growth.name)
            kind = None if created is None else self._container(created)
            if created is None or kind is None:
                continue
            if not self._grows(growth, kind, self.request_values(invocation, growth.function)):
                continue
            reported.add(growth.name)
            related = (
                *invocation.related(growth.function),
                (CodePlace(self.module, created), f"`{growth.name}` is created here, once per execution environment"),
            )
            yield Report(_message(growth, kind), CodePlace(self.module, growth.node), related)

    def _container(self, value: cst.BaseExpression) -> str | None:
        """The kind of unbounded container an expression builds, or ``None``."""
        literal = {
            cst.List: "list",
            cst.ListComp: "list",
            cst.Dict: "dict",
            cst.DictComp: "dict",
            cst.Set: "set",
            cst.SetComp: "set",
        }
        if type(value) in literal:
            return literal[type(value)]
        if not isinstance(value, cst.Call):
            return None
        kind = CONSTRUCTORS.get(self.facts.qualified_name(value.func) or "")
        if kind == "deque" and (len(value.args) > 1 or any(keyword_of(arg) == "maxlen" for arg in value.args)):
            return None  # deque(maxlen=N) drops old items
        return kind

    def _grows(self, growth: Growth, kind: str, values: RequestValues) -> bool:
        """Whether the statement adds items without bound on this kind of container."""
        how, key = growth.how, growth.key
        if how == "inner" or (how in ("append", "augment") and kind in SEQUENCES):
            return True
        request_keyed = key is not None and values.varies(key)
        if how in ("add", "augment") and kind == "set":
            return request_keyed
        if how in ("setitem", "setdefault", "update") and kind in MAPPINGS or how == "update" and kind == "set":
            return request_keyed and not self._caches_a_client(growth)
        if how in ("augment-item", "augment") and kind in AUTO_KEYED:
            return request_keyed
        return False

    def _caches_a_client(self, growth: Growth) -> bool:
        """``if key not in X: X[key] = boto3.client(...)``: one client per key, built once — a cache
        the LL110 advice recommends, bounded by the regions, accounts or tenants it serves."""
        if growth.name not in self.tested.get(growth.function, set()) or growth.value is None:
            return False
        value = growth.value
        if isinstance(value, cst.Name):
            built = self.facts.functions[growth.function].bindings.get(value.value, "")
        elif isinstance(value, cst.Call):
            built = self.facts.qualified_name(value.func) or ""
        else:
            return False
        factory = built.removesuffix("()").rpartition(".")[2]
        return factory in CLIENT_FACTORIES or factory.endswith(("Client", "Connection", "Pool", "Engine"))


def _message(growth: Growth, kind: str) -> str:
    what = f"module-level {kind} `{growth.name}`"
    if growth.how == "inner":
        how = f"the values of {what} collect new items on every invocation"
    elif kind in SEQUENCES:
        how = f"{what} gets new items on every invocation"
    elif kind == "set":
        how = f"{what} gets a new member for each request"
    else:
        how = f"{what} gets a new key for each request"
    return (
        f"{how}, and nothing removes them: the module survives across warm invocations, so it "
        "grows until the function runs out of memory. Keep it local to the invocation, or bound it "
        "(collections.deque(maxlen=N), functools.lru_cache(maxsize=N), cachetools.LRUCache/TTLCache)"
    )


def _name_of(node: cst.BaseExpression) -> str | None:
    return node.value if isinstance(node, cst.Name) else None


def _subscript_key(node: cst.Subscript) -> cst.BaseExpression | None:
    """The key of ``X[key]``; ``None`` for a slice (``X[:]``)."""
    element = node.slice[0].slice if len(node.slice) == 1 else None
    return element.value if isinstance(element, cst.Index) else None


def _subject_names(node: cst.BaseExpression) -> Iterator[str]:
    """``X`` in ``X``, ``X[k]``, ``X[k][j]``, ``(X, Y)``."""
    if isinstance(node, cst.Name):
        yield node.value
    elif isinstance(node, cst.Subscript):
        yield from _subject_names(node.value)
    elif isinstance(node, cst.Tuple | cst.List):
        for element in node.elements:
            yield from _subject_names(element.value)


def keyword_of(argument: cst.Arg) -> str | None:
    return argument.keyword.value if argument.keyword is not None else None
