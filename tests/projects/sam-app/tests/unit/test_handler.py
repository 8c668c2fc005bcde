import json
from pathlib import Path

import pytest
from hello_world import app

EVENTS = Path(__file__).resolve().parents[2] / "events"


@pytest.fixture()
def apigw_event():
    return json.loads((EVENTS / "event.json").read_text())


def test_lambda_handler_greets(apigw_event):
    response = app.lambda_handler(apigw_event, None)

    assert response["statusCode"] == 200
    assert json.loads(response["body"]) == {"message": "hello world"}


def test_lambda_handler_greets_by_name(apigw_event):
    apigw_event["queryStringParameters"] = {"name": "Ada"}

    response = app.lambda_handler(apigw_event, None)

    assert json.loads(response["body"]) == {"message": "hello world, Ada"}
