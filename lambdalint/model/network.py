"""The network a function in a VPC sits in, as far as the template shows it.

A function in a VPC leaves the VPC only through its subnets' route tables. A default route
(``0.0.0.0/0``) to a NAT gateway or a NAT instance reaches the internet and every public AWS
endpoint. A default route to an internet gateway does *not*: Lambda never gives a function's
network interface a public IP address, so the internet gateway has nothing to translate and the
traffic goes nowhere — a "public" subnet is as closed to a function as one without any route out.
AWS services can also be reached through VPC endpoints: a gateway endpoint (S3, DynamoDB) serves
the route tables it lists; an interface endpoint with private DNS answers the service's usual host
name inside its whole VPC.

The model reads ``AWS::EC2::Subnet`` → ``AWS::EC2::SubnetRouteTableAssociation`` →
``AWS::EC2::RouteTable`` ← ``AWS::EC2::Route``, and ``AWS::EC2::VPCEndpoint``. Whatever the
template does not fix counts as a possible way out (precision first): subnets given as parameters,
imports or literal ids (:meth:`Network.placement` is then ``None``); a subnet without exactly one
unconditional association (it may use the VPC's main route table, which no template shows); a
route to a transit gateway, a peering connection, a virtual private gateway or an appliance (where
it leads is unknown); an endpoint whose service or type is decided at deploy time; a route table or
VPC exported to other stacks, which may add routes and endpoints of their own.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from enum import Enum

from lambdalint.loaders.tree import Mapping, Node
from lambdalint.model.graph import ResourceRef, TemplateGraph
from lambdalint.model.project import Function, Template

SUBNET = "AWS::EC2::Subnet"
ROUTE_TABLE = "AWS::EC2::RouteTable"
ASSOCIATION = "AWS::EC2::SubnetRouteTableAssociation"
ROUTE = "AWS::EC2::Route"
ENDPOINT = "AWS::EC2::VPCEndpoint"
VPC = "AWS::EC2::VPC"
INTERNET_GATEWAY = "AWS::EC2::InternetGateway"

#: AWS service endpoint names: ``com.amazonaws.us-east-1.s3``, or with the region left out
#: (``com.amazonaws.${AWS::Region}.s3`` read without its deploy-time part)
_AWS_SERVICE = re.compile(r"(?:cn\.)?com\.amazonaws\.(?!vpce\.)[a-z0-9-]*\.([a-z0-9][a-z0-9.-]*[a-z0-9])")
#: SDK service names whose endpoint service is named otherwise (the rest are the same, or a
#: prefix of it: ``kinesis`` → ``kinesis-streams``, ``ecr`` → ``ecr.api``)
ENDPOINT_NAMES = {
    "firehose": "kinesis-firehose",
    "stepfunctions": "states",
    "cloudwatch": "monitoring",
    "ses": "email",
    "sesv2": "email",
    "elb": "elasticloadbalancing",
    "elbv2": "elasticloadbalancing",
    "apigatewaymanagementapi": "execute-api",
}
#: labels that name a private network rather than a place on the internet
_PRIVATE_LABELS = frozenset(
    {"internal", "intranet", "intra", "local", "localhost", "localdomain", "lan", "home", "corp", "private", "svc"}
)
#: AWS's own domains: their hosts may be VPC-internal (RDS, ElastiCache, internal load balancers,
#: endpoint-specific names, private APIs), so calls to them are not judged
_AWS_DOMAINS = ("amazonaws.com", "amazonaws.com.cn", "aws", "amazon.com")


class Egress(Enum):
    """Where a route table lets traffic leave the VPC for."""

    #: only the VPC itself (and private networks)
    NONE = "none"
    #: an internet gateway, which a Lambda function cannot use (no public IP)
    INTERNET_GATEWAY = "internet-gateway"
    #: somewhere the template does not show (transit gateway, peering, appliance, deploy-time values)
    UNKNOWN = "unknown"
    #: a NAT gateway or a NAT instance
    NAT = "nat"

    @property
    def may_leave(self) -> bool:
        """Whether a function's traffic may reach the internet and public AWS endpoints."""
        return self in (Egress.UNKNOWN, Egress.NAT)


_PRECEDENCE = (Egress.NONE, Egress.INTERNET_GATEWAY, Egress.UNKNOWN, Egress.NAT)


@dataclass(frozen=True)
class Subnet:
    """A subnet of the template, with the one route table it is associated with."""

    logical_id: str
    route_table: str
    egress: Egress
    #: the template VPC it is in; ``None`` when the VPC is not this template's own (a parameter,
    #: an import, or exported, so that other stacks may add endpoints to it)
    vpc: str | None
    #: the routes that send traffic out to an internet gateway
    gateway_routes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Placement:
    """Where a function's network interfaces are: its ``VpcConfig`` and the subnets it names."""

    node: Node
    subnets: tuple[Subnet, ...]


