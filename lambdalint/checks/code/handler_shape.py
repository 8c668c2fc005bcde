"""LL130 async-handler and LL131 handler-signature: whether Lambda can call the handler as it does.

The Python runtime calls ``handler(event, context)`` and serialises what comes back. Both rules read
what the handler's name is bound to at module level: a function (is it ``async``, what parameters),
a ``lambda``, an instance of a class of the module (its ``__call__``), or a value that cannot be
called at all. A decorator can change all of that, so a handler decorated with anything but the
pass-through decorators of Powertools and the X-Ray SDK is left alone, and so is a name bound more
than once (``if``/``else`` definitions) or by an import.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import libcst as cst

from lambdalint.analysis.module_facts import ModuleFacts
from lambdalint.analysis.program import Handler, Invocation
from lambdalint.checks.base import CodeCheck, CodePlace, Place, Report, TemplatePlace, code_check

#: decorators that call the handler with the (event, context) they receive and return its result
TRANSPARENT_PREFIXES = ("aws_lambda_powertools.", "aws_xray_sdk.")
TRANSPARENT_METHODS = frozenset({"inject_lambda_context", "capture_lambda_handler", "log_metrics"})
#: Powertools' factory for middlewares: what it decorates takes (handler, event, context)
MIDDLEWARE_FACTORY = "lambda_handler_decorator"
#: values that cannot be called, by node type, in words
NOT_CALLABLE: dict[type[cst.CSTNode], str] = {
    cst.SimpleString: "a string",
    cst.ConcatenatedString: "a string",
    cst.FormattedString: "a string",
    cst.Integer: "a number",
    cst.Float: "a number",
    cst.Imaginary: "a number",
    cst.List: "a list",
    cst.ListComp: "a list",
    cst.Tuple: "a tuple",
    cst.Dict: "a dict",
    cst.DictComp: "a dict",
    cst.Set: "a set",
    cst.SetComp: "a set",
    cst.GeneratorExp: "a generator",
}
CONSTANT_NAMES = {"None": "None", "True": "a boolean", "False": "a boolean"}


@dataclass(frozen=True)
class Definition:
    """The code Lambda runs when it calls the handler."""

    node: cst.FunctionDef | cst.Lambda
    #: a method (``__call__`` of an instance): its first parameter is the instance
    bound: bool = False


@dataclass(frozen=True)
class NotCallable:
    """A handler name bound to a value that cannot be called."""

    node: cst.BaseExpression
    what: str


def handler_shape(module: cst.Module, name: str, facts: ModuleFacts) -> Definition | NotCallable | None:
    """What the module-level ``name`` is, when the code says so for sure; ``None`` otherwise."""
    bindings = list(_bindings(module.body, name))
    if len(bindings) != 1:
        return None
    binding = bindings[0]
    if isinstance(binding, cst.FunctionDef):
        return Definition(binding) if _transparent(binding.decorators, facts) else None
    if isinstance(binding, cst.Lambda):
        return Definition(binding)
    if isinstance(binding, cst.Call) and isinstance(binding.func, cst.Name):
        return _instance(module, binding, binding.func.value, facts)
    if isinstance(binding, cst.Name) and binding.value in CONSTANT_NAMES:
        return NotCallable(binding, CONSTANT_NAMES[binding.value])
    what = NOT_CALLABLE.get(type(binding))
    return NotCallable(binding, what) if what is not None and isinstance(binding, cst.BaseExpression) else None


def _instance(
    module: cst.Module, call: cst.Call, class_name: str, facts: ModuleFacts
) -> Definition | NotCallable | None:
    """``handler = Handler()`` for a class of this module: its ``__call__``, or not callable when the
    class has none and inherits from nothing that could give it one."""
    classes = list(_bindings(module.body, class_name))
    if len(classes) != 1 or not isinstance(classes[0], cst.ClassDef):
        return None
    cls = classes[0]
    methods = [
        statement
        for statement in cls.body.body
        if isinstance(statement, cst.FunctionDef) and statement.name.value == "__call__"
    ]
    if len(methods) == 1:
        return Definition(methods[0], bound=True) if _transparent(methods[0].decorators, facts) else None
    plain = all(isinstance(base.value, cst.Name) and base.value.value == "object" for base in cls.bases)
    if not methods and plain and not cls.keywords and not cls.decorators and not _assigns(cls, "__call__"):
        return NotCallable(call, f"an instance of {class_name}, which has no __call__")
    return None


def _transparent(decorators: Sequence[cst.Decorator], facts: ModuleFacts) -> bool:
    for decorator in decorators:
        target = decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
        name = facts.qualified_name(target) or ""
        method = name.rpartition(".")[2]
        if method == MIDDLEWARE_FACTORY or not (name.startswith(TRANSPARENT_PREFIXES) or method in TRANSPARENT_METHODS):
            return False
    return True


def _bindings(statements: Iterable[cst.CSTNode], name: str) -> Iterator[cst.CSTNode]:
    """What binds ``name`` among module-level statements (inside ``if``/``try``/``with``/loops too):
    a def or class, the value assigned, or the binding statement itself when it has no value we
    can read (an import, a tuple assignment, ``+=``)."""
    for statement in statements:
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            if statement.name.value == name:
                yield statement
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                yield from _small_bindings(small, name)
        elif isinstance(statement, cst.BaseCompoundStatement):
            if _binds(getattr(statement, "target", None), name) or any(
                item.asname is not None and _binds(item.asname.name, name) for item in getattr(statement, "items", ())
            ):
                yield statement
            for block in _blocks(statement):
                yield from _bindings(block.body, name)


def _small_bindings(small: cst.BaseSmallStatement, name: str) -> Iterator[cst.CSTNode]:
    if isinstance(small, cst.Assign):
        for target in small.targets:
            if isinstance(target.target, cst.Name) and target.target.value == name:
                yield small.value
            elif _binds(target.target, name):
                yield small
    elif isinstance(small, cst.AnnAssign) and small.value is not None and _binds(small.target, name):
        yield small.value if isinstance(small.target, cst.Name) else small
    elif isinstance(small, cst.AugAssign) and _binds(small.target, name):
        yield small
    elif isinstance(small, (cst.Import, cst.ImportFrom)):
        if isinstance(small.names, cst.ImportStar):
            yield small
            return
        for alias in small.names:
            bound: cst.BaseExpression = alias.asname.name if alias.asname is not None else alias.name
            while isinstance(bound, cst.Attribute):
                bound = bound.value
            if _binds(bound, name):
                yield small


def _blocks(statement: cst.BaseCompoundStatement) -> Iterator[cst.BaseSuite]:
    """The suites of a compound statement: body, ``elif``/``else``, ``except``, ``finally``, cases."""
    if isinstance(statement, cst.Match):
        yield from (case.body for case in statement.cases)
        return
    yield statement.body
    for part in ("orelse", "finalbody"):
        extra = getattr(statement, part, None)
        while extra is not None:
            yield extra.body
            extra = getattr(extra, "orelse", None) if isinstance(extra, cst.If) else None
    for handler in getattr(statement, "handlers", ()):
        yield handler.body


def _binds(target: cst.CSTNode | None, name: str) -> bool:
    if isinstance(target, cst.Name):
        return target.value == name
    if isinstance(target, (cst.Tuple, cst.List)):
        return any(_binds(element.value, name) for element in target.elements)
    if isinstance(target, cst.StarredElement):
        return _binds(target.value, name)
    return False


def _assigns(cls: cst.ClassDef, name: str) -> bool:
    """A class-level ``__call__ = ...`` (or any other binding of the name in the class body)."""
    return any(True for _ in _bindings(cls.body.body, name))


def _related(handler: Handler) -> tuple[tuple[Place, str], ...]:
    """The template's ``Handler`` line, for handlers a template names."""
    function = handler.function
    if function is None or function.handler is None:
        return ()
    return ((TemplatePlace(function.template, function.handler.node), f"{function.logical_id}'s Handler"),)


