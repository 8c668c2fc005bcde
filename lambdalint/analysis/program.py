"""The call graph of one code root and what it runs per invocation.

A code root is what Lambda puts on ``sys.path`` (``CodeUri``): every module under it is importable
by its dotted path, and calls between them are followed (relative and absolute imports). What runs
per invocation is every function reachable from a handler: through calls by name, methods called
on ``self`` or on an instance (``Repo().get``), ``__init__`` of a class instantiated per invocation,
and functions registered with an object that per-invocation code uses (the routes of
``app.resolve(event, context)``, of ``handler = Mangum(app)``, of ``app.include_router(router)``).
Module scope runs once per execution environment; so does a ``functools.cache`` function's body.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import libcst as cst

from lambdalint.analysis.module_facts import ModuleFacts
from lambdalint.checks.base import CodeCheck, CodePlace, Place
from lambdalint.loaders.python import SourceModule
from lambdalint.model.project import Function, Project

#: a function in the program: (module path, ``name`` or ``Class.method``)
Key = tuple[Path, str]

#: how many calls of the chain from the handler a finding lists as related locations
CHAIN_LIMIT = 4


@dataclass(frozen=True)
class Handler:
    """An entry point: the template's Handler, or a function found by the handler name patterns."""

    module: SourceModule
    name: str
    #: the template function whose Handler this is (``None`` when found by name pattern)
    function: Function | None = None


@dataclass(frozen=True)
class CodeRoot:
    """The modules Lambda can import together, by dotted name, and the handlers among them."""

    directory: Path
    modules: dict[str, SourceModule]
    handlers: tuple[Handler, ...]


