"""ddblint.model.sdk_actions: SDK call names -> API operations -> IAM actions on their targets."""

from __future__ import annotations

import pytest
from ddblint.model.code_calls import CallTarget, TargetName
from ddblint.model.sdk_actions import (
    ANY_RESOURCE,
    client_methods,
    copy_needs,
    needs,
    operation_for_command,
    operation_for_method,
    operation_for_resource_method,
    operation_for_waiter,
    request_target,
    resource_types,
    service_for_client,
    statement_needs,
    statement_target,
    transaction_needs,
)

ORDERS = CallTarget("table", TargetName(env="ORDERS_TABLE"))
STOCK = CallTarget("table", TargetName(literal="stock"))
QUEUE = CallTarget("queue", TargetName(env="QUEUE_URL"))
TOPIC = CallTarget("topic", TargetName(env="TOPIC_ARN"))
UPLOADS = CallTarget("object", TargetName(env="BUCKET"), "*")
BUCKET = CallTarget("bucket", TargetName(env="BUCKET"))
FUNCTION = CallTarget("function", TargetName(env="WORKER_FUNCTION"))


@pytest.mark.parametrize(
    ("client", "prefix"),
    [
        ("dynamodb", "dynamodb"),
        ("dynamodbstreams", "dynamodb"),  # its own client, DynamoDB's actions
        ("sqs", "sqs"),
        ("sns", "sns"),
        ("s3", "s3"),
        ("kinesis", "kinesis"),
        ("events", "events"),
        ("stepfunctions", "states"),  # endpoint prefix differs from the client name
        ("cloudwatch", "cloudwatch"),  # endpoint prefix `monitoring` is no IAM prefix: the client name is
        ("lambda", "lambda"),
        ("sesv2", "ses"),
    ],
)
def test_service_for_client(client: str, prefix: str) -> None:
    assert service_for_client(client) == prefix


@pytest.mark.parametrize("client", ["not-a-service", "", "../dynamodb", "DynamoDB", "requests"])
def test_service_for_client_unknown(client: str) -> None:
    assert service_for_client(client) is None


@pytest.mark.parametrize(
    ("service", "method", "operation"),
    [
        ("dynamodb", "update_item", "UpdateItem"),
        ("dynamodb", "transact_write_items", "TransactWriteItems"),
        ("dynamodb", "execute_statement", "ExecuteStatement"),
        ("s3", "list_objects_v2", "ListObjectsV2"),
        ("s3", "get_object", "GetObject"),
        ("sqs", "send_message_batch", "SendMessageBatch"),
        ("kinesis", "put_records", "PutRecords"),
        ("events", "put_events", "PutEvents"),
        # boto3's managed transfers and batch writer
        ("s3", "upload_file", "PutObject"),
        ("s3", "upload_fileobj", "PutObject"),
        ("s3", "download_file", "GetObject"),
        ("s3", "download_fileobj", "GetObject"),
    ],
)
def test_operation_for_method(service: str, method: str, operation: str) -> None:
    assert operation_for_method(service, method) == operation


@pytest.mark.parametrize(
    ("service", "method"),
    [
        ("dynamodb", "get_paginator"),  # client helpers are not operations
        ("dynamodb", "get_waiter"),
        ("dynamodb", "UpdateItem"),  # the operation name is not the method name
        ("sqs", "upload_file"),  # S3's managed transfers belong to S3 only
        ("sqs", "put_item"),
        ("unknown-service", "put_item"),
    ],
)
def test_operation_for_method_not_an_operation(service: str, method: str) -> None:
    assert operation_for_method(service, method) is None


@pytest.mark.parametrize(
    ("service", "resource", "method", "operation"),
    [
        ("dynamodb", "Table", "put_item", "PutItem"),
        ("dynamodb", "Table", "query", "Query"),
        ("dynamodb", "Table", "batch_writer", "BatchWriteItem"),
        ("dynamodb", "Table", "load", "DescribeTable"),
        ("dynamodb", "Table", "delete", "DeleteTable"),
        ("dynamodb", "", "batch_write_item", "BatchWriteItem"),
        ("dynamodb", "", "batch_get_item", "BatchGetItem"),
        ("s3", "Object", "get", "GetObject"),
        ("s3", "Object", "put", "PutObject"),
        ("s3", "Object", "upload_file", "PutObject"),
        ("s3", "Bucket", "put_object", "PutObject"),
        ("s3", "Bucket", "download_file", "GetObject"),
        ("sqs", "Queue", "send_message", "SendMessage"),
        ("sqs", "Queue", "send_messages", "SendMessageBatch"),
        ("sns", "Topic", "publish", "Publish"),
    ],
)
def test_operation_for_resource_method(service: str, resource: str, method: str, operation: str) -> None:
    assert operation_for_resource_method(service, resource, method) == operation


