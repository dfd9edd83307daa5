"""ddblint.model.python_calls: the AWS SDK calls a Python handler package makes, per call style.

Each test writes a small package to a temporary directory, reads it through a directory-backed SourceReader
(as the loader's, confined to the scan root) and compares the calls with exact expectations: operation, the
IAM action(s) and the target each is needed on.
"""

from __future__ import annotations

import gc
import textwrap
import time
import warnings
from pathlib import Path

import pytest
from ddblint.model.code_calls import CallSite, HandlerCalls, HandlerPackage
from ddblint.model.python_calls import MAX_FILES, python_calls
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


class DirectoryReader:
    """A SourceReader over a directory (the scan root): POSIX paths relative to it, nothing outside it."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self.probes: list[str] = []

    def _path(self, path: str) -> Path | None:
        candidate = (self.root / path).resolve()
        return candidate if candidate.is_relative_to(self.root) else None

    def read(self, path: str) -> str | None:
        self.probes.append(path)
        candidate = self._path(path)
        if candidate is None or not candidate.is_file():
            return None
        try:
            return candidate.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def exists(self, path: str) -> bool:
        self.probes.append(path)
        candidate = self._path(path)
        return candidate is not None and candidate.exists()


def read(tmp_path: Path, files: dict[str, str], handler: str = "app.py", root: str = "") -> HandlerCalls:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    package = HandlerPackage("python", handler, "handler", root, DirectoryReader(tmp_path))
    return python_calls(package)


def name_of(target) -> str | None:
    if target.name is None:
        return None
    return f"env:{target.name.env}" if target.name.env is not None else f"literal:{target.name.literal}"


def needs(result: HandlerCalls) -> list[tuple]:
    """(line, operation, action, resource type, name, qualifier) per need, in call order."""
    return [
        (call.site.line, call.operation, action, target.resource_type, name_of(target), target.qualifier)
        for call in result.calls
        for action, target in call.needs
    ]


def operations(result: HandlerCalls) -> list[tuple[int, str]]:
    return [(call.site.line, call.operation) for call in result.calls]


def dynamic_lines(result: HandlerCalls) -> list[int]:
    return [site.line for site in result.dynamic]


# -- environment variables and clients ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("imports", "expression"),
    [
        ("import os", 'os.environ["ORDERS"]'),
        ("import os", 'os.environ.get("ORDERS")'),
        ("import os", 'os.environ.get("ORDERS", "orders-dev")'),
        ("import os", 'os.getenv("ORDERS")'),
        ("import os", 'os.getenv("ORDERS") or "orders"'),
        ("from os import environ", 'environ["ORDERS"]'),
        ("from os import getenv", 'getenv("ORDERS")'),
        ("import os as system", 'system.environ["ORDERS"]'),
    ],
)
def test_environment_variable_styles(tmp_path: Path, imports: str, expression: str) -> None:
    result = read(
        tmp_path,
        {
            "app.py": f"""\
                import boto3
                {imports}
                TABLE = {expression}
                client = boto3.client("dynamodb")

                def handler(event, context):
                    client.put_item(TableName=TABLE, Item={{}})
                """
        },
    )
    assert needs(result) == [(7, "PutItem", "dynamodb:PutItem", "table", "env:ORDERS", None)]
    assert result.complete


@pytest.mark.parametrize(
    "client",
    [
        'boto3.client("dynamodb")',
        'boto3.client(service_name="dynamodb", region_name="eu-west-1")',
        'boto3.Session().client("dynamodb")',
        'boto3.session.Session(profile_name="x").client("dynamodb")',
        'botocore.session.get_session().create_client("dynamodb")',
        'boto3.resource("dynamodb").meta.client',
        'boto3.resource("dynamodb").Table("orders").meta.client',
    ],
)
def test_client_styles(tmp_path: Path, client: str) -> None:
    result = read(
        tmp_path,
        {
            "app.py": f"""\
                import boto3
                import botocore.session

                def handler(event, context):
                    ddb = {client}
                    ddb.delete_item(TableName="orders", Key={{}})
                """
        },
    )
    assert needs(result) == [(6, "DeleteItem", "dynamodb:DeleteItem", "table", "literal:orders", None)]


def test_session_bound_to_a_name_and_from_imports(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                from boto3 import client, resource
                from boto3.session import Session
                session = Session()
                sqs = session.client("sqs")
                sns = client("sns")
                table = resource("dynamodb").Table("orders")

                def handler(event, context):
                    sqs.send_message(QueueUrl="https://sqs.eu-west-1.amazonaws.com/1/q", MessageBody="x")
                    sns.publish(TopicArn="arn:aws:sns:eu-west-1:1:t", Message="x")
                    table.get_item(Key={})
                """
        },
    )
    assert needs(result) == [
        (9, "SendMessage", "sqs:SendMessage", "queue", "literal:https://sqs.eu-west-1.amazonaws.com/1/q", None),
        (10, "Publish", "sns:Publish", "topic", "literal:arn:aws:sns:eu-west-1:1:t", None),
        (11, "GetItem", "dynamodb:GetItem", "table", "literal:orders", None),
    ]


