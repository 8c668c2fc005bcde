"""LL203 vpc-without-nat: what the rule examples cannot show — the message, the related
locations, one finding per function across the modules of a code root, and what the code side
reads (or refuses to guess)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambdalint.findings import Finding, Severity
from lambdalint.rulepack import builtin_rules
from tests.apps import TWO_SUBNET_VPC
from tests.files import lint_files

#: an isolated VPC (no route out) and one function in both subnets; ``ROUTES``, ``EXTRA`` and
#: ``ENVIRONMENT`` are filled in by the tests
TEMPLATE = (
    """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
"""
    + TWO_SUBNET_VPC
    + """\
ROUTES
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
ENVIRONMENT
      VpcConfig:
        SubnetIds: [!Ref SubnetA, !Ref SubnetB]
EXTRA
"""
)


def template(routes: str = "", extra: str = "", environment: str = "") -> str:
    return TEMPLATE.replace("ROUTES\n", routes).replace("EXTRA\n", extra).replace("ENVIRONMENT\n", environment)


def findings(root: Path, files: dict[str, str]) -> list[Finding]:
    return lint_files(root, files, "LL203")


def related(finding: Finding) -> list[tuple[str, int, str | None]]:
    return [(r.path, r.span.start_line if r.span else 0, r.label) for r in finding.related]


def lint(root: Path, code: str, **kwargs: str) -> list[Finding]:
    return findings(root, {"template.yaml": template(**kwargs), "src/app.py": code})


CLIENTS = """\
import boto3

s3 = boto3.client("s3")
sqs = boto3.client("sqs")


def handler(event, context):
    sqs.send_message(QueueUrl=event["queue"], MessageBody=s3.get_object(Bucket="b", Key="k")["Body"].read())
    boto3.client("s3").list_buckets()
