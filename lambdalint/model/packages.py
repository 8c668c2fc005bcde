"""What a function really ships: its package and its layers, listed without extracting anything.

A zip is read from its central directory only (names, sizes, Unix modes); the one thing ever
decompressed is a symlink's target, and only when it is small. A local directory is listed as the
zip ``sam build`` would make of it, and a SAM function's ``.aws-sam/build/<LogicalId>/`` replaces
its source directory when present, since that is what gets deployed. Packages are listed once per
file version (the cache key includes the zip's size and modification time).
"""

from __future__ import annotations

import fnmatch
import functools
import os
import posixpath
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from lambdalint.loaders.tree import Mapping, Node, intrinsic_name, scalar_value
from lambdalint.model.project import SERVERLESS_FUNCTION, Function, Project
from lambdalint.paths import really_inside

MB = 1024 * 1024
#: entries beyond this count are summed for the totals but not kept (nor inspected)
MAX_ENTRIES = 100_000
#: a member declared larger than this, compressed more than SUSPICIOUS_RATIO:1, is never read
SUSPICIOUS_SIZE = 100 * MB
SUSPICIOUS_RATIO = 100
#: symlink targets are the member's data: read only below this size
MAX_LINK_BYTES = 4096
#: what ``sam build`` (aws-lambda-builders' Python workflow) leaves out of a source directory
BUILD_EXCLUDES = (
    ".aws-sam",
    ".chalice",
    ".git",
    "__pycache__",
    "*.pyc",
    ".pytest_cache",
    ".mypy_cache",
    ".tox",
    ".venv",
    "venv",
    ".vscode",
    ".idea",
)
LAYER_TYPES = {"AWS::Serverless::LayerVersion": "ContentUri", "AWS::Lambda::LayerVersion": "Content"}


@dataclass(frozen=True)
class Entry:
    """One member of a package: a POSIX name relative to the package root."""

    name: str
    size: int
    #: compressed size; None for a directory package
    compressed: int | None = None
    #: Unix permission and type bits; None when the zip was made on a system without them
    mode: int | None = None
    is_dir: bool = False
    is_symlink: bool = False
    #: where a symlink points (None when not read: too large, or not a symlink)
    target: str | None = None

    @property
    def suspicious(self) -> bool:
        """Declared so large and so compressed that reading it could exhaust memory (a zip bomb)."""
        ratio = self.size / max(self.compressed or 0, 1)
        return self.compressed is not None and self.size > SUSPICIOUS_SIZE and ratio > SUSPICIOUS_RATIO


@dataclass(frozen=True)
class Package:
    kind: Literal["zip", "directory"]
    path: Path
    #: the first MAX_ENTRIES entries, in archive (or sorted walk) order
    entries: tuple[Entry, ...]
    #: bytes once unpacked, over every entry (also those beyond MAX_ENTRIES)
    unzipped: int
    #: bytes as uploaded; None for a directory, whose zip does not exist yet
    zipped: int | None
    #: how many entries the package has in all
    count: int

    @property
    def too_many_entries(self) -> bool:
        return self.count > MAX_ENTRIES


@dataclass(frozen=True)
class Shipped:
    """One package a function deploys: its code or a layer, with the template node that names it."""

    #: "code", or the layer's logical id
    label: str
    #: the naming node (``CodeUri``, ``Code``, ``ContentUri``); None for a default ``CodeUri``
    node: Node | None
    #: None when its contents cannot be known (S3, an intrinsic, an unreadable zip)
    package: Package | None


def read_zip(path: Path) -> Package | None:
    """The zip's listing, or None when it cannot be opened (LL003 reports that)."""
    try:
        stat_result = path.stat()
        return _read_zip(path, stat_result.st_size, stat_result.st_mtime_ns)
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
        return None


@functools.lru_cache(maxsize=64)
def _read_zip(path: Path, size: int, mtime_ns: int) -> Package:
    entries: list[Entry] = []
    unzipped = count = 0
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            count += 1
            unzipped += info.file_size
            if count <= MAX_ENTRIES:
                entries.append(_zip_entry(archive, info))
    return Package("zip", path, tuple(entries), unzipped, size, count)


