"""Writing the files a test lints: one helper for every test module."""

from __future__ import annotations

from pathlib import Path

from lambdalint.config import load_config
from lambdalint.engine import run
from lambdalint.findings import Finding


def write(root: Path, rel: str, content: str | bytes = "") -> Path:
    """Write ``content`` to ``root/rel``, creating folders; bytes as they are, text as UTF-8."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def lint_files(root: Path, files: dict[str, str], *rules: str) -> list[Finding]:
    """Write ``files`` under ``root`` and lint it with only ``rules`` enabled: the reported findings."""
    for rel, text in files.items():
        write(root, rel, text)
    return list(run([root], load_config(None).merged_with(select=list(rules)), root=root).reported)
