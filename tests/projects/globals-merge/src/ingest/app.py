import json
import logging
import os

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))


def handler(event, context):
    records = event.get("Records", [])
    logger.info("received %d records", len(records))
    return {"ingested": len(records), "sample": json.dumps(records[:1])}