class Program:
    """Resolves calls across the modules of one code root and walks them from the handlers."""

    def __init__(self, root: CodeRoot, facts: dict[Path, ModuleFacts]) -> None:
        self.root = root
        self.facts = facts
        self._by_name = {name: module.path for name, module in root.modules.items()}
        self._parent: dict[Key, Key | None] = {}
        #: the calls between functions reached from a handler
        self._edges: dict[Key, list[Key]] = {}
        self._walk()

    # -- resolution ----------------------------------------------------------------------------
    def _resolve(self, path: Path, target: str) -> Key | None:
        """The function a call target names, from the module at ``path``; ``None`` if outside."""
        parts = target.replace("()", "").split(".")
        local = self._resolve_in(path, parts)
        if local is not None:
            return local
        for cut in range(len(parts) - 1, 0, -1):
            module = self._by_name.get(".".join(parts[:cut]))
            if module is not None:
                return self._resolve_in(module, parts[cut:])
        return None

    def _resolve_in(self, path: Path, parts: list[str]) -> Key | None:
        facts = self.facts.get(path)
        if facts is None or not parts:
            return None
        first = parts[0]
        if len(parts) == 1 and first in facts.functions:
            return path, first
        if first in facts.classes:
            method = parts[1] if len(parts) > 1 else "__init__"
            return (path, f"{first}.{method}") if method in facts.classes[first] else None
        return None

    def _objects(self, path: Path, name: str) -> tuple[Path, str] | None:
        """A module-level object a name refers to (``app``, ``routes.router``), or ``None``."""
        parts = name.replace("()", "").split(".")
        facts = self.facts.get(path)
        if facts is not None and len(parts) == 1 and parts[0] in facts.module_bindings:
            return path, parts[0]
        module = self._by_name.get(".".join(parts[:-1]))
        if module is not None and parts[-1] in self.facts[module].module_bindings:
            return module, parts[-1]
        return None

    # -- reachability --------------------------------------------------------------------------
    def _walk(self) -> None:
        registered = self._registrations()
        links = self._links()
        active: set[tuple[Path, str]] = set()
        queue: deque[tuple[Key, Key | None]] = deque()
        for handler in self.root.handlers:
            facts = self.facts.get(handler.module.path)
            if facts is None:
                continue
            if handler.name in facts.functions:
                queue.append(((handler.module.path, handler.name), None))
            elif handler.name in facts.module_bindings:  # handler = Mangum(app)
                queue.extend(
                    (key, None) for key in self._activate(handler.module.path, handler.name, active, links, registered)
                )
        while queue:
            key, parent = queue.popleft()
            if key in self._parent:
                continue
            self._parent[key] = parent
            info = self.facts[key[0]].functions[key[1]]
            if info.cached:
                continue
            for target in sorted(info.calls):
                callee = self._resolve(key[0], target)
                if callee is not None:
                    self._edges.setdefault(key, []).append(callee)
                    if callee not in self._parent:
                        queue.append((callee, key))
            for reference in info.references:
                obj = self._objects(key[0], reference)
                if obj is not None:
                    queue.extend((route, key) for route in self._activate(obj[0], obj[1], active, links, registered))

    def _activate(
        self,
        path: Path,
        name: str,
        active: set[tuple[Path, str]],
        links: dict[tuple[Path, str], list[tuple[Path, str]]],
        registered: dict[tuple[Path, str], list[Key]],
    ) -> list[Key]:
        """Mark an object (and what is linked to it) as used per invocation; its routes run."""
        routes: list[Key] = []
        pending = [(path, name)]
        while pending:
            obj = pending.pop()
            if obj in active:
                continue
            active.add(obj)
            routes.extend(registered.get(obj, ()))
            pending.extend(links.get(obj, ()))
        return routes

    def _registrations(self) -> dict[tuple[Path, str], list[Key]]:
        """Functions by the object their decorator registers them with (``@app.get`` → ``app``)."""
        registered: dict[tuple[Path, str], list[Key]] = {}
        for path, facts in self.facts.items():
            for info in facts.functions.values():
                for owner in info.registered_with:
                    obj = self._objects(path, owner)
                    if obj is not None:
                        registered.setdefault(obj, []).append((path, info.name))
        return registered

    def _links(self) -> dict[tuple[Path, str], list[tuple[Path, str]]]:
        links: dict[tuple[Path, str], list[tuple[Path, str]]] = {}
        for path, facts in self.facts.items():
            for owner, linked in facts.links:
                source, target = self._objects(path, owner), self._objects(path, facts.imports.get(linked, linked))
                if source is not None and target is not None:
                    links.setdefault(source, []).append(target)
        return links

    # -- what rules ask ------------------------------------------------------------------------
    def view(self, module: SourceModule, checks: Mapping[str, Mapping[SourceModule, CodeCheck]]) -> Invocation:
        return Invocation(self, module, checks)

    def runs_per_invocation(self, key: Key) -> bool:
        if key not in self._parent:
            return False
        return not self.facts[key[0]].functions[key[1]].cached

    def chain(self, key: Key) -> list[Key]:
        """The calls from a handler to ``key``, handler first."""
        chain: list[Key] = []
        seen: set[Key] = set()
        current: Key | None = key
        while current is not None and current not in seen:
            chain.append(current)
            seen.add(current)
            current = self._parent.get(current)
        return list(reversed(chain))

    def cycle(self, start: Key) -> list[Key] | None:
        """A shortest chain of calls from ``start`` back to itself, ``start`` first, if there is one."""
        parents: dict[Key, Key] = {}
        queue = deque([start])
        while queue:
            key = queue.popleft()
            for callee in self._edges.get(key, ()):
                if callee == start:
                    chain = [key]
                    while chain[-1] != start:
                        chain.append(parents[chain[-1]])
                    return list(reversed(chain))
                if callee not in parents:
                    parents[callee] = key
                    queue.append(callee)
        return None

    def definition(self, key: Key) -> cst.FunctionDef:
        return self.facts[key[0]].functions[key[1]].node


