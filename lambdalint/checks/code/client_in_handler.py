"""LL110 client-in-handler: an AWS SDK client, resource or session created per invocation."""

from __future__ import annotations

import libcst as cst

from lambdalint.checks.base import code_check
from lambdalint.checks.code.per_invocation_construction import PerInvocationConstruction

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
class ClientInHandler(PerInvocationConstruction):
    rule_id = "LL110"

    def constructs(self, node: cst.Call) -> str | None:
        """A client, resource or session.

        A session's client (``boto3.Session().client``, or ``session.client`` on a name bound to
        one) is the client; the session it is built on is then not reported a second time.
        """
        name = self.facts.qualified_name(node.func) or ""
        if name in CLIENT_FACTORIES:
            return f"boto3 {name.rsplit('.', 1)[1]}"
        owner, _, method = name.rpartition(".")
        if method in SESSION_METHODS and owner.endswith("()") and owner.removesuffix("()") in SESSION_FACTORIES:
            return "boto3 resource" if method == "resource" else "boto3 client"
        if name in SESSION_FACTORIES and not self._is_receiver_of_client_call(node):
            return "boto3 session"
        return None

    def _is_receiver_of_client_call(self, node: cst.Call) -> bool:
        """``boto3.Session().client(...)`` is reported once, at the client (visited first)."""
        return any(
            isinstance(outer.node.func, cst.Attribute) and outer.node.func.value is node for outer, _ in self.sites
        )
