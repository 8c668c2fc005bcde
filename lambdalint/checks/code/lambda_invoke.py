"""LL102 self-invocation and LL103 sync-lambda-invoke: the Lambda Invoke API called per invocation.

Both rules read the same calls: ``invoke`` / ``invoke_async`` on a boto3 (botocore, aioboto3)
client built for the "lambda" service. What ``FunctionName`` names tells them apart: the function
itself (LL102, whatever the invocation type but ``DryRun``), or another function invoked
synchronously (LL103). The durable functions SDK's ``context.invoke(...)`` is not a client call
(it checkpoints and suspends instead of waiting), so neither rule sees it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import libcst as cst

from lambdalint.analysis.calls import argument, literal_string
from lambdalint.analysis.module_facts import CallSite
from lambdalint.analysis.program import Invocation
from lambdalint.checks.base import CodeCheck, CodePlace, Report, code_check
from lambdalint.checks.code.client_in_handler import SESSION_FACTORIES
from lambdalint.loaders import tree
from lambdalint.loaders.tree import Mapping, Node, intrinsic_name, scalar_value, to_plain
from lambdalint.model.project import Function

INVOKE_METHODS = frozenset({"invoke", "invoke_async"})
#: sessions' methods that build a client, and the sessions beside boto3's that have them
CLIENT_METHODS = frozenset({"client", "create_client"})
SESSIONS = SESSION_FACTORIES | {"aiobotocore.session.get_session", "aiobotocore.session.AioSession"}
#: what the Lambda context object says about the function it runs in
CONTEXT_ATTRIBUTES = frozenset({"function_name", "invoked_function_arn"})
#: set by Lambda in every execution environment to the function's own name
OWN_NAME_VARIABLE = "AWS_LAMBDA_FUNCTION_NAME"
ENVIRONMENT_GETTERS = frozenset({"os.environ.get", "os.getenv"})
#: how many names a value is followed through (``SELF = os.environ[...]``, then ``name = SELF``)
MAX_DEPTH = 4


@dataclass(frozen=True)
class Scope:
    """Where an expression is read: a function (``""`` at module level) and its class (or ``""``)."""

    function: str
    owner: str


@dataclass(frozen=True)
class Value:
    """An expression a name stands for, and the scope it is read in."""

    expression: cst.BaseExpression
    scope: Scope


@dataclass(frozen=True)
class Target:
    """What a ``FunctionName`` argument names."""

    kind: Literal["self", "literal", "environment", "unknown"]
    #: the literal text or the environment variable's name
    text: str = ""


@dataclass(frozen=True)
class InvokeCall:
    """An ``invoke``/``invoke_async`` call, on a receiver yet to be recognised."""

    site: CallSite
    method: str
    scope: Scope


@dataclass(frozen=True)
class LambdaInvoke:
    """An invoke call on a Lambda client, read: whom it calls and how."""

    call: InvokeCall
    function_name: cst.BaseExpression | None
    calls_itself: bool
    #: "RequestResponse", "Event", "DryRun", or ``None`` when the code does not say
    invocation_type: str | None


class LambdaInvokeCheck(CodeCheck):
    """Collects invoke calls and what tells their receiver and arguments apart: assignments, client
    factory calls, and the arguments module functions are called with. Decisions wait for
    ``finish``: a module-level client may be assigned after the function that uses it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invokes: list[InvokeCall] = []
        #: (scope, name) → values assigned; scope is "" for module level, the function's name for
        #: its locals, ``class C`` for ``self.x`` (named ``self.x``)
        self.bindings: dict[tuple[str, str], list[Value]] = {}
        #: client factory calls → their literal service ("lambda"), or "" when not literal
        self.factories: dict[cst.Call, str] = {}
        #: calls of module functions by name, where they are made
        self.calls_to: dict[str, list[tuple[cst.Call, Scope]]] = {}
        self._classes: list[str] = []
        self._targets_read: dict[tuple[int | str, Scope], Target] = {}
        self._services_read: dict[tuple[int | str, Scope], set[str | None]] = {}

    # -- collecting ----------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._classes.append(node.name.value)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._classes.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind(node.target, node.value)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        """``async with session.client("lambda") as client`` (aioboto3)."""
        if node.asname is not None:
            self._bind(node.asname.name, node.item)

    def _scope(self) -> Scope:
        current = self.facts.current_function
        if current is None:
            return Scope("", ".".join(self._classes))
        return Scope(current.name, current.name.rpartition(".")[0])

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if isinstance(value, cst.Name) and value.value == "None":
            return  # a placeholder for lazy initialisation
        current = self.facts.current_function
        scope = self._scope()
        if isinstance(target, cst.Name):
            key = target.value
            if current is None:
                where, key = (f"class {scope.owner}", f"self.{key}") if scope.owner else ("", key)
            else:
                where = "" if key in current.globals else current.name
        elif _is_self_attribute(target) and scope.owner:
            assert isinstance(target, cst.Attribute)
            where, key = f"class {scope.owner}", f"self.{target.attr.value}"
        else:
            return
        self.bindings.setdefault((where, key), []).append(Value(value, scope))

    def visit_Call(self, node: cst.Call) -> None:
        name = self.facts.qualified_name(node.func) or ""
        service = _service(node, name)
        if service is not None:
            self.factories[node] = service
        elif name.isidentifier():
            self.calls_to.setdefault(name, []).append((node, self._scope()))
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in INVOKE_METHODS:
            return
        site = self.facts.call_site(node)
        if site is not None and not site.lazily_guarded:
            self.invokes.append(InvokeCall(site, func.attr.value, self._scope()))

    # -- reading -------------------------------------------------------------------------------
    def lambda_invokes(self, invocation: Invocation) -> Iterator[LambdaInvoke]:
        """The per-invocation invoke calls made on a Lambda client, read."""
        functions = invocation.lambda_functions()
        for call in self.invokes:
            if not invocation.runs_per_invocation(call.site.function) or not self._on_lambda_client(call):
                continue
            function_name = argument(call.site.node, None, "FunctionName")
            target = Target("unknown")
            if function_name is not None:
                target = self._target(function_name, call.scope, MAX_DEPTH)
            yield LambdaInvoke(call, function_name, _names_itself(target, functions), self._invocation_type(call))

    def _on_lambda_client(self, call: InvokeCall) -> bool:
        """A client built for "lambda"; or one whose making we cannot see (a parameter, a getter's
        result) named for Lambda (``lambda_client``) and called with ``FunctionName=``."""
        func = call.site.node.func
        assert isinstance(func, cst.Attribute)
        services = self._services(func.value, call.scope, MAX_DEPTH)
        if services == {"lambda"}:
            return True
        return (
            services <= {None, ""}
            and "lambda" in _last_name(func.value).lower()
            and argument(call.site.node, None, "FunctionName") is not None
        )

    def _services(self, expression: cst.BaseExpression, scope: Scope, depth: int) -> set[str | None]:
        """The services of the clients an expression can be; ``None`` for anything else."""
        key = (_key(expression), scope)
        if key not in self._services_read:
            self._services_read[key] = self._read_services(expression, scope, depth)
        return self._services_read[key]

    def _read_services(self, expression: cst.BaseExpression, scope: Scope, depth: int) -> set[str | None]:
        if isinstance(expression, cst.Call):
            return {self.factories.get(expression)}
        values = self._values(expression, scope) if depth else None
        if not values:
            return {None}
        return set().union(*(self._services(value.expression, value.scope, depth - 1) for value in values))

    def _target(self, expression: cst.BaseExpression, scope: Scope, depth: int) -> Target:
        """What an expression names as a function; read once per name (or expression) and scope, so
        that a parameter passed on through many calls costs no more than its call sites."""
        key = (_key(expression), scope)
        if key not in self._targets_read:
            self._targets_read[key] = self._read_target(expression, scope, depth)
        return self._targets_read[key]

    def _read_target(self, expression: cst.BaseExpression, scope: Scope, depth: int) -> Target:
        if isinstance(expression, cst.Attribute) and expression.attr.value in CONTEXT_ATTRIBUTES:
            return Target("self") if _is_context(expression.value) else Target("unknown")
        variable = self._environment_variable(expression)
        if variable is not None:
            return Target("self") if variable == OWN_NAME_VARIABLE else Target("environment", variable)
        literal = literal_string(expression)
        if literal is not None:
            return Target("literal", literal)
        values = self._values(expression, scope) if depth else None
        if not values:
            return Target("unknown")
        targets = {self._target(value.expression, value.scope, depth - 1) for value in values}
        return targets.pop() if len(targets) == 1 else Target("unknown")

    def _values(self, expression: cst.BaseExpression, scope: Scope) -> list[Value] | None:
        """What a name (local, else module-level) or ``self.attribute`` can stand for: its
        assignments, or for a parameter of a module function, the arguments of its calls."""
        if isinstance(expression, cst.Name):
            name = expression.value
            info = self.facts.functions.get(scope.function)
            if info is not None and name in _parameters(info.node):
                return None if scope.owner else self._arguments(info.node, name)
            local = self.bindings.get((scope.function, name)) if scope.function else None
            return local or self.bindings.get(("", name))
        if _is_self_attribute(expression) and scope.owner:
            assert isinstance(expression, cst.Attribute)
            return self.bindings.get((f"class {scope.owner}", f"self.{expression.attr.value}"))
        return None

    def _arguments(self, function: cst.FunctionDef, parameter: str) -> list[Value] | None:
        """The argument every call of ``function`` in this module passes for ``parameter``;
        ``None`` if some call leaves it out (or there is none)."""
        sites = self.calls_to.get(function.name.value)
        positional = [p.name.value for p in (*function.params.posonly_params, *function.params.params)]
        index = positional.index(parameter) if parameter in positional else None
        values = []
        for call, scope in sites or ():
            passed = argument(call, index, parameter)
            if passed is None:
                return None
            values.append(Value(passed, scope))
        return values or None

    def _environment_variable(self, expression: cst.BaseExpression) -> str | None:
        """``X`` for ``os.environ["X"]``, ``os.environ.get("X")``, ``os.getenv("X", default)``."""
        if isinstance(expression, cst.Subscript) and self.facts.qualified_name(expression.value) == "os.environ":
            index = expression.slice[0].slice if len(expression.slice) == 1 else None
            return literal_string(index.value) if isinstance(index, cst.Index) else None
        if isinstance(expression, cst.Call) and self.facts.qualified_name(expression.func) in ENVIRONMENT_GETTERS:
            return literal_string(expression.args[0].value) if expression.args else None
        return None

    def _invocation_type(self, call: InvokeCall) -> str | None:
        if call.method == "invoke_async":
            return "Event"
        node = call.site.node
        value = argument(node, None, "InvocationType")
        if value is None:
            return None if any(argument.star == "**" for argument in node.args) else "RequestResponse"
        target = self._target(value, call.scope, MAX_DEPTH)
        return target.text if target.kind == "literal" else None

    def code(self, node: cst.CSTNode, limit: int = 60) -> str:
        """The source of a short expression, for messages."""
        text = " ".join(self.module.module.code_for_node(node).split())
        return text if len(text) <= limit else text[: limit - 1] + "…"


