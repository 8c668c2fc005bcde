"""What each function of the project is, for audit reports: its settings, its package, its role.

A run's findings say what is wrong; an auditor also wants to see every function as deployed —
including those with nothing to report. Values come from the function view (Globals merged,
Lambda's defaults applied) and the package listing. What the template does not fix is ``None``
(shown as unknown), never guessed; names the template gives as an expression it cannot resolve
(``!Sub arn:…:${AWS::Region}:…``) are kept as the template writes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from lambdalint.findings import Location
from lambdalint.loaders.tree import Node, Sequence, describe
from lambdalint.model.function_view import Field, function_view
from lambdalint.model.graph import NoValue, ResourceRef, TemplateGraph, Unknown
from lambdalint.model.packages import function_code
from lambdalint.model.project import SERVERLESS_FUNCTION, CodeKind, Function, Project

#: an expression longer than this is cut (a ``Fn::Join`` of many parts says little more)
_LONGEST = 200


@dataclass(frozen=True)
class FunctionInfo:
    """One function's deployed shape; ``None`` wherever the template leaves the value unknown."""

    template: str
    logical_id: str
    #: ``AWS::Serverless::Function`` or ``AWS::Lambda::Function``
    type: str
    #: the resource's key in the template
    location: Location
    #: where the code is: a directory, a zip, inline, S3, an image …
    code: CodeKind
    runtime: str | None
    #: MB
    memory: int | None
    #: seconds
    timeout: int | None
    #: bytes of the function's own code once unzipped; None when its contents cannot be listed
    #: (S3, an image, inline code, an unreadable zip)
    package_size: int | None
    #: each layer as the template names it: a layer resource's logical id, an ARN, or the expression
    layers: tuple[str, ...] | None
    #: a role resource's logical id, an ARN, or the expression; None when the template sets none
    role: str | None
    #: ``()`` when the function is not in a VPC
    subnets: tuple[str, ...] | None
    security_groups: tuple[str, ...] | None
    #: the handler resolved to a Python module, so the code rules read what runs per invocation
    code_analysed: bool

    @property
    def key(self) -> tuple[str, str]:
        """As ``Finding.resource`` names the resource a finding concerns."""
        return (self.template, self.logical_id)

    @property
    def role_generated(self) -> bool:
        """A SAM function without ``Role`` gets one SAM creates for it."""
        return self.role is None and self.type == SERVERLESS_FUNCTION


def function_inventory(project: Project) -> tuple[FunctionInfo, ...]:
    """Every function of the project, by template and logical id."""
    functions = sorted(project.functions, key=lambda function: (function.template.rel, function.logical_id))
    return tuple(_info(function, project) for function in functions)


def _info(function: Function, project: Project) -> FunctionInfo:
    view = function_view(function)
    graph = function.template.graph
    code = function_code(function, project)
    subnets, security_groups = _vpc(graph, view.get("vpc"))
    role = view.get("role")
    layers = view.get("layers")
    handler = function.handler
    return FunctionInfo(
        template=function.template.rel,
        logical_id=function.logical_id,
        type=function.type,
        location=Location(function.template.rel, function.resource.key_span or function.resource.span),
        code=function.code.kind,
        runtime=_text(view.get("runtime")),
        memory=_number(view.get("memory")),
        timeout=_number(view.get("timeout")),
        package_size=code.package.unzipped if code is not None and code.package is not None else None,
        layers=_names(graph, layers.node) if layers is not None and layers.node is not None else (),
        role=_name(graph, role.node) if role is not None and role.node is not None else None,
        subnets=subnets,
        security_groups=security_groups,
        code_analysed=function.is_python() and handler is not None and handler.module is not None,
    )


def _text(found: Field | None) -> str | None:
    return found.value if found is not None and isinstance(found.value, str) else None


def _number(found: Field | None) -> int | None:
    value = found.value if found is not None else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _vpc(graph: TemplateGraph, found: Field | None) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """Subnets and security groups; both empty without ``VpcConfig``, both unknown behind an intrinsic."""
    if found is None:
        return (), ()
    if isinstance(found.value, Unknown):
        return None, None
    subnets, groups = (found.parts.get(key) for key in ("subnet-ids", "security-group-ids"))
    return (
        _names(graph, subnets.node) if subnets is not None and subnets.node is not None else (),
        _names(graph, groups.node) if groups is not None and groups.node is not None else (),
    )


def _names(graph: TemplateGraph, node: Node) -> tuple[str, ...] | None:
    """Each item of a list; None when the list itself is decided at deploy time."""
    if isinstance(node, Sequence):
        return tuple(_name(graph, item) for item in node.items if not isinstance(graph.evaluate(item), NoValue))
    value = graph.evaluate(node)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(str(item) for item in value)
    return None


def _name(graph: TemplateGraph, node: Node) -> str:
    """A resource's logical id, a literal, or the expression as the template writes it."""
    value = graph.evaluate(node)
    if isinstance(value, ResourceRef):
        return value.logical_id
    if isinstance(value, str | int) and not isinstance(value, bool):
        return str(value)
    return describe(node, limit=_LONGEST)
