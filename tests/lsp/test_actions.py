"""Quick fixes, in process: the comment each "Suppress LLnnn on this line" writes, and that the text it
leaves is clean when linted again (the finding suppressed, no LL005 unused nor LL007 malformed)."""

from __future__ import annotations

from pathlib import Path

from lsprotocol.types import CodeActionKind, Diagnostic, Position, Range, TextEdit

from lambdalint.findings import Finding
from lambdalint.lsp.actions import suppress_actions
from tests.files import lint_files, write

UTF16 = "utf-16"
#: a function whose handler is app.handler, with no environment variables
FUNCTION = """\
Resources:
  Orders:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ./
      Handler: app.handler
      Runtime: python3.13
"""


def diagnostic(rule_id: str, line: int | None, source: str = "lambdalint") -> Diagnostic:
    """A diagnostic as the server publishes it (and the editor sends back), on a 1-based line."""
    start = Position((line or 1) - 1, 0)
    return Diagnostic(Range(start, start), "", code=rule_id, source=source, data={"ruleId": rule_id, "line": line})


def edits(path: Path, *diagnostics: Diagnostic) -> list[tuple[str, list[TextEdit]]]:
    """(title, edits) of each action offered for the file's text on disk."""
    text = path.read_text(encoding="utf-8")
    actions = suppress_actions(path.as_uri(), path, text, diagnostics, UTF16)
    assert all(action.kind == CodeActionKind.QuickFix for action in actions)
    return [
        (action.title, action.edit.changes[path.as_uri()]) for action in actions if action.edit and action.edit.changes
    ]


def rules(findings: list[Finding]) -> list[str]:
    return [finding.rule_id for finding in findings]


def insert(line: int, character: int, text: str) -> TextEdit:
    at = Position(line, character)
    return TextEdit(Range(at, at), text)


def test_a_template_line_gets_a_comment_above_it_indented_like_it(tmp_path: Path) -> None:
    template = write(
        tmp_path,
        "template.yaml",
        "Resources:\n  Orders:\n    Type: AWS::Serverless::Function\n    Properties:\n      Timeout: 901\n",
    )
    assert edits(template, diagnostic("LL205", 5)) == [
        ("Suppress LL205 on this line", [insert(4, 0, "      # lambdalint: ignore[LL205]\n")])
    ]
    assert rules(lint_files(tmp_path, {}, "LL205", "LL005", "LL007")) == ["LL205"]
    suppressed = template.read_text().replace("      Timeout", "      # lambdalint: ignore[LL205]\n      Timeout")
    assert lint_files(tmp_path, {"template.yaml": suppressed}, "LL205", "LL005", "LL007") == []


def test_the_rule_joins_the_ignore_comment_above_and_its_reason_stays(tmp_path: Path) -> None:
    write(tmp_path, "template.yaml", FUNCTION)
    handler = write(
        tmp_path,
        "app.py",
        "import os\n\nimport boto3\n\n\ndef handler(event, context):\n"
        "    # lambdalint: ignore[client-in-handler] the region comes from the event\n"
        '    return boto3.client("s3", region_name=os.environ["REGION"])\n',
    )
    assert edits(handler, diagnostic("LL216", 8)) == [("Suppress LL216 on this line", [insert(6, 42, ", LL216")])]
    assert rules(lint_files(tmp_path, {}, "LL110", "LL216", "LL005", "LL007")) == ["LL216"]
    suppressed = handler.read_text().replace("ignore[client-in-handler]", "ignore[client-in-handler, LL216]")
    assert lint_files(tmp_path, {"app.py": suppressed}, "LL110", "LL216", "LL005", "LL007") == []


def test_a_trailing_ignore_comment_on_the_line_above_is_left_alone(tmp_path: Path) -> None:
    handler = write(tmp_path, "app.py", "A = 1  # lambdalint: ignore[LL141]\nB = 2\n")
    assert edits(handler, diagnostic("LL110", 2)) == [
        ("Suppress LL110 on this line", [insert(1, 0, "# lambdalint: ignore[LL110]\n")])
    ]


def test_windows_line_endings_are_kept(tmp_path: Path) -> None:
    handler = write(tmp_path, "app.py", b"def handler(event, context):\r\n    return 1\r\n")
    text = handler.read_bytes().decode()
    actions = suppress_actions(handler.as_uri(), handler, text, [diagnostic("LL110", 2)], UTF16)
    assert actions[0].edit and actions[0].edit.changes
    assert actions[0].edit.changes[handler.as_uri()] == [insert(1, 0, "    # lambdalint: ignore[LL110]\r\n")]


def test_one_action_per_rule_and_line(tmp_path: Path) -> None:
    handler = write(tmp_path, "app.py", "import boto3\n")
    found = [diagnostic("LL110", 1), diagnostic("LL110", 1), diagnostic("LL111", 1)]
    assert [title for title, _ in edits(handler, *found)] == [
        "Suppress LL110 on this line",
        "Suppress LL111 on this line",
    ]


def test_no_action_where_a_comment_cannot_suppress(tmp_path: Path) -> None:
    json_template = write(tmp_path, "template.json", '{\n  "Resources": {}\n}\n')
    assert edits(json_template, diagnostic("LL205", 2)) == []  # JSON has no comments

    handler = write(tmp_path, "app.py", "# lambdalint: ignore[LL999]\n\nimport boto3\n")
    assert edits(handler, diagnostic("LL007", 1)) == []  # a comment line: a comment above covers the next code
    assert edits(handler, diagnostic("LL002", 2)) == []  # a blank line
    assert edits(handler, diagnostic("LL004", None)) == []  # the whole file
    assert edits(handler, diagnostic("E501", 3, source="ruff")) == []  # another linter's