def _zip_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Entry:
    mode = (info.external_attr >> 16) or None
    is_link = mode is not None and stat.S_ISLNK(mode)
    target = None
    if is_link and info.file_size < MAX_LINK_BYTES and info.compress_size < MAX_LINK_BYTES:
        try:
            target = archive.read(info).decode("utf-8", errors="replace")
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
            target = None  # RuntimeError: an encrypted member
    return Entry(info.filename, info.file_size, info.compress_size, mode, info.is_dir(), is_link, target)


def read_directory(path: Path, built: bool = False) -> Package:
    """A directory as its zip would list it; a source directory without what ``sam build`` drops.

    Symlinks are listed, never followed, so a link cannot lead the walk out of the directory.
    """
    entries: list[Entry] = []
    unzipped = count = 0
    pending = [(path, "")]
    while pending:
        directory, prefix = pending.pop()
        try:
            with os.scandir(directory) as scan:
                items = sorted(scan, key=lambda item: item.name)
        except OSError:
            continue
        for item in items:
            if not built and any(fnmatch.fnmatch(item.name, pattern) for pattern in BUILD_EXCLUDES):
                continue
            try:
                info = item.stat(follow_symlinks=False)
            except OSError:
                continue
            name = prefix + item.name
            is_dir, is_link = stat.S_ISDIR(info.st_mode), stat.S_ISLNK(info.st_mode)
            size = 0 if is_dir else info.st_size
            count += 1
            unzipped += size
            if count <= MAX_ENTRIES:
                target = _readlink(item.path) if is_link else None
                entries.append(Entry(name + "/" if is_dir else name, size, None, info.st_mode, is_dir, is_link, target))
            if is_dir:
                pending.append((Path(item.path), name + "/"))
    return Package("directory", path, tuple(entries), unzipped, None, count)


def _readlink(path: str) -> str | None:
    try:
        return os.readlink(path)
    except OSError:
        return None


def escapes(name: str) -> bool:
    """Whether a member name would land outside the unpacked package: ``..``, absolute, a drive."""
    posix = name.replace("\\", "/")
    if posix.startswith("/") or (len(posix) > 1 and posix[1] == ":" and posix[0].isalpha()):
        return True
    return ".." in posix.split("/")


def link_escapes(entry: Entry) -> bool:
    """Whether a symlink entry points outside the package (absolute, or climbing above its root)."""
    if not entry.is_symlink or entry.target is None:
        return False
    target = entry.target.replace("\\", "/")
    if escapes(target) and not target.startswith(".."):
        return True  # absolute or a drive letter
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(entry.name.rstrip("/")), target))
    return joined == ".." or joined.startswith("../")


def top_level(name: str) -> str:
    """The folder a member belongs to for size reports, past a layer's ``python/…/site-packages/``."""
    parts = [part for part in name.split("/") if part]
    if parts[:1] == ["python"] and len(parts) > 1:
        parts = parts[1:]
        if parts[:1] == ["lib"] and len(parts) > 3 and parts[2] == "site-packages":
            parts = parts[3:]
    return parts[0] if parts else name


def human(size: int) -> str:
    """Sizes in Lambda's units (1 MB = 1,048,576 bytes, as in its 50 MB and 250 MB limits)."""
    if size >= MB:
        return f"{size / MB:.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size} bytes"


def largest(package: Package, zipped: bool, count: int = 3) -> list[tuple[str, int]]:
    """The top-level folders (or files) taking most space, largest first."""
    totals: dict[str, int] = {}
    for entry in package.entries:
        size = entry.compressed if zipped and entry.compressed is not None else entry.size
        key = top_level(entry.name)
        totals[key] = totals.get(key, 0) + size
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:count]


# -- what a function ships ----------------------------------------------------------------------
def function_code(function: Function, project: Project) -> Shipped | None:
    """The function's own package; None for an image or inline code (not a package)."""
    code = function.code
    if code.kind in ("image", "inline"):
        return None
    if function.type == SERVERLESS_FUNCTION:
        built = _built(function.template.path.parent, function.logical_id, project)
        if built is not None:
            return Shipped("code", code.node, _directory(project, built, built=True))
    return Shipped("code", code.node, _local(code.path, code.kind, project))


