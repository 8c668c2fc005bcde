"""Find what a run analyses: templates, Python files, packages and SAM build directories.

The walk is iterative (deep trees cannot exhaust the recursion limit), sorted (the same tree gives
the same result), and never follows a symlinked directory, so a symlink loop cannot hang it. A
symlinked *file* is read only when its target stays inside the root: a linted repository must not
make us read, and quote in findings, files from elsewhere on the machine.

``.aws-sam/build`` holds SAM's built copies of the templates and code; listing its files would
report every finding twice, so such directories are returned on their own (for the package rules).
They are found even when ``.gitignore`` lists ``.aws-sam`` (as SAM projects usually do); only the
configured ``exclude`` hides them.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pathspec import GitIgnoreSpec, PathSpec

from lambdalint.loaders.template import TemplateLoadError, load_template_text
from lambdalint.loaders.tree import to_plain

MAX_TEMPLATE_BYTES = 10 * 1024 * 1024
TEMPLATE_NAMES = frozenset({"template.yaml", "template.yml"})
TEMPLATE_SUFFIXES = (".template.json", ".template.yaml", ".template.yml")
SNIFF_SUFFIXES = (".yaml", ".yml", ".json", ".template")
TEMPLATE_MARKERS = ("AWSTemplateFormatVersion", "AWS::Serverless", "AWS::Lambda::")
#: Files that share a suffix with templates but never are one: not even worth reading.
NOT_TEMPLATE_NAMES = frozenset(
    {
        "package.json",
        "package-lock.json",
        "tsconfig.json",
        "jsconfig.json",
        "composer.json",
        "cdk.json",
        "cdk.context.json",
        ".gitlab-ci.yml",
    }
)
NOT_TEMPLATE_PREFIXES = (".pre-commit-", "samconfig.")
#: Directories of CI and editor settings, whose YAML/JSON mention AWS without being templates.
NOT_TEMPLATE_DIRS = frozenset({".github", ".gitlab", ".circleci", ".vscode", ".idea"})
CDK_OUT = "cdk.out"
AWS_SAM = ".aws-sam"

#: A ``.gitignore`` found during the walk: its directory and its patterns.
_Ignore = tuple[Path, GitIgnoreSpec]


@dataclass(frozen=True)
class Discovered:
    """What discovery found; sorted absolute paths (normalised, symlinks not resolved)."""

    templates: tuple[Path, ...] = ()
    python: tuple[Path, ...] = ()
    zips: tuple[Path, ...] = ()
    build_dirs: tuple[Path, ...] = ()
    #: files or directories left out, with the reason, for the user to see
    skipped: tuple[tuple[Path, str], ...] = ()


def discover(
    paths: Sequence[Path],
    root: Path,
    exclude: PathSpec | Iterable[str],
    *,
    exclude_base: Path | None = None,
) -> Discovered:
    """Find the templates, Python files, zips and SAM build directories under ``paths``.

    ``exclude`` holds gitignore-style patterns relative to ``exclude_base`` (default: ``root``,
    pass ``Config.base``); ``.gitignore`` files apply to their own directory and below. Explicitly
    named files are always taken (when they are a kind we analyse), whatever the excludes say.
    """
    spec = exclude if isinstance(exclude, PathSpec) else GitIgnoreSpec.from_lines(list(exclude))
    walker = _Walker(_absolute(root), spec, _absolute(exclude_base or root))
    for path in paths:
        walker.add_named(_absolute(path))
    return walker.result()


def folder_templates(directory: Path, root: Path) -> list[Path]:
    """The templates directly in ``directory`` (not below it), told apart as discovery tells them."""
    try:
        with os.scandir(directory) as scan:
            files = sorted(directory / entry.name for entry in scan if entry.is_file())
    except OSError:
        return []
    walker = _Walker(_absolute(root), GitIgnoreSpec.from_lines([]), _absolute(root))
    for path in files:
        kind = _file_kind(path, walker.root)
        if kind in ("template", "sniff"):
            walker._add_file(path, kind)
    return sorted(walker.found["template"])


#: the template properties that name code or layer contents on disk, relative to the template
CODE_PATH_KEYS = frozenset({"CodeUri", "ContentUri", "Code", "Content", "DockerContext"})


def code_paths(template: Path) -> list[Path]:
    """The folders and files a template names as code or layer contents (S3 locations left out),
    read cheaply: no project model, no graph. A template that does not load names none."""
    try:
        text = template.read_bytes().decode("utf-8-sig")
        tree = to_plain(load_template_text(text, is_json=is_json_template(template)))
    except (OSError, UnicodeDecodeError, TemplateLoadError):
        return []
    found = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in CODE_PATH_KEYS and isinstance(value, str) and not value.startswith("s3://"):
                    found.append(Path(os.path.normpath(template.parent / value)))
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return found


def is_json_template(path: Path) -> bool:
    """Whether to parse a template as JSON: a ``.json`` name, or a first non-blank character ``{``.

    YAML is a superset of JSON, but the JSON parser is faster and reports JSON's own errors.
    """
    if path.suffix.lower() == ".json":
        return True
    try:
        with path.open("rb") as stream:
            head = stream.read(3)
            if head != b"\xef\xbb\xbf":
                stream.seek(0)
            while chunk := stream.read(4096):
                text = chunk.lstrip()
                if text:
                    return text.startswith(b"{")
    except OSError:
        return False
    return False


def _absolute(path: Path) -> Path:
    """Absolute and normalised, without resolving symlinks (so paths stay relative to the root)."""
    return Path(os.path.abspath(path))


def _installed_packages(directory: Path, entries: Sequence[os.DirEntry[str]]) -> frozenset[str]:
    """Names of the packages and modules pip installed into ``directory`` (``pip install -t``).

    They are listed in the ``RECORD`` (wheels) or ``top_level.txt`` (eggs) of the ``*.dist-info`` /
    ``*.egg-info`` folders beside them, which are left out too.
    """
    metadata = [entry.name for entry in entries if entry.name.endswith((".dist-info", ".egg-info"))]
    names: set[str] = set(metadata)
    for folder in metadata:
        for listing in ("RECORD", "top_level.txt"):
            try:
                text = (directory / folder / listing).read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            for line in text.splitlines():
                first = line.split(",", 1)[0].split("/", 1)[0].strip()
                if first and not first.startswith("."):
                    names.add(first)
                    if listing == "top_level.txt":  # names modules without their suffix
                        names.add(f"{first}.py")
    return frozenset(names)


def _within(path: Path | str, directory: Path | str) -> bool:
    return os.path.commonpath((path, directory)) == os.fspath(directory)


def _file_kind(path: Path, root: Path) -> str | None:
    """What a file is by its name: "python", "zip", "template", "sniff" (read to tell), or None."""
    name = path.name.lower()
    if name.endswith(".py"):
        return "python"
    if name.endswith(".zip"):
        return "zip"
    if name in TEMPLATE_NAMES or name.endswith(TEMPLATE_SUFFIXES):
        return "template"
    if not name.endswith(SNIFF_SUFFIXES) or name in NOT_TEMPLATE_NAMES:
        return None
    if name.startswith(NOT_TEMPLATE_PREFIXES):
        return None
    folders = path.relative_to(root).parts[:-1] if _within(path, root) else path.parts[:-1]
    if NOT_TEMPLATE_DIRS.intersection(folders) or CDK_OUT in folders:
        return None  # in cdk.out only *.template.json are templates (tree.json names resources)
    return "sniff"


def _looks_like_template(data: bytes) -> bool:
    text = data.decode("utf-8", errors="replace")
    return any(marker in text for marker in TEMPLATE_MARKERS)


def _build_dir_of(directory: Path) -> Path | None:
    """The SAM build directory that ``directory`` is or contains, if it exists."""
    if directory.name == AWS_SAM:
        directory = directory / "build"
    elif not (directory.name == "build" and directory.parent.name == AWS_SAM):
        return None
    return directory if directory.is_dir() and not directory.is_symlink() else None


def _read_gitignore(directory: Path) -> tuple[_Ignore, ...]:
    try:
        text = (directory / ".gitignore").read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return ()
    return ((directory, GitIgnoreSpec.from_lines(text.splitlines())),)


def _gitignored(path: Path, is_dir: bool, ignores: tuple[_Ignore, ...]) -> bool:
    """Git's answer: the deepest ``.gitignore`` with a matching pattern decides."""
    for directory, spec in reversed(ignores):
        rel = path.relative_to(directory).as_posix() + ("/" if is_dir else "")
        decision = spec.check_file(rel).include
        if decision is not None:
            return decision
    return False


def _symlink_target(path: Path) -> str | None:
    """ "dir", "file", "loop" or None (broken, or something else) for what a symlink points to."""
    try:
        os.path.realpath(path, strict=True)
    except RuntimeError:
        return "loop"
    except OSError as error:
        return "loop" if error.errno == errno.ELOOP else None
    if path.is_dir():
        return "dir"
    return "file" if path.is_file() else None


@dataclass
class _Walker:
    """Collects what the named paths hold; one instance per ``discover`` call."""

    root: Path
    exclude: PathSpec
    exclude_base: Path
    found: dict[str, set[Path]] = field(
        default_factory=lambda: {"template": set(), "python": set(), "zip": set(), "build": set()}
    )
    skipped: dict[Path, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.real_root = os.path.realpath(self.root)

    def result(self) -> Discovered:
        return Discovered(
            templates=tuple(sorted(self.found["template"])),
            python=tuple(sorted(self.found["python"])),
            zips=tuple(sorted(self.found["zip"])),
            build_dirs=tuple(sorted(self.found["build"])),
            skipped=tuple(sorted(self.skipped.items())),
        )

    def add_named(self, path: Path) -> None:
        """A path the user named: taken even when excluded, unless it leads outside the root."""
        if not os.path.lexists(path):
            self.skipped[path] = "not found"
        elif _within(path, self.root) and not _within(os.path.realpath(path), self.real_root):
            self.skipped[path] = "symlink to outside the root"
        elif path.is_dir():
            self._add_named_dir(path)
        elif not path.is_file():
            self.skipped[path] = "not a regular file or directory"
        elif kind := _file_kind(path, self.root):
            self._add_file(path, kind, named=True)
        else:
            self.skipped[path] = "not a template, Python file or zip"

    def _add_named_dir(self, directory: Path) -> None:
        build_dir = _build_dir_of(directory)
        if build_dir is not None:
            self.found["build"].add(build_dir)
        elif directory.name != AWS_SAM:
            self._walk(directory)

    def _add_file(self, path: Path, kind: str, named: bool = False) -> None:
        if kind in ("python", "zip"):
            self.found[kind].add(path)
            return
        try:
            size = path.stat().st_size
            if size > MAX_TEMPLATE_BYTES:
                self.skipped[path] = f"larger than 10 MB ({size:,} bytes)"
            elif kind == "template" or _looks_like_template(path.read_bytes()):
                self.found["template"].add(path)
            elif named:
                self.skipped[path] = "not a CloudFormation/SAM template"
        except OSError as exc:
            self.skipped[path] = f"unreadable: {exc.strerror or exc}"

    def _walk(self, start: Path) -> None:
        """Depth-first over ``start`` with an explicit stack, children in name order."""
        inside_root = _within(start, self.root)
        boundary = self.real_root if inside_root else os.path.realpath(start)
        stack = [(start, self._ancestor_ignores(start) if inside_root else ())]
        while stack:
            directory, ignores = stack.pop()
            ignores += _read_gitignore(directory)
            try:
                with os.scandir(directory) as scan:
                    entries = sorted(scan, key=lambda entry: entry.name)
            except OSError as exc:
                self.skipped[directory] = f"unreadable directory: {exc.strerror or exc}"
                continue
            subdirs = []
            installed = _installed_packages(directory, entries)
            for entry in entries:
                path = directory / entry.name
                if entry.name in installed:
                    continue  # third-party code pip installed beside the handler: not the user's
                if self._visit(path, entry, start, ignores, boundary):
                    subdirs.append((path, ignores))
            stack.extend(reversed(subdirs))

    def _visit(
        self,
        path: Path,
        entry: os.DirEntry[str],
        start: Path,
        ignores: tuple[_Ignore, ...],
        boundary: str,
    ) -> bool:
        """Take one directory entry; True when it is a directory to descend into."""
        is_dir = entry.is_dir(follow_symlinks=False)
        if self._excluded(path, is_dir, start):
            return False
        if is_dir and entry.name == AWS_SAM:
            self._add_named_dir(path)
            return False
        if _gitignored(path, is_dir, ignores):
            return False
        if is_dir:
            return True
        if entry.is_symlink():
            self._visit_symlink(path, boundary)
        elif entry.is_file(follow_symlinks=False) and (kind := _file_kind(path, self.root)):
            self._add_file(path, kind)
        return False

    def _visit_symlink(self, path: Path, boundary: str) -> None:
        target = _symlink_target(path)
        if target == "dir":
            self.skipped[path] = "symlinked directory not followed"
            return
        kind = _file_kind(path, self.root)
        if kind is None:
            return
        if target == "loop":
            self.skipped[path] = "symlink loop"
        elif target is None:
            self.skipped[path] = "broken symlink"
        elif not _within(os.path.realpath(path), boundary):
            self.skipped[path] = "symlink to outside the root"
        else:
            self._add_file(path, kind)

    def _excluded(self, path: Path, is_dir: bool, start: Path) -> bool:
        base = self.exclude_base if _within(path, self.exclude_base) else start
        return self.exclude.match_file(path.relative_to(base).as_posix() + ("/" if is_dir else ""))

    def _ancestor_ignores(self, start: Path) -> tuple[_Ignore, ...]:
        """The ``.gitignore`` files between the root and ``start``, which apply to it too."""
        parts = start.relative_to(self.root).parts
        ignores: tuple[_Ignore, ...] = ()
        for depth in range(len(parts)):
            ignores += _read_gitignore(self.root.joinpath(*parts[:depth]))
        return ignores
