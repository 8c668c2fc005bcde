"""LL207 deprecated-runtime: a runtime AWS has deprecated on the as-of date.

The dates come from the shipped lifecycle data (:mod:`lambdalint.runtimes`), judged on the run's
``--as-of`` date: a warning once the runtime is deprecated (no more security patches), an error
once creating functions with it is blocked (the deployment of a new stack, or of a new function
in an existing one, fails). Runtimes the data does not know, undated ones and values the template
does not fix are left alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from lambdalint.checks.base import CheckContext, Report, TemplatePlace, function_check
from lambdalint.findings import Severity
from lambdalint.model.project import Function
from lambdalint.runtimes import Lifecycle, runtime_lifecycles


@function_check("LL207")
def deprecated_runtime(function: Function, context: CheckContext) -> Iterator[Report]:
    node = function.get("Runtime")
    if node is None or function.code.kind == "image":
        return
    runtime = function.template.graph.evaluate(node)
    lifecycles = runtime_lifecycles()
    lifecycle = lifecycles.get(runtime) if isinstance(runtime, str) else None
    if lifecycle is None:
        return
    as_of = context.as_of
    blocked = lifecycle.blocks_create(as_of)
    if not (blocked or lifecycle.is_deprecated(as_of)):
        return
    message = _message(lifecycle, as_of)
    successor = lifecycles.successor(lifecycle, as_of)
    if successor is not None:
        message += f"; move to {successor}"
    yield Report(
        message,
        TemplatePlace(function.template, node),
        severity=Severity.ERROR if blocked else None,
        function=function,
    )


def _message(lifecycle: Lifecycle, as_of: date) -> str:
    """What has happened and what is still to come, with the dates, e.g. ``python3.9 was deprecated on
    2025-12-15 (no more security patches); creating functions will be blocked from 2027-02-01,
    updating them will be blocked from 2027-03-03``."""
    if lifecycle.is_deprecated(as_of):
        text = f"{lifecycle.runtime} was deprecated on {lifecycle.deprecation} (no more security patches)"
    else:  # blocked before its listed deprecation date: the runtimes retired before 2020
        text = f"{lifecycle.runtime} is retired"
    steps: list[str] = []
    if lifecycle.block_create is not None:
        steps.append(_step("creating functions", lifecycle.block_create, as_of))
    if lifecycle.block_update is not None:
        steps.append(_step("updating them" if steps else "updating functions", lifecycle.block_update, as_of))
    return "; ".join([text, ", ".join(steps)]) if steps else text


def _step(what: str, day: date, as_of: date) -> str:
    return f"{what} {'is blocked since' if day <= as_of else 'will be blocked from'} {day}"
