"""Unit tests of examples/complete/src/handler.py against moto's in-process mock_aws."""

from __future__ import annotations

import importlib.util
import io
import json
import logging
import re
import sys
from collections.abc import Iterator
from types import ModuleType

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from tests.support.terraform import REPO_ROOT

HANDLER = REPO_ROOT / "examples" / "complete" / "src" / "handler.py"
AUDIT_TABLE = "test-audit"
STREAM_ARN = "arn:aws:dynamodb:eu-west-1:123456789012:table/test-orders/stream/2026-01-01T00:00:00.000"


def stream_record(sequence: str, event_name: str = "INSERT", pk: str = "ORDER#1", sk: str = "v1") -> dict:
    """A record shaped like the ones Lambda delivers from a NEW_AND_OLD_IMAGES DynamoDB stream."""
    keys = {"pk": {"S": pk}, "sk": {"S": sk}}
    change: dict = {
        "ApproximateCreationDateTime": 1767225600,
        "Keys": keys,
        "SequenceNumber": sequence,
        "SizeBytes": 64,
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    if event_name in ("INSERT", "MODIFY"):
        change["NewImage"] = {**keys, "total": {"N": "42"}, "status": {"S": "PLACED"}}
    if event_name in ("MODIFY", "REMOVE"):
        change["OldImage"] = {**keys, "total": {"N": "40"}, "status": {"S": "NEW"}}
    return {
        "eventID": f"event-{sequence}",
        "eventName": event_name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "eu-west-1",
        "dynamodb": change,
        "eventSourceARN": STREAM_ARN,
    }


@pytest.fixture
def aws(monkeypatch) -> Iterator[None]:
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AUDIT_TABLE_NAME": AUDIT_TABLE,
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        boto3.client("dynamodb").create_table(
            TableName=AUDIT_TABLE,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
        yield


@pytest.fixture
def handler_module(aws) -> Iterator[ModuleType]:
    """A fresh import of the handler (its client is created at import time, inside mock_aws)."""
    name = "complete_example_handler"
    spec = importlib.util.spec_from_file_location(name, HANDLER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(name, None)


def audit_items() -> list[dict]:
    return boto3.client("dynamodb").scan(TableName=AUDIT_TABLE)["Items"]


def test_batch_is_audited(handler_module):
    event = {"Records": [stream_record("100"), stream_record("101", "MODIFY"), stream_record("102", "REMOVE")]}
    assert handler_module.handler(event, None) == {"batchItemFailures": []}

    items = {item["sk"]["S"]: item for item in audit_items()}
    assert set(items) == {"100", "101", "102"}
    assert items["100"]["pk"] == {"S": "AUDIT#ORDER#1"}
    assert items["100"]["event_name"] == {"S": "INSERT"}
    assert items["101"]["new_image"]["M"]["status"] == {"S": "PLACED"}
    assert items["101"]["old_image"]["M"]["status"] == {"S": "NEW"}
    assert "new_image" not in items["102"]
    assert int(items["100"]["expires_at"]["N"]) > int(items["100"]["received_at"]["N"])


def test_redelivered_record_is_written_once(handler_module):
    event = {"Records": [stream_record("200")]}
    assert handler_module.handler(event, None) == {"batchItemFailures": []}
    assert handler_module.handler(event, None) == {"batchItemFailures": []}
    assert len(audit_items()) == 1


def test_first_failure_is_reported_and_later_records_wait(handler_module):
    broken = stream_record("301")
    del broken["dynamodb"]["Keys"]
    event = {"Records": [stream_record("300"), broken, stream_record("302")]}

    assert handler_module.handler(event, None) == {"batchItemFailures": [{"itemIdentifier": "301"}]}
    assert [item["sk"]["S"] for item in audit_items()] == ["300"]  # 302 is re-delivered by Lambda


def test_service_error_is_reported(handler_module, monkeypatch):
    def fail(**_kwargs):
        raise ClientError(
            {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}}, "PutItem"
        )

    monkeypatch.setattr(handler_module.dynamodb, "put_item", fail)
    event = {"Records": [stream_record("400"), stream_record("401")]}
    assert handler_module.handler(event, None) == {"batchItemFailures": [{"itemIdentifier": "400"}]}


def test_empty_batch(handler_module):
    assert handler_module.handler({"Records": []}, None) == {"batchItemFailures": []}


def test_logs_are_json_lines(handler_module):
    stream = io.StringIO()
    capture = logging.StreamHandler(stream)
    capture.setFormatter(handler_module.JsonFormatter())  # what the function logs with
    handler_module.logger.addHandler(capture)
    try:
        broken = stream_record("500")
        del broken["dynamodb"]["Keys"]
        handler_module.handler({"Records": [broken]}, None)
    finally:
        handler_module.logger.removeHandler(capture)

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines[0]["message"] == "batch received" and lines[0]["records"] == 1
    failure = next(line for line in lines if line["level"] == "ERROR")
    assert failure["sequence_number"] == "500" and "KeyError" in failure["exception"]


def test_client_is_created_once_outside_the_handler(handler_module):
    client = handler_module.dynamodb
    handler_module.handler({"Records": [stream_record("600")]}, None)
    assert handler_module.dynamodb is client
    config = client.meta.config
    assert config.retries == {"mode": "standard", "total_max_attempts": 3}
    assert (config.connect_timeout, config.read_timeout) == (2, 5)


def test_retry_budget_fits_the_function_timeout(handler_module):
    """Worst case: attempts x (connect + read) + botocore standard back-off (rand * 2**(n-1) s, n = retry)."""
    attempts = handler_module.TOTAL_MAX_ATTEMPTS
    per_attempt = handler_module.CONNECT_TIMEOUT_S + handler_module.READ_TIMEOUT_S
    backoff = sum(min(2 ** (n - 1), 20) for n in range(1, attempts))
    worst_case = attempts * per_attempt + backoff

    main_tf = (REPO_ROOT / "examples" / "complete" / "main.tf").read_text()
    timeout = int(re.search(r"^\s*timeout\s*=\s*(\d+)", main_tf, flags=re.MULTILINE).group(1))
    assert worst_case == 24
    assert worst_case < timeout