def test_clients_created_inside_functions_and_lazily(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import os
                import boto3

                _client = None

                def get_client():
                    global _client
                    if _client is None:
                        _client = boto3.client("dynamodb")
                    return _client

                def table():
                    return boto3.resource("dynamodb").Table(os.environ["ORDERS"])

                def handler(event, context):
                    get_client().update_item(TableName=os.environ["ORDERS"], Key={})
                    _client.get_item(TableName=os.environ["ORDERS"], Key={})
                    table().put_item(Item={})
                    local = boto3.client("dynamodb")
                    local.scan(TableName=os.environ["ORDERS"])
                """
        },
    )
    assert needs(result) == [
        (16, "UpdateItem", "dynamodb:UpdateItem", "table", "env:ORDERS", None),
        (17, "GetItem", "dynamodb:GetItem", "table", "env:ORDERS", None),
        (18, "PutItem", "dynamodb:PutItem", "table", "env:ORDERS", None),
        (20, "Scan", "dynamodb:Scan", "table", "env:ORDERS", None),
    ]


def test_default_arguments_parameters_and_instance_attributes(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import os
                import boto3

                TABLE = boto3.resource("dynamodb").Table(os.environ["ORDERS"])

                def save(item, table=TABLE):
                    table.put_item(Item=item)

                def remove(table, key):
                    table.delete_item(Key=key)

                class Repository:
                    def __init__(self):
                        self.table = boto3.resource("dynamodb").Table(os.environ["STOCK"])

                    def load(self, key):
                        return self.table.get_item(Key=key)

                def handler(event, context):
                    save(event)
                    remove(TABLE, {"pk": 1})
                    Repository().load({})
                """
        },
    )
    assert needs(result) == [
        (7, "PutItem", "dynamodb:PutItem", "table", "env:ORDERS", None),
        (10, "DeleteItem", "dynamodb:DeleteItem", "table", "env:ORDERS", None),
        (17, "GetItem", "dynamodb:GetItem", "table", "env:STOCK", None),
    ]
    assert result.complete


# -- DynamoDB ---------------------------------------------------------------------------------------------------
def test_table_methods_and_index_queries(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import os
                import boto3
                from boto3.dynamodb.conditions import Key

                TABLE = os.environ["ORDERS"]
                dynamodb = boto3.resource("dynamodb")
                table = dynamodb.Table(TABLE)

                def handler(event, context):
                    table.query(KeyConditionExpression=Key("pk").eq(1))
                    table.query(IndexName="by_day", KeyConditionExpression=Key("day").eq(1))
                    table.query(IndexName=event["index"], KeyConditionExpression=Key("day").eq(1))
                    table.scan(IndexName="by_day")
                    table.update_item(Key={}, UpdateExpression="SET a = :a")
                    table.meta.client.get_item(TableName=TABLE, Key={})
                    table.load()
                """
        },
    )
    assert needs(result) == [
        (10, "Query", "dynamodb:Query", "table", "env:ORDERS", None),
        (11, "Query", "dynamodb:Query", "index", "env:ORDERS", "by_day"),
        (12, "Query", "dynamodb:Query", "index", "env:ORDERS", None),
        (13, "Scan", "dynamodb:Scan", "index", "env:ORDERS", "by_day"),
        (14, "UpdateItem", "dynamodb:UpdateItem", "table", "env:ORDERS", None),
        (15, "GetItem", "dynamodb:GetItem", "table", "env:ORDERS", None),
        (16, "DescribeTable", "dynamodb:DescribeTable", "table", "env:ORDERS", None),
    ]


def test_query_parameters_spread_from_a_dict(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import os
                import boto3
                table = boto3.resource("dynamodb").Table(os.environ["ORDERS"])

                def handler(event, context):
                    params = {"IndexName": "by_day", "KeyConditionExpression": "d = :d"}
                    table.query(**params)
                    changed = {"KeyConditionExpression": "d = :d"}
                    changed["IndexName"] = event["index"]
                    table.query(**changed)
                    table.query(**event)
                """
        },
    )
    assert needs(result) == [
        (7, "Query", "dynamodb:Query", "index", "env:ORDERS", "by_day"),
        # the dict is changed in place, and the event may hold anything: an IndexName may be in either
        (10, "Query", "dynamodb:Query", "table", None, None),
        (11, "Query", "dynamodb:Query", "table", None, None),
    ]


