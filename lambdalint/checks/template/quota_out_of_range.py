"""LL205 quota-out-of-range: memory, timeout and ephemeral storage outside what Lambda accepts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from lambdalint.checks.base import CheckContext, Report, TemplatePlace, function_check
from lambdalint.loaders.tree import Mapping
from lambdalint.model.project import Function


@dataclass(frozen=True)
class Quota:
    label: str
    unit: str
    minimum: int
    maximum: int
    #: the maximum with a Lambda Managed Instances capacity provider
    managed_maximum: int


MEMORY = Quota("MemorySize", "MB", 128, 10_240, 32_768)
TIMEOUT = Quota("Timeout", "s", 1, 900, 5_400)
EPHEMERAL_STORAGE = Quota("EphemeralStorage.Size", "MB", 512, 10_240, 32_768)


@function_check("LL205")
def quota_out_of_range(function: Function, context: CheckContext) -> Iterator[Report]:
    managed = "CapacityProviderConfig" in function.properties
    storage = function.get("EphemeralStorage")
    for quota, node in (
        (MEMORY, function.get("MemorySize")),
        (TIMEOUT, function.get("Timeout")),
        (EPHEMERAL_STORAGE, storage.get("Size") if isinstance(storage, Mapping) else None),
    ):
        value = _integer(function.template.graph.evaluate(node)) if node is not None else None
        if node is None or value is None:
            continue
        maximum = quota.managed_maximum if managed else quota.maximum
        if quota.minimum <= value <= maximum:
            continue
        where = " with a capacity provider" if managed else ""
        yield Report(
            f"{quota.label} {value:,} {quota.unit} is outside the allowed {quota.minimum:,}–{maximum:,} "
            f"{quota.unit}{where}; the deployment will fail",
            TemplatePlace(function.template, node),
            function=function,
        )


def _integer(value: object) -> int | None:
    """A value as an integer (YAML and JSON write numbers as numbers or strings)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None
