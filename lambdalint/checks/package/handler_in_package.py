"""LL308 handler-missing-from-package: the built package has no module for the template's Handler.

Only what gets deployed as built is judged: a zip named by ``CodeUri``/``Code``, or
``.aws-sam/build/<LogicalId>/``. A source folder is LL210's business (``sam build`` is still to run).
The handler module may also come from one of the function's layers (``/opt/python`` is on the
path); layers defined in the template are searched, layers from outside it cannot be and are not.
"""

from __future__ import annotations

from collections.abc import Iterator

from lambdalint.checks.base import CheckContext, Place, Report, TemplatePlace, function_check
from lambdalint.checks.package._shipped import member_place, naming_place, package_place
from lambdalint.loaders.tree import scalar_value
from lambdalint.model.packages import Package, function_code, function_layers
from lambdalint.model.project import Function

#: the Lambda Web Adapter and other wrappers take over the handler: it need not be a module
EXEC_WRAPPER = "AWS_LAMBDA_EXEC_WRAPPER"


@function_check("LL308")
def handler_missing_from_package(function: Function, context: CheckContext) -> Iterator[Report]:
    runtime = function.runtime() or ""
    handler_node = function.get("Handler")
    handler = scalar_value(handler_node)
    if not runtime.startswith("python") or not isinstance(handler, str) or "." not in handler or _wrapped(function):
        return
    code = function_code(function, context.project)
    package = code.package if code else None
    if code is None or package is None or package.too_many_entries:
        return
    if package.kind != "zip" and package.path == function.code.path:
        return  # a source folder or file, not yet built
    module = handler.rsplit(".", 1)[0].replace(".", "/")
    candidates = _candidates(module)
    if _holds(package, candidates, ("",)):
        return
    layers, _ = function_layers(function, context.project)
    layer_roots = ("python/", f"python/lib/{runtime}/site-packages/")
    if any(_holds(layer.package, candidates, layer_roots) for layer in layers if layer.package is not None):
        return
    related: list[tuple[Place, str]] = [(package_place(package, context.project), "the package")]
    if handler_node is not None:
        related.append((TemplatePlace(function.template, handler_node), "the handler"))
    nested = _nested(package, candidates)
    hint = ""
    if nested is not None:
        related.append((member_place(package, context.project, nested), "the module, one folder too deep"))
        hint = f"; it holds {nested}: build the package from inside its folder"
    yield Report(
        f"the package has no {candidates[0]} (nor {candidates[1]}) for Handler {handler}{hint}",
        naming_place(function, code),
        related=tuple(related),
        function=function,
    )


def _wrapped(function: Function) -> bool:
    variables = function.environment_variables()
    return variables is not None and variables.get(EXEC_WRAPPER) is not None


def _candidates(module: str) -> tuple[str, ...]:
    """The files Python imports ``module`` from: source, package, or sourceless bytecode."""
    return (f"{module}.py", f"{module}/__init__.py", f"{module}.pyc")


def _holds(package: Package, candidates: tuple[str, ...], roots: tuple[str, ...]) -> bool:
    wanted = {root + candidate for root in roots for candidate in candidates}
    extension = tuple(f"{root}{candidates[0][:-3]}." for root in roots)
    return any(
        entry.name in wanted or (entry.name.startswith(extension) and entry.name.endswith(".so"))
        for entry in package.entries
    )


def _nested(package: Package, candidates: tuple[str, ...]) -> str | None:
    """The shallowest member that is the handler module under an extra folder (zipped from one level up)."""
    found = [entry.name for entry in package.entries if entry.name.endswith(tuple("/" + c for c in candidates[:2]))]
    return min(found, key=lambda name: (name.count("/"), name), default=None)