def test_batch_writer_is_one_batch_write(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import os
                import boto3
                table = boto3.resource("dynamodb").Table(os.environ["ORDERS"])

                def handler(event, context):
                    with table.batch_writer(overwrite_by_pkeys=["pk"]) as batch:
                        for item in event["items"]:
                            batch.put_item(Item=item)
                            batch.delete_item(Key=item)
                """
        },
    )
    assert needs(result) == [(6, "BatchWriteItem", "dynamodb:BatchWriteItem", "table", "env:ORDERS", None)]
    assert result.complete


def test_batch_requests_keyed_by_table(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import os
                import boto3
                ORDERS = os.environ["ORDERS"]
                client = boto3.client("dynamodb")
                resource = boto3.resource("dynamodb")

                def handler(event, context):
                    client.batch_write_item(RequestItems={ORDERS: [], os.environ["STOCK"]: []})
                    resource.batch_get_item(RequestItems={"audit": {"Keys": []}})
                    client.batch_get_item(RequestItems=event["requests"])
                """
        },
    )
    assert needs(result) == [
        (8, "BatchWriteItem", "dynamodb:BatchWriteItem", "table", "env:ORDERS", None),
        (8, "BatchWriteItem", "dynamodb:BatchWriteItem", "table", "env:STOCK", None),
        (9, "BatchGetItem", "dynamodb:BatchGetItem", "table", "literal:audit", None),
        (10, "BatchGetItem", "dynamodb:BatchGetItem", "table", None, None),
    ]


def test_transactions_need_item_actions_per_table(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import os
                import boto3
                ORDERS = os.environ["ORDERS"]
                client = boto3.client("dynamodb")

                def handler(event, context):
                    client.transact_write_items(
                        TransactItems=[
                            {"Put": {"TableName": ORDERS, "Item": {}}},
                            {"Update": {"TableName": os.environ["STOCK"], "Key": {}}},
                            {"ConditionCheck": {"TableName": ORDERS, "Key": {}}},
                            {"Delete": {"TableName": "audit", "Key": {}}},
                        ]
                    )
                    client.transact_get_items(TransactItems=[{"Get": {"TableName": ORDERS, "Key": {}}}])
                    client.transact_write_items(TransactItems=build(event))
                """
        },
    )
    assert needs(result) == [
        (7, "TransactWriteItems", "dynamodb:PutItem", "table", "env:ORDERS", None),
        (7, "TransactWriteItems", "dynamodb:UpdateItem", "table", "env:STOCK", None),
        (7, "TransactWriteItems", "dynamodb:ConditionCheckItem", "table", "env:ORDERS", None),
        (7, "TransactWriteItems", "dynamodb:DeleteItem", "table", "literal:audit", None),
        (15, "TransactGetItems", "dynamodb:GetItem", "table", "env:ORDERS", None),
    ]
    assert operations(result)[-1] == (16, "TransactWriteItems")
    assert dynamic_lines(result) == [16]  # the items are computed: the actions cannot be named


def test_paginators(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import os
                import boto3
                client = boto3.client("dynamodb")

                def handler(event, context):
                    paginator = client.get_paginator("query")
                    for page in paginator.paginate(TableName=os.environ["ORDERS"], IndexName="by_day"):
                        pass
                    for page in client.get_paginator("scan").paginate(TableName="audit"):
                        pass
                    client.get_paginator("list_tables").paginate()
                """
        },
    )
    assert needs(result) == [
        (7, "Query", "dynamodb:Query", "index", "env:ORDERS", "by_day"),
        (9, "Scan", "dynamodb:Scan", "table", "literal:audit", None),
        (11, "ListTables", "dynamodb:ListTables", "*", "literal:*", None),
    ]


