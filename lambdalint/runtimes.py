"""Lambda runtime lifecycle: the dates AWS publishes for each managed runtime.

The dates change (AWS moves them, adds runtimes), so they live in a data file shipped with the rule
pack (``rules/data/runtime-lifecycle.yaml``) with their source and the date they were read, not in
code. Checks ask about a date given to them (``--as-of``), never about "now", so a run can be
reproduced.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from lambdalint.rulepack import RulePackError, rule_pack_dir

DATA_FILE = "runtime-lifecycle.yaml"
SCHEMA_FILE = "runtime-lifecycle.schema.json"


@dataclass(frozen=True)
class Lifecycle:
    """One runtime's published dates; ``None`` where AWS has announced none."""

    runtime: str
    family: str
    deprecation: date | None
    block_create: date | None
    block_update: date | None

    def is_deprecated(self, on: date) -> bool:
        return self.deprecation is not None and self.deprecation <= on

    def blocks_create(self, on: date) -> bool:
        """Whether new functions are refused on that date (a blocked update implies it)."""
        return any(blocked is not None and blocked <= on for blocked in (self.block_create, self.block_update))


@dataclass(frozen=True)
class RuntimeLifecycles:
    source: str
    retrieved: date
    #: every runtime by identifier; within a family, newest first (the data file's order)
    runtimes: dict[str, Lifecycle]

    def get(self, runtime: str) -> Lifecycle | None:
        return self.runtimes.get(runtime)

    def successor(self, lifecycle: Lifecycle, on: date) -> str | None:
        """The newest runtime of the same family that AWS has dated and that is supported on ``on``.

        A runtime listed without dates is left out: it may be announced but not yet available.
        """
        for candidate in self.runtimes.values():
            if candidate.family == lifecycle.family and candidate.deprecation and candidate.deprecation > on:
                return candidate.runtime
        return None


def data_dir() -> Path:
    """Where the dated data files are: ``data/`` in the rule pack."""
    return rule_pack_dir() / "data"


@functools.cache
def runtime_lifecycles() -> RuntimeLifecycles:
    """The shipped lifecycle data, read and validated once."""
    path = data_dir() / DATA_FILE
    data = _load(path, data_dir() / SCHEMA_FILE)
    try:
        runtimes = {
            item["runtime"]: Lifecycle(
                runtime=item["runtime"],
                family=family,
                deprecation=_date(item["deprecation"]),
                block_create=_date(item["block-create"]),
                block_update=_date(item["block-update"]),
            )
            for family, items in data["families"].items()
            for item in items
        }
        return RuntimeLifecycles(data["source"], date.fromisoformat(data["retrieved"]), runtimes)
    except ValueError as error:  # a well-formed but impossible date, such as 2026-02-30
        raise RulePackError(f"{path}: {error}") from None


def _load(path: Path, schema_path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, json.JSONDecodeError) as error:
        raise RulePackError(f"{path}: cannot read the runtime lifecycle data: {error}") from None
    invalid = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(data))
    if invalid is not None:
        where = "/".join(str(part) for part in invalid.absolute_path) or "(top level)"
        raise RulePackError(f"{path}: {where}: {invalid.message}")
    return data


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text is not None else None