def function_layers(function: Function, project: Project) -> tuple[list[Shipped], list[Node]]:
    """The layers defined in this template that the function uses, and the items naming others."""
    layers = function.layers()
    resources = function.template.resources()
    shipped: list[Shipped] = []
    outside: list[Node] = []
    for item in layers.items if layers else ():
        reference = (
            scalar_value(item.entries["Ref"]) if isinstance(item, Mapping) and intrinsic_name(item) == "Ref" else None
        )
        resource = resources.get(reference) if isinstance(reference, str) and resources is not None else None
        kind = scalar_value(resource.get("Type")) if isinstance(resource, Mapping) else None
        if not isinstance(resource, Mapping) or kind not in LAYER_TYPES:
            outside.append(item)
            continue
        assert isinstance(reference, str) and isinstance(kind, str)
        shipped.append(_layer(function, project, reference, resource, kind))
    return shipped, outside


def _layer(function: Function, project: Project, logical_id: str, resource: Mapping, kind: str) -> Shipped:
    properties = resource.mapping("Properties")
    node = properties.get(LAYER_TYPES[kind]) if properties else None
    if kind == "AWS::Serverless::LayerVersion":
        built = _built(function.template.path.parent, logical_id, project)
        if built is not None:
            return Shipped(logical_id, node, _directory(project, built, built=True))
    value = scalar_value(node)
    if not isinstance(value, str) or value.startswith("s3://"):
        return Shipped(logical_id, node, None)
    path = Path(os.path.normpath(function.template.path.parent / value))
    return Shipped(logical_id, node, _local(path, "zip" if path.suffix.lower() in (".zip", ".jar") else "", project))


def _local(path: Path | None, kind: str, project: Project) -> Package | None:
    if path is None or not really_inside(path, project.root):
        return None
    if kind == "zip":
        return read_zip(path) if path in project.zips else None  # not listed: unreadable (LL003)
    if path.is_file():
        size = path.stat().st_size
        return Package("directory", path, (Entry(path.name, size),), size, None, 1)
    return _directory(project, path) if path.is_dir() else None


def _directory(project: Project, path: Path, built: bool = False) -> Package:
    """A directory's listing, walked once per run however many rules and reports ask for it."""
    key = (path, built)
    if key not in project.listings:
        project.listings[key] = read_directory(path, built)
    return project.listings[key]


def _built(template_dir: Path, logical_id: str, project: Project) -> Path | None:
    """``.aws-sam/build/<LogicalId>`` from a build run at the template's folder or above it."""
    for build_dir in project.build_dirs:
        project_dir = build_dir.parent.parent
        if (project_dir == template_dir or project_dir in template_dir.parents) and (build_dir / logical_id).is_dir():
            return build_dir / logical_id
    return None


def read_small_members(package: Package, names: list[str], limit: int) -> dict[str, bytes]:
    """The bytes of those members that are regular files of at most ``limit`` bytes (declared and
    stored), read with one opening of the archive; the others are left out (missing, larger, links,
    unreadable). A directory package's members are never read through a symlink out of it."""
    if not names:
        return {}
    try:
        if package.kind == "directory":
            return {name: data for name in names if (data := _small_file(package.path, name, limit)) is not None}
        found: dict[str, bytes] = {}
        with zipfile.ZipFile(package.path) as archive:
            for name in names:
                try:
                    member = archive.getinfo(name)
                except KeyError:
                    continue
                mode = member.external_attr >> 16
                if member.is_dir() or stat.S_ISLNK(mode) or member.file_size > limit or member.compress_size > limit:
                    continue
                with archive.open(member) as stream:
                    found[name] = stream.read(limit + 1)[:limit]
        return found
    except (OSError, zipfile.BadZipFile, ValueError, EOFError, NotImplementedError, RuntimeError):
        return {}


def _small_file(root: Path, name: str, limit: int) -> bytes | None:
    path = root / name
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit or not really_inside(path, root):
            return None
        return path.read_bytes()[:limit]
    except OSError:
        return None