def test_partiql_statements(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import os
                import boto3
                TABLE = os.environ["ORDERS"]
                client = boto3.client("dynamodb")

                def handler(event, context):
                    client.execute_statement(Statement='SELECT * FROM "orders" WHERE pk = ?')
                    client.execute_statement(Statement=f'UPDATE "{TABLE}" SET a = 1 WHERE pk = ?')
                    client.execute_statement(Statement=f'SELECT * FROM "{TABLE}"."by_day"')
                    client.execute_statement(Statement=event["statement"])
                    client.batch_execute_statement(Statements=[{"Statement": 'DELETE FROM "audit" WHERE pk = ?'}])
                """
        },
    )
    assert needs(result) == [
        (7, "ExecuteStatement", "dynamodb:PartiQLSelect", "table", "literal:orders", None),
        (8, "ExecuteStatement", "dynamodb:PartiQLUpdate", "table", "env:ORDERS", None),
        (9, "ExecuteStatement", "dynamodb:PartiQLSelect", "index", "env:ORDERS", "by_day"),
        (11, "BatchExecuteStatement", "dynamodb:PartiQLDelete", "table", "literal:audit", None),
    ]
    assert dynamic_lines(result) == [10]


# -- other services ---------------------------------------------------------------------------------------------
def test_sqs_sns_kinesis_events(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import os
                import boto3
                sqs = boto3.client("sqs")
                sns = boto3.client("sns")
                kinesis = boto3.client("kinesis")
                events = boto3.client("events")

                def handler(event, context):
                    sqs.send_message(QueueUrl=os.environ["QUEUE_URL"], MessageBody="x")
                    sqs.send_message_batch(QueueUrl=os.environ["QUEUE_URL"], Entries=[])
                    sns.publish(TopicArn=os.environ["TOPIC_ARN"], Message="x")
                    kinesis.put_record(StreamName=os.environ["STREAM"], Data=b"x", PartitionKey="k")
                    kinesis.put_records(StreamARN="arn:aws:kinesis:eu-west-1:1:stream/s", Records=[])
                    events.put_events(Entries=[{"Source": "app", "DetailType": "x", "Detail": "{}"}])
                    events.put_events(Entries=[{"EventBusName": os.environ["BUS"], "Source": "app"}])
                    events.put_events(Entries=event["entries"])
                """
        },
    )
    assert needs(result) == [
        (9, "SendMessage", "sqs:SendMessage", "queue", "env:QUEUE_URL", None),
        (10, "SendMessageBatch", "sqs:SendMessage", "queue", "env:QUEUE_URL", None),
        (11, "Publish", "sns:Publish", "topic", "env:TOPIC_ARN", None),
        (12, "PutRecord", "kinesis:PutRecord", "stream", "env:STREAM", None),
        (13, "PutRecords", "kinesis:PutRecords", "stream", "literal:arn:aws:kinesis:eu-west-1:1:stream/s", None),
        (14, "PutEvents", "events:PutEvents", "event-bus", "literal:default", None),
        (15, "PutEvents", "events:PutEvents", "event-bus", "env:BUS", None),
        (16, "PutEvents", "events:PutEvents", "event-bus", None, None),
    ]


def test_resource_api_of_sqs_and_sns(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import os
                import boto3
                queue = boto3.resource("sqs").Queue(os.environ["QUEUE_URL"])
                topic = boto3.resource("sns").Topic(os.environ["TOPIC_ARN"])

                def handler(event, context):
                    queue.send_messages(Entries=[])
                    topic.publish(Message="x")
                """
        },
    )
    assert needs(result) == [
        (7, "SendMessageBatch", "sqs:SendMessage", "queue", "env:QUEUE_URL", None),
        (8, "Publish", "sns:Publish", "topic", "env:TOPIC_ARN", None),
    ]


def test_s3_client_and_managed_transfers(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import os
                import boto3
                s3 = boto3.client("s3")
                BUCKET = os.environ["BUCKET"]

                def handler(event, context):
                    s3.get_object(Bucket=BUCKET, Key="config/settings.json")
                    s3.put_object(Bucket=BUCKET, Key=f"uploads/{event['id']}.json", Body=b"")
                    s3.put_object(Bucket=BUCKET, Key="reports/" + event["name"], Body=b"")
                    s3.head_object(Bucket=BUCKET, Key=event["key"])
                    s3.upload_file("/tmp/out.csv", BUCKET, "exports/out.csv")
                    s3.download_file(Bucket=BUCKET, Key="in.csv", Filename="/tmp/in.csv")
                    s3.list_objects_v2(Bucket=BUCKET, Prefix="uploads/")
                    s3.copy_object(Bucket=BUCKET, Key="b", CopySource={"Bucket": "source", "Key": "a"})
                    s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": "shared.pdf"})
                """
        },
    )
    assert needs(result) == [
        (7, "GetObject", "s3:GetObject", "object", "env:BUCKET", "config/settings.json"),
        (8, "PutObject", "s3:PutObject", "object", "env:BUCKET", "uploads/*.json"),
        (9, "PutObject", "s3:PutObject", "object", "env:BUCKET", "reports/*"),
        (10, "HeadObject", "s3:GetObject", "object", "env:BUCKET", "*"),
        (11, "PutObject", "s3:PutObject", "object", "env:BUCKET", "exports/out.csv"),
        (12, "GetObject", "s3:GetObject", "object", "env:BUCKET", "in.csv"),
        (13, "ListObjectsV2", "s3:ListBucket", "bucket", "env:BUCKET", None),
        (14, "CopyObject", "s3:GetObject", "object", "literal:source", "a"),
        (14, "CopyObject", "s3:PutObject", "object", "env:BUCKET", "b"),
        (15, "GetObject", "s3:GetObject", "object", "env:BUCKET", "shared.pdf"),
    ]


