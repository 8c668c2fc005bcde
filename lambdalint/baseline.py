"""Baselines: adopt lambdalint on a project that already has findings, and fail only on new ones.

``--write-baseline FILE`` records the findings of a run by fingerprint; ``--baseline FILE`` then
marks the findings it records as suppressed (kind ``baseline``) so only new ones are reported.
A fingerprint holds the rule, the file, the logical place and the normalised source line, never a
line number, so code moving up or down does not make a finding new. Entries are matched as a
multiset: two identical findings in one file need two entries. Entries no finding matched any more
are stale (the finding was fixed or its code removed); the summary counts them.

The file is JSON with sorted entries, so it diffs well in review::

    {"lambdalint-baseline": 1, "findings": [{"fingerprint": "…", "rule": "LL110", "path": "src/app.py",
     "message": "…"}]}
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from lambdalint.findings import Finding, Location, Suppression
from lambdalint.paths import rel_path
from lambdalint.result import RunResult

FORMAT_KEY = "lambdalint-baseline"
FORMAT_VERSION = 1
REASON = "recorded in the baseline"


class BaselineError(Exception):
    """The baseline file cannot be read or is not a lambdalint baseline."""


@dataclass(frozen=True)
class Baseline:
    """The fingerprints a baseline file records, each with how many findings share it."""

    path: Path
    fingerprints: Counter[str]


def read_baseline(path: Path) -> Baseline:
    try:
        document = json.loads(path.read_bytes())
    except OSError as error:
        raise BaselineError(f"cannot read baseline {path}: {error.strerror}") from None
    except ValueError as error:
        raise BaselineError(f"baseline {path} is not valid JSON: {error}") from None
    if not isinstance(document, dict) or document.get(FORMAT_KEY) != FORMAT_VERSION:
        raise BaselineError(f"{path} is not a lambdalint baseline (written by --write-baseline)")
    entries = document.get("findings")
    if not isinstance(entries, list) or not all(
        isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str) for entry in entries
    ):
        raise BaselineError(f"baseline {path}: 'findings' must be a list of entries with a fingerprint")
    return Baseline(path, Counter(entry["fingerprint"] for entry in entries))


def write_baseline(path: Path, findings: tuple[Finding, ...]) -> Baseline:
    """Record ``findings`` (the caller passes those not suppressed by the code itself); the baseline
    they make, to apply at once."""
    entries = sorted(
        (
            {"fingerprint": f.fingerprint, "rule": f.rule_id, "path": f.location.path, "message": f.message}
            for f in findings
        ),
        key=lambda entry: (entry["path"], entry["rule"], entry["fingerprint"], entry["message"]),
    )
    document = {FORMAT_KEY: FORMAT_VERSION, "findings": entries}
    try:
        path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    except OSError as error:
        raise BaselineError(f"cannot write baseline {path}: {error.strerror}") from None
    return Baseline(path, Counter(entry["fingerprint"] for entry in entries))


def baselined(result: RunResult) -> tuple[Finding, ...]:
    """What a new baseline records: the findings not suppressed, or suppressed only by a baseline."""
    return tuple(f for f in result.findings if f.suppressed_by is None or f.suppressed_by.kind == "baseline")


def apply_baseline(result: RunResult, baseline: Baseline) -> RunResult:
    """The run with the findings the baseline records suppressed, and the stale entries counted.

    It replaces a baseline applied before (``--baseline OLD --write-baseline NEW`` applies both).
    """
    remaining = Counter(baseline.fingerprints)
    where = Location(rel_path(Path(os.path.abspath(baseline.path)), result.root))
    findings = []
    for finding in result.findings:
        if finding.suppressed_by is not None and finding.suppressed_by.kind == "baseline":
            finding = replace(finding, suppressed_by=None)
        if finding.suppressed_by is None and remaining[finding.fingerprint] > 0:
            remaining[finding.fingerprint] -= 1
            finding = replace(finding, suppressed_by=Suppression("baseline", where, REASON))
        findings.append(finding)
    return replace(result, findings=tuple(findings), stale_baseline=sum(remaining.values()))
