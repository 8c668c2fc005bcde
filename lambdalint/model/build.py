"""Build the project model from discovered files: load each file once, link templates to code.

Every load failure becomes a :class:`LoadProblem` (LL001–LL003); what cannot be seen (code in S3,
an image, a value behind an intrinsic) becomes a not-analysed entry (LL006). Nothing here raises.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

from lambdalint.analysis.module_facts import handler_candidates
from lambdalint.loaders.inline_code import placement
from lambdalint.loaders.python import PythonLoadError, SourceModule, decode_source, parse_python
from lambdalint.loaders.template import TemplateLoadError, load_template_text
from lambdalint.loaders.tree import (
    Mapping,
    Node,
    Scalar,
    Sequence,
    anchor_span,
    describe,
    intrinsic_name,
    scalar_value,
)
from lambdalint.model.globals_merge import merge_globals
from lambdalint.model.project import (
    LAMBDA_FUNCTION,
    SERVERLESS_FUNCTION,
    Code,
    Function,
    HandlerRef,
    LoadProblem,
    NotAnalysed,
    Project,
    Template,
)
from lambdalint.paths import really_inside, rel_path

#: larger files are not read: CloudFormation caps a template at 1 MB, and no handler is 4 MB of code
MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
MAX_PYTHON_BYTES = 4 * 1024 * 1024
TEMPLATE_MARKERS = ("AWSTemplateFormatVersion", "Resources")
#: where each layer type names its content
LAYER_CONTENT = {"AWS::Serverless::LayerVersion": "ContentUri", "AWS::Lambda::LayerVersion": "Content"}


class ProjectBuilder:
    def __init__(
        self, root: Path, is_handler_name: Callable[[str], bool], overlay: dict[Path, bytes] | None = None
    ) -> None:
        self.project = Project(root=root)
        self.is_handler_name = is_handler_name
        self.real_root = os.path.realpath(root)
        #: contents that stand in for files on disk (an editor's unsaved buffers), by absolute path
        self.overlay = overlay or {}

    def inside_root(self, path: Path) -> bool:
        """Whether ``path`` really (symlinks resolved) lies under the root: nothing else is read."""
        return really_inside(path, self.real_root)

    # -- loading -------------------------------------------------------------------------------
    def rel(self, path: Path) -> str:
        return rel_path(path, self.project.root)

    def _read(self, path: Path, limit: int, rule_id: str) -> bytes | None:
        if path in self.overlay:
            return self.overlay[path]
        try:
            if path.stat().st_size > limit:
                self.project.not_analysed.append(
                    NotAnalysed(self.rel(path), f"the file is larger than {limit // (1024 * 1024)} MB and was not read")
                )
                return None
            return path.read_bytes()
        except OSError as error:
            self.project.problems.append(
                LoadProblem(rule_id, self.rel(path), f"cannot read the file: {error.strerror}")
            )
            return None

    def load_python(self, path: Path) -> SourceModule | None:
        path = path.resolve() if not path.is_absolute() else path
        if path in self.project.modules:
            return self.project.modules[path]
        if not self.inside_root(path):
            return None
        data = self._read(path, MAX_PYTHON_BYTES, "LL001")
        if data is None:
            return None
        text = ""
        try:
            text = decode_source(data)
            module, syntax = parse_python(text)
        except PythonLoadError as error:
            if error.valid:
                self.project.not_analysed.append(NotAnalysed(self.rel(path), f"not analysed: {error.message}"))
            else:
                line = _line_of(text, error.line)
                self.project.problems.append(
                    LoadProblem("LL001", self.rel(path), error.message, error.line, error.column, line)
                )
            return None
        source = SourceModule(path, self.rel(path), text, module, syntax=syntax)
        self.project.modules[path] = source
        return source

    def load_template(self, path: Path, is_json: bool) -> None:
        data = self._read(path, MAX_TEMPLATE_BYTES, "LL002")
        if data is None:
            return
        rel = self.rel(path)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            self.project.problems.append(
                LoadProblem(
                    "LL002", rel, f"the template is not UTF-8 text ({error.reason} at byte {error.start})", 1, 1
                )
            )
            return
        try:
            root = load_template_text(text, is_json=is_json)
        except TemplateLoadError as error:
            line, column = (error.span.start_line, error.span.start_column) if error.span else (1, 1)
            self.project.problems.append(LoadProblem("LL002", rel, error.message, line, column, _line_of(text, line)))
            return
        if not isinstance(root, Mapping) or not any(key in root for key in TEMPLATE_MARKERS):
            return  # a YAML/JSON file that is not a template after all
        problem = _template_shape_problem(root)
        if problem:
            node, message = problem
            span = anchor_span(node)
            self.project.problems.append(
                LoadProblem("LL002", rel, message, span.start_line, span.start_column, _line_of(text, span.start_line))
            )
            return
        template = Template(path, rel, text, root)
        self.project.templates.append(template)
        self._add_functions(template)

    def scan_zip(self, path: Path, template: Template | None = None, node: Node | None = None) -> None:
        """Open the archive's central directory; a corrupt or encrypted zip is LL003.

        A zip a template names is reported at the naming line (``CodeUri``), the zip related.
        """
        rel = self.rel(path)
        if path in self.project.zips or any(rel in (p.rel, p.related) for p in self.project.problems):
            return
        try:
            with zipfile.ZipFile(path) as archive:
                encrypted = [info.filename for info in archive.infolist() if info.flag_bits & 0x1]
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
            self._zip_problem(rel, f"{rel} is not a readable zip archive: {error}", template, node)
            return
        if encrypted:
            self._zip_problem(
                rel, f"{rel} has encrypted entries, which Lambda cannot deploy: {encrypted[0]}", template, node
            )
            return
        self.project.zips.append(path)

    def _zip_problem(self, rel: str, message: str, template: Template | None, node: Node | None) -> None:
        if template is None or node is None:
            self.project.problems.append(LoadProblem("LL003", rel, message))
            return
        span = anchor_span(node)
        self.project.problems.append(
            LoadProblem(
                "LL003",
                template.rel,
                message,
                span.start_line,
                span.start_column,
                _line_of(template.text, span.start_line),
                related=rel,
            )
        )

    # -- functions -----------------------------------------------------------------------------
    def _add_functions(self, template: Template) -> None:
        resources = template.resources()
        if resources is None:
            return
        globals_node = template.root.mapping("Globals")
        global_function = globals_node.mapping("Function") if globals_node else None
        for logical_id, resource in resources.items():
            if not isinstance(resource, Mapping):
                continue
            kind = scalar_value(resource.get("Type"))
            if kind in LAYER_CONTENT:
                self._scan_layer(template, resource, LAYER_CONTENT[kind])
            if kind not in (SERVERLESS_FUNCTION, LAMBDA_FUNCTION):
                continue
            own = resource.mapping("Properties")
            properties = merge_globals(global_function if kind == SERVERLESS_FUNCTION else None, own)
            code = self._code(template, str(kind), resource, properties)
            if code.path is not None and code.kind != "inline" and not self.inside_root(code.path):
                reason = f"function code {code.path.name} is outside the project root; it is not analysed"
                code = Code("unknown", node=code.node, reason=reason)
            function = Function(template, logical_id, str(kind), resource, properties, code)
            handler = self._resolve_handler(function)
            if handler is not None:
                function = Function(template, logical_id, str(kind), resource, properties, code, handler)
            self.project.functions.append(function)
            if code.kind == "zip" and code.path is not None and code.path.is_file():
                self.scan_zip(code.path, template, code.node)
            self._note_external_layers(function)
            if code.reason:
                self.project.not_analysed.append(
                    NotAnalysed(
                        template.rel, f"{logical_id}: {code.reason}", template, code.node or function.properties_node
                    )
                )

    def _scan_layer(self, template: Template, resource: Mapping, key: str) -> None:
        properties = resource.mapping("Properties")
        node = properties.get(key) if properties else None
        value = scalar_value(node)
        if isinstance(value, str) and value.lower().endswith(".zip") and not value.startswith("s3://"):
            path = Path(os.path.normpath(template.path.parent / value))
            if path.is_file():
                self.scan_zip(path, template, node)

    def _note_external_layers(self, function: Function) -> None:
        """Layers not defined in this template: their contents and sizes are unknown (LL006)."""
        layers = function.layers()
        resources = function.template.resources()
        for item in layers.items if layers else ():
            reference = (
                scalar_value(item.entries["Ref"])
                if isinstance(item, Mapping) and intrinsic_name(item) == "Ref"
                else None
            )
            if isinstance(reference, str) and resources is not None and reference in resources:
                continue
            message = f"layer {describe(item)} comes from outside this template; its contents and size are not analysed"
            if any(
                noted.template is function.template and noted.message == message for noted in self.project.not_analysed
            ):
                continue  # one note per layer, however many functions use it
            self.project.not_analysed.append(NotAnalysed(function.template.rel, message, function.template, item))

    def _code(self, template: Template, kind: str, resource: Mapping, properties: dict[str, Node]) -> Code:
        base = template.path.parent
        name = "function code"
        if scalar_value(properties.get("PackageType")) == "Image":
            return _image_code(resource, properties, base)
        runtime = scalar_value(properties.get("Runtime"))
        if kind == SERVERLESS_FUNCTION:
            if "InlineCode" in properties:
                return self._inline(template, properties["InlineCode"], runtime)
            node = properties.get("CodeUri")
            if node is None:
                return Code("directory", base)
            return _code_location(node, base, "CodeUri")
        node = properties.get("Code")
        if isinstance(node, Mapping) and intrinsic_name(node) is None:
            if "ZipFile" in node:
                return self._inline(template, node.entries["ZipFile"], runtime)
            if "ImageUri" in node:
                return Code("image", node=node, reason=f"{name} is a container image; its code is not analysed")
            return Code("s3", node=node, reason=f"{name} is in S3 (Code.S3Bucket); it is not analysed")
        if node is None:
            return Code("unknown", reason="the function has no Code property")
        return _code_location(node, base, "Code")

    def _inline(self, template: Template, node: Node, runtime: object) -> Code:
        """Inline code is a module of its own, placed at its lines in the template (Python only)."""
        if isinstance(runtime, str) and not runtime.startswith("python"):
            return Code("inline", None, node)
        if not isinstance(node, Scalar) or not isinstance(node.value, str):
            return Code("unknown", node=node, reason="inline code built with an intrinsic function is not analysed")
        where = placement(template.text.splitlines(), node)
        try:
            module, _ = parse_python(node.value)
        except PythonLoadError as error:
            if runtime is None:
                return Code("inline", None, node)  # no runtime stated: maybe not Python at all
            line, column = where.place(error.line or 1, error.column or 1)
            self.project.problems.append(
                LoadProblem("LL001", template.rel, f"inline code: {error.message}", line, column)
            )
            return Code("inline", template.path, node)
        virtual = template.path.with_name(f"{template.path.name}#{'.'.join(map(str, node.path))}")
        source = SourceModule(virtual, template.rel, node.value, module, where)
        self.project.modules[virtual] = source
        return Code("inline", virtual, node)

    def _resolve_handler(self, function: Function) -> HandlerRef | None:
        code = function.code
        node = code.handler if code.kind == "image" else function.properties.get("Handler")
        text = scalar_value(node)
        if node is None or not isinstance(text, str) or "." not in text:
            return None
        module_name, _, function_name = text.rpartition(".")
        if code.kind == "inline" and code.path is not None:
            module = self.project.modules.get(code.path) if module_name == "index" else None
            return HandlerRef(text, node, module_name, function_name, module, ("index.py",))
        if code.kind == "file" and code.path is not None:
            found = module_name == code.path.stem
            module = self.load_python(code.path) if found else None
            return HandlerRef(text, node, module_name, function_name, module, (code.path.name,))
        if code.kind not in ("directory", "image") or code.path is None:
            return None
        stem = module_name.replace(".", "/")
        candidates = (f"{stem}.py", f"{stem}/__init__.py")
        for candidate in candidates:
            path = code.path / candidate
            if path.is_file() and self.inside_root(path):
                return HandlerRef(text, node, module_name, function_name, self.load_python(path), candidates)
        return HandlerRef(text, node, module_name, function_name, None, candidates)

    # -- handlers without a template -----------------------------------------------------------
    def add_pattern_handlers(self) -> None:
        """Modules no Python function's code root contains: find handlers by name pattern."""
        claimed = {
            f.code.path for f in self.project.functions if f.code.kind == "directory" and f.code.path is not None
        }
        for path, module in sorted(self.project.modules.items()):
            if module.is_inline or not claimed.isdisjoint(path.parents):
                continue
            for name in handler_candidates(module.module, self.is_handler_name):
                self.project.pattern_handlers.append((module, name))