"""


def test_message_location_and_related_calls(tmp_path: Path) -> None:
    (finding,) = lint(tmp_path, CLIENTS)
    assert finding.severity is Severity.WARNING and builtin_rules()["LL203"].severity is Severity.WARNING
    assert finding.message == (
        "Worker cannot reach s3 and sqs: its subnets SubnetA, SubnetB have no route to a NAT gateway and no VPC "
        "endpoint serves s3 and sqs there, so the calls time out. Route 0.0.0.0/0 to a NAT gateway, or add VPC "
        "endpoints for s3 and sqs"
    )
    assert (finding.location.path, finding.location.span.start_line) == ("template.yaml", 28)
    assert related(finding) == [("src/app.py", 3, "calls s3"), ("src/app.py", 4, "calls sqs")]  # first call each


def test_an_internet_gateway_route_is_named_and_explained(tmp_path: Path) -> None:
    routes = (
        "  Igw:\n    Type: AWS::EC2::InternetGateway\n"
        "  PublicRoute:\n    Type: AWS::EC2::Route\n"
        "    Properties: {RouteTableId: !Ref Table, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw}\n"
    )
    code = (
        'import requests\n\n\ndef handler(event, context):\n    requests.get(f"https://api.github.com/users/{event}")\n'
    )
    (finding,) = lint(tmp_path, code, routes=routes)
    assert finding.message == (
        "Worker cannot reach api.github.com on the internet: its subnets SubnetA, SubnetB have no route to a NAT "
        "gateway (a route to an internet gateway does not count: a Lambda function gets no public IP), so the calls "
        "time out. Route 0.0.0.0/0 to a NAT gateway"
    )
    assert related(finding) == [
        ("src/app.py", 5, "calls api.github.com on the internet"),
        ("template.yaml", 24, "PublicRoute sends traffic to an internet gateway"),
    ]


def test_one_finding_per_function_with_needs_from_the_modules_it_imports(tmp_path: Path) -> None:
    files = {
        "template.yaml": template(),
        "src/app.py": "from services import storage\n\n\n"
        "def handler(event, context):\n    return storage.save(event)\n",
        "src/services/__init__.py": "import boto3\n\nEVENTS = boto3.client('events')\n",
        "src/services/storage.py": "from .queue import send\nimport boto3\n\nS3 = boto3.resource('s3')\n",
        "src/services/queue.py": "import boto3\n\n\ndef send(body):\n"
        "    boto3.client('sqs').send_message(QueueUrl='q', MessageBody=body)\n",
        # in the code root, but the handler never imports it
        "src/scripts/backfill.py": "import boto3\n\nboto3.client('dynamodb')\n",
    }
    (finding,) = findings(tmp_path, files)
    assert finding.message.startswith("Worker cannot reach events, s3 and sqs:")
    assert [(path, line) for path, line, _ in related(finding)] == [
        ("src/services/__init__.py", 3),
        ("src/services/storage.py", 4),
        ("src/services/queue.py", 5),
    ]


def test_functions_sharing_a_handler_module_are_each_reported(tmp_path: Path) -> None:
    second = (
        "  Other:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src/\n"
        "      Handler: app.other\n      Runtime: python3.12\n"
        "      VpcConfig: {SubnetIds: [!Ref SubnetA]}\n"
    )
    code = CLIENTS + "\n\ndef other(event, context):\n    return None\n"
    found = lint(tmp_path, code, extra=second)
    assert sorted(f.message.split(" ")[0] for f in found) == ["Other", "Worker"]
    assert "its subnet SubnetA has no route" in next(f.message for f in found if f.message.startswith("Other"))


def test_a_function_reached_through_a_nat_instance_or_conditional_route_is_silent(tmp_path: Path) -> None:
    routes = (
        "  NatRoute:\n    Type: AWS::EC2::Route\n    Condition: WithNat\n"
        "    Properties: {RouteTableId: !Ref Table, DestinationCidrBlock: 0.0.0.0/0, InstanceId: i-0abc}\n"
    )
    assert lint(tmp_path, CLIENTS, routes=routes) == []


@pytest.mark.parametrize(
    "environment",
    [
        "      Environment:\n        Variables:\n          HTTPS_PROXY: http://proxy.corp:3128\n",
        "      Environment:\n        Variables:\n          AWS_ENDPOINT_URL: https://vpce-0abc.sqs.eu-west-1.vpce.amazonaws.com\n",
    ],
)
def test_a_proxy_or_own_sdk_endpoints_keep_it_silent(tmp_path: Path, environment: str) -> None:
    assert lint(tmp_path, CLIENTS, environment=environment) == []


def test_own_sdk_endpoints_do_not_cover_the_internet(tmp_path: Path) -> None:
    environment = "      Environment:\n        Variables:\n          AWS_ENDPOINT_URL_SQS: https://vpce.example\n"
    code = CLIENTS + '\n\ndef notify():\n    import requests\n    requests.post("https://hooks.slack.com/x")\n'
    (finding,) = lint(tmp_path, code, environment=environment)
    assert finding.message.startswith("Worker cannot reach hooks.slack.com on the internet:")


@pytest.mark.parametrize(
    ("code", "need"),
    [
        ('import boto3\n\nboto3.Session(region_name="eu-west-1").client("kms")\n', "kms"),
        ("import boto3\n\nsession = boto3.session.Session()\nsns = session.resource('sns')\n", "sns"),
        (
            "import aioboto3\n\nsession = aioboto3.Session()\n\n\nasync def go():\n"
            '    async with session.client("sqs") as sqs:\n        await sqs.list_queues()\n',
            "sqs",
        ),
        (
            "from aws_lambda_powertools.utilities import parameters\n\nVALUE = parameters.get_parameter('/app/x')\n",
            "ssm",
        ),
        ('import requests\n\nrequests.request("POST", "https://api.openai.com/v1/chat")\n', "api.openai.com"),
        (
            "import aiohttp\n\n\nasync def go():\n    async with aiohttp.ClientSession() as http:\n"
            '        await http.get("https://api.twilio.com/2010-04-01/Accounts")\n',
            "api.twilio.com",
        ),
        (
            'import httpx\n\nclient = httpx.Client()\nclient.post("https://api.sendgrid.com/v3/mail/send")\n',
            "api.sendgrid.com",
        ),
        (
            'import urllib3\n\nhttp = urllib3.PoolManager()\nhttp.request("GET", "https://" + "api.ipify.org/")\n',
            "api.ipify.org",
        ),
        ('import requests\n\nBASE = "https://api.stripe.com/v1"\nrequests.get(BASE + "/charges")\n', "api.stripe.com"),
        (
            "from urllib.request import Request, urlopen\n\n\ndef go():\n"
            '    request = Request("https://8.8.8.8/dns-query")\n    return urlopen(request)\n',
            "8.8.8.8",
        ),
    ],
)
def test_what_the_code_needs(tmp_path: Path, code: str, need: str) -> None:
    handler = "\n\ndef handler(event, context):\n    return None\n"
    (finding,) = lint(tmp_path, code + handler)
    assert finding.message.startswith(f"Worker cannot reach {need}")


@pytest.mark.parametrize(
    "code",
    [
        'import boto3\n\nboto3.client("s3", endpoint_url="https://bucket.vpce-0abc.s3.eu-west-1.vpce.amazonaws.com")\n',
        "import boto3\n\nboto3.client(SERVICE)\n",  # a service the code does not name
        'import requests\n\nrequests.get(f"https://{HOST}/v1")\n',  # a host built at run time
        'import requests\n\nrequests.get(f"https://api.{DOMAIN}/v1")\n',
        'import requests\n\nrequests.get("https://api.stripe.com" + PATH)\n',  # the host may go on
        "import requests\n\nrequests.get(URL)\n",
        'import requests\n\nURL = "https://a.io"\nURL = "https://b.io"\nrequests.get(URL)\n',  # assigned twice
        'import requests\n\n\ndef go(url="https://api.stripe.com"):\n    requests.get(url)\n',  # a parameter
        'import requests\n\nrequests.get("http://10.0.3.7:8080/health")\n',
        'import requests\n\nrequests.get("https://orders.internal/v1")\n',
        'import requests\n\nrequests.get("https://abc.execute-api.eu-west-1.amazonaws.com/prod")\n',
        'import requests\n\nrequests.get("ftp://files.acme.com/x")\n',
        "import pymysql\n\npymysql.connect(host='db.cluster-abc.eu-west-1.rds.amazonaws.com')\n",
    ],
)
def test_what_the_code_does_not_tell(tmp_path: Path, code: str) -> None:
    assert lint(tmp_path, code + "\n\ndef handler(event, context):\n    return None\n") == []


def test_hosts_of_the_template_private_zone_are_not_the_internet(tmp_path: Path) -> None:
    zone = (
        "  Zone:\n    Type: AWS::Route53::HostedZone\n"
        "    Properties: {Name: svc.acme.com, VPCs: [{VPCId: !Ref Vpc, VPCRegion: eu-west-1}]}\n"
    )
    code = 'import requests\n\n\ndef handler(event, context):\n    requests.get("https://billing.svc.acme.com/v1")\n'
    assert lint(tmp_path, code, extra=zone) == []


def test_inline_code_of_a_cloudformation_function(tmp_path: Path) -> None:
    inline = TEMPLATE.replace("ROUTES\n", "").replace("ENVIRONMENT\n", "").replace("EXTRA\n", "")
    inline = inline.replace(
        "      CodeUri: src/\n      Handler: app.handler\n",
        "      Handler: index.handler\n      InlineCode: |\n        import boto3\n\n"
        "        def handler(event, context):\n            return boto3.client('lambda').invoke(FunctionName='x')\n",
    )
    (finding,) = findings(tmp_path, {"template.yaml": inline})
    assert finding.message.startswith("Worker cannot reach lambda:")
    assert related(finding)[0][0] == "template.yaml"
