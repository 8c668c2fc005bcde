"""Lint a monorepo on every core: one process per independent part (``check --jobs``).

A part is an outermost folder holding a template, with everything below it; the files outside
every such folder make one more part. Each part is linted by :func:`lambdalint.engine.run` in a
worker process, and the results are merged into exactly the result one process gives. That holds
only while nothing links the parts, so the run is split only when it is sure of that:

- every path a template gives its code and layers (``CodeUri: ../shared/``) stays in its part;
- no ``.aws-sam/build`` outside the parts serves a template inside one;
- no handler found by name outside the parts imports from a folder holding a part, and no part
  is itself a Python package (imports from its handlers would reach above it);
- nothing outside the parts was left out by discovery (a broken symlink, an unreadable folder):
  those notes come from walking the folders around the parts, which no part does;
- every part lies under the configuration's folder (exclude patterns are matched from there) and
  under a folder named on the command line (a walk starts there).

A secret one part masks in the lines it quotes is masked in every part's quotes by one process:
when it may show in another part, the run is done again in one process. Runs too small to pay for
starting processes are not split either. A part whose worker fails is linted again in this process.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, fields
from functools import partial
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import Any

from lambdalint import engine  # first: lambdalint.analysis.program cannot be imported before it
from lambdalint.analysis.program import package_root
from lambdalint.config import Config
from lambdalint.discovery import Discovered, code_paths, discover
from lambdalint.findings import Finding, Location
from lambdalint.result import RunResult
from lambdalint.rulepack import Rule

log = logging.getLogger("lambdalint")

#: fewer Python files than this are linted in one process. Measured on 2 idle cores (benchmarks/monorepo.py):
#: forked workers cost ~30 ms, and two services split pay from ~20 files (1.3-1.45× at 51, 1.7× at 101);
#: workers from a fork server (macOS, or a process running threads) cost ~0.4 s, repaid from ~60
MIN_PYTHON_FILES = 50
#: a module-level function definition (at column 0); its name may match the handler patterns
_TOP_LEVEL_DEF = re.compile(r"^(?:async[ \t]+)?def[ \t]+([^\s(]+)", re.MULTILINE)


@dataclass(frozen=True)
class Part:
    """What one worker lints: a template folder (with paths named inside it), or the other files."""

    paths: tuple[Path, ...]
    #: how many Python files it holds, to start the largest parts first
    python_files: int


def run_in_parallel(
    paths: list[Path],
    config: Config,
    rules: dict[str, Rule] | None = None,
    root: Path | None = None,
    *,
    jobs: int | None = None,
) -> RunResult:
    """``engine.run`` over ``paths`` in up to ``jobs`` processes (default: one per CPU).

    The result is the one ``engine.run(paths, config, rules, root=root)`` returns, byte for byte
    in every output format.
    """
    root = (root or engine.find_root(paths[0] if paths else Path.cwd())).resolve()
    jobs = jobs or os.cpu_count() or 1
    parts = split(paths, config, root, MIN_PYTHON_FILES) if jobs > 1 else []
    if len(parts) < 2:
        return engine.run(paths, config, rules, root=root)
    results = _run_parts(parts, config, rules, root, min(jobs, len(parts)))
    if _secrets_may_cross(results):
        log.debug("not split: a secret masked in one part may be quoted in another; linting in one process")
        return engine.run(paths, config, rules, root=root)
    return merge(results)


def split(paths: Sequence[Path], config: Config, root: Path, min_python_files: int = 0) -> list[Part]:
    """The independent parts of the run, largest first; none when it must not (or need not) split."""
    found = discover(paths, root, config.exclude, exclude_base=config.base)
    if len(found.python) < min_python_files:
        return []
    named = [Path(os.path.abspath(path)) for path in paths]
    folders = _outermost({template.parent for template in found.templates})
    python = [path for path in found.python if not _in_any(path, folders)]
    zips = [path for path in found.zips if not _in_any(path, folders)]
    if len(folders) + bool(python or zips) < 2:
        return []
    obstacle = _obstacle(found, folders, named, python, config, root)
    if obstacle is not None:
        log.debug("not split: %s", obstacle)
        return []
    parts = [
        Part(
            (folder, *(path for path in named if path != folder and path.is_relative_to(folder))),
            sum(1 for path in found.python if path.is_relative_to(folder)),
        )
        for folder in folders
    ]
    if python or zips:  # build folders serve templates only: without files the rest has nothing to lint
        build_dirs = [path for path in found.build_dirs if not _in_any(path, folders)]
        parts.append(Part((*python, *zips, *build_dirs), len(python)))
    return sorted(parts, key=lambda part: -part.python_files)


def _obstacle(
    found: Discovered, folders: list[Path], named: list[Path], outside: list[Path], config: Config, root: Path
) -> str | None:
    """Why linting each folder apart, and the rest (``outside`` holds its Python files) apart,
    might not give what one run gives."""
    base = Path(os.path.abspath(config.base))
    directories = [path for path in named if path.is_dir()]
    if not all(path.is_relative_to(root) for path in named):
        return "a path is outside the root"
    if not all(folder.is_relative_to(base) for folder in folders):
        return f"a template folder is outside {base}, where exclude patterns are matched from"
    if not all(any(folder.is_relative_to(directory) for directory in directories) for folder in folders):
        return "a template was named without its folder"
    if any((folder / "__init__.py").is_file() for folder in folders):
        return "a template folder is a Python package"
    if any(not reason.startswith("not ") and not _in_any(path, folders) for path, reason in found.skipped):
        return "discovery left something out outside the template folders"
    if any(_holds_any(build.parent.parent, folders) for build in found.build_dirs if not _in_any(build, folders)):
        return "a .aws-sam/build folder serves templates in several folders"
    if any(_may_reach_parts(path, folders, config) for path in outside):
        return "a handler outside the template folders is imported from a folder holding one"
    if not all(_code_stays_inside(template, _part_of(template, folders)) for template in found.templates):
        return "a template names code or layer contents outside its folder"
    return None


def _may_reach_parts(module: Path, folders: list[Path], config: Config) -> bool:
    """Whether a module outside the parts may be a handler found by name whose code root (the
    top of its package) holds a part: that code root would take the part's modules in."""
    if not _holds_any(package_root(module), folders):
        return False
    try:
        text = module.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return True
    return any(config.is_handler_name(name) for name in _TOP_LEVEL_DEF.findall(text))


