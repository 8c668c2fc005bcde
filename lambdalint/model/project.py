"""The project model: what the checks see. ``Project → Template → Function``, plus source modules.

It is plain data built once by :mod:`lambdalint.model.build`; checks never read files themselves.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from lambdalint.loaders.python import SourceModule
from lambdalint.loaders.tree import Mapping, Node, Sequence, scalar_value

if TYPE_CHECKING:
    from lambdalint.model.graph import TemplateGraph
    from lambdalint.model.packages import Package

CodeKind = Literal["directory", "file", "zip", "inline", "s3", "image", "unknown"]

SERVERLESS_FUNCTION = "AWS::Serverless::Function"
LAMBDA_FUNCTION = "AWS::Lambda::Function"


@dataclass(frozen=True)
class Template:
    path: Path
    rel: str
    text: str
    root: Mapping

    def resources(self) -> Mapping | None:
        return self.root.mapping("Resources")

    @functools.cached_property
    def graph(self) -> TemplateGraph:
        """The template's resource graph, built once."""
        from lambdalint.model.graph import TemplateGraph

        return TemplateGraph(self)


@dataclass(frozen=True)
class Code:
    """Where a function's code lives, as far as the template tells."""

    kind: CodeKind
    #: the code root: a directory, a single file, a zip, an image's Docker context; for inline
    #: code, the key of its module in ``Project.modules``
    path: Path | None = None
    #: the template node that names the code (``CodeUri``, ``Code``, ``InlineCode``)
    node: Node | None = None
    #: why the code cannot be analysed (code in S3, an image without a local build context …)
    reason: str = ""
    #: for an image: the handler its command names (``ImageConfig.Command`` or the Dockerfile's CMD)
    handler: Node | None = None


@dataclass(frozen=True)
class HandlerRef:
    """The template's ``Handler`` resolved under the code root."""

    text: str
    node: Node
    module_name: str
    function_name: str
    #: the source module, when the file exists under the code root
    module: SourceModule | None = None
    #: the candidate files looked for, relative to the code root (for messages)
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Function:
    template: Template
    logical_id: str
    type: str
    #: the resource's own mapping
    resource: Mapping
    #: effective properties after the Globals merge; each value node keeps its own path,
    #: so a value merged from ``Globals`` points at the Globals line
    properties: dict[str, Node]
    code: Code
    handler: HandlerRef | None = None

    @property
    def properties_node(self) -> Node:
        """Where a missing property is reported: the resource's ``Properties`` key, else the resource."""
        return self.resource.get("Properties") or self.resource

    def get(self, name: str) -> Node | None:
        return self.properties.get(name)

    def runtime(self) -> str | None:
        value = scalar_value(self.properties.get("Runtime"))
        return value if isinstance(value, str) else None

    def is_python(self) -> bool:
        """Python runtime, or no runtime stated but the handler resolved to a Python module."""
        runtime = self.runtime()
        if runtime is not None:
            return runtime.startswith("python")
        return self.handler is not None and self.handler.module is not None

    def environment_variables(self) -> Mapping | None:
        environment = self.properties.get("Environment")
        if isinstance(environment, Mapping):
            return environment.mapping("Variables")
        return None

    def layers(self) -> Sequence | None:
        layers = self.properties.get("Layers")
        return layers if isinstance(layers, Sequence) else None


@dataclass(frozen=True)
class LoadProblem:
    """A file that could not be loaded; becomes LL001–LL003 (or LL006 for what was skipped)."""

    rule_id: str
    rel: str
    message: str
    line: int | None = None
    column: int | None = None
    #: the text of that line, for the excerpt
    snippet: str = ""
    #: a file the problem is about when it is reported elsewhere (the zip a ``CodeUri`` names)
    related: str | None = None


@dataclass(frozen=True)
class NotAnalysed:
    """Something the analysis could not see (LL006): code in S3, an image, a file too large."""

    rel: str
    message: str
    template: Template | None = None
    node: Node | None = None


@dataclass
class Project:
    root: Path
    templates: list[Template] = field(default_factory=list)
    functions: list[Function] = field(default_factory=list)
    #: every parsed Python module by absolute path, inline template code included
    modules: dict[Path, SourceModule] = field(default_factory=dict)
    #: handlers found by name pattern in modules no template claims: (module, function name)
    pattern_handlers: list[tuple[SourceModule, str]] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)
    not_analysed: list[NotAnalysed] = field(default_factory=list)
    zips: list[Path] = field(default_factory=list)
    build_dirs: list[Path] = field(default_factory=list)
    #: package listings of directories, by (path, listed as built), filled as rules ask
    listings: dict[tuple[Path, bool], Package] = field(default_factory=dict, repr=False)
