"""Writing the files a test lints: one helper for every test module."""

from __future__ import annotations

from pathlib import Path


def write(root: Path, rel: str, content: str | bytes = "") -> Path:
    """Write ``content`` to ``root/rel``, creating folders; bytes as they are, text as UTF-8."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path