def build_project(
    root: Path,
    templates: Iterable[tuple[Path, bool]],
    python_files: Iterable[Path],
    zips: Iterable[Path],
    build_dirs: Iterable[Path],
    is_handler_name: Callable[[str], bool],
    skipped: Iterable[tuple[Path, str]] = (),
    overlay: dict[Path, bytes] | None = None,
) -> Project:
    """The project model of the discovered files; ``overlay`` contents replace files on disk."""
    builder = ProjectBuilder(root, is_handler_name, overlay)
    for path, reason in skipped:
        if not reason.startswith("not "):  # "not a template ...": nothing the user lost
            builder.project.not_analysed.append(NotAnalysed(builder.rel(path), f"not analysed: {reason}"))
    for path in python_files:
        builder.load_python(path)
    for path, is_json in templates:
        builder.load_template(path, is_json)
    for path in zips:
        builder.scan_zip(path)
    builder.project.build_dirs.extend(build_dirs)
    builder.add_pattern_handlers()
    return builder.project


def _code_location(node: Node, base: Path, key: str) -> Code:
    value = scalar_value(node)
    if isinstance(value, str):
        if value.startswith("s3://"):
            return Code("s3", node=node, reason=f"function code is in S3 ({key}: {value}); it is not analysed")
        path = Path(os.path.normpath(base / value))
        if value.lower().endswith((".zip", ".jar")):
            return Code("zip", path, node)
        if path.is_file():  # SAM zips a single file named by CodeUri
            return Code("file", path, node)
        return Code("directory", path, node)
    if isinstance(node, Mapping) and intrinsic_name(node) is None:
        return Code("s3", node=node, reason=f"function code is in S3 ({key} with Bucket/Key); it is not analysed")
    what = intrinsic_name(node) or "a non-string value"
    return Code("unknown", node=node, reason=f"{key} is given by {what}; the function's code is not analysed")


