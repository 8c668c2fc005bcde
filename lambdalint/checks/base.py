"""The contract between the engine and the checks.

A check reports a *place* (a template node or path, a libcst node, a file) and a message; the engine
turns places into spans, applies configuration and suppressions, and never lets a check's exception
stop the run. Checks come in two kinds, registered by rule id:

- function checks see one :class:`~lambdalint.model.project.Function` (templates and cross rules);
- code checks are libcst visitors batched into one traversal per module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import libcst as cst

from lambdalint.findings import Severity, Span
from lambdalint.loaders.python import SourceModule
from lambdalint.loaders.tree import Node, Path
from lambdalint.model.project import Function, Project, Template

if TYPE_CHECKING:
    from lambdalint.analysis.module_facts import ModuleFacts
    from lambdalint.analysis.program import Invocation


@dataclass(frozen=True)
class TemplatePlace:
    """A template node, or a path in it (reported at the nearest existing ancestor if missing)."""

    template: Template
    node: Node | None = None
    path: Path = ()


@dataclass(frozen=True)
class CodePlace:
    module: SourceModule
    node: cst.CSTNode


@dataclass(frozen=True)
class FilePlace:
    """A whole file, or a span in a file the model does not parse (a zip, a skipped file)."""

    rel: str
    span: Span | None = None


Place = TemplatePlace | CodePlace | FilePlace


@dataclass(frozen=True)
class Report:
    message: str
    place: Place
    related: tuple[tuple[Place, str], ...] = ()
    #: overrides the rule's default severity for this finding (e.g. a softer variant)
    severity: Severity | None = None
    #: the template resource concerned, for Metadata suppressions (derived from a template place
    #: under ``Resources`` when not given)
    function: Function | None = None
    #: text that must not be shown: masked in the excerpt every output format prints
    secret: str | None = None


@dataclass(frozen=True)
class CheckContext:
    project: Project
    options: dict[str, Any] = field(default_factory=dict)
    #: the date dated rules judge by (``--as-of``; the engine resolves "today" once per run)
    as_of: date = field(default_factory=date.today)
    #: unzipped sizes of layers from outside the template, by ARN or name (``layer-sizes``)
    layer_sizes: dict[str, int] = field(default_factory=dict)


FunctionCheck = Callable[[Function, CheckContext], Iterable[Report]]

FUNCTION_CHECKS: dict[str, FunctionCheck] = {}
CODE_CHECKS: dict[str, type[CodeCheck]] = {}

_F = TypeVar("_F", bound=Callable[..., Any])


def function_check(rule_id: str) -> Callable[[_F], _F]:
    def register(check: _F) -> _F:
        FUNCTION_CHECKS[rule_id] = check
        return check

    return register


def code_check(cls: type[CodeCheck]) -> type[CodeCheck]:
    CODE_CHECKS[cls.rule_id] = cls
    return cls


class CodeCheck(cst.BatchableCSTVisitor):
    """A code rule: visits one module in the shared traversal, then decides in :meth:`finish`.

    Decisions wait for :meth:`finish` because what runs per invocation is only known once the
    whole module (its call graph) has been seen.
    """

    rule_id: ClassVar[str]

    def __init__(self, module: SourceModule, facts: ModuleFacts, context: CheckContext) -> None:
        super().__init__()
        self.module = module
        self.facts = facts
        self.context = context

    def finish(self, invocation: Invocation) -> Iterator[Report]:
        """The rule's findings for this module, once ``invocation`` knows what runs per invocation."""
        return iter(())