@pytest.mark.parametrize(
    ("service", "resource", "method"),
    [
        ("dynamodb", "Table", "get_paginator"),
        ("dynamodb", "Table", "update_items"),
        ("dynamodb", "Queue", "send_message"),
        ("sqs", "Queue", "batch_writer"),
        ("not-a-service", "Table", "batch_writer"),
    ],
)
def test_operation_for_resource_method_unknown(service: str, resource: str, method: str) -> None:
    assert operation_for_resource_method(service, resource, method) is None


@pytest.mark.parametrize(
    ("service", "command", "operation"),
    [
        ("dynamodb", "UpdateItemCommand", "UpdateItem"),
        ("dynamodb", "QueryCommand", "Query"),
        # @aws-sdk/lib-dynamodb document commands
        ("dynamodb", "PutCommand", "PutItem"),
        ("dynamodb", "GetCommand", "GetItem"),
        ("dynamodb", "UpdateCommand", "UpdateItem"),
        ("dynamodb", "DeleteCommand", "DeleteItem"),
        ("dynamodb", "ScanCommand", "Scan"),
        ("dynamodb", "BatchGetCommand", "BatchGetItem"),
        ("dynamodb", "BatchWriteCommand", "BatchWriteItem"),
        ("dynamodb", "TransactGetCommand", "TransactGetItems"),
        ("dynamodb", "TransactWriteCommand", "TransactWriteItems"),
        ("dynamodb", "ExecuteStatementCommand", "ExecuteStatement"),
        ("dynamodb", "BatchExecuteStatementCommand", "BatchExecuteStatement"),
        # v2 client and DocumentClient methods
        ("dynamodb", "updateItem", "UpdateItem"),
        ("dynamodb", "put", "PutItem"),
        ("dynamodb", "transactWrite", "TransactWriteItems"),
        ("sqs", "SendMessageCommand", "SendMessage"),
        ("sns", "PublishBatchCommand", "PublishBatch"),
        ("s3", "PutObjectCommand", "PutObject"),
        ("events", "PutEventsCommand", "PutEvents"),
    ],
)
def test_operation_for_command(service: str, command: str, operation: str) -> None:
    assert operation_for_command(service, command) == operation


@pytest.mark.parametrize(
    ("service", "command"),
    [
        ("dynamodb", "Command"),
        ("dynamodb", ""),
        ("dynamodb", "FooCommand"),
        ("sqs", "PutCommand"),  # the Item suffix is the DynamoDB document client's only
        ("s3", "UpdateItemCommand"),
        ("not-a-service", "PutCommand"),
    ],
)
def test_operation_for_command_unknown(service: str, command: str) -> None:
    assert operation_for_command(service, command) is None


@pytest.mark.parametrize(
    ("service", "operation", "target", "expected"),
    [
        ("dynamodb", "UpdateItem", ORDERS, (("dynamodb:UpdateItem", ORDERS),)),
        ("dynamodb", "BatchWriteItem", ORDERS, (("dynamodb:BatchWriteItem", ORDERS),)),
        ("sqs", "SendMessage", QUEUE, (("sqs:SendMessage", QUEUE),)),
        ("sqs", "SendMessageBatch", QUEUE, (("sqs:SendMessage", QUEUE),)),
        ("sqs", "DeleteMessageBatch", QUEUE, (("sqs:DeleteMessage", QUEUE),)),
        ("sqs", "ChangeMessageVisibilityBatch", QUEUE, (("sqs:ChangeMessageVisibility", QUEUE),)),
        ("sns", "Publish", TOPIC, (("sns:Publish", TOPIC),)),
        ("sns", "PublishBatch", TOPIC, (("sns:Publish", TOPIC),)),
        ("s3", "PutObject", UPLOADS, (("s3:PutObject", UPLOADS),)),
        ("s3", "HeadObject", UPLOADS, (("s3:GetObject", UPLOADS),)),
        ("s3", "CreateMultipartUpload", UPLOADS, (("s3:PutObject", UPLOADS),)),
        ("s3", "ListObjectsV2", BUCKET, (("s3:ListBucket", BUCKET),)),
        ("s3", "DeleteObjects", UPLOADS, (("s3:DeleteObject", UPLOADS),)),
        ("lambda", "Invoke", FUNCTION, (("lambda:InvokeFunction", FUNCTION),)),
        ("dynamodb", "ListTables", ORDERS, (("dynamodb:ListTables", ANY_RESOURCE),)),
    ],
)
def test_needs(service: str, operation: str, target: CallTarget, expected) -> None:
    assert needs(service, operation, target) == expected


