"""Orders API: create an order, read it back."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver
from aws_lambda_powertools.event_handler.exceptions import BadRequestError, NotFoundError
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger()
tracer = Tracer()
metrics = Metrics()
app = APIGatewayRestResolver()

table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])

MAX_ITEMS = 50


def parse_items(payload: dict) -> list[dict]:
    items = payload.get("items")
    if not isinstance(items, list) or not items:
        raise BadRequestError("an order needs at least one item")
    if len(items) > MAX_ITEMS:
        raise BadRequestError(f"an order has at most {MAX_ITEMS} items")
    parsed = []
    for item in items:
        try:
            sku = str(item["sku"])
            quantity = int(item["quantity"])
            unit_price = Decimal(str(item["unit_price"]))
        except (KeyError, TypeError, ValueError, InvalidOperation) as error:
            raise BadRequestError(f"invalid item: {item!r}") from error
        if quantity < 1 or unit_price < 0:
            raise BadRequestError(f"invalid quantity or price for {sku}")
        parsed.append({"sku": sku, "quantity": quantity, "unit_price": unit_price})
    return parsed


@app.post("/orders")
@tracer.capture_method
def create_order():
    try:
        payload = app.current_event.json_body or {}
    except ValueError as error:
        raise BadRequestError("the body is not valid JSON") from error
    if not isinstance(payload, dict):
        raise BadRequestError("the body must be a JSON object")
    items = parse_items(payload)
    now = datetime.now(UTC)
    order = {
        "order_id": str(uuid.uuid4()),
        "order_date": now.date().isoformat(),
        "created_at": now.isoformat(timespec="seconds"),
        "customer_id": str(payload.get("customer_id", "guest")),
        "status": "PLACED",
        "items": items,
        "total": sum(item["unit_price"] * item["quantity"] for item in items),
    }
    table.put_item(Item=order, ConditionExpression="attribute_not_exists(order_id)")
    logger.info("order placed", extra={"order_id": order["order_id"], "items": len(items)})
    metrics.add_metric(name="OrdersPlaced", unit=MetricUnit.Count, value=1)
    return order, 201


@app.get("/orders/<order_id>")
@tracer.capture_method
def get_order(order_id: str):
    item = table.get_item(Key={"order_id": order_id}).get("Item")
    if item is None:
        raise NotFoundError(f"order {order_id} not found")
    return item


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
@metrics.log_metrics(capture_cold_start_metric=True)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