def _code_stays_inside(template: Path, part: Path) -> bool:
    """Whether every code and layer path the template gives resolves inside its part."""
    return all(path.is_relative_to(part) for path in code_paths(template))


def _run_parts(
    parts: list[Part], config: Config, rules: dict[str, Rule] | None, root: Path, jobs: int
) -> list[RunResult]:
    """Each part's result, from a pool of ``jobs`` workers; Ctrl-C ends them at once."""
    executor = ProcessPoolExecutor(
        jobs, mp_context=_context(), initializer=_start_worker, initargs=(log.getEffectiveLevel(),)
    )
    try:
        futures = [executor.submit(engine.run, list(part.paths), config, rules, root) for part in parts]
        results = [_result(future, part, config, rules, root) for future, part in zip(futures, parts, strict=True)]
    except BaseException:
        for process in list((executor._processes or {}).values()):  # no public way before Python 3.14
            process.terminate()
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown()
    return results


def _context() -> multiprocessing.context.BaseContext:
    """Fork while this process runs no other thread (forked workers cost ~50 ms, against ~0.4 s
    from a fork server: ``benchmarks/monorepo.py``); else a fork server that imported lambdalint
    once, else spawn. Not on macOS, whose system libraries do not survive a fork."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform != "darwin" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def _start_worker(level: int) -> None:
    """Ctrl-C is the parent's to handle (it stops the workers); debug logs show as in one process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.basicConfig(level=level, format="%(message)s")