@code_check
class SelfInvocation(LambdaInvokeCheck):
    rule_id = "LL102"

    def finish(self, invocation: Invocation) -> Iterator[Report]:
        for invoke in self.lambda_invokes(invocation):
            if not invoke.calls_itself or invoke.invocation_type == "DryRun":
                continue
            assert invoke.function_name is not None
            yield Report(
                f"{invoke.call.method}(FunctionName={self.code(invoke.function_name)}) invokes this very "
                "function: each invocation starts another, a loop that runs and bills until something "
                "breaks it; loop over the work here within the remaining time, or hand it to a queue, "
                "Step Functions or a durable function",
                CodePlace(self.module, invoke.call.site.node),
                invocation.related(invoke.call.site.function),
            )


@code_check
class SyncLambdaInvoke(LambdaInvokeCheck):
    rule_id = "LL103"

    def finish(self, invocation: Invocation) -> Iterator[Report]:
        for invoke in self.lambda_invokes(invocation):
            if invoke.calls_itself or invoke.invocation_type != "RequestResponse":
                continue
            whom = self.code(invoke.function_name) if invoke.function_name is not None else "a function"
            yield Report(
                f"synchronous invoke of {whom}: this function waits, billed, while the other one runs, "
                "and its timeout must cover the callee's; call the shared code directly (a module or "
                'layer), invoke with InvocationType="Event", or orchestrate with Step Functions',
                CodePlace(self.module, invoke.call.site.node),
                invocation.related(invoke.call.site.function),
            )


