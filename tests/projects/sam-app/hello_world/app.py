import json
import os

GREETING = os.environ.get("GREETING", "hello world")


def lambda_handler(event, context):
    """Answer GET /hello with a greeting.

    event: the API Gateway Lambda proxy input
    (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html)
    context: the Lambda context object
    (https://docs.aws.amazon.com/lambda/latest/dg/python-context.html)
    """
    name = (event.get("queryStringParameters") or {}).get("name")
    message = f"{GREETING}, {name}" if name else GREETING
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps({"message": message}),
    }
