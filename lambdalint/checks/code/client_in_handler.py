"""LL110 client-in-handler: an AWS SDK client, resource or session created per invocation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import libcst as cst

from lambdalint.analysis.module_facts import CallSite
from lambdalint.analysis.program import Invocation
from lambdalint.checks.base import CodeCheck, CodePlace, Report, code_check
from lambdalint.findings import Severity

#: constructors that build a session, by qualified name
SESSION_FACTORIES = frozenset(
    {
        "boto3.Session",
        "boto3.session.Session",
        "botocore.session.Session",
        "botocore.session.get_session",
        "aioboto3.Session",
        "aioboto3.session.Session",
    }
)
#: functions that build a client or resource directly, by qualified name
CLIENT_FACTORIES = frozenset({"boto3.client", "boto3.resource"})
#: methods of a session that build a client or resource
SESSION_METHODS = frozenset({"client", "resource", "create_client"})


@code_check
class ClientInHandler(CodeCheck):
    rule_id = "LL110"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sites: list[tuple[CallSite, str]] = []

    def visit_Call(self, node: cst.Call) -> None:
        what = self._creates(node)
        if what is None:
            return
        site = self.facts.call_site(node)
        if site is not None and not site.lazily_guarded:
            self.sites.append((site, what))

    def _creates(self, node: cst.Call) -> str | None:
        """What the call creates ("client", "resource", "session"), or ``None``.

        A session's client (``boto3.Session().client``, or ``session.client`` on a name bound to
        one) is the client; the session it is built on is then not reported a second time.
        """
        name = self.facts.qualified_name(node.func) or ""
        if name in CLIENT_FACTORIES:
            return name.rsplit(".", 1)[1]
        owner, _, method = name.rpartition(".")
        if method in SESSION_METHODS and owner.removesuffix("()") in SESSION_FACTORIES and owner.endswith("()"):
            return "resource" if method == "resource" else "client"
        if name in SESSION_FACTORIES and not self._is_receiver_of_client_call(node):
            return "session"
        return None

    def _is_receiver_of_client_call(self, node: cst.Call) -> bool:
        """``boto3.Session().client(...)`` is reported once, at the client (visited first)."""
        return any(
            isinstance(outer.node.func, cst.Attribute) and outer.node.func.value is node for outer, _ in self.sites
        )

    def finish(self, invocation: Invocation) -> Iterator[Report]:
        for site, what in self.sites:
            if not invocation.runs_per_invocation(site.function):
                continue
            place = CodePlace(self.module, site.node)
            related = invocation.related(site.function)
            if _depends_on_parameters(site.node, self.facts.functions[site.function].node):
                yield Report(
                    f"boto3 {what} created on every invocation from per-request values; cache it in a "
                    "module-level dict keyed by those values (or functools.lru_cache) so warm "
                    "invocations reuse it",
                    place,
                    related,
                    severity=Severity.NOTE,
                )
            else:
                yield Report(
                    f"boto3 {what} created on every invocation; create it once at module scope so warm "
                    "invocations reuse it and its connections",
                    place,
                    related,
                )


def _depends_on_parameters(call: cst.Call, function: cst.FunctionDef) -> bool:
    """Whether the call's arguments come from the function's parameters (the event, say), directly
    or through local variables assigned from them (``region = event["region"]``)."""
    params = function.params
    derived = {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}
    derived -= {"self", "cls", "context"}
    collector = _AssignedFrom(derived)
    function.body.visit(collector)
    return any(_names(argument.value) & collector.derived for argument in call.args)


class _AssignedFrom(cst.CSTVisitor):
    """Grows ``derived`` with the names assigned from expressions that mention it, in code order."""

    def __init__(self, derived: set[str]) -> None:
        super().__init__()
        self.derived = derived

    def visit_Assign(self, node: cst.Assign) -> None:
        if _names(node.value) & self.derived:
            for target in node.targets:
                self.derived |= _names(target.target)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # nested functions have their own locals


def _names(expression: cst.CSTNode) -> set[str]:
    """Every plain name an expression mentions."""
    found: set[str] = set()

    class _Names(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            found.add(node.value)

    expression.visit(_Names())
    return found