class Invocation:
    """What runs per invocation, as the code rules of one module see it (in ``finish``)."""

    def __init__(
        self, program: Program, module: SourceModule, checks: Mapping[str, Mapping[SourceModule, CodeCheck]]
    ) -> None:
        self._program = program
        self._checks = checks
        self.module = module
        self.handlers = tuple(handler for handler in program.root.handlers if handler.module is module)
        #: every module of the code root, by the dotted name it is imported by
        self.modules: Mapping[str, SourceModule] = program.root.modules

    def peers(self, rule_id: str) -> Mapping[SourceModule, CodeCheck]:
        """The same rule's checks of every module of the code root, traversed before any ``finish``:
        a rule that decides for the whole root reads what each of them gathered."""
        return self._checks.get(rule_id, {})

    def runs_per_invocation(self, function: str) -> bool:
        """Whether the function (``name`` or ``Class.method``) of this module runs per invocation."""
        return self._program.runs_per_invocation((self.module.path, function))

    def related(self, function: str) -> tuple[tuple[Place, str], ...]:
        """The handler and the calls that reach ``function``, as related locations."""
        chain = self._program.chain((self.module.path, function))
        if not chain:
            return ()
        handler, *calls = chain
        places: list[tuple[Place, str]] = [(self._place(handler), "the handler, which runs this on every invocation")]
        places += [(self._place(key), f"reached per invocation: {key[1]}") for key in calls[-CHAIN_LIMIT:]]
        return tuple(places)

    def cycle(self, function: str) -> tuple[tuple[Place, str], ...] | None:
        """The calls by which ``function`` reaches itself again (as related locations), if it does."""
        chain = self._program.cycle((self.module.path, function))
        if chain is None:
            return None
        return tuple(
            (self._place(key), f"calls {callee[1]}") for key, callee in zip(chain, [*chain[1:], chain[0]], strict=True)
        )

    def lambda_functions(self) -> tuple[Function, ...]:
        """The template functions whose code root holds this module."""
        return tuple(h.function for h in self._program.root.handlers if h.function is not None)

    def _place(self, key: Key) -> CodePlace:
        module = next(m for m in self._program.root.modules.values() if m.path == key[0])
        return CodePlace(module, self._program.definition(key).name)


def entry_points(project: Project) -> tuple[list[Handler], list[Path]]:
    """The handlers of the project (template ones, then name-pattern ones) and the code roots
    the template gives them."""
    handlers: list[Handler] = []
    directories: list[Path] = []
    for function in project.functions:
        reference = function.handler
        if reference is None or reference.module is None or not function.is_python():
            continue
        handlers.append(Handler(reference.module, reference.function_name, function))
        code = function.code
        if code.path is not None and code.kind in ("directory", "image"):
            directories.append(code.path)
        elif code.path is not None and code.kind == "file":
            directories.append(code.path.parent)
    handlers.extend(Handler(module, name) for module, name in project.pattern_handlers)
    return handlers, directories


def code_roots(
    modules: Iterable[SourceModule],
    handlers: Iterable[Handler],
    directories: Iterable[Path],
) -> list[CodeRoot]:
    """Group modules by the code root they are imported from.

    ``directories`` are the template functions' code roots; a module outside them (found by the
    handler name patterns) is imported from the top of its package (the first folder up without
    an ``__init__.py``).
    """
    modules = [module for module in modules if not module.is_inline]
    handlers = list(handlers)
    under: dict[Path, list[SourceModule]] = {}  # every folder → the modules below it
    for module in modules:
        for folder in module.path.parents:
            under.setdefault(folder, []).append(module)
    roots = {directory: under.get(directory, []) for directory in set(directories)}
    claimed = {module.path for members in roots.values() for module in members}
    for handler in handlers:
        if handler.module.is_inline:
            roots.setdefault(handler.module.path, [handler.module])
        elif handler.module.path not in claimed:
            directory = package_root(handler.module.path)
            roots.setdefault(directory, under.get(directory, []))
    result = []
    for directory, members in sorted(roots.items()):
        paths = {module.path for module in members}
        inside = tuple(handler for handler in handlers if handler.module.path in paths)
        if inside:
            result.append(CodeRoot(directory, {_module_name(m, directory): m for m in members}, inside))
    return result


def package_root(path: Path) -> Path:
    directory = path.parent
    while (directory / "__init__.py").is_file() and directory.parent != directory:
        directory = directory.parent
    return directory


def _module_name(module: SourceModule, directory: Path) -> str:
    if module.is_inline:
        return "index"
    relative = module.path.relative_to(directory).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)
