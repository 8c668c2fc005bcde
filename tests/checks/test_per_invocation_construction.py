"""LL110 reports at note level when the client depends on the request (it cannot simply move)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lambdalint.config import load_config
from lambdalint.engine import run
from lambdalint.findings import Severity


def ll110_severities(tmp_path: Path, code: str) -> list[tuple[int, Severity]]:
    (tmp_path / "app.py").write_text(code)
    result = run([tmp_path], load_config(None).merged_with(select=["LL110"]), root=tmp_path)
    return [(f.location.span.start_line, f.severity) for f in result.reported]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "import boto3\n\ndef handler(event, context):\n    return boto3.client('s3').list_buckets()\n",
            [(4, Severity.WARNING)],
        ),
        (
            "import boto3\n\ndef handler(event, context):\n"
            "    return boto3.client('s3', region_name=event['region']).list_buckets()\n",
            [(4, Severity.NOTE)],
        ),
        (
            "import boto3\n\ndef handler(event, context):\n"
            "    props = event['ResourceProperties']\n"
            "    region = props.get('Region', 'us-east-1')\n"
            "    ssm = boto3.client('ssm', region_name=region)\n"
            "    return ssm.get_parameter(Name=props['Name'])\n",
            [(6, Severity.NOTE)],
        ),
        (
            "import os\nimport boto3\n\ndef handler(event, context):\n"
            "    region = os.environ['TARGET_REGION']\n"
            "    return boto3.client('s3', region_name=region).list_buckets()\n",
            [(6, Severity.WARNING)],
        ),
    ],
    ids=["plain", "event-argument", "event-through-locals", "environment-is-not-the-request"],
)
def test_severity_follows_where_the_arguments_come_from(
    tmp_path: Path, code: str, expected: list[tuple[int, Severity]]
) -> None:
    assert ll110_severities(tmp_path, code) == expected


def test_a_connection_to_the_tenants_database_is_a_note_with_cache_advice(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "import psycopg2\n\ndef handler(event, context):\n"
        "    tenant = event['tenant']\n"
        "    return psycopg2.connect(host=f'{tenant}.db.internal')\n"
    )
    result = run([tmp_path], load_config(None).merged_with(select=["LL111"]), root=tmp_path)
    (finding,) = result.reported
    assert (finding.location.span.start_line, finding.severity) == (5, Severity.NOTE)
    assert finding.message == (
        "database connection created on every invocation from per-request values; cache it in a "
        "module-level dict keyed by those values (or functools.lru_cache) so warm invocations reuse it"
    )


def test_the_chain_from_the_handler_is_related(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(
        "import boto3\n\ndef publish(message):\n    boto3.client('sns').publish(Message=message)\n\n"
        "def notify(order):\n    publish(order['id'])\n\n"
        "def handler(event, context):\n    notify(event)\n"
    )
    result = run([tmp_path], load_config(None).merged_with(select=["LL110"]), root=tmp_path)
    (finding,) = result.reported
    assert [(r.span.start_line, r.label) for r in finding.related] == [
        (9, "the handler, which runs this on every invocation"),
        (6, "reached per invocation: notify"),
        (3, "reached per invocation: publish"),
    ]