@dataclass(frozen=True)
class Endpoint:
    """An ``AWS::EC2::VPCEndpoint`` of the template."""

    logical_id: str
    #: the AWS service's endpoint name (``s3``, ``secretsmanager``); ``None`` for a service of
    #: another provider (PrivateLink), or when the name is decided at deploy time
    service: str | None
    #: whether the template fixes the service name
    known: bool
    #: ``Gateway`` (the default), ``Interface``, ``Resource``…; ``None`` when decided at deploy time
    kind: str | None
    #: the resources its VpcId and RouteTableIds may name
    vpcs: frozenset[str]
    route_tables: frozenset[str]
    #: ``False`` only when the template turns private DNS off
    private_dns: bool

    def serves(self, subnet: Subnet, service: str | None) -> bool:
        """Whether calls from the subnet to an AWS service (``None``: to the internet) may go through it."""
        if subnet.vpc is None or subnet.vpc not in self.vpcs or not self._answers(service):
            return False
        through_routes = self.kind in ("Gateway", None) and subnet.route_table in self.route_tables
        through_dns = self.kind not in ("Gateway", "GatewayLoadBalancer") and self.private_dns
        return through_routes or through_dns

    def _answers(self, service: str | None) -> bool:
        if not self.known:
            return True
        if service is None:  # another provider's service may answer any host name with its private DNS
            return self.service is None
        return self.service is not None and same_service(service, self.service)


def same_service(client: str, endpoint: str) -> bool:
    """Whether an SDK client's service (``kinesis``) is the endpoint service (``kinesis-streams``).

    A prefix counts (``ecr`` and ``ecr.api``): a wrong match only keeps the rule silent.
    """
    wanted = _alphanumeric(ENDPOINT_NAMES.get(client, client))
    return _alphanumeric(endpoint).startswith(wanted)


def is_public_host(host: str) -> bool:
    """Whether a host name or address from a URL is a place on the internet.

    Not: private and special addresses, single-label names, names with a private-network label
    (``orders.internal``, ``db.corp.example.com``), and AWS's own domains (possibly VPC-internal).
    """
    host = host.lower().rstrip(".")
    try:
        return ipaddress.ip_address(host).is_global
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) < 2 or not all(re.fullmatch(r"[a-z0-9-]+", label) for label in labels):
        return False
    if not labels[-1].isalpha() or not _PRIVATE_LABELS.isdisjoint(labels):
        return False
    return not any(host == domain or host.endswith("." + domain) for domain in _AWS_DOMAINS)


