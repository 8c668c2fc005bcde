"""The engine: discover → load → model → checks → findings → suppressions → result.

Checks see only the model. Every check call is guarded: an exception becomes an LL004 finding on
the file being checked and the run goes on.
"""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import TypeVar

from lambdalint import __version__
from lambdalint import checks as _register_checks  # noqa: F401  (importing registers the checks)
from lambdalint.analysis.module_facts import ModuleFacts
from lambdalint.analysis.program import Program, code_roots, entry_points
from lambdalint.changed import affected_files, concerns
from lambdalint.checks.base import (
    CODE_CHECKS,
    FUNCTION_CHECKS,
    CheckContext,
    CodeCheck,
    CodePlace,
    FilePlace,
    Place,
    Report,
    TemplatePlace,
)
from lambdalint.checks.declarative import policy_reports
from lambdalint.config import Config
from lambdalint.discovery import discover, is_json_template
from lambdalint.findings import Finding, Location, Severity, Span
from lambdalint.loaders.python import SourceModule
from lambdalint.loaders.tree import Node, Scalar, find
from lambdalint.model.build import build_project
from lambdalint.model.inventory import function_inventory
from lambdalint.model.project import Function, Project
from lambdalint.result import RunResult
from lambdalint.rulepack import Rule, builtin_rules
from lambdalint.suppression import Scanned, apply_suppressions, scan_metadata, scan_python, scan_yaml

log = logging.getLogger("lambdalint")
_Check = TypeVar("_Check")

#: rules the engine itself reports (loading, crashes, suppressions); the rest are checks
ENGINE_RULES = frozenset({"LL001", "LL002", "LL003", "LL004", "LL005", "LL006", "LL007"})