def _image_code(resource: Mapping, properties: dict[str, Node], base: Path) -> Code:
    """A container image is analysable when SAM's build Metadata names a local Docker context.

    Its handler is ``ImageConfig.Command`` or else the Dockerfile's ``CMD ["module.function"]``.
    """
    metadata = resource.mapping("Metadata")
    context_node = metadata.get("DockerContext") if metadata else None
    context = scalar_value(context_node)
    unseen = Code(
        "image",
        node=properties.get("PackageType"),
        reason="function code is a container image; its code is not analysed",
    )
    if not isinstance(context, str) or not (base / context).is_dir():
        return unseen
    directory = Path(os.path.normpath(base / context))
    image_config = properties.get("ImageConfig")
    command = image_config.get("Command") if isinstance(image_config, Mapping) else None
    if isinstance(command, Sequence) and command.items:
        return Code("image", directory, context_node, handler=command.items[0])
    dockerfile = scalar_value(metadata.get("Dockerfile")) if metadata else None
    handler = _dockerfile_command(directory / (dockerfile if isinstance(dockerfile, str) else "Dockerfile"))
    if handler is None:
        return unseen
    assert context_node is not None
    return Code(
        "image",
        directory,
        context_node,
        handler=Scalar(context_node.span, context_node.path, context_node.key_span, handler),
    )


