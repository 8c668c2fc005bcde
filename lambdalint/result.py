"""What a run produces and every output format reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lambdalint.findings import Finding
from lambdalint.model.inventory import FunctionInfo
from lambdalint.rulepack import Rule


@dataclass(frozen=True)
class RunResult:
    #: the directory every location's path is relative to (git top level, else the working directory)
    root: Path
    #: every finding, sorted; suppressed ones carry ``suppressed_by``
    findings: tuple[Finding, ...]
    #: the rules that were enabled for this run, by id, sorted
    rules: dict[str, Rule]
    #: how many files were read (templates, Python modules, packages)
    files_checked: int
    tool_version: str
    #: entries of the ``--baseline`` file that no finding matched any more (fixed, or their code gone)
    stale_baseline: int = 0
    #: every function of the project with its settings, by template and logical id (for audit reports)
    functions: tuple[FunctionInfo, ...] = ()
    #: the text of every file that was loaded, by the path locations use (for excerpts and line hashes)
    texts: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def reported(self) -> tuple[Finding, ...]:
        """The findings that are not suppressed."""
        return tuple(finding for finding in self.findings if finding.suppressed_by is None)
