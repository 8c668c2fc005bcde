"""LL210 handler-not-found: the template's Handler names a file or function the code does not have."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

import libcst as cst

from lambdalint.checks.base import CheckContext, Report, TemplatePlace, function_check
from lambdalint.loaders.tree import scalar_value
from lambdalint.model.project import Function


@function_check("LL210")
def handler_not_found(function: Function, context: CheckContext) -> Iterator[Report]:
    code = function.code
    if code.kind not in ("directory", "file", "inline", "image") or code.path is None:
        return
    handler = function.handler
    if handler is None:
        yield from _unusable_handler(function)
        return
    if handler.module is None:
        if _web_adapter_script(function) or not _looks_like_python(function):
            return
        if code.kind == "directory" and not code.path.is_dir():
            message = f"Handler {handler.text!r}: the code directory {code.path.name}/ does not exist"
        elif code.kind == "inline":
            message = f"Handler {handler.text!r}: inline code is deployed as index.py; name index.<function>"
        else:
            looked = " or ".join(handler.candidates)
            message = f"Handler {handler.text!r}: no {looked} in the function's code"
        related = ((TemplatePlace(function.template, code.node), "the function's code"),) if code.node else ()
        yield Report(message, TemplatePlace(function.template, handler.node), related, function=function)
        return
    names = module_level_names(handler.module.module)
    if names is None or handler.function_name in names:
        return
    yield Report(
        f"Handler {handler.text!r}: {handler.module.rel} has no module-level {handler.function_name!r}"
        + _suggestion(handler.function_name, names),
        TemplatePlace(function.template, handler.node),
        function=function,
    )


def _unusable_handler(function: Function) -> Iterator[Report]:
    node = function.get("Handler")
    if not function.is_python() or _web_adapter_script(function):
        return
    if node is None:
        yield Report(
            "the function has no Handler", TemplatePlace(function.template, function.properties_node), function=function
        )
    elif isinstance(scalar_value(node), str):
        yield Report(
            f"Handler {scalar_value(node)!r} is not of the form module.function",
            TemplatePlace(function.template, node),
            function=function,
        )


def module_level_names(module: cst.Module) -> set[str] | None:
    """Names bound at module level, or ``None`` when a star import or ``__getattr__`` hides them."""
    names: set[str] = set()
    collector = _BindingCollector(names)
    for statement in module.body:
        statement.visit(collector)
    return None if collector.opaque else names


class _BindingCollector(cst.CSTVisitor):
    """Bindings of module-level statements (descending into if/try, not into functions or classes)."""

    def __init__(self, names: set[str]) -> None:
        super().__init__()
        self.names = names
        self.opaque = False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.names.add(node.name.value)
        self.opaque = self.opaque or node.name.value == "__getattr__"
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.names.add(node.name.value)
        return False

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._bind(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bind(node.target)

    def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
        target: cst.BaseExpression = node.asname.name if node.asname else node.name
        while isinstance(target, cst.Attribute):
            target = target.value
        self._bind(target)

    def visit_ImportStar(self, node: cst.ImportStar) -> None:
        self.opaque = True

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def _bind(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self.names.add(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind(element.value)


def _suggestion(wanted: str, names: set[str]) -> str:
    close = difflib.get_close_matches(wanted, sorted(names), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _web_adapter_script(function: Function) -> bool:
    """The Lambda Web Adapter runs a script named as the handler when its wrapper is set."""
    variables = function.environment_variables()
    handler = scalar_value(function.get("Handler"))
    code_root = function.code.path
    return (
        variables is not None
        and "AWS_LAMBDA_EXEC_WRAPPER" in variables
        and isinstance(handler, str)
        and code_root is not None
        and (code_root / handler).is_file()
    )


def _looks_like_python(function: Function) -> bool:
    """A Python runtime, or none stated and Python files in the code directory."""
    if function.runtime() is not None:
        return function.is_python()
    root = function.code.path
    return root is not None and root.is_dir() and any(root.glob("*.py"))