def test_s3_resources(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import os
                import boto3
                s3 = boto3.resource("s3")
                bucket = s3.Bucket(os.environ["BUCKET"])

                def handler(event, context):
                    bucket.put_object(Key="a.txt", Body=b"")
                    bucket.Object("b.txt").get()
                    s3.Object(os.environ["BUCKET"], event["key"]).delete()
                    bucket.upload_file("/tmp/c", "c.txt")
                    s3.Object(bucket_name="archive", key="d.txt").download_file("/tmp/d")
                """
        },
    )
    assert needs(result) == [
        (7, "PutObject", "s3:PutObject", "object", "env:BUCKET", "a.txt"),
        (8, "GetObject", "s3:GetObject", "object", "env:BUCKET", "b.txt"),
        (9, "DeleteObject", "s3:DeleteObject", "object", "env:BUCKET", "*"),
        (10, "PutObject", "s3:PutObject", "object", "env:BUCKET", "c.txt"),
        (11, "GetObject", "s3:GetObject", "object", "literal:archive", "d.txt"),
    ]


# -- what is not a call, and what cannot be named ---------------------------------------------------------------
def test_methods_named_like_operations_on_other_objects_are_not_calls(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import requests
                import boto3
                import db
                from db import put_item, Repository

                class Cache:
                    def put_item(self, item):
                        self.items = [item]

                cache = Cache()
                settings = {"get_item": 1}

                def handler(event, context):
                    cache.put_item({})
                    settings.get("get_item")
                    requests.put("https://example.com", data="x")
                    "text".split()
                    boto3.client("not-a-service").put_item(TableName="t")
                    db.put_item({})
                    put_item({})
                    Repository().query("x")
                """,
            "db.py": """                def put_item(item):
                    return item

                class Repository:
                    def query(self, text):
                        return text
                """,
        },
    )
    assert result.calls == []
    assert result.complete


