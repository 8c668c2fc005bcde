"""LL203 vpc-without-nat: a function in a VPC calls AWS or the internet, and no route leads there.

What the code needs is read in the shared traversal of every module: the AWS services of the SDK
clients and resources it builds (``boto3.client("s3")``, a session's ``resource("dynamodb")``,
aioboto3 and Powertools parameters too) and the internet hosts of HTTP calls whose URL names a
public host literally (``requests.post("https://hooks.slack.com/…")``, an f-string whose host is
written out, a module constant). A client with its own ``endpoint_url`` and a URL built at run
time are not judged: where they go is unknown.

The decision is made once per function, in the module that holds its handler, over that module
and every module of the code root it imports (directly or not): module scope counts, since a client
built at import time is used by the handler. The function is reported when, for some need, one of
its subnets has no way out (see :mod:`lambdalint.model.network`) and no VPC endpoint serves it
there. An environment that routes through a proxy (``HTTPS_PROXY``…) or names its own SDK endpoints
(``AWS_ENDPOINT_URL…``) keeps the rule silent for what it covers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import libcst as cst
from libcst.helpers import get_full_name_for_node

from lambdalint.analysis.calls import argument, literal_string
from lambdalint.analysis.program import Invocation
from lambdalint.checks.base import CodeCheck, CodePlace, Place, Report, TemplatePlace, code_check
from lambdalint.checks.code.client_in_handler import CLIENT_FACTORIES, SESSION_FACTORIES, SESSION_METHODS
from lambdalint.loaders.python import SourceModule
from lambdalint.model.network import Egress, Network, Placement, Subnet, is_public_host
from lambdalint.model.project import Function

#: Powertools parameter utilities and the service each one calls
POWERTOOLS = {
    f"aws_lambda_powertools.utilities.parameters.{name}": service
    for names, service in (
        (("get_parameter", "get_parameters", "get_parameters_by_name", "SSMProvider"), "ssm"),
        (("get_secret", "get_secrets_by_name", "SecretsProvider"), "secretsmanager"),
        (("get_app_config", "AppConfigProvider"), "appconfigdata"),
        (("DynamoDBProvider",), "dynamodb"),
    )
    for name in names
}
#: HTTP verbs whose first argument is the URL, on a module or a session
VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
#: calls whose URL is the second argument (after the method)
REQUESTS = frozenset({"request", "stream", "urlopen"})
HTTP_MODULES = frozenset({"requests", "httpx"})
#: module-level calls whose URL comes after the method
HTTP_REQUESTS = frozenset({"requests.request", "httpx.request", "httpx.stream", "urllib3.request"})
HTTP_SESSIONS = frozenset(
    {
        "requests.Session",
        "requests.session",
        "requests.sessions.Session",
        "httpx.Client",
        "httpx.AsyncClient",
        "aiohttp.ClientSession",
        "urllib3.PoolManager",
        "urllib3.poolmanager.PoolManager",
    }
)
URLOPEN = "urllib.request.urlopen"
URL_REQUEST = "urllib.request.Request"
#: environment variables that send the SDK and HTTP clients through a proxy
PROXY_VARIABLES = frozenset({"HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy", "all_proxy"})
#: the host of an absolute http(s) URL
_HOST = re.compile(r"https?://(?:[^/?#@\s]*@)?([^/?#:@\s]+)", re.IGNORECASE)
#: how many calls a finding shows as related locations
RELATED_CALLS = 4


@dataclass(frozen=True)
class Use:
    """A call that needs a way out of the VPC: to an AWS service, or to an internet host."""

    need: str
    internet: bool
    node: cst.Call


@dataclass(frozen=True)
class ModuleUses:
    """What one module needs and which modules it imports (dotted names, absolute)."""

    name: str
    imports: frozenset[str]
    uses: tuple[Use, ...]


@code_check
class VpcWithoutNat(CodeCheck):
    rule_id = "LL203"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.uses: list[Use] = []
        #: what this module needs and imports, once traversed (the handler's module reads its peers')
        self.module_uses: ModuleUses | None = None
        #: ``import a.b`` keeps the full dotted name (the facts keep ``a``)
        self.imported: set[str] = set()
        #: module-level names assigned once, to their value
        self.constants: dict[str, cst.BaseExpression] = {}
        #: ``with requests.Session() as http``: (scope, name) → the session's factory
        self.sessions: dict[tuple[str | None, str], str] = {}
        #: ``request = urllib.request.Request(url, …)``: (scope, name) → the URL
        self.url_requests: dict[tuple[str | None, str], cst.BaseExpression | None] = {}

    # -- what the code needs -------------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> None:
        assigned: dict[str, list[cst.BaseExpression]] = {}
        for statement in node.body:
            for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
                if isinstance(small, cst.Assign) and len(small.targets) == 1:
                    target, value = small.targets[0].target, small.value
                elif isinstance(small, cst.AnnAssign) and small.value is not None:
                    target, value = small.target, small.value
                else:
                    continue
                if isinstance(target, cst.Name):
                    assigned.setdefault(target.value, []).append(value)
        self.constants = {name: values[0] for name, values in assigned.items() if len(values) == 1}

    def leave_Module(self, original_node: cst.Module) -> None:
        imports = frozenset(self.imported | set(self.facts.imports.values()))
        self.module_uses = ModuleUses(self.facts.module_name, imports, tuple(self.uses))

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = get_full_name_for_node(alias.name)
            if name:
                self.imported.add(name)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is None or not isinstance(node.asname.name, cst.Name) or not isinstance(node.item, cst.Call):
            return
        factory = self.facts.qualified_name(node.item.func)
        if factory in HTTP_SESSIONS:
            self.sessions[(self._scope(), node.asname.name.value)] = factory

    def visit_Assign(self, node: cst.Assign) -> None:
        value, targets = node.value, node.targets
        if (
            isinstance(value, cst.Call)
            and self.facts.qualified_name(value.func) == URL_REQUEST
            and len(targets) == 1
            and isinstance(targets[0].target, cst.Name)
        ):
            self.url_requests[(self._scope(), targets[0].target.value)] = argument(value, 0, "url")

    def visit_Call(self, node: cst.Call) -> None:
        name = self.facts.qualified_name(node.func) or ""
        service = self._service(node, name)
        if service is not None:
            self.uses.append(Use(service, False, node))
            return
        host = self._host(node, name)
        if host is not None:
            self.uses.append(Use(host, True, node))

    def _scope(self) -> str | None:
        current = self.facts.current_function
        return current.name if current else None

    def _service(self, node: cst.Call, name: str) -> str | None:
        """The AWS service a call builds a client or resource for (``None``: not one, or not known)."""
        if name in POWERTOOLS:
            return POWERTOOLS[name]
        owner, _, method = name.rpartition(".")
        builds = name in CLIENT_FACTORIES or (
            method in SESSION_METHODS and owner.endswith("()") and owner.removesuffix("()") in SESSION_FACTORIES
        )
        if not builds or argument(node, None, "endpoint_url") is not None:
            return None
        service = literal_string(argument(node, 0, "service_name"))
        return service.lower() if service else None

    def _host(self, node: cst.Call, name: str) -> str | None:
        """The public internet host an HTTP call's literal URL names."""
        owner, _, method = name.rpartition(".")
        func = node.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            key = func.value.value
            factory = self.sessions.get((self._scope(), key)) or self.sessions.get((None, key))
            if factory is not None:
                owner, method = f"{factory}()", func.attr.value
        if owner in HTTP_MODULES and method in VERBS:
            url = argument(node, 0, "url")
        elif name in HTTP_REQUESTS:
            url = argument(node, 1, "url")
        elif owner.endswith("()") and owner.removesuffix("()") in HTTP_SESSIONS and method in VERBS | REQUESTS:
            url = argument(node, 0 if method in VERBS else 1, "url")
        elif name == URLOPEN:
            url = argument(node, 0, "url")
            if isinstance(url, cst.Call) and self.facts.qualified_name(url.func) == URL_REQUEST:
                url = argument(url, 0, "url")
            elif isinstance(url, cst.Name):
                url = self.url_requests.get((self._scope(), url.value), url)
        else:
            return None
        text = self._text(url)
        if text is None:
            return None
        match = _HOST.match(text[0])
        if match is None or (not text[1] and match.end() == len(text[0])):
            return None  # the host may go on in the part built at run time
        host = match.group(1).lower()
        return host if is_public_host(host) else None

    def _text(self, node: cst.BaseExpression | None, depth: int = 0) -> tuple[str, bool] | None:
        """The literal text of a string expression, or its literal beginning: (text, complete)."""
        if node is None or depth > 8:
            return None
        if isinstance(node, cst.SimpleString | cst.ConcatenatedString):
            value = node.evaluated_value
            return (value, True) if isinstance(value, str) else None
        if isinstance(node, cst.FormattedString):
            prefix = ""
            for part in node.parts:
                if not isinstance(part, cst.FormattedStringText):
                    return prefix, False
                prefix += part.value
            return prefix, True
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            left = self._text(node.left, depth + 1)
            if left is None or not left[1]:
                return left
            right = self._text(node.right, depth + 1) or ("", False)
            return left[0] + right[0], right[1]
        if isinstance(node, cst.Name):
            current = self.facts.current_function
            if current is not None and node.value in current.bindings:
                return None  # a local name
            return self._text(self.constants.get(node.value), depth + 1)
        return None

    # -- the decision --------------------------------------------------------------------------
    def finish(self, invocation: Invocation) -> Iterator[Report]:
        for handler in invocation.handlers:
            if handler.function is not None:
                yield from self._judge(handler.function, invocation)

    def _judge(self, function: Function, invocation: Invocation) -> Iterator[Report]:
        network = Network(function.template)
        placement = network.placement(function)
        if placement is None:
            return
        variables = function.environment_variables()
        names = set(variables.entries) if variables is not None else set()
        if names & PROXY_VARIABLES:
            return
        own_endpoints = any(name.startswith("AWS_ENDPOINT_URL") for name in names)
        blocked: dict[str, list[tuple[SourceModule, Use]]] = {}
        stuck: set[str] = set()
        for module, use in self._needs(invocation):
            if (use.internet and network.is_private_name(use.need)) or (not use.internet and own_endpoints):
                continue
            subnets = [s for s in placement.subnets if not network.reaches(s, None if use.internet else use.need)]
            if subnets:
                blocked.setdefault(use.need, []).append((module, use))
                stuck.update(subnet.logical_id for subnet in subnets)
        if blocked:
            yield _report(function, placement, blocked, [s for s in placement.subnets if s.logical_id in stuck])

    def _needs(self, invocation: Invocation) -> Iterator[tuple[SourceModule, Use]]:
        """The uses of the handler's module and of every module of the code root it imports."""
        by_name: dict[str, tuple[SourceModule, ModuleUses]] = {}
        for module, peer in invocation.peers(self.rule_id).items():
            uses = peer.module_uses if isinstance(peer, VpcWithoutNat) else None
            if uses is not None:
                by_name.setdefault(uses.name, (module, uses))
        start = self.facts.module_name
        pending = [start, *_packages(start)]
        seen: set[str] = set()
        while pending:
            name = pending.pop(0)
            if name in seen or name not in by_name:
                continue
            seen.add(name)
            module, uses = by_name[name]
            yield from ((module, use) for use in uses.uses)
            for target in sorted(uses.imports):
                pending.extend([*_packages(target), target])