def _result(
    future: Future[RunResult], part: Part, config: Config, rules: dict[str, Rule] | None, root: Path
) -> RunResult:
    try:
        return future.result()
    except Exception:  # a worker that crashed or died: the part is linted here, as without --jobs
        log.debug("the worker linting %s failed; linting it in this process", part.paths[0], exc_info=True)
        return engine.run(list(part.paths), config, rules, root=root)


# -- merging ----------------------------------------------------------------------------------
def _same(values: list[Any]) -> Any:
    if any(value != values[0] for value in values[1:]):
        raise ValueError("the parts of a parallel run disagree on a value they must share")
    return values[0]


def _concatenated(values: list[tuple[Any, ...]], key: Callable[[Any], Any]) -> tuple[Any, ...]:
    return tuple(sorted((item for value in values for item in value), key=key))


def _merged(values: list[dict[str, Any]]) -> dict[str, Any]:
    return {key: item for value in values for key, item in value.items()}


#: how the parts' values of each :class:`RunResult` field make the whole run's value
FIELD_MERGES: dict[str, Callable[[list[Any]], Any]] = {
    "root": _same,
    "findings": partial(_concatenated, key=Finding.sort_key),
    "rules": _same,
    "files_checked": sum,
    "tool_version": _same,
    "stale_baseline": sum,
    "functions": partial(_concatenated, key=attrgetter("key")),
    "texts": _merged,
}


def merge(results: list[RunResult]) -> RunResult:
    """One result of the parts' results, as one run over all of them gives it."""
    return RunResult(**{f.name: FIELD_MERGES[f.name]([getattr(r, f.name) for r in results]) for f in fields(RunResult)})


# -- secrets ----------------------------------------------------------------------------------
def _secrets_may_cross(results: list[RunResult]) -> bool:
    """Whether a secret one part masked may show unmasked in another part's findings.

    One run masks every secret a rule found in every line it quotes; a part masks only its own.
    A masked quote differs from its source line where the secret's hidden characters were, so
    each differing stretch is a piece of a secret: if no piece shows in another part, no secret does.
    """
    pieces = [set(_masked_pieces(result)) for result in results]
    for index, result in enumerate(results):
        others = {piece for other, found in enumerate(pieces) if other != index for piece in found}
        quoted = [text for finding in result.findings for text in (finding.snippet, finding.logical_place)]
        if any(piece in text for piece in others for text in quoted):
            return True
    return False


def _masked_pieces(result: RunResult) -> Iterator[str]:
    lines: dict[str, list[str]] = {}
    for finding in result.findings:
        line = _source_line(finding.location, result.texts, lines)
        if line is None or finding.snippet == line or len(finding.snippet) != len(line):
            continue
        yield from _differing_stretches(line, finding.snippet)


def _source_line(location: Location, texts: dict[str, str], lines: dict[str, list[str]]) -> str | None:
    if location.span is None or location.path not in texts:
        return None
    if location.path not in lines:
        lines[location.path] = texts[location.path].splitlines()
    number = location.span.start_line
    return lines[location.path][number - 1] if 1 <= number <= len(lines[location.path]) else None


def _differing_stretches(original: str, masked: str) -> Iterator[str]:
    """The stretches of ``original`` that ``masked`` (as long) hides."""
    index = 0
    for differs, pairs in groupby(zip(original, masked, strict=True), key=lambda pair: pair[0] != pair[1]):
        length = len(list(pairs))
        if differs:
            yield original[index : index + length]
        index += length


# -- paths ------------------------------------------------------------------------------------
def _in_any(path: Path, folders: Iterable[Path]) -> bool:
    return any(path.is_relative_to(folder) for folder in folders)


def _holds_any(folder: Path, folders: Iterable[Path]) -> bool:
    return any(other.is_relative_to(folder) for other in folders)


def _part_of(path: Path, folders: list[Path]) -> Path:
    return next(folder for folder in folders if path.is_relative_to(folder))


def _outermost(folders: set[Path]) -> list[Path]:
    return sorted(folder for folder in folders if not any(other in folder.parents for other in folders))
