"""Nightly sales report: yesterday's orders by status, written to S3 and announced on SNS."""

from __future__ import annotations

import io
import os
from datetime import date, datetime, timedelta

import boto3
import pandas as pd
from aws_lambda_powertools import Logger
from boto3.dynamodb.conditions import Key
from business_calendar import is_business_day
from reporting.formatting import summary_message

logger = Logger()
table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
s3 = boto3.client("s3")
sns = boto3.client("sns")

REPORTS_BUCKET = os.environ["REPORTS_BUCKET"]
REPORT_TOPIC_ARN = os.environ["REPORT_TOPIC_ARN"]


def orders_for(day: date) -> list[dict]:
    query = {"IndexName": "ByDate", "KeyConditionExpression": Key("order_date").eq(day.isoformat())}
    orders: list[dict] = []
    while True:
        page = table.query(**query)
        orders.extend(page["Items"])
        if "LastEvaluatedKey" not in page:
            return orders
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def summarise(orders: list[dict]) -> pd.DataFrame:
    if not orders:
        return pd.DataFrame({"status": [], "orders": [], "revenue": []})
    frame = pd.DataFrame(orders)
    frame["total"] = frame["total"].astype(float)
    return (
        frame.groupby("status")
        .agg(orders=("order_id", "count"), revenue=("total", "sum"))
        .reset_index()
        .sort_values("revenue", ascending=False)
    )


def upload(day: date, summary: pd.DataFrame) -> str:
    prefix = f"daily/{day:%Y/%m/%d}"
    s3.put_object(
        Bucket=REPORTS_BUCKET,
        Key=f"{prefix}/orders-by-status.csv",
        Body=summary.to_csv(index=False).encode(),
        ContentType="text/csv",
    )
    workbook = io.BytesIO()
    summary.to_excel(workbook, sheet_name=day.isoformat(), index=False, engine="xlsxwriter")
    s3.put_object(
        Bucket=REPORTS_BUCKET,
        Key=f"{prefix}/orders-by-status.xlsx",
        Body=workbook.getvalue(),
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return prefix


@logger.inject_lambda_context
def handler(event: dict, context) -> dict:
    # EventBridge scheduled events carry the scheduled time, e.g. "2024-11-04T02:00:00Z".
    day = datetime.fromisoformat(event["time"]).date() - timedelta(days=1)
    if not is_business_day(day):
        logger.info("no report: not a business day", extra={"day": day.isoformat()})
        return {"day": day.isoformat(), "report": None}

    orders = orders_for(day)
    summary = summarise(orders)
    prefix = upload(day, summary)
    sns.publish(
        TopicArn=REPORT_TOPIC_ARN,
        Subject=f"Orders report for {day:%d %b %Y}",
        Message=summary_message(day, summary.to_dict("records"), f"s3://{REPORTS_BUCKET}/{prefix}/"),
    )
    logger.info("report published", extra={"day": day.isoformat(), "orders": len(orders)})
    return {"day": day.isoformat(), "report": prefix, "orders": len(orders)}
