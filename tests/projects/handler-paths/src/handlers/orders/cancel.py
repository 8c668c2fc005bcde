from handlers.orders.store import ORDERS


def handler(event, context):
    ORDERS.pop(event["pathParameters"]["id"], None)
    return {"statusCode": 204}
