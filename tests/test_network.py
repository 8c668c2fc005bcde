"""The network model: which subnets a function is in, where their routes lead, which endpoints
serve them — and, above all, that whatever the template does not fix counts as a way out."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambdalint.model.build import build_project
from lambdalint.model.network import Egress, Network, Placement, is_public_host, same_service
from lambdalint.model.project import Project
from tests.apps import TWO_SUBNET_VPC

#: a VPC with two subnets on one route table; tests add routes, endpoints, outputs
BASE = (
    """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  SubnetParam: {Type: AWS::EC2::Subnet::Id}
  TransitGateway: {Type: String}
  Stage: {Type: String, Default: prod}
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Resources:
"""
    + TWO_SUBNET_VPC
    + """\
  Igw:
    Type: AWS::EC2::InternetGateway
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      Role: arn:aws:iam::123456789012:role/fn
      Code: {ZipFile: "def handler(event, context): pass"}
      VpcConfig:
        SubnetIds: SUBNETS
CONFIG"""
)


def project(
    tmp_path: Path, extra: str = "", subnets: str = "[!Ref SubnetA, !Ref SubnetB]", tail: str = "", config: str = ""
) -> Project:
    text = BASE.replace("SUBNETS", subnets).replace("CONFIG", config) + extra + tail
    (tmp_path / "template.yaml").write_text(text)
    return build_project(tmp_path, [(tmp_path / "template.yaml", False)], [], [], [], lambda name: False)


def placement(tmp_path: Path, extra: str = "", **kwargs: str) -> tuple[Network, Placement | None]:
    built = project(tmp_path, extra, **kwargs)
    function = built.functions[0]
    network = Network(function.template)
    return network, network.placement(function)


def route(destination: str, target: str, table: str = "Table", name: str = "Out") -> str:
    properties = f"{{RouteTableId: !Ref {table}, {destination}, {target}}}"
    return f"  {name}:\n    Type: AWS::EC2::Route\n    Properties: {properties}\n"


def endpoint(properties: str, name: str = "Endpoint") -> str:
    return f"  {name}:\n    Type: AWS::EC2::VPCEndpoint\n    Properties: {{VpcId: !Ref Vpc, {properties}}}\n"


# -- where the function is ---------------------------------------------------------------------
def test_the_subnets_their_route_table_and_vpc(tmp_path: Path) -> None:
    _, found = placement(tmp_path)
    assert found is not None
    assert [(s.logical_id, s.route_table, s.vpc, s.egress) for s in found.subnets] == [
        ("SubnetA", "Table", "Vpc", Egress.NONE),
        ("SubnetB", "Table", "Vpc", Egress.NONE),
    ]
    assert found.node.path == ("Resources", "Fn", "Properties", "VpcConfig")


@pytest.mark.parametrize(
    "subnets",
    [
        "!Ref SubnetParam",  # a parameter
        "[!Ref SubnetA, !Ref SubnetParam]",  # one of them a parameter
        "[subnet-0123456789abcdef0]",  # a literal id
        "[!ImportValue network-private-subnet]",
        "[!If [IsProd, !Ref SubnetA, !Ref SubnetB]]",  # decided at deploy time
        "[]",
    ],
)
def test_subnets_the_template_does_not_show_are_not_judged(tmp_path: Path, subnets: str) -> None:
    assert placement(tmp_path, subnets=subnets)[1] is None


def test_a_function_outside_any_vpc(tmp_path: Path) -> None:
    text = BASE.replace("      VpcConfig:\n        SubnetIds: SUBNETS\nCONFIG", "")
    (tmp_path / "template.yaml").write_text(text)
    built = build_project(tmp_path, [(tmp_path / "template.yaml", False)], [], [], [], lambda name: False)
    assert Network(built.templates[0]).placement(built.functions[0]) is None


@pytest.mark.parametrize(
    "association",
    [
        "  Again:\n    Type: AWS::EC2::SubnetRouteTableAssociation\n"
        "    Properties: {SubnetId: !Ref SubnetA, RouteTableId: !Ref Table}\n",  # two associations
        "  Conditional:\n    Type: AWS::EC2::SubnetRouteTableAssociation\n    Condition: IsProd\n"
        "    Properties: {SubnetId: !Ref SubnetC, RouteTableId: !Ref Table}\n",  # it may not exist
    ],
)
def test_a_subnet_whose_route_table_is_not_certain(tmp_path: Path, association: str) -> None:
    subnet_c = "  SubnetC:\n    Type: AWS::EC2::Subnet\n    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24}\n"
    subnets = "[!Ref SubnetA]" if "Again" in association else "[!Ref SubnetC]"
    assert placement(tmp_path, subnet_c + association, subnets=subnets)[1] is None


def test_a_subnet_without_association_uses_the_main_route_table_no_template_shows(tmp_path: Path) -> None:
    subnet_c = "  SubnetC:\n    Type: AWS::EC2::Subnet\n    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24}\n"
    assert placement(tmp_path, subnet_c, subnets="[!Ref SubnetC]")[1] is None


def test_subnet_by_its_id_attribute_and_listed_twice(tmp_path: Path) -> None:
    _, found = placement(tmp_path, subnets="[!GetAtt SubnetA.SubnetId, !Ref SubnetA]")
    assert found is not None and [s.logical_id for s in found.subnets] == ["SubnetA"]


# -- where the routes lead ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("routes", "egress"),
    [
        ("", Egress.NONE),
        (route("DestinationCidrBlock: 0.0.0.0/0", "GatewayId: !Ref Igw"), Egress.INTERNET_GATEWAY),
        (route("DestinationCidrBlock: 0.0.0.0/0", "GatewayId: igw-0abc"), Egress.INTERNET_GATEWAY),
        (route("DestinationCidrBlock: 0.0.0.0/0", "NatGatewayId: nat-0abc"), Egress.NAT),
        (route("DestinationCidrBlock: 0.0.0.0/0", "InstanceId: i-0abc"), Egress.NAT),
        (route("DestinationCidrBlock: 0.0.0.0/0", "TransitGatewayId: !Ref TransitGateway"), Egress.UNKNOWN),
        (route("DestinationCidrBlock: 0.0.0.0/0", "VpcPeeringConnectionId: pcx-0abc"), Egress.UNKNOWN),
        (route("DestinationCidrBlock: 0.0.0.0/0", "GatewayId: vgw-0abc"), Egress.UNKNOWN),
        # a private destination stays inside; an unknown destination or a prefix list may not
        (route("DestinationCidrBlock: 10.0.0.0/8", "TransitGatewayId: !Ref TransitGateway"), Egress.NONE),
        (route("DestinationCidrBlock: !Ref Stage", "TransitGatewayId: tgw-0abc"), Egress.UNKNOWN),
        (route("DestinationPrefixListId: pl-0abc", "TransitGatewayId: tgw-0abc"), Egress.UNKNOWN),
        # IPv6 routes count only when the function may use IPv6
        (route("DestinationIpv6CidrBlock: '::/0'", "EgressOnlyInternetGatewayId: eigw-0abc"), Egress.NONE),
        # a route of another table
        (route("DestinationCidrBlock: 0.0.0.0/0", "NatGatewayId: nat-0abc", table="Vpc"), Egress.NONE),
        # the strongest route wins
        (
            route("DestinationCidrBlock: 0.0.0.0/0", "GatewayId: !Ref Igw")
            + route("DestinationCidrBlock: 52.0.0.0/8", "NatGatewayId: nat-0abc", name="Partial"),
            Egress.NAT,
        ),
    ],
)
def test_where_the_routes_lead(tmp_path: Path, routes: str, egress: Egress) -> None:
    _, found = placement(tmp_path, routes)
    assert found is not None and {s.egress for s in found.subnets} == {egress}
    assert egress.may_leave is (egress in (Egress.NAT, Egress.UNKNOWN))


def test_ipv6_routes_count_for_a_dual_stack_function(tmp_path: Path) -> None:
    ipv6 = route("DestinationIpv6CidrBlock: '::/0'", "EgressOnlyInternetGatewayId: eigw-0abc")
    _, found = placement(tmp_path, ipv6, config="        Ipv6AllowedForDualStack: true\n")
    assert found is not None and {s.egress for s in found.subnets} == {Egress.NAT}


def test_the_internet_gateway_routes_are_named(tmp_path: Path) -> None:
    _, found = placement(tmp_path, route("DestinationCidrBlock: 0.0.0.0/0", "GatewayId: !Ref Igw", name="Public"))
    assert found is not None and found.subnets[0].gateway_routes == ("Public",)


def test_exported_route_tables_and_vpcs_may_get_routes_and_endpoints_elsewhere(tmp_path: Path) -> None:
    outputs = "Outputs:\n  RouteTable:\n    Value: !Ref Table\n    Export: {Name: !Sub '${AWS::StackName}-rt'}\n"
    _, found = placement(tmp_path, tail=outputs)
    assert found is not None and {s.egress for s in found.subnets} == {Egress.UNKNOWN}
    outputs = "Outputs:\n  VpcId:\n    Value: !Ref Vpc\n    Export: {Name: vpc}\n  Plain:\n    Value: !Ref Table\n"
    network, found = placement(tmp_path, tail=outputs)
    assert found is not None and {(s.egress, s.vpc) for s in found.subnets} == {(Egress.NONE, None)}
    assert network.reaches(found.subnets[0], "s3") and network.reaches(found.subnets[0], None)


# -- what the endpoints serve ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("endpoints", "served"),
    [
        ("", set()),
        (endpoint("ServiceName: com.amazonaws.eu-west-1.s3, RouteTableIds: [!Ref Table]"), {"s3"}),
        (
            endpoint("ServiceName: !Sub 'com.amazonaws.${AWS::Region}.dynamodb', RouteTableIds: [!Ref Table]"),
            {"dynamodb"},
        ),
        (
            endpoint("ServiceName: !Join ['', [com.amazonaws., !Ref 'AWS::Region', .s3]], RouteTableIds: [!Ref Table]"),
            {"s3"},
        ),
        # a gateway endpoint serves only the route tables it lists
        (endpoint("ServiceName: !Sub 'com.amazonaws.${AWS::Region}.s3', RouteTableIds: []"), set()),
        # interface endpoints serve the VPC through private DNS, unless it is turned off
        (endpoint("VpcEndpointType: Interface, ServiceName: !Sub 'com.amazonaws.${AWS::Region}.sqs'"), {"sqs"}),
        (
            endpoint(
                "VpcEndpointType: Interface, PrivateDnsEnabled: true, "
                "ServiceName: com.amazonaws.us-east-1.kinesis-streams"
            ),
            {"kinesis"},
        ),
        (
            endpoint("VpcEndpointType: Interface, PrivateDnsEnabled: false, ServiceName: com.amazonaws.us-east-1.sqs"),
            set(),
        ),
        # a service name decided at deploy time may be any service
        (
            endpoint("VpcEndpointType: Interface, ServiceName: !Ref TransitGateway"),
            {"s3", "sqs", "kinesis", "dynamodb", None},
        ),
        (
            endpoint("VpcEndpointType: Interface, ServiceName: !Sub 'com.amazonaws.${AWS::Region}.${TransitGateway}x'"),
            {"s3", "sqs", "kinesis", "dynamodb", None},
        ),
        # another provider's service may answer internet host names, not AWS ones
        (endpoint("VpcEndpointType: Interface, ServiceName: com.amazonaws.vpce.us-east-1.vpce-svc-0abc"), {None}),
        # an endpoint of another VPC
        (
            "  Other:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.9.0.0/16}\n"
            "  Endpoint:\n    Type: AWS::EC2::VPCEndpoint\n"
            "    Properties: {VpcId: !Ref Other, VpcEndpointType: Interface,\n"
            "                 ServiceName: com.amazonaws.us-east-1.sqs}\n",
            set(),
        ),
    ],
)
def test_what_the_endpoints_serve(tmp_path: Path, endpoints: str, served: set[str | None]) -> None:
    network, found = placement(tmp_path, endpoints)
    assert found is not None
    needs: list[str | None] = ["s3", "sqs", "kinesis", "dynamodb", None]
    assert {need for need in needs if all(network.reaches(s, need) for s in found.subnets)} == served


def test_a_nat_route_reaches_everything(tmp_path: Path) -> None:
    network, found = placement(tmp_path, route("DestinationCidrBlock: 0.0.0.0/0", "NatGatewayId: nat-0abc"))
    assert found is not None and all(network.reaches(s, need) for s in found.subnets for need in ("s3", None))


@pytest.mark.parametrize(
    ("client", "endpoint_name", "same"),
    [
        ("s3", "s3", True),
        ("kinesis", "kinesis-streams", True),
        ("firehose", "kinesis-firehose", True),
        ("stepfunctions", "states", True),
        ("cloudwatch", "monitoring", True),
        ("sesv2", "email", True),
        ("sagemaker-runtime", "sagemaker.runtime", True),
        ("ecr", "ecr.api", True),
        ("s3", "sqs", False),
        ("sqs", "sns", False),
        ("secretsmanager", "ssm", False),
    ],
)
def test_sdk_and_endpoint_service_names(client: str, endpoint_name: str, same: bool) -> None:
    assert same_service(client, endpoint_name) is same


# -- host names ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("host", "public"),
    [
        ("api.stripe.com", True),
        ("hooks.slack.com", True),
        ("8.8.8.8", True),
        ("10.0.0.12", False),
        ("192.168.1.1", False),
        ("localhost", False),
        ("backend", False),
        ("orders.internal", False),
        ("db.corp.acme.com", False),
        ("mydb.abc123.eu-west-1.rds.amazonaws.com", False),
        ("abc.execute-api.us-east-1.amazonaws.com", False),
        ("s3.amazonaws.com", False),
        ("under_score.example.com", False),
        ("host.123", False),
    ],
)
def test_public_hosts(host: str, public: bool) -> None:
    assert is_public_host(host) is public


def test_names_of_the_template_private_zones(tmp_path: Path) -> None:
    zones = (
        "  Zone:\n    Type: AWS::Route53::HostedZone\n"
        "    Properties: {Name: svc.acme.com, VPCs: [{VPCId: !Ref Vpc, VPCRegion: !Ref 'AWS::Region'}]}\n"
        "  Public:\n    Type: AWS::Route53::HostedZone\n    Properties: {Name: acme.com}\n"
    )
    network, _ = placement(tmp_path, zones)
    assert network.is_private_name("billing.svc.acme.com") and network.is_private_name("SVC.acme.com.")
    assert not network.is_private_name("www.acme.com")
    namespace = (
        "  Namespace:\n    Type: AWS::ServiceDiscovery::PrivateDnsNamespace\n"
        "    Properties: {Name: NAME, Vpc: !Ref Vpc}\n"
    )
    network, _ = placement(tmp_path, namespace.replace("NAME", "!Ref Stage"))
    assert not network.is_private_name("api.github.com") and network.is_private_name("api.prod")
    network, _ = placement(tmp_path, namespace.replace("NAME", "!ImportValue ns"))
    assert network.is_private_name("api.github.com")
