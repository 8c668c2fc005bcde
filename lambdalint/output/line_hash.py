"""GitHub code scanning's ``primaryLocationLineHash``, computed the way the codeql-action does.

GitHub tracks an alert across commits by this hash of the text at its first line. upload-sarif fills
it in from the checked-out file when a result lacks it, and warns when a given one differs, so we
compute it by the same recipe (``src/fingerprints.ts`` in github/codeql-action): the file as UTF-16
code units, spaces and tabs skipped, CR and CRLF read as LF, then a polynomial hash in 64-bit
wrapping arithmetic over the 100 units starting at each line, a 0xFFFF unit marking the end of the
file and zeros after it. The hash is written as unsigned hex with ``:n``, n counting the lines
before it with the same hash, so that repeated lines stay apart.
"""

from __future__ import annotations

import struct
from collections import Counter

BLOCK_SIZE = 100
_BASE = 37
_MASK = (1 << 64) - 1
#: the weight of the unit that leaves the window
_FIRST_MOD = pow(_BASE, BLOCK_SIZE, 1 << 64)
_END_OF_FILE = 0xFFFF
_TAB, _LF, _CR, _SPACE = (ord(char) for char in "\t\n\r ")


def line_hashes(text: str) -> dict[int, str]:
    """Every line's hash by 1-based line number, as ``hex:n``; the line after a final newline too."""
    units, starts = _hashed_units(text)
    units += [0] * (BLOCK_SIZE - 1)  # so the last lines have full windows as well
    line_at = {start: line for line, start in enumerate(starts, 1)}
    seen: Counter[int] = Counter()
    hashes: dict[int, str] = {}
    value = 0
    for position, unit in enumerate(units):
        dropped = units[position - BLOCK_SIZE] if position >= BLOCK_SIZE else 0
        value = (value * _BASE + unit - _FIRST_MOD * dropped) & _MASK
        line = line_at.get(position - BLOCK_SIZE + 1)  # the window now starts where this line does
        if line is not None:
            seen[value] += 1
            hashes[line] = f"{value:x}:{seen[value]}"
    return hashes


def _hashed_units(text: str) -> tuple[list[int], list[int]]:
    """The code units the hash reads, end-of-file marker included, and where each line starts among them.

    A line that is blank or only whitespace starts at its line feed; the end-of-file marker starts
    the line after a final newline.
    """
    data = text.encode("utf-16-le", "surrogatepass")  # a lone surrogate is a code unit like any other
    units: list[int] = []
    starts: list[int] = []
    at_line_start = True
    after_cr = False
    for unit in (*struct.unpack(f"<{len(data) // 2}H", data), _END_OF_FILE):
        if unit in (_SPACE, _TAB) or (after_cr and unit == _LF):
            after_cr = False
            continue
        after_cr = unit == _CR
        if after_cr:
            unit = _LF
        if at_line_start:
            starts.append(len(units))
        at_line_start = unit == _LF
        units.append(unit)
    return units, starts
