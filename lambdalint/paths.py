"""Path questions every layer asks: how a path is shown, and whether it really lies under a root."""

from __future__ import annotations

import os
from pathlib import Path


def rel_path(path: Path, root: Path) -> str:
    """The path relative to the root with POSIX separators (absolute when outside the root)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def really_inside(path: Path | str, root: Path | str) -> bool:
    """Whether ``path`` lies under ``root`` once symlinks are resolved: what a linted repository may
    make us read (a link must not lead to files elsewhere on the machine)."""
    real, real_root = os.path.realpath(path), os.path.realpath(root)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)
