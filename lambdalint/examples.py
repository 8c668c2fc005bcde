"""Running a rule's examples: the built-in pack's tests, and ``lambdalint test-rules`` for yours.

An example's lines that must be reported end with ``# error: LLnnn``; every other line must stay
clean. JSON has no comments, so its markers are removed before the file is written.
"""

from __future__ import annotations

import random
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lambdalint.config import config_from_mapping
from lambdalint.engine import run
from lambdalint.rulepack import Example, Rule

MARKER = re.compile(r"#\s*error:\s*((?:[A-Z]+\d+)(?:\s*,\s*[A-Z]+\d+)*)")
JSON_MARKER = re.compile(r"[ \t]*#\s*error:[^\n]*")

#: a finding as examples state it: (file, line, rule id)
Place = tuple[str, int, str]


@dataclass(frozen=True)
class Outcome:
    expected: frozenset[Place]
    found: frozenset[Place]
    #: what is wrong with the example itself (a valid one with a marker, an invalid one without)
    problem: str = ""

    @property
    def passed(self) -> bool:
        return not self.problem and self.expected == self.found


def build_archive(path: Path, members: dict[str, Any]) -> None:
    """Write a zip: a member is its text, or ``{size, random, mode, symlink}`` (content made here,
    the same bytes every time: random content comes from a seeded generator)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    content = random.Random(0)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, spec in members.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            if isinstance(spec, str):
                info.external_attr = 0o100644 << 16
                archive.writestr(info, spec)
                continue
            if "symlink" in spec:
                info.external_attr = 0o120777 << 16
                archive.writestr(info, spec["symlink"])
                continue
            size = spec.get("size", 0)
            info.external_attr = (0o100000 | int(spec.get("mode", "0644"), 8)) << 16
            archive.writestr(info, content.randbytes(size) if spec.get("random") else bytes(size))


def expected_findings(example: Example) -> set[Place]:
    expected: set[Place] = set()
    for path, text in example.files.items():
        for number, line in enumerate(text.splitlines(), start=1):
            match = MARKER.search(line)
            if match:
                expected.update((path, number, code.strip()) for code in match.group(1).split(","))
    return expected


def run_example(rule: Rule, example: Example, directory: Path, rules: dict[str, Rule] | None = None) -> Outcome:
    """Write the example's files into ``directory`` (empty) and lint them with the rule alone."""
    for rel, text in example.files.items():
        target = directory / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(JSON_MARKER.sub("", text) if rel.endswith(".json") else text, encoding="utf-8")
    for rel, members in example.archives.items():
        build_archive(directory / rel, members)
    config = config_from_mapping(example.config, base=directory).merged_with(
        select=(rule.id, *example.select), as_of=example.as_of
    )
    result = run([directory], config, rules, root=directory)
    found = {
        (finding.location.path, finding.location.span.start_line if finding.location.span else 0, finding.rule_id)
        for finding in result.reported
    }
    expected = expected_findings(example)
    marked = any(place[2] == rule.id for place in expected)
    problem = ""
    if example.valid and marked:
        problem = "a valid example carries a marker for its own rule"
    elif not example.valid and not marked:
        problem = "an invalid example has no marker for its rule"
    return Outcome(frozenset(expected), frozenset(found), problem)
