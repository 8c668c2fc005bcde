"""What a document is linted with: its SAM/CloudFormation project, so that a handler is judged with
its template and a template with its handlers; else the document alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lambdalint.changed import project_folder
from lambdalint.config import find_config, load_config
from lambdalint.engine import find_root, run
from lambdalint.result import RunResult
from lambdalint.rulepack import all_rules


@dataclass(frozen=True)
class Scope:
    """One lint run: ``target`` (a project folder, or a lone document) with locations relative to ``root``."""

    root: Path
    target: Path

    def holds(self, path: Path) -> bool:
        """Whether a run of this scope reports on ``path``."""
        return path.is_relative_to(self.target)

    def lint(self, overlay: dict[Path, bytes]) -> RunResult:
        """Run the engine as ``lambdalint check`` would, with the editor's unsaved buffers in ``overlay``.

        Raises ConfigError or RulePackError for a configuration or rule file the user must fix.
        """
        config = load_config(find_config(self.target))
        rules = all_rules([config.base / directory for directory in config.rule_dirs])
        config.check_rules(rules)
        return run([self.target], config, rules, root=self.root, overlay=overlay)


def scope_of(document: Path) -> Scope:
    """The document's project folder (see :func:`lambdalint.changed.project_folder`), else the
    document alone. ``document`` is absolute and resolved."""
    root = find_root(document).resolve()
    return Scope(root, project_folder(document, root) or document)