def _names_itself(target: Target, functions: tuple[Function, ...]) -> bool:
    """Whether ``FunctionName`` is the function the code runs in.

    A literal must be every template function's ``FunctionName`` (with several functions sharing
    the code, a literal names at most one of them). An environment variable must refer, in every
    function that sets it, to that function itself.
    """
    if target.kind == "self":
        return True
    if target.kind == "literal":
        return bool(functions) and all(
            scalar_value(f.get("FunctionName")) == _function_part(target.text) for f in functions
        )
    if target.kind == "environment":
        verdicts = [
            _refers_to(function, value)
            for function in functions
            if (variables := function.environment_variables()) is not None
            and (value := variables.get(target.text)) is not None
        ]
        return bool(verdicts) and all(verdicts)
    return False


def _refers_to(function: Function, value: Node) -> bool:
    """A template value that names ``function``: ``!Ref`` it, its ``!GetAtt .Arn``, a ``!Sub`` on
    it, or the same value as its ``FunctionName`` property."""
    own_name = function.get("FunctionName")
    if own_name is not None and to_plain(own_name) == to_plain(value):
        return True
    name = intrinsic_name(value)
    if name is None or not isinstance(value, Mapping):
        return False
    argument = value.entries[name]
    if isinstance(argument, tree.Sequence) and argument.items:  # [template, variables] / [resource, attribute]
        argument = argument.items[0]
    text = scalar_value(argument)
    if not isinstance(text, str):
        return False
    own = function.logical_id
    if name == "Ref":
        return text == own
    if name == "Fn::GetAtt":
        return text.split(".")[0] == own
    if name == "Fn::Sub":
        return f"${{{own}}}" in text or f"${{{own}.Arn}}" in text
    return False