def test_dynamic_calls(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import os
                import boto3
                client = boto3.client("dynamodb")
                any_client = boto3.client(os.environ["SERVICE"])

                def handler(event, context):
                    getattr(client, event["operation"])(TableName="t")
                    getattr(client, "put_item")(TableName="orders", Item={})
                    any_client.put_item(TableName="orders")

                def helper(table, item):  # nothing in the package calls it: its table's origin is unknown
                    table.update_item(Key=item)
                    item.update({"a": 1})
                """
        },
    )
    assert needs(result) == [(8, "PutItem", "dynamodb:PutItem", "table", "literal:orders", None)]
    assert dynamic_lines(result) == [7, 9, 12]
    assert not result.complete


def test_call_site(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "src/app.py": """\
                import boto3
                def handler(event, context):
                    x = 1;  boto3.client("sqs").send_message(
                        QueueUrl="q",
                        MessageBody="x" * 200,
                    )
                """
        },
        handler="src/app.py",
        root="src",
    )
    assert [c.site for c in result.calls] == [
        CallSite("src/app.py", 3, 13, "boto3.client('sqs').send_message(...)"),
    ]


# -- local imports ----------------------------------------------------------------------------------------------
def test_follows_local_imports(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "src/app.py": """\
                import db
                import lib.events
                from lib.store import put_order, TABLE
                from services import notify
                import requests

                def handler(event, context):
                    db.table.get_item(Key={})
                    put_order({})
                    lib.events.publish({})
                    notify.send("x")
                """,
            "src/db.py": """\
                import os
                import boto3
                table = boto3.resource("dynamodb").Table(os.environ["ORDERS"])
                """,
            "src/lib/__init__.py": "",
            "src/lib/store.py": """\
                from .clients import dynamodb
                import os
                TABLE = os.environ["STOCK"]

                def put_order(order):
                    dynamodb.put_item(TableName=TABLE, Item=order)
                """,
            "src/lib/clients.py": """\
                import boto3
                dynamodb = boto3.client("dynamodb")
                """,
            "src/lib/events.py": """\
                import boto3
                from . import clients
                bus = boto3.client("events")

                def publish(detail):
                    bus.put_events(Entries=[{"EventBusName": "orders", "Detail": "{}"}])
                """,
            "src/services/notify.py": """\
                import os
                from lib.clients import dynamodb
                import boto3

                def send(message):
                    boto3.client("sns").publish(TopicArn=os.environ["TOPIC"], Message=message)
                    dynamodb.delete_item(TableName="audit", Key={})
                """,
        },
        handler="src/app.py",
        root="src",
    )
    assert result.files == (
        "src/app.py",
        "src/db.py",
        "src/lib/events.py",
        "src/lib/store.py",
        "src/services/notify.py",
        "src/lib/__init__.py",  # `import lib.events` runs the package's __init__ too
        "src/lib/clients.py",
    )
    assert sorted((c.site.file, c.site.line, c.operation, name_of(c.needs[0][1])) for c in result.calls) == [
        ("src/app.py", 8, "GetItem", "env:ORDERS"),
        ("src/lib/events.py", 6, "PutEvents", "literal:orders"),
        ("src/lib/store.py", 6, "PutItem", "env:STOCK"),
        ("src/services/notify.py", 6, "Publish", "env:TOPIC"),
        ("src/services/notify.py", 7, "DeleteItem", "literal:audit"),
    ]
    assert result.complete


def test_imports_relative_to_the_importing_files_directory(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "functions/orders/handler.py": """\
                from repository import save

                def handler(event, context):
                    save(event)
                """,
            "functions/orders/repository.py": """\
                import boto3
                def save(item):
                    boto3.client("dynamodb").put_item(TableName="orders", Item=item)
                """,
        },
        handler="functions/orders/handler.py",
        root="functions",
    )
    assert result.files == ("functions/orders/handler.py", "functions/orders/repository.py")
    assert operations(result) == [(3, "PutItem")]


def test_unfollowed_imports(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "pkg/app.py": """\
                from . import missing
                from .gone import thing
                import broken
                import numpy
                import json

                def handler(event, context):
                    pass
                """,
            "pkg/__init__.py": "",
            "pkg/broken.py": "def (:\n",
        },
        handler="pkg/app.py",
        root="pkg",
    )
    assert result.files == ("pkg/app.py", "pkg/__init__.py")
    assert result.unfollowed == ["pkg/gone.py", "pkg/broken.py", "pkg/missing.py"]
    assert not result.complete


def test_unreadable_handler(tmp_path: Path) -> None:
    result = read(tmp_path, {"other.py": "x = 1\n"}, handler="app.py")
    assert result.files == ()
    assert result.unfollowed == ["app.py"]
    assert result.calls == [] and not result.complete


def test_files_beyond_the_limit_are_unfollowed(tmp_path: Path) -> None:
    count = MAX_FILES + 5
    files = {"app.py": "import m0\n"}
    for index in range(count):
        files[f"m{index}.py"] = f"import m{index + 1}\n" if index + 1 < count else "x = 1\n"
    result = read(tmp_path, files)
    assert len(result.files) == MAX_FILES
    assert result.unfollowed == [f"m{MAX_FILES - 1}.py"]


# -- robustness and speed ---------------------------------------------------------------------------------------
HANDLER_TEMPLATE = """\
import os
import boto3
from db import table
import queue_client

sqs = boto3.client("sqs")
"""


def test_a_500_line_handler_reads_in_milliseconds(tmp_path: Path) -> None:
    lines = [HANDLER_TEMPLATE]
    for index in range(60):
        lines.append(
            f"def step_{index}(event):\n"
            f"    key = {{'pk': event['id'], 'n': {index}}}\n"
            f"    item = table.get_item(Key=key)\n"
            f"    if item.get('Item'):\n"
            f"        table.update_item(Key=key, UpdateExpression='SET n = :n')\n"
            f"    queue_client.send(event)\n"
            f"    sqs.send_message(QueueUrl=os.environ['QUEUE_URL'], MessageBody=str(item))\n"
            f"    return key\n"
        )
    files = {
        "app.py": "\n".join(lines),
        "db.py": "import os, boto3\ntable = boto3.resource('dynamodb').Table(os.environ['ORDERS'])\n",
        "queue_client.py": (
            "import boto3\ndef send(m):\n    boto3.client('sqs').send_message(QueueUrl='q', MessageBody=m)\n"
        ),
    }
    assert sum(text.count("\n") for text in files.values()) >= 500
    result = read(tmp_path, files)  # loads botocore's and parliament's data once
    assert len(result.calls) == 60 * 3 + 1
    package = HandlerPackage("python", "app.py", "handler", "", DirectoryReader(tmp_path))
    times = []
    for _ in range(3):
        gc.collect()  # a full collection of the loaded AWS data is not the reader's time
        start = time.process_time()  # CPU time: other work on a shared machine does not count
        python_calls(package)
        times.append(time.process_time() - start)
    print(f"500-line handler with two imports: {min(times) * 1000:.1f} ms")
    assert min(times) < 0.1, f"{min(times):.3f} s"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_any_text_reads_without_error(tmp_path: Path, text: str) -> None:
    result = read(tmp_path, {"app.py": text})
    assert result.language == "python"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.lists(
        st.sampled_from(
            [
                "t = boto3.resource('dynamodb').Table(os.environ['T'])",
                "t = t",
                "c = t.meta.client",
                "c = boto3.client(x)",
                "x = c",
                "def f(a=t):\n    return f(a)",
                "t = f(t)",
                "t.put_item(Item={})",
                "c.transact_write_items(TransactItems=[{'Put': {'TableName': x}}, *y])",
                "getattr(t, x)()",
                "with t.batch_writer() as t:\n    t.put_item()",
                "class K:\n    def __init__(self):\n        self.t = self.t\n    def m(self):\n        self.t.query()",
                "K().m()",
                "from . import app",
                "import app",
                "c.execute_statement(Statement=f'SELECT * FROM {t}.{x}')",
                "x = {**x, 'a': x}",
                "x['a'] = x",
                "for x in (t, c, 'a', os.environ['Q']):\n    x.put_item()",
                "t = c if x else t",
                "class L(K, L):\n    pass",
                "L().t.get_item(Key={})",
                "def g(*a, **k):\n    return g(*a, **k)",
                "g(t).delete_item()",
                "partial(t.put_item, Item=x)",
                "t.x = c",
                "app.c = t",
            ]
        ),
        max_size=12,
    )
)
def test_self_referencing_code_reads_without_error(tmp_path: Path, body: list[str]) -> None:
    result = read(
        tmp_path, {"app.py": "import os\nimport boto3\nfrom functools import partial\n" + "\n".join(body) + "\n"}
    )
    assert result.files == ("app.py",)


def test_expressions_too_deep_to_evaluate(tmp_path: Path) -> None:
    long_name = " + ".join(["part"] * 2000)
    result = read(
        tmp_path,
        {
            "app.py": f"""\
                import boto3
                client = boto3.client("dynamodb")
                client.put_item(TableName={long_name}, Item={{}})
                client.get_item(TableName="orders", Key={{}})
                """
        },
    )
    assert operations(result) == [(4, "GetItem")]
    assert dynamic_lines(result) == [3]


def test_objects_of_other_libraries_are_not_sdk_objects(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import boto3
                from sqlalchemy.orm import sessionmaker
                Session = sessionmaker()
                table = boto3.resource("dynamodb").Table("orders")

                def handler(event, context):
                    session = Session()
                    session.query(event)  # SQLAlchemy's query, though DynamoDB has one too
                    table.query(KeyConditionExpression="pk = :pk")
                """
        },
    )
    assert operations(result) == [(9, "Query")]
    assert result.complete


