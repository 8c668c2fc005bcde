"""Make a thumbnail of every uploaded JPEG and label it with what Rekognition sees."""

from __future__ import annotations

import io
import os
from urllib.parse import unquote_plus

import boto3
from aws_lambda_powertools import Logger, Tracer
from PIL import Image

logger = Logger()
tracer = Tracer()
s3 = boto3.client("s3")

THUMBNAILS_BUCKET = os.environ["THUMBNAILS_BUCKET"]
THUMBNAIL_SIZE = int(os.environ.get("THUMBNAIL_SIZE", "256"))
MIN_LABEL_CONFIDENCE = float(os.environ.get("MIN_LABEL_CONFIDENCE", "80"))


@tracer.capture_method
def make_thumbnail(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as original:
        thumbnail = original.convert("RGB")
    thumbnail.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
    output = io.BytesIO()
    thumbnail.save(output, format="JPEG", quality=85, optimize=True)
    return output.getvalue()


@tracer.capture_method
def detect_labels(rekognition, bucket: str, key: str) -> list[str]:
    response = rekognition.detect_labels(
        Image={"S3Object": {"Bucket": bucket, "Name": key}},
        MaxLabels=10,
        MinConfidence=MIN_LABEL_CONFIDENCE,
    )
    return [label["Name"] for label in response["Labels"]]


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def lambda_handler(event: dict, context) -> dict:
    rekognition = boto3.client("rekognition")
    processed = []
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = unquote_plus(record["s3"]["object"]["key"])
        original = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        labels = detect_labels(rekognition, bucket, key)
        s3.put_object(
            Bucket=THUMBNAILS_BUCKET,
            Key=f"thumbnails/{key.removeprefix('uploads/')}",
            Body=make_thumbnail(original),
            ContentType="image/jpeg",
            Metadata={"labels": ",".join(labels)},
        )
        logger.info("thumbnail written", extra={"key": key, "labels": labels})
        processed.append(key)
    return {"processed": processed}
