"""Benchmark: how long a whole run takes on generated projects of growing size.

Run: ``python benchmarks/engine.py``. Prints figures; asserts nothing (timings belong here, not in
tests that would flake on a busy machine).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lambdalint.config import load_config
from lambdalint.engine import run

HANDLER = """\
import json
import os

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def load(order_id):
    return TABLE.get_item(Key={{"pk": order_id}}).get("Item")


def handler_{index}(event, context):
    client = boto3.client("sqs")
    order = load(event["pathParameters"]["id"])
    client.send_message(QueueUrl=os.environ["QUEUE_URL"], MessageBody=json.dumps(order))
    return {{"statusCode": 200, "body": json.dumps(order)}}
"""

FUNCTION = """\
  Function{index}:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/f{index}/
      Handler: app.handler_{index}
      MemorySize: 512
      Environment:
        Variables:
          TABLE_NAME: !Ref Table
          QUEUE_URL: !Ref Queue
"""


def make_project(directory: Path, functions: int, lines: int = 0) -> None:
    """A SAM project of ``functions`` functions, each in its own folder: a short handler, or a
    realistic module of about ``lines`` lines when ``lines`` is given."""
    resources = "".join(FUNCTION.format(index=index) for index in range(functions))
    header = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n"
    globals_ = "Globals:\n  Function:\n    Runtime: python3.12\n    Timeout: 10\n"
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "template.yaml").write_text(f"{header}{globals_}Resources:\n{resources}")
    for index in range(functions):
        code = directory / f"src/f{index}/app.py"
        code.parent.mkdir(parents=True)
        code.write_text(service_module(lines, f"handler_{index}") if lines else HANDLER.format(index=index))


SERVICE_FUNCTION = '''

def process_{index}(event, table):
    """Validate an order for route {index} and store it.

    Orders over the limit are refused; each item is counted in the metrics.
    """
    body = json.loads(event.get("body") or "{{}}")
    # Only items with a quantity count towards the total.
    items = [item for item in body.get("items", []) if item.get("quantity", 0) > 0]
    total = sum(item["price"] * item["quantity"] for item in items)

    if total > LIMIT:
        logger.warning("order %s over the limit: %s", body.get("id"), total)
        return {{"statusCode": 400, "body": json.dumps({{"error": "limit"}})}}

    record = {{"pk": "ORDER#" + body["id"], "sk": "{index}", "total": str(total)}}
    table.put_item(Item=record)
    return {{"statusCode": 201, "body": json.dumps({{"id": body["id"], "total": total}})}}
'''


def service_module(lines: int, handler: str = "handler") -> str:
    """A realistic handler module of about ``lines`` lines: many routes, one mistake."""
    header = (
        "import json\nimport logging\nimport os\n\nimport boto3\n\nlogger = logging.getLogger()\n"
        "LIMIT = 10_000\nmetrics = []\nTABLE = boto3.resource('dynamodb').Table(os.environ['TABLE'])\n"
    )
    count = lines // SERVICE_FUNCTION.count("\n")
    body = "".join(SERVICE_FUNCTION.format(index=index) for index in range(count))
    dispatch = "".join(
        f"    if route == 'r{index}':\n        return process_{index}(event, TABLE)\n" for index in range(count)
    )
    entry = (
        f"\n\ndef {handler}(event, context):\n    route = event['route']\n    sqs = boto3.client('sqs')\n"
        f"{dispatch}    return {{'statusCode': 404}}\n"
    )
    return header + body + entry


def make_service_module(directory: Path, lines: int) -> None:
    (directory / "app.py").write_text(service_module(lines))


def make_big_module(directory: Path, lines: int) -> None:
    """A worst case of about ``lines`` lines: helpers called in one long chain, each with a finding."""
    helpers = lines // 4
    parts = ["import boto3\n\n"]
    for index in range(helpers):
        parts.append(f"def helper_{index}(event):\n    value = event.get('k{index}')\n")
        parts.append(f"    return helper_{index + 1}(event) if value else boto3.client('s3')\n\n")
    parts.append(f"def helper_{helpers}(event):\n    return None\n\n")
    parts.append("def handler(event, context):\n    return helper_0(event)\n")
    (directory / "app.py").write_text("".join(parts))


def measure(label: str, build: Callable[[Path], None], repeat: int = 5) -> None:
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        (directory / ".git").mkdir()
        build(directory)
        config = load_config(None)
        run([directory], config, root=directory)  # warm caches (imports, rule pack)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            result = run([directory], config, root=directory)
            times.append(time.perf_counter() - started)
        lines = sum(len(p.read_text().splitlines()) for p in directory.rglob("*.py"))
        print(
            f"{label:<54} {statistics.median(times) * 1000:8.1f} ms median of {repeat}"
            f"   ({lines:,} Python lines, {len(result.findings):,} findings)"
        )


if __name__ == "__main__":
    measure("1 function", lambda d: make_project(d, 1))
    measure("50 functions", lambda d: make_project(d, 50))
    measure("300 functions", lambda d: make_project(d, 300), repeat=3)
    measure("one 5,000-line handler module (dense code)", lambda d: make_service_module(d, 5_000))
    measure("worst case: 5,000 lines, a finding in every function", lambda d: make_big_module(d, 5_000))