def _function_part(text: str) -> str:
    """``my-fn`` from ``my-fn``, ``my-fn:live`` or ``arn:aws:lambda:…:function:my-fn[:live]``."""
    if ":function:" in text:
        text = text.split(":function:", 1)[1]
    return text.split(":")[0]


def _service(call: cst.Call, name: str) -> str | None:
    """For a client factory call (``boto3.client``, a session's ``client``) whose callee is
    ``name``: its literal service, or "" when not literal; ``None`` for other calls."""
    owner, _, method = name.rpartition(".")
    if name != "boto3.client" and not (method in CLIENT_METHODS and owner.removesuffix("()") in SESSIONS):
        return None
    for arg in call.args:
        keyword = arg.keyword.value if arg.keyword is not None else None
        if keyword in (None, "service_name") and not arg.star:
            return literal_string(arg.value) or ""
    return ""


def _parameters(function: cst.FunctionDef) -> set[str]:
    params = function.params
    return {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}


def _key(expression: cst.BaseExpression) -> int | str:
    """What a reading depends on: the name for a name (every mention of it in a scope reads the
    same), the node itself otherwise."""
    if isinstance(expression, cst.Name):
        return expression.value
    if _is_self_attribute(expression):
        assert isinstance(expression, cst.Attribute)
        return f"self.{expression.attr.value}"
    return id(expression)


def _is_self_attribute(expression: cst.BaseExpression) -> bool:
    return (
        isinstance(expression, cst.Attribute)
        and isinstance(expression.value, cst.Name)
        and expression.value.value == "self"
    )


def _last_name(expression: cst.BaseExpression) -> str:
    """``lambda_client`` for ``lambda_client``, ``self.lambda_client``, ``get_lambda_client()``."""
    if isinstance(expression, cst.Call):
        return _last_name(expression.func)
    if isinstance(expression, cst.Attribute):
        return expression.attr.value
    return expression.value if isinstance(expression, cst.Name) else ""


def _is_context(expression: cst.BaseExpression) -> bool:
    """The Lambda context by its usual names: ``context``, ``ctx``, ``lambda_context``, ``self.context``."""
    name = _last_name(expression)
    return name in ("context", "ctx") or name.endswith("_context")
