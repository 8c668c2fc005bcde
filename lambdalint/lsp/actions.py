"""Quick fixes: suppress a finding with a ``# lambdalint: ignore[...]`` comment above its line.

Python files and YAML templates take the comment (see :mod:`lambdalint.suppression`); JSON
templates cannot hold comments, so they get no action. When the line above already is an ignore
comment that covers the line, the rule joins its list instead of a second comment being stacked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from lsprotocol.types import CodeAction, CodeActionKind, Diagnostic, Position, Range, TextEdit, WorkspaceEdit

from lambdalint.discovery import is_json_template
from lambdalint.lsp.diagnostics import SOURCE
from lambdalint.lsp.positions import split_lines, units
from lambdalint.suppression import Directive, Scanned, scan_python, scan_yaml


def suppress_actions(
    uri: str, path: Path, text: str, diagnostics: Iterable[Diagnostic], encoding: str
) -> list[CodeAction]:
    """One "Suppress LLnnn on this line" per lambdalint diagnostic (and line) that a comment can silence."""
    scan = _scanner(path)
    if scan is None:
        return []
    lines = split_lines(text)
    directives = scan(path.name, text)
    actions: list[CodeAction] = []
    done: set[tuple[str, int]] = set()
    for diagnostic in diagnostics:
        target = _target(diagnostic)
        if target is None or target in done or not _is_code_line(lines, target[1]):
            continue
        done.add(target)
        rule_id, line = target
        edit = _merged(lines, directives, rule_id, line, encoding) or _new_comment(lines, rule_id, line)
        actions.append(
            CodeAction(
                title=f"Suppress {rule_id} on this line",
                kind=CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                edit=WorkspaceEdit(changes={uri: [edit]}),
            )
        )
    return actions


def _scanner(path: Path) -> Callable[[str, str], list[Scanned]] | None:
    if path.suffix.lower() == ".py":
        return scan_python
    return None if is_json_template(path) else scan_yaml


def _target(diagnostic: Diagnostic) -> tuple[str, int] | None:
    """The rule and 1-based line a lambdalint diagnostic carries in its data (None: not ours, or a whole file)."""
    data = diagnostic.data
    if diagnostic.source != SOURCE or not isinstance(data, dict):
        return None
    rule_id, line = data.get("ruleId"), data.get("line")
    return (rule_id, line) if isinstance(rule_id, str) and isinstance(line, int) else None


def _is_code_line(lines: list[str], line: int) -> bool:
    """A comment alone on its line covers the next code line, so only a code line can be targeted."""
    stripped = lines[line - 1].strip() if 1 <= line <= len(lines) else ""
    return bool(stripped) and not stripped.startswith("#")


def _merged(lines: list[str], directives: list[Scanned], rule_id: str, line: int, encoding: str) -> TextEdit | None:
    """Add the rule to the ignore comment alone on the line above, when there is one."""
    above = lines[line - 2] if line >= 2 else ""
    for directive in directives:
        span = directive.location.span
        if (
            isinstance(directive, Directive)
            and directive.kind == "inline"
            and directive.target_line == line
            and span is not None
            and span.start_line == line - 1
            and directive.place == " ".join(above.split())  # the comment starts with the marker
        ):
            # nothing before the marker, and the codes cannot hold "]": the first "]" closes them
            at = Position(line - 2, units(above[: above.index("]")], encoding))
            return TextEdit(Range(at, at), f", {rule_id}")
    return None


def _new_comment(lines: list[str], rule_id: str, line: int) -> TextEdit:
    """A comment line above the finding's line, indented like it."""
    text = lines[line - 1]
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    newline = "\r\n" if text.endswith("\r") else "\n"
    at = Position(line - 1, 0)
    return TextEdit(Range(at, at), f"{indent}# lambdalint: ignore[{rule_id}]{newline}")