def _report(
    function: Function,
    placement: Placement,
    blocked: dict[str, list[tuple[SourceModule, Use]]],
    subnets: list[Subnet],
) -> Report:
    services = [need for need, uses in blocked.items() if not uses[0][1].internet]
    hosts = [need for need, uses in blocked.items() if uses[0][1].internet]
    ids = ", ".join(subnet.logical_id for subnet in subnets)
    subject = f"its subnet {ids} has" if len(subnets) == 1 else f"its subnets {ids} have"
    message = f"{function.logical_id} cannot reach {_join(services + [f'{host} on the internet' for host in hosts])}: "
    message += f"{subject} no route to a NAT gateway"
    if any(subnet.egress is Egress.INTERNET_GATEWAY for subnet in subnets):
        message += " (a route to an internet gateway does not count: a Lambda function gets no public IP)"
    if services:
        message += f" and no VPC endpoint serves {_join(services)} there"
    message += ", so the calls time out. Route 0.0.0.0/0 to a NAT gateway"
    if not hosts:
        message += f", or add VPC endpoints for {_join(services)}"
    calls: list[tuple[Place, str]] = [
        (CodePlace(module, use.node), f"calls {use.need}" + (" on the internet" if use.internet else ""))
        for module, use in (uses[0] for uses in blocked.values())
    ]
    related = calls[:RELATED_CALLS]
    template = function.template
    route = next((route for subnet in subnets for route in subnet.gateway_routes), None)
    if route is not None:
        related.append(
            (TemplatePlace(template, template.graph.resources[route]), f"{route} sends traffic to an internet gateway")
        )
    return Report(message, TemplatePlace(template, placement.node), tuple(related), function=function)


def _packages(name: str) -> list[str]:
    """The packages a dotted module name runs on import: ``a`` and ``a.b`` for ``a.b.c``."""
    parts = name.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts))]


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