def _looks_like_lambda(node: cst.FunctionDef) -> bool:
    """A handler found by name pattern whose parameters read as (event, context), so that an ASGI
    app's ``async def not_found_handler(request, exc)`` is not taken for one."""
    params = [p.name.value for p in (*node.params.posonly_params, *node.params.params)]
    return len(params) == 2 and ("event" in params[0] or "context" in params[1] or params[1] in ("ctx", "_"))


@code_check
class AsyncHandler(CodeCheck):
    rule_id = "LL130"

    def finish(self, invocation: Invocation) -> Iterator[Report]:
        for handler in invocation.handlers:
            shape = handler_shape(self.module.module, handler.name, self.facts)
            if not isinstance(shape, Definition) or not isinstance(shape.node, cst.FunctionDef):
                continue
            node = shape.node
            if node.asynchronous is None or (handler.function is None and not _looks_like_lambda(node)):
                continue
            yield Report(
                f"{handler.name} is async def: the Python runtime calls the handler without awaiting "
                "it, so the body never runs and the invocation fails returning a coroutine; make it a "
                "plain def that runs the coroutine with asyncio.run(...)",
                CodePlace(self.module, node.asynchronous),
                _related(handler),
            )


@code_check
class HandlerSignature(CodeCheck):
    rule_id = "LL131"

    def finish(self, invocation: Invocation) -> Iterator[Report]:
        for handler in invocation.handlers:
            if handler.function is None:
                continue  # the name patterns only find functions that take (event, context)
            shape = handler_shape(self.module.module, handler.name, self.facts)
            if isinstance(shape, NotCallable):
                yield Report(
                    f"the template's Handler names {handler.name}, {shape.what}, not a function: every "
                    f"invocation fails with TypeError; point Handler at a function def {handler.name}"
                    "(event, context)",
                    CodePlace(self.module, shape.node),
                    _related(handler),
                )
            elif isinstance(shape, Definition):
                problem = _signature_problem(shape)
                if problem is not None:
                    place = shape.node.name if isinstance(shape.node, cst.FunctionDef) else shape.node
                    yield Report(f"{handler.name} {problem}", CodePlace(self.module, place), _related(handler))


def _signature_problem(definition: Definition) -> str | None:
    """Why ``handler(event, context)`` raises TypeError, in words, or ``None`` when it does not."""
    params = definition.node.params
    positional = [*params.posonly_params, *params.params][1 if definition.bound else 0 :]
    star = isinstance(params.star_arg, cst.Param)
    required = [p for p in positional if p.default is None]
    keyword_only = [p.name.value for p in params.kwonly_params if p.default is None]
    if len(positional) < 2 and not star:
        return (
            f"takes {len(positional)} positional parameter{'' if len(positional) == 1 else 's'}, but Lambda "
            "calls it with two, (event, context): every invocation fails with TypeError; accept both "
            "(name the one you do not use _context)"
        )
    if len(required) > 2:
        extra = ", ".join(p.name.value for p in required[2:])
        return (
            f"requires {len(required)} positional parameters, but Lambda passes only (event, context): "
            f"every invocation fails with TypeError; give {extra} a default or get it elsewhere"
        )
    if keyword_only:
        return (
            f"requires the keyword-only parameter{'s' if len(keyword_only) > 1 else ''} "
            f"{', '.join(keyword_only)}, which Lambda never passes: every invocation fails with "
            "TypeError; give it a default"
        )
    return None