def find_root(start: Path) -> Path:
    """The git work tree's top level containing ``start``; else the current directory when
    ``start`` is under it, else ``start`` itself (its folder for a file)."""
    start = Path(os.path.abspath(start))  # a symlink named on the command line is not followed
    folder = start if start.is_dir() and not start.is_symlink() else start.parent
    for directory in (folder, *folder.parents):
        if (directory / ".git").exists():
            return directory
    cwd = Path(os.getcwd())
    return cwd if cwd == folder or cwd in folder.parents else folder


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Collect garbage less often while a run holds its syntax trees.

    A run builds millions of long-lived objects; with the default thresholds the collector rescans
    them again and again, a third of a large run's time (200 modules: 9.0 s, 6.0 s with these).
    """
    before = gc.get_threshold()
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@_fewer_collections()
def run(
    paths: list[Path],
    config: Config,
    rules: dict[str, Rule] | None = None,
    root: Path | None = None,
    *,
    overlay: dict[Path, bytes] | None = None,
    changed: list[Path] | None = None,
) -> RunResult:
    """Lint ``paths``; locations are relative to ``root`` (default: see :func:`find_root`).

    ``overlay`` maps absolute file paths to contents read instead of the files on disk (an editor's
    unsaved buffers); discovery still walks the disk. ``changed`` names the files a commit changed:
    only the findings they can have caused are kept (see :mod:`lambdalint.changed`).
    """
    all_rules = rules if rules is not None else builtin_rules()
    enabled = {rule_id: rule for rule_id, rule in all_rules.items() if config.is_selected(rule_id)}
    root = (root or find_root(paths[0] if paths else Path.cwd())).resolve()
    found = discover(paths, root, config.exclude, exclude_base=config.base)
    project = build_project(
        root,
        [(path, is_json_template(path)) for path in found.templates],
        found.python,
        found.zips,
        found.build_dirs,
        config.is_handler_name,
        found.skipped,
        overlay,
    )
    runner = _Runner(project, enabled, config)
    findings = _merge_duplicates(runner.findings())
    findings = [f for f in findings if not config.is_ignored_for_file(f.rule_id, root / f.location.path)]
    findings = apply_suppressions(findings, _directives(project), all_rules, set(enabled))
    findings = [_with_severity(f, config) for f in findings if f.rule_id in enabled]
    if changed is not None:
        affected = affected_files(project, changed)
        findings = [finding for finding in findings if concerns(finding, affected)]
    files_checked = len(found.templates) + len(found.python) + len(found.zips)
    return RunResult(
        root=root,
        findings=tuple(sorted(findings, key=Finding.sort_key)),
        rules=enabled,
        files_checked=files_checked,
        tool_version=__version__,
        functions=function_inventory(project),
        texts=runner.texts,
    )


def _merge_duplicates(findings: list[Finding]) -> list[Finding]:
    """One finding per rule and place: a Globals value inherited by several functions is reported
    once, with every function among its related locations (one alert, one baseline entry)."""
    merged: dict[tuple[str, Location, str], Finding] = {}
    for finding in findings:
        key = (finding.rule_id, finding.location, finding.fingerprint)
        first = merged.get(key)
        if first is None:
            merged[key] = finding
        else:
            extra = tuple(location for location in finding.related if location not in first.related)
            merged[key] = replace(first, related=first.related + extra, resource=None)
    return list(merged.values())


def _with_severity(finding: Finding, config: Config) -> Finding:
    return replace(finding, severity=config.severity_for(finding.rule_id, finding.severity))


def _directives(project: Project) -> list[Scanned]:
    directives: list[Scanned] = []
    for module in project.modules.values():
        if not module.is_inline:
            directives.extend(scan_python(module.rel, module.text))
    for template in project.templates:
        if not is_json_template(template.path):
            directives.extend(scan_yaml(template.rel, template.text))
        directives.extend(scan_metadata(template.rel, template.root))
    return directives


class _Runner:
    """Runs the enabled checks over one project and turns their reports into findings."""

    def __init__(self, project: Project, rules: dict[str, Rule], config: Config) -> None:
        self.project = project
        self.rules = rules
        self.config = config
        self.as_of = config.as_of or date.today()  # one date for the whole run
        #: every loaded text by path, split into lines only when a finding quotes it
        self.texts = {module.rel: module.text for module in project.modules.values() if not module.is_inline}
        self.texts.update((template.rel, template.text) for template in project.templates)
        self._lines: dict[str, list[str]] = {}
        #: what rules reported as secrets, masked in every quoted line
        self.secrets: set[str] = set()

    def findings(self) -> list[Finding]:
        results = list(self._load_findings())
        for function in self.project.functions:
            for rule_id, check in self._enabled(FUNCTION_CHECKS):
                call = partial(check, function, self._context(rule_id))
                results.extend(self._guarded(rule_id, function.template.rel, call))
        for rule in self.rules.values():
            for template in self.project.templates if rule.policy is not None else ():
                judge = partial(policy_reports, rule, template, self._context(rule.id))
                results.extend(self._guarded(rule.id, template.rel, judge))
        results.extend(self._code_findings())
        return [self._masked(finding) for finding in results] if self.secrets else results

    def _masked(self, finding: Finding) -> Finding:
        """Findings quote source lines; no secret a rule found may show in any of them."""
        snippet, logical = finding.snippet, finding.logical_place
        for secret in self.secrets:
            shown = 4 if len(secret) >= 12 else 0  # a short password would be half given away
            masked = secret[:shown] + "*" * (len(secret) - shown)
            snippet, logical = snippet.replace(secret, masked), logical.replace(secret, masked)
        return replace(finding, snippet=snippet, logical_place=logical)

    def _enabled(self, registry: dict[str, _Check]) -> list[tuple[str, _Check]]:
        return sorted((rule_id, check) for rule_id, check in registry.items() if rule_id in self.rules)

    def _context(self, rule_id: str) -> CheckContext:
        options = self.config.rule_options.get(rule_id, {})
        return CheckContext(self.project, options, self.as_of, self.config.layer_sizes)

    def _guarded(self, rule_id: str, rel: str, reports: Callable[[], Iterable[Report]]) -> list[Finding]:
        try:
            return [self._finding(rule_id, report) for report in reports()]
        except Exception as error:  # a rule's bug must not stop the run
            log.debug("rule %s crashed on %s", rule_id, rel, exc_info=True)
            return [self._crash(rule_id, rel, error)]

    def _crash(self, rule_id: str, rel: str, error: Exception) -> Finding:
        rule = self.rules.get(rule_id)
        name = f"{rule_id} {rule.name}" if rule else rule_id
        return Finding(
            "LL004",
            self._severity("LL004"),
            f"{name} crashed on this file ({type(error).__name__}: {error}); the run went on. "
            "Run with --debug for the traceback and please report it",
            Location(rel, Span(1, 1, 1, 1)),
            f"crash:{rule_id}",
        )

    def _severity(self, rule_id: str) -> Severity:
        rule = self.rules.get(rule_id) or builtin_rules().get(rule_id)
        return rule.severity if rule else Severity.ERROR

    # -- code checks ---------------------------------------------------------------------------
    def _code_findings(self) -> Iterator[Finding]:
        """One batched traversal per module of each code root, then each rule decides once the
        root's call graph tells what runs per invocation."""
        checks = self._enabled(CODE_CHECKS)
        if not checks:
            return
        handlers, directories = entry_points(self.project)
        for root in code_roots(self.project.modules.values(), handlers, directories):
            traversed: list[tuple[SourceModule, ModuleFacts, list[tuple[str, CodeCheck]]]] = []
            for name, module in sorted(root.modules.items()):
                facts = ModuleFacts(name)
                visitors = [(rule_id, cls(module, facts, self._context(rule_id))) for rule_id, cls in checks]
                failed = module.traverse([facts, *(visitor for _, visitor in visitors)])
                for error in failed.values():
                    log.debug("a check crashed on %s", module.rel, exc_info=error)
                if facts in failed:  # every rule stands on the module's facts
                    yield from (self._crash(rule_id, module.rel, failed[facts]) for rule_id, _ in visitors)
                    continue
                yield from (self._crash(rule_id, module.rel, failed[v]) for rule_id, v in visitors if v in failed)
                traversed.append((module, facts, [(rule_id, v) for rule_id, v in visitors if v not in failed]))
            program = Program(root, {module.path: facts for module, facts, _ in traversed})
            resource = _resource_of(handler.function for handler in root.handlers if handler.function)
            peers: dict[str, dict[SourceModule, CodeCheck]] = {}
            for module, _, visitors in traversed:
                for rule_id, visitor in visitors:
                    peers.setdefault(rule_id, {})[module] = visitor
            for module, _, visitors in traversed:
                invocation = program.view(module, peers)
                for rule_id, visitor in visitors:
                    for finding in self._guarded(rule_id, module.rel, partial(visitor.finish, invocation)):
                        yield finding if finding.resource else replace(finding, resource=resource)

    # -- reports into findings -----------------------------------------------------------------
    def _finding(self, rule_id: str, report: Report) -> Finding:
        location, logical = self._locate(report.place)
        related = tuple(self._locate(place, label)[0] for place, label in report.related)
        resource = None
        if report.function is not None:
            resource = (report.function.template.rel, report.function.logical_id)
            related += self._globals_related(report)
        elif isinstance(report.place, TemplatePlace):
            path = report.place.node.path if report.place.node else report.place.path
            if len(path) >= 2 and path[0] == "Resources":
                resource = (report.place.template.rel, str(path[1]))
        snippet = self._line(location)
        if report.secret:
            self.secrets.add(report.secret)
        return Finding(
            rule_id,
            report.severity or self.rules[rule_id].severity,
            report.message,
            location,
            logical,
            related,
            snippet=snippet,
            resource=resource,
        )

    def _globals_related(self, report: Report) -> tuple[Location, ...]:
        """A value merged from Globals is reported there, with the function as related location."""
        place, function = report.place, report.function
        node = place.node if isinstance(place, TemplatePlace) else None
        if function is None or node is None or node.path[:1] != ("Globals",):
            return ()
        anchor = function.resource
        span = anchor.key_span or anchor.span
        return (Location(function.template.rel, span, f"{function.logical_id} gets this value from Globals"),)

    def _locate(self, place: Place, label: str | None = None) -> tuple[Location, str]:
        if isinstance(place, TemplatePlace):
            node, path = place.node, place.path
            if node is None:
                node, _ = find(place.template.root, path)
            logical = "/".join(str(part) for part in (path or node.path))
            return Location(place.template.rel, _template_span(node), label), logical
        if isinstance(place, CodePlace):
            code = " ".join(place.module.module.code_for_node(place.node).split())
            return Location(place.module.rel, place.module.span(place.node), label), f"code:{code}"
        assert isinstance(place, FilePlace)
        return Location(place.rel, place.span, label), "file"

    def _line(self, location: Location) -> str:
        if location.path not in self._lines:
            self._lines[location.path] = self.texts.get(location.path, "").splitlines()
        lines = self._lines[location.path]
        if location.span is None or not 1 <= location.span.start_line <= len(lines):
            return ""
        return lines[location.span.start_line - 1]

    def _load_findings(self) -> Iterator[Finding]:
        for problem in self.project.problems:
            if problem.rule_id not in self.rules:
                continue
            span = (
                Span(problem.line, problem.column or 1, problem.line, (problem.column or 1) + 1)
                if problem.line
                else None
            )
            location = Location(problem.rel, span)
            related = (Location(problem.related, None, "the archive"),) if problem.related else ()
            yield Finding(
                problem.rule_id,
                self.rules[problem.rule_id].severity,
                problem.message,
                location,
                f"load:{problem.message}",
                related,
                snippet=problem.snippet or self._line(location),
            )
        if "LL006" in self.rules:
            for item in self.project.not_analysed:
                place: Place = (
                    TemplatePlace(item.template, item.node) if item.template and item.node else FilePlace(item.rel)
                )
                yield self._finding("LL006", Report(item.message, place))


def _template_span(node: Node) -> Span:
    """The property's line: from its key to the end of a scalar value, or just the key."""
    key = node.key_span
    if key is None:
        return (
            node.span
            if isinstance(node, Scalar) or node.span.start_line == node.span.end_line
            else Span(node.span.start_line, node.span.start_column, node.span.start_line, node.span.start_column + 1)
        )
    if isinstance(node, Scalar) and node.span.end_line == key.start_line:
        return Span(key.start_line, key.start_column, node.span.end_line, node.span.end_column)
    return key


def _resource_of(functions: Iterable[Function]) -> tuple[str, str] | None:
    """The one template resource some code belongs to, for Metadata suppressions (else none)."""
    resources = {(function.template.rel, function.logical_id) for function in functions}
    return resources.pop() if len(resources) == 1 else None