def _dockerfile_command(path: Path) -> str | None:
    """The first word of the last ``CMD [...]`` in a Dockerfile (the Lambda base image's handler)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace") if path.stat().st_size < 1_000_000 else ""
    except OSError:
        return None
    command = None
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.upper().startswith("CMD"):
            try:
                words = json.loads(stripped[3:].strip())
            except ValueError:
                words = stripped[3:].split()
            if isinstance(words, list) and words and isinstance(words[0], str):
                command = words[0]
    return command


def _template_shape_problem(root: Mapping) -> tuple[Node, str] | None:
    """Why a document that claims to be a CloudFormation template is not one, if it is not."""
    resources = root.get("Resources")
    if resources is None:
        return (root, "the template has no Resources section") if "AWSTemplateFormatVersion" in root else None
    if isinstance(resources, Scalar) and resources.value is None:
        return resources, "the Resources section is empty; CloudFormation needs at least one resource"
    if not isinstance(resources, Mapping):
        return resources, "Resources must be a mapping of logical ids to resources"
    for logical_id, resource in resources.items():
        if not isinstance(resource, Mapping):
            return resource, f"resource {logical_id} must be a mapping"
        kind = resource.get("Type")
        if kind is None:
            return resource, f"resource {logical_id} has no Type"
        if not isinstance(scalar_value(kind), str):
            return kind, f"resource {logical_id}: Type must be a string"
        properties = resource.get("Properties")
        if properties is not None and not isinstance(properties, Mapping):
            return properties, f"resource {logical_id}: Properties must be a mapping"
    return None


def _line_of(text: str, line: int | None) -> str:
    lines = text.splitlines()
    return lines[line - 1] if line is not None and 1 <= line <= len(lines) else ""