def test_receivers_of_unknown_origin_with_operation_names_are_dynamic(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import boto3
                clients = {"orders": boto3.client("dynamodb")}

                def run(table, event):  # called by no code in the package
                    table.query(KeyConditionExpression="pk = :pk")
                    table.append(event)  # not an operation name: not a call
                    clients[event["name"]].put_item(TableName="orders", Item={})
                    clients["orders"].get_item(TableName="orders", Key={})  # a literal key of a literal dict
                """
        },
    )
    assert operations(result) == [(8, "GetItem")]
    assert dynamic_lines(result) == [5, 7]


def test_aioboto3(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import os
                import aioboto3
                session = aioboto3.Session()

                async def handler(event, context):
                    async with session.resource("dynamodb") as dynamodb:
                        table = await dynamodb.Table(os.environ["ORDERS"])
                        await table.put_item(Item={})
                    async with session.client("sqs") as sqs:
                        await sqs.send_message(QueueUrl=os.environ["QUEUE_URL"], MessageBody="x")
                """
        },
    )
    assert needs(result) == [
        (8, "PutItem", "dynamodb:PutItem", "table", "env:ORDERS", None),
        (10, "SendMessage", "sqs:SendMessage", "queue", "env:QUEUE_URL", None),
    ]


def test_parameters_take_what_every_call_site_passes(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import boto3
                resource = boto3.resource("dynamodb")
                ORDERS = resource.Table("orders")
                STOCK = resource.Table("stock")

                def put(item, table=ORDERS):
                    table.put_item(Item=item)

                def delete(table, key):
                    table.delete_item(Key=key)

                def handler(event, context):
                    put(event)
                    put(event, table=STOCK)  # with the default elsewhere: either table
                    delete(STOCK, {})
                    delete(table=STOCK, key={})
                """
        },
    )
    assert needs(result) == [
        (7, "PutItem", "dynamodb:PutItem", "table", "literal:orders", None),
        (7, "PutItem", "dynamodb:PutItem", "table", "literal:stock", None),
        (10, "DeleteItem", "dynamodb:DeleteItem", "table", "literal:stock", None),
    ]
    assert result.complete


def test_waiters_and_computed_paginators(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import boto3
                client = boto3.client("dynamodb")
                s3 = boto3.client("s3")

                def handler(event, context):
                    client.get_waiter("table_exists").wait(TableName="orders")
                    s3.get_waiter("object_exists").wait(Bucket="b", Key="k")
                    client.get_paginator(event["kind"]).paginate(TableName="orders")
                """
        },
    )
    assert needs(result) == [
        (6, "DescribeTable", "dynamodb:DescribeTable", "table", "literal:orders", None),
        (7, "HeadObject", "s3:GetObject", "object", "literal:b", "k"),
    ]
    assert dynamic_lines(result) == [8]


def test_injected_client_or_a_default_one(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import os
                import boto3

                class Publisher:
                    def __init__(self, client=None):
                        self.client = client or boto3.client("sns")
                        self.topic = os.environ.get("TOPIC_ARN") or "arn:aws:sns:eu-west-1:1:default"

                    def send(self, message):
                        self.client.publish(TopicArn=self.topic, Message=message)

                def handler(event, context):
                    Publisher().send("x")
                """
        },
    )
    assert needs(result) == [(10, "Publish", "sns:Publish", "topic", "env:TOPIC_ARN", None)]


def test_inherited_attributes(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import os
                import boto3

                class Base:
                    def __init__(self):
                        self.table = boto3.resource("dynamodb").Table(os.environ["ORDERS"])

                class Orders(Base):
                    def save(self, item):
                        self.table.put_item(Item=item)

                class Loop(Loop):
                    def run(self):
                        self.table.get_item(Key={})
                """
        },
    )
    assert needs(result) == [(10, "PutItem", "dynamodb:PutItem", "table", "env:ORDERS", None)]
    assert dynamic_lines(result) == [14]