def test_needs_index_query() -> None:
    index = CallTarget("index", TargetName(env="ORDERS_TABLE"), "by_day")
    any_index = CallTarget("index", TargetName(env="ORDERS_TABLE"), None)
    assert needs("dynamodb", "Query", index) == (("dynamodb:Query", index),)
    assert needs("dynamodb", "Scan", any_index) == (("dynamodb:Scan", any_index),)


@pytest.mark.parametrize(
    ("service", "operation", "target"),
    [
        ("dynamodb", "TransactWriteItems", ORDERS),  # no such IAM action: transaction_needs
        ("dynamodb", "TransactGetItems", ORDERS),
        ("dynamodb", "ExecuteStatement", ORDERS),  # by the statement's verb: statement_needs
        ("dynamodb", "GetItem", CallTarget("index", TargetName(env="T"), "gsi")),  # GetItem takes no index
        ("s3", "PutObject", BUCKET),  # an object action on a bucket
        ("sqs", "SendMessage", ORDERS),
        ("dynamodb", "NoSuchOperation", ORDERS),
        ("no-such-service", "PutItem", ORDERS),
    ],
)
def test_needs_nothing(service: str, operation: str, target: CallTarget) -> None:
    assert needs(service, operation, target) == ()


def test_transaction_needs_item_actions_per_table() -> None:
    items = [("Put", ORDERS), ("Update", STOCK), ("ConditionCheck", ORDERS), ("Put", ORDERS), ("Delete", STOCK)]
    assert transaction_needs("TransactWriteItems", items) == (
        ("dynamodb:PutItem", ORDERS),
        ("dynamodb:UpdateItem", STOCK),
        ("dynamodb:ConditionCheckItem", ORDERS),
        ("dynamodb:DeleteItem", STOCK),
    )
    assert transaction_needs("TransactGetItems", [("Get", ORDERS), ("Get", STOCK)]) == (
        ("dynamodb:GetItem", ORDERS),
        ("dynamodb:GetItem", STOCK),
    )


def test_transaction_needs_ignores_kinds_of_the_other_operation() -> None:
    assert transaction_needs("TransactGetItems", [("Put", ORDERS)]) == ()
    assert transaction_needs("TransactWriteItems", [("Get", ORDERS), ("Bogus", STOCK)]) == ()
    assert transaction_needs("UpdateItem", [("Put", ORDERS)]) == ()


@pytest.mark.parametrize(
    ("service", "operation", "types"),
    [
        ("dynamodb", "Query", ("table", "index")),
        ("dynamodb", "PutItem", ("table",)),
        ("dynamodb", "ListTables", ()),
        ("s3", "HeadObject", ("object",)),
        ("s3", "ListObjectsV2", ("bucket",)),
        ("sqs", "SendMessageBatch", ("queue",)),
        ("kinesis", "PutRecords", ("stream",)),
        ("events", "PutEvents", ("event-bus",)),
        ("dynamodb", "TransactWriteItems", ()),
    ],
)
def test_resource_types(service: str, operation: str, types: tuple[str, ...]) -> None:
    assert resource_types(service, operation) == types


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ('SELECT * FROM "orders" WHERE pk = ?', ("dynamodb:PartiQLSelect", "orders", None)),
        ('select a, b from "orders"."by_day" where day = ?', ("dynamodb:PartiQLSelect", "orders", "by_day")),
        ("SELECT * FROM orders.by_day", ("dynamodb:PartiQLSelect", "orders", "by_day")),
        ("SELECT 'from x' FROM orders", ("dynamodb:PartiQLSelect", "orders", None)),
        ("INSERT INTO \"orders\" VALUE {'pk': ?}", ("dynamodb:PartiQLInsert", "orders", None)),
        ('UPDATE "orders" SET total = ? WHERE pk = ?', ("dynamodb:PartiQLUpdate", "orders", None)),
        ("DELETE FROM orders WHERE pk = ?", ("dynamodb:PartiQLDelete", "orders", None)),
        ('SELECT * FROM "my""table"', ("dynamodb:PartiQLSelect", 'my"table', None)),
    ],
)
def test_statement_target(statement: str, expected) -> None:
    assert statement_target(statement) == expected


