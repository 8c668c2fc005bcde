"""Lint changed files inside their project: what the pre-commit hook passes.

A handler means little without the template that names it (its runtime, its events, its role), and
a template nothing without its handlers. So each changed file is a seed: its project is the nearest
folder above it, up to the root, that holds a template (the usual SAM layout: ``template.yaml``
beside ``src/``), read from disk whole. When no template is above it, the templates that name its
code from elsewhere (``infra/template.yaml`` with ``CodeUri: ../src/orders/``) are looked for, and
the project is the smallest folder holding them and the seed; a seed no template names is linted alone.

Of that run, only the findings a change can have caused are kept: those in a changed file, those
with a related location in one (the handler behind a call chain, the template line behind a code
finding), and, for a changed template, those in the code of its functions (the template decides
what is a handler and how it runs).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from lambdalint.discovery import code_paths, discover, folder_templates
from lambdalint.findings import Finding
from lambdalint.model.project import Project
from lambdalint.paths import rel_path


def project_paths(seeds: Iterable[Path], root: Path) -> list[Path]:
    """The folders (or lone files) to lint so that every seed is seen with its project.

    Folders inside another chosen folder are dropped: linting the outer one covers them.
    """
    templates = TemplateIndex(root)
    chosen: set[Path] = set()
    for seed in seeds:
        seed = _real(seed)
        chosen.add(project_folder(seed, root, templates) or seed)
    return sorted(path for path in chosen if not any(path.is_relative_to(other) for other in chosen if other != path))


def affected_files(project: Project, seeds: Iterable[Path]) -> set[str]:
    """The files (relative to the root) whose findings a change of the seeds can have caused."""
    changed = {_real(seed) for seed in seeds}
    affected = {rel_path(path, project.root) for path in changed}
    for function in project.functions:
        code = function.code.path
        if function.template.path not in changed or code is None or function.code.kind == "inline":
            continue
        affected.add(rel_path(code, project.root))
        affected.update(module.rel for path, module in project.modules.items() if path.is_relative_to(code))
    return affected


def concerns(finding: Finding, affected: set[str]) -> bool:
    """Whether the finding is in an affected file or points at one (a zip member counts as its zip)."""
    paths = {finding.location.path, *(place.path for place in finding.related)}
    return any(path.split("!/", 1)[0] in affected for path in paths)


class TemplateIndex:
    """Every template under the root with the code paths it names, listed the first time it is needed."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._listing: list[tuple[Path, list[Path]]] | None = None

    def naming(self, path: Path) -> list[Path]:
        """The templates whose code or layer contents hold ``path``."""
        if self._listing is None:
            found = discover([self.root], self.root, ())
            self._listing = [(template, code_paths(template)) for template in found.templates]
        return [template for template, paths in self._listing if any(path.is_relative_to(code) for code in paths)]


def project_folder(path: Path, root: Path, templates: TemplateIndex | None = None) -> Path | None:
    """The folder to lint ``path`` in (see the module's docstring), or None for ``path`` alone."""
    folder = path if path.is_dir() else path.parent
    for directory in (folder, *folder.parents):
        if not directory.is_relative_to(root):
            break
        if folder_templates(directory, root):
            return directory
    naming = (templates or TemplateIndex(root)).naming(path)
    return Path(os.path.commonpath([folder, *(template.parent for template in naming)])) if naming else None


def _real(path: Path) -> Path:
    """The path with its folders' symlinks resolved, as the run's root is (the file itself kept)."""
    absolute = Path(os.path.abspath(path))
    return Path(os.path.realpath(absolute.parent)) / absolute.name