def test_module_globals_set_from_another_module(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import os
                import boto3
                import store
                import registry
                store.table = boto3.resource("dynamodb").Table(os.environ["ORDERS"])

                def handler(event, context):
                    store.save(event)
                    registry.publish(event)
                """,
            "store.py": """\
                table = None

                def save(item):
                    table.put_item(Item=item)
                """,
            "registry.py": """\
                client = None  # set by code this reader cannot see

                def publish(item):
                    client.delete_item(TableName="audit", Key=item)
                """,
        },
    )
    assert needs(result) == [(4, "PutItem", "dynamodb:PutItem", "table", "env:ORDERS", None)]
    assert [(site.file, site.line) for site in result.dynamic] == [("registry.py", 4)]


def test_methods_taken_without_a_call(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import os
                from concurrent.futures import ThreadPoolExecutor
                from functools import partial
                import boto3
                table = boto3.resource("dynamodb").Table(os.environ["ORDERS"])
                sqs = boto3.client("sqs")

                def handler(event, context):
                    with ThreadPoolExecutor() as pool:
                        pool.map(table.put_item, event["items"])
                    send = partial(sqs.send_message, QueueUrl=os.environ["QUEUE_URL"])
                    send(MessageBody="x")
                    pool.submit(sqs.delete_message, event["receipt"])
                    print(table.name, sqs.exceptions)
                """
        },
    )
    assert needs(result) == [
        (10, "PutItem", "dynamodb:PutItem", "table", "env:ORDERS", None),
        (11, "SendMessage", "sqs:SendMessage", "queue", "env:QUEUE_URL", None),
        (13, "DeleteMessage", "sqs:DeleteMessage", "queue", None, None),
    ]


def test_libraries_that_call_aws_make_the_calls_incomplete(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                from aws_lambda_powertools import Logger, Tracer
                from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, idempotent
                from aws_lambda_powertools.utilities import parameters
                import pynamodb.models
                import requests
                logger = Logger()
                """
        },
    )
    assert result.dynamic == [
        CallSite("app.py", 2, 1, "from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLa..."),
        CallSite("app.py", 3, 1, "from aws_lambda_powertools.utilities import parameters"),
        CallSite("app.py", 4, 1, "import pynamodb.models"),
    ]
    assert not result.complete


def test_the_handler_is_called_by_the_runtime_too(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import boto3
                local = boto3.resource("dynamodb").Table("local-orders")

                def handler(event, context, table=local):
                    table.put_item(Item=event)
                    event.put_item(Item={})  # the event: whatever the runtime passes

                if __name__ == "__main__":
                    handler(local, None, local)
                """
        },
    )
    assert needs(result) == [(5, "PutItem", "dynamodb:PutItem", "table", "literal:local-orders", None)]
    assert dynamic_lines(result) == [6]


def test_invalid_escapes_in_the_code_warn_nothing(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = read(tmp_path, {"app.py": 'import re\nPATTERN = "\\d+"\n'})
    assert result.files == ("app.py",)


def test_one_of_several_targets(tmp_path: Path) -> None:
    result = read(
        tmp_path,
        {
            "app.py": """\
                import os
                import boto3
                resource = boto3.resource("dynamodb")
                client = boto3.client("dynamodb")
                orders = resource.Table(os.environ["ORDERS"])
                refunds = resource.Table(os.environ["REFUNDS"])

                def handler(event, context):
                    table = orders if event["kind"] == "order" else refunds
                    table.put_item(Item=event)
                    for name in (os.environ["ORDERS"], "audit"):
                        client.delete_item(TableName=name, Key={})
                    for other in event["tables"]:  # (a name bound by both loops would be unknown in both)
                        client.get_item(TableName=other, Key={})
                """
        },
    )
    assert needs(result) == [
        (10, "PutItem", "dynamodb:PutItem", "table", "env:ORDERS", None),
        (10, "PutItem", "dynamodb:PutItem", "table", "env:REFUNDS", None),
        (12, "DeleteItem", "dynamodb:DeleteItem", "table", "env:ORDERS", None),
        (12, "DeleteItem", "dynamodb:DeleteItem", "table", "literal:audit", None),
        (14, "GetItem", "dynamodb:GetItem", "table", None, None),
    ]
    assert result.complete


def test_too_many_alternatives_are_unknown(tmp_path: Path) -> None:
    names = ", ".join(f'"table-{index}"' for index in range(20))
    result = read(
        tmp_path,
        {
            "app.py": f"""\
                import boto3
                client = boto3.client("dynamodb")
                for name in ({names}):
                    client.delete_item(TableName=name, Key={{}})
                """
        },
    )
    assert needs(result) == [(4, "DeleteItem", "dynamodb:DeleteItem", "table", None, None)]
