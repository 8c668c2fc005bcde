"""Output formats, registered by name so the CLI can write several per run.

Every formatter is a pure function of the run's result and the options: the same input gives
byte-identical output (findings arrive sorted in ``RunResult``; nothing here reads a clock).
"""

from __future__ import annotations

from lambdalint.output.github import render_github
from lambdalint.output.html import render_html
from lambdalint.output.json_report import render_json
from lambdalint.output.junit import render_junit
from lambdalint.output.markdown import render_markdown
from lambdalint.output.report import Formatter, OutputOptions, Summary, summarize
from lambdalint.output.sarif import render_sarif
from lambdalint.output.text import render_text
from lambdalint.result import RunResult

__all__ = ["FORMATTERS", "Formatter", "OutputOptions", "Summary", "render", "summarize"]


FORMATTERS: dict[str, Formatter] = {
    "text": render_text,
    "json": render_json,
    "sarif": render_sarif,
    "github": render_github,
    "junit": render_junit,
    "markdown": render_markdown,
    "html": render_html,
}


def render(name: str, result: RunResult, options: OutputOptions) -> str:
    """Render ``result`` in the format called ``name``; a bad name is told the good ones."""
    try:
        formatter = FORMATTERS[name]
    except KeyError:
        known = ", ".join(sorted(FORMATTERS))
        raise ValueError(f"unknown output format {name!r} (known: {known})") from None
    return formatter(result, options)