class Network:
    """The template's subnets, route tables, routes and endpoints.

    Built per function that asks (it reads a handful of resource types, cheaply); not cached
    globally, so that nothing keeps a template alive after its run.
    """

    def __init__(self, template: Template) -> None:
        self.graph = graph = template.graph
        self.exported = _exported(template, graph)
        self.routes = graph.of_type(ROUTE)
        self.associations = graph.of_type(ASSOCIATION)
        self.endpoints = [self._endpoint(logical_id) for logical_id in graph.of_type(ENDPOINT)]
        self._private_zones = _private_zone_names(graph)

    # -- the function's subnets ----------------------------------------------------------------
    def placement(self, function: Function) -> Placement | None:
        """The function's subnets, or ``None`` when it is not in a VPC or a subnet is not known."""
        node = function.get("VpcConfig")
        config = self.graph.evaluate(node) if node is not None else None
        if not isinstance(config, dict):
            return None
        subnet_ids = config.get("SubnetIds")
        if not isinstance(subnet_ids, list) or not subnet_ids:
            return None
        ipv6 = config.get("Ipv6AllowedForDualStack") not in (None, False, "false", "False")
        subnets: dict[str, Subnet] = {}
        for value in subnet_ids:
            subnet = self._subnet(value, ipv6)
            if subnet is None:
                return None
            subnets.setdefault(subnet.logical_id, subnet)
        assert node is not None
        return Placement(node, tuple(subnets.values()))

    def _subnet(self, value: object, ipv6: bool) -> Subnet | None:
        logical_id = self._resource(value, SUBNET, "SubnetId")
        route_table = self._route_table(logical_id) if logical_id else None
        if logical_id is None or route_table is None:
            return None
        vpc = self._resource(self.graph.evaluate(self.graph.properties(logical_id).get("VpcId")), VPC, "VpcId")
        egress, gateway_routes = self._egress(route_table, ipv6)
        return Subnet(logical_id, route_table, egress, None if vpc in self.exported else vpc, gateway_routes)

    def _route_table(self, subnet: str) -> str | None:
        """The one route table the template associates the subnet with, unconditionally."""
        associations = [
            logical_id
            for logical_id in self.associations
            if subnet in self.graph.references(self.graph.properties(logical_id).get("SubnetId"))
        ]
        if len(associations) != 1 or "Condition" in self.graph.resources[associations[0]]:
            return None
        properties = self.graph.properties(associations[0])
        if self._resource(self.graph.evaluate(properties.get("SubnetId")), SUBNET, "SubnetId") != subnet:
            return None
        return self._resource(self.graph.evaluate(properties.get("RouteTableId")), ROUTE_TABLE, "RouteTableId")

    def _resource(self, value: object, kind: str, attribute: str) -> str | None:
        """The logical id a value names, when it is a resource of that type (by Ref or its id attribute)."""
        if (
            isinstance(value, ResourceRef)
            and value.attribute in (None, attribute)
            and self.graph.type_of(value.logical_id) == kind
        ):
            return value.logical_id
        return None

    # -- routes --------------------------------------------------------------------------------
    def _egress(self, route_table: str, ipv6: bool) -> tuple[Egress, tuple[str, ...]]:
        """Where the route table lets traffic out, and the routes to an internet gateway."""
        if route_table in self.exported:  # other stacks may add routes to it
            return Egress.UNKNOWN, ()
        egress, gateway_routes = Egress.NONE, []
        for route in self.routes:
            properties = self.graph.properties(route)
            if route_table not in self.graph.references(properties.get("RouteTableId")):
                continue
            if not self._leaves_vpc(properties, ipv6):
                continue
            target = self._target(properties)
            if target is Egress.INTERNET_GATEWAY:
                gateway_routes.append(route)
            egress = max(egress, target, key=_PRECEDENCE.index)
        return egress, tuple(gateway_routes)

    def _leaves_vpc(self, properties: Mapping, ipv6: bool) -> bool:
        """Whether a route's destination may lie outside private address space."""
        destination = properties.get("DestinationIpv6CidrBlock")
        if destination is not None:
            return ipv6 and not _private_network(self.graph.evaluate(destination))
        destination = properties.get("DestinationCidrBlock")
        if destination is not None:
            return not _private_network(self.graph.evaluate(destination))
        return True  # a prefix list, or a destination the template does not fix

    def _target(self, properties: Mapping) -> Egress:
        if "NatGatewayId" in properties or "InstanceId" in properties or "EgressOnlyInternetGatewayId" in properties:
            return Egress.NAT
        gateway = properties.get("GatewayId")
        if gateway is not None:
            value = self.graph.evaluate(gateway)
            if self._resource(value, INTERNET_GATEWAY, "InternetGatewayId") or (
                isinstance(value, str) and value.startswith("igw-")
            ):
                return Egress.INTERNET_GATEWAY
        return Egress.UNKNOWN  # a virtual private gateway, transit gateway, peering, appliance…

    # -- endpoints -----------------------------------------------------------------------------
    def _endpoint(self, logical_id: str) -> Endpoint:
        properties = self.graph.properties(logical_id)
        name = properties.get("ServiceName")
        value = self.graph.evaluate(name)
        text = value if isinstance(value, str) else self.graph.known_text(name)
        match = _AWS_SERVICE.fullmatch(text)
        known = isinstance(value, str) or match is not None
        kind = self.graph.evaluate(properties.get("VpcEndpointType"))
        private_dns = self.graph.evaluate(properties.get("PrivateDnsEnabled"))
        return Endpoint(
            logical_id,
            match.group(1) if match else None,
            known,
            "Gateway" if kind is None else kind if isinstance(kind, str) else None,
            frozenset(self.graph.references(properties.get("VpcId"))),
            frozenset(self.graph.references(properties.get("RouteTableIds"))),
            private_dns not in (False, "false", "False"),
        )

    def reaches(self, subnet: Subnet, service: str | None) -> bool:
        """Whether calls from the subnet to an AWS service (``None``: to the internet) may get through."""
        if subnet.egress.may_leave or subnet.vpc is None:
            return True
        return any(endpoint.serves(subnet, service) for endpoint in self.endpoints)

    # -- names ---------------------------------------------------------------------------------
    def is_private_name(self, host: str) -> bool:
        """Whether the host may be answered by a private hosted zone or namespace of the template."""
        if self._private_zones is None:
            return True
        host = host.lower().rstrip(".")
        return any(host == zone or host.endswith("." + zone) for zone in self._private_zones)


def _exported(template: Template, graph: TemplateGraph) -> frozenset[str]:
    """The resources whose ids the template exports to other stacks."""
    outputs = template.root.mapping("Outputs")
    found: set[str] = set()
    for _, output in outputs.items() if outputs else ():
        if isinstance(output, Mapping) and "Export" in output:
            found |= graph.references(output.get("Value"))
    return frozenset(found)


def _private_zone_names(graph: TemplateGraph) -> frozenset[str] | None:
    """The names of the template's private hosted zones and Cloud Map DNS namespaces; ``None``
    when one of them is named at deploy time (any host might be in it)."""
    names: set[str] = set()
    for logical_id in graph.of_type("AWS::Route53::HostedZone", "AWS::ServiceDiscovery::PrivateDnsNamespace"):
        properties = graph.properties(logical_id)
        if graph.type_of(logical_id) == "AWS::Route53::HostedZone" and "VPCs" not in properties:
            continue  # a public zone: its names resolve on the internet
        name = graph.evaluate(properties.get("Name"))
        if not isinstance(name, str):
            return None
        names.add(name.lower().rstrip("."))
    return frozenset(names)


def _private_network(value: object) -> bool:
    """A destination inside private address space (a literal CIDR the template fixes)."""
    if not isinstance(value, str):
        return False
    try:
        return ipaddress.ip_network(value, strict=False).is_private
    except ValueError:
        return False


def _alphanumeric(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())
