import json
import uuid

from handlers.orders.store import ORDERS


def handler(event, context):
    order_id = f"o-{uuid.uuid4().hex[:8]}"
    ORDERS[order_id] = json.loads(event["body"])
    return {"statusCode": 201, "body": json.dumps({"id": order_id})}
