"""Lint changed files inside their project: what the pre-commit hook passes.

A handler means little without the template that names it (its runtime, its events, its role), and
a template nothing without its handlers. So each changed file is a seed: its project is the nearest
folder above it, up to the root, that holds a template (the usual SAM layout: ``template.yaml``
beside ``src/``), read from disk whole; a seed with no template above it is linted alone.

Of that run, only the findings a change can have caused are kept: those in a changed file, those
with a related location in one (the handler behind a call chain, the template line behind a code
finding), and, for a changed template, those in the code of its functions (the template decides
what is a handler and how it runs).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from lambdalint.discovery import folder_templates
from lambdalint.findings import Finding
from lambdalint.model.project import Project


def project_paths(seeds: Iterable[Path], root: Path) -> list[Path]:
    """The folders (or lone files) to lint so that every seed is seen with its project.

    Folders inside another chosen folder are dropped: linting the outer one covers them.
    """
    chosen: set[Path] = set()
    for seed in seeds:
        seed = _real(seed)
        chosen.add(project_folder(seed, root) or seed)
    return sorted(path for path in chosen if not any(_inside(path, other) for other in chosen if other != path))


def affected_files(project: Project, seeds: Iterable[Path]) -> set[str]:
    """The files (relative to the root) whose findings a change of the seeds can have caused."""
    changed = {_real(seed) for seed in seeds}
    affected = {_relative(path, project.root) for path in changed}
    for function in project.functions:
        code = function.code.path
        if function.template.path not in changed or code is None or function.code.kind == "inline":
            continue
        affected.add(_relative(code, project.root))
        affected.update(module.rel for path, module in project.modules.items() if _inside(path, code))
    return affected


def concerns(finding: Finding, affected: set[str]) -> bool:
    """Whether the finding is in an affected file or points at one (a zip member counts as its zip)."""
    paths = {finding.location.path, *(place.path for place in finding.related)}
    return any(path.split("!/", 1)[0] in affected for path in paths)


def project_folder(path: Path, root: Path) -> Path | None:
    """The nearest folder at or above ``path``, up to ``root``, that holds a template."""
    folder = path if path.is_dir() else path.parent
    for directory in (folder, *folder.parents):
        if not _inside(directory, root):
            return None
        if folder_templates(directory, root):
            return directory
    return None


def _real(path: Path) -> Path:
    """The path with its folders' symlinks resolved, as the run's root is (the file itself kept)."""
    absolute = Path(os.path.abspath(path))
    return Path(os.path.realpath(absolute.parent)) / absolute.name


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
