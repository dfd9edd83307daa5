"""Consume the orders table's DynamoDB stream: write one audit item per change.

Partial batch responses: the function returns ``{"batchItemFailures": [...]}`` naming the first
record it could not process, so Lambda retries from that record on instead of the whole batch
(the mapping sets ``function_response_types = ["ReportBatchItemFailures"]``). Records after a
failure are not processed in this invocation: Lambda re-delivers them anyway, in order.

The audit write is conditional on the item not existing yet, so a re-delivered record is not
written twice.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

# Worst case of one DynamoDB call: 3 attempts x (2 s connect + 5 s read) = 21 s, plus the
# standard retry mode's back-off of at most 1 s + 2 s between attempts = 24 s, which fits the
# function's 30 s timeout (examples/complete/main.tf) with room for the rest of the batch.
CONNECT_TIMEOUT_S = 2
READ_TIMEOUT_S = 5
TOTAL_MAX_ATTEMPTS = 3
CLIENT_CONFIG = Config(
    connect_timeout=CONNECT_TIMEOUT_S,
    read_timeout=READ_TIMEOUT_S,
    retries={"mode": "standard", "total_max_attempts": TOTAL_MAX_ATTEMPTS},
)

AUDIT_TABLE_NAME = os.environ["AUDIT_TABLE_NAME"]
AUDIT_RETENTION_S = 90 * 24 * 3600  # the audit table's TTL attribute expires items after this

# Created once per execution environment, outside the handler, and reused by every invocation.
dynamodb = boto3.client("dynamodb", config=CLIENT_CONFIG)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, so CloudWatch Logs Insights can query the fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "level": record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


logger = logging.getLogger("orders-consumer")
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))
logger.propagate = False
if not logger.handlers:
    _handler = logging.StreamHandler(sys.stdout)
    _handler.setFormatter(JsonFormatter())
    logger.addHandler(_handler)


def log(level: int, message: str, *, exc_info: bool = False, **fields: Any) -> None:
    logger.log(level, message, exc_info=exc_info, extra={"fields": fields})


def audit_item(record: dict[str, Any]) -> dict[str, Any]:
    """The audit item for one stream record, in DynamoDB's attribute-value format."""
    change = record["dynamodb"]
    keys = change["Keys"]
    now = int(time.time())
    item: dict[str, Any] = {
        "pk": {"S": f"AUDIT#{keys['pk']['S']}"},
        "sk": {"S": change["SequenceNumber"]},
        "event_name": {"S": record["eventName"]},
        "order_sk": keys.get("sk", {"S": ""}),
        "received_at": {"N": str(now)},
        "expires_at": {"N": str(now + AUDIT_RETENTION_S)},
    }
    if "ApproximateCreationDateTime" in change:
        item["changed_at"] = {"N": str(int(change["ApproximateCreationDateTime"]))}
    if "NewImage" in change:
        item["new_image"] = {"M": change["NewImage"]}
    if "OldImage" in change:
        item["old_image"] = {"M": change["OldImage"]}
    return item


def process(record: dict[str, Any]) -> None:
    item = audit_item(record)
    try:
        dynamodb.put_item(
            TableName=AUDIT_TABLE_NAME,
            Item=item,
            ConditionExpression="attribute_not_exists(sk)",
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            raise
        log(logging.INFO, "record already audited", sequence_number=item["sk"]["S"])


def handler(event: dict[str, Any], context: Any = None) -> dict[str, list[dict[str, str]]]:
    records = event.get("Records", [])
    request_id = getattr(context, "aws_request_id", None)
    log(logging.INFO, "batch received", records=len(records), request_id=request_id)
    for index, record in enumerate(records):
        sequence_number = record.get("dynamodb", {}).get("SequenceNumber")
        try:
            process(record)
        except Exception:
            log(
                logging.ERROR,
                "record failed; retrying from it",
                sequence_number=sequence_number,
                event_id=record.get("eventID"),
                unprocessed=len(records) - index,
                request_id=request_id,
                exc_info=True,
            )
            if sequence_number is None:
                raise  # without an identifier the whole batch must be retried
            return {"batchItemFailures": [{"itemIdentifier": sequence_number}]}
    log(logging.INFO, "batch processed", records=len(records), request_id=request_id)
    return {"batchItemFailures": []}