@pytest.mark.parametrize(
    "statement",
    [
        "",
        "   ",
        "EXISTS(SELECT * FROM t)",
        "UPDATE FROM t",
        "SELECT *",
        "DELETE FROM",
        "UPSERT INTO t",
        "SELECT * FROM ?",
    ],
)
def test_statement_target_unreadable(statement: str) -> None:
    assert statement_target(statement) is None


def test_statement_needs() -> None:
    orders = TargetName(literal="orders")
    assert statement_needs('SELECT * FROM "orders" WHERE pk = ?', None) == (
        ("dynamodb:PartiQLSelect", CallTarget("table", orders)),
    )
    assert statement_needs('SELECT * FROM "orders"."by_day"', None) == (
        ("dynamodb:PartiQLSelect", CallTarget("index", orders, "by_day")),
    )
    resolved = TargetName(env="ORDERS_TABLE")
    assert statement_needs('DELETE FROM "x" WHERE pk = ?', resolved) == (
        ("dynamodb:PartiQLDelete", CallTarget("table", resolved)),
    )
    assert statement_needs("EXPLAIN SELECT", None) == ()


@pytest.mark.parametrize(
    ("service", "operation", "present", "expected"),
    [
        ("dynamodb", "PutItem", {"TableName", "Item"}, ("table", "TableName", None)),
        ("dynamodb", "Query", {"TableName", "KeyConditionExpression"}, ("table", "TableName", None)),
        ("dynamodb", "Query", {"TableName", "IndexName"}, ("index", "TableName", "IndexName")),
        ("dynamodb", "GetItem", {"TableName", "IndexName"}, ("table", "TableName", None)),  # no index on GetItem
        ("dynamodb", "GetItem", {"Key"}, ("table", None, None)),
        ("dynamodb", "ListTables", set(), ("*", None, None)),
        ("sqs", "SendMessage", {"QueueUrl", "MessageBody"}, ("queue", "QueueUrl", None)),
        ("sns", "Publish", {"TargetArn", "Message"}, ("topic", "TargetArn", None)),
        ("s3", "GetObject", {"Bucket", "Key"}, ("object", "Bucket", "Key")),
        ("s3", "ListObjectsV2", {"Bucket", "Prefix"}, ("bucket", "Bucket", None)),
        ("kinesis", "PutRecord", {"StreamName", "Data"}, ("stream", "StreamName", None)),
        ("kinesis", "PutRecords", {"StreamARN", "Records"}, ("stream", "StreamARN", None)),
        ("events", "PutEvents", {"Entries"}, ("event-bus", None, None)),
        ("lambda", "Invoke", {"FunctionName"}, ("function", "FunctionName", None)),
        ("stepfunctions", "StartExecution", {"stateMachineArn"}, ("*", None, None)),  # not an IAM prefix
        ("states", "StartExecution", {"stateMachineArn"}, ("statemachine", "stateMachineArn", None)),
        ("states", "DescribeExecution", {"executionArn"}, ("execution", None, None)),  # not mapped: unnamed
        ("sqs", "GetQueueUrl", {"QueueName"}, ("queue", "QueueName", None)),
    ],
)
def test_request_target(service: str, operation: str, present: set[str], expected) -> None:
    assert request_target(service, operation, frozenset(present)) == expected


def test_operation_for_waiter() -> None:
    assert operation_for_waiter("dynamodb", "table_exists") == "DescribeTable"
    assert operation_for_waiter("s3", "object_not_exists") == "HeadObject"
    assert operation_for_waiter("dynamodb", "TableExists") is None  # boto3 names waiters in snake case
    assert operation_for_waiter("sqs", "table_exists") is None
    assert operation_for_waiter("not-a-service", "table_exists") is None


def test_client_methods() -> None:
    methods = client_methods("dynamodb")
    assert {"put_item", "query", "transact_write_items"} <= methods
    assert "get_paginator" not in methods and "batch_writer" not in methods
    assert client_methods("not-a-service") == frozenset()


def test_copy_needs() -> None:
    source = CallTarget("object", TargetName(literal="incoming"), "a/*")
    assert copy_needs(source, UPLOADS) == (("s3:GetObject", source), ("s3:PutObject", UPLOADS))
    assert copy_needs(BUCKET, UPLOADS) == (("s3:PutObject", UPLOADS),)  # a bucket is no copy source
