"""ddblint.model.script_calls: the AWS SDK calls of JavaScript and TypeScript handlers, per call style, SDK version
and language (CommonJS `.js`, ESM `.mjs`, TypeScript), with the cases that must not be read as calls."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from ddblint.loaders.handler import handler_package, handler_probes
from ddblint.loaders.terraform import TerraformLoader
from ddblint.model.code_calls import CallSite, CallTarget, HandlerCalls, HandlerPackage, TargetName
from ddblint.model.script_calls import script_calls
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


class MemoryReader:
    """A SourceReader over a dict of files (paths relative to the scan root), recording what was asked."""

    def __init__(self, files: dict[str, str]):
        self.files = files
        self.asked: list[str] = []

    def read(self, path: str) -> str | None:
        self.asked.append(path)
        return self.files.get(path)

    def exists(self, path: str) -> bool:
        return path in self.files


def calls_of(files: dict[str, str], handler: str | None = None) -> HandlerCalls:
    handler = handler or next(iter(files))
    language = "typescript" if handler.endswith((".ts", ".mts", ".cts")) else "javascript"
    package = HandlerPackage(language, handler, "handler", handler.rpartition("/")[0] or ".", MemoryReader(files))
    return script_calls(package)


def needs_of(calls: HandlerCalls) -> list[tuple[str, str, tuple[tuple[str, CallTarget], ...]]]:
    return [(call.service, call.operation, call.needs) for call in calls.calls]


def table(env: str | None = None, literal: str | None = None) -> CallTarget:
    return CallTarget("table", TargetName(env=env, literal=literal))


ORDERS = table(env="ORDERS_TABLE")


# -- SDK v3 -----------------------------------------------------------------------------------------------------
def test_v3_client_and_command_in_commonjs() -> None:
    code = """
const { DynamoDBClient, PutItemCommand, UpdateItemCommand } = require("@aws-sdk/client-dynamodb");
const client = new DynamoDBClient({});
const { ORDERS_TABLE } = process.env;
exports.handler = async (event) => {
  await client.send(new PutItemCommand({ TableName: ORDERS_TABLE, Item: {} }));
  await client.send(new UpdateItemCommand({ TableName: process.env.ORDERS_TABLE, Key: {} }));
};
"""
    calls = calls_of({"src/index.js": code})
    assert needs_of(calls) == [
        ("dynamodb", "PutItem", (("dynamodb:PutItem", ORDERS),)),
        ("dynamodb", "UpdateItem", (("dynamodb:UpdateItem", ORDERS),)),
    ]
    assert calls.files == ("src/index.js",) and calls.complete
    assert calls.calls[0].site == CallSite("src/index.js", 6, 9, "client.send(new PutItemCommand(...))")


def test_document_commands_in_esm() -> None:
    code = """
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient, PutCommand, GetCommand, UpdateCommand, DeleteCommand, QueryCommand, ScanCommand,
} from "@aws-sdk/lib-dynamodb";
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TableName = process.env.ORDERS_TABLE;
export const handler = async () => {
  await doc.send(new PutCommand({ TableName, Item: {} }));
  await doc.send(new GetCommand({ TableName, Key: {} }));
  await doc.send(new UpdateCommand({ TableName, Key: {} }));
  await doc.send(new DeleteCommand({ TableName, Key: {} }));
  await doc.send(new QueryCommand({ TableName, IndexName: "by_customer" }));
  await doc.send(new QueryCommand({ TableName }));
  await doc.send(new ScanCommand({ TableName, IndexName: process.env.INDEX }));
};
"""
    by_customer = CallTarget("index", TargetName(env="ORDERS_TABLE"), "by_customer")
    any_index = CallTarget("index", TargetName(env="ORDERS_TABLE"), None)
    assert needs_of(calls_of({"index.mjs": code})) == [
        ("dynamodb", "PutItem", (("dynamodb:PutItem", ORDERS),)),
        ("dynamodb", "GetItem", (("dynamodb:GetItem", ORDERS),)),
        ("dynamodb", "UpdateItem", (("dynamodb:UpdateItem", ORDERS),)),
        ("dynamodb", "DeleteItem", (("dynamodb:DeleteItem", ORDERS),)),
        ("dynamodb", "Query", (("dynamodb:Query", by_customer),)),
        ("dynamodb", "Query", (("dynamodb:Query", ORDERS),)),
        ("dynamodb", "Scan", (("dynamodb:Scan", any_index),)),
    ]


def test_batches_keyed_by_table_and_transactions_per_item_kind() -> None:
    code = """
import { DynamoDBDocumentClient, BatchWriteCommand, BatchGetCommand, TransactWriteCommand, TransactGetCommand }
  from "@aws-sdk/lib-dynamodb";
const doc = DynamoDBDocumentClient.from(client);
const STOCK = "stock";
export async function handler() {
  await doc.send(new BatchWriteCommand({ RequestItems: { [process.env.ORDERS_TABLE]: [], [STOCK]: [] } }));
  await doc.send(new BatchGetCommand({ RequestItems: { audit: { Keys: [] } } }));
  await doc.send(new TransactWriteCommand({ TransactItems: [
    { Put: { TableName: process.env.ORDERS_TABLE, Item: {} } },
    { Update: { TableName: STOCK, Key: {} } },
    { ConditionCheck: { TableName: STOCK, Key: {} } },
    { Delete: { TableName: "audit", Key: {} } },
  ] }));
  await doc.send(new TransactGetCommand({ TransactItems: [{ Get: { TableName: STOCK, Key: {} } }] }));
}
"""
    stock, audit = table(literal="stock"), table(literal="audit")
    calls = calls_of({"index.mjs": code})
    assert needs_of(calls) == [
        ("dynamodb", "BatchWriteItem", (("dynamodb:BatchWriteItem", ORDERS), ("dynamodb:BatchWriteItem", stock))),
        ("dynamodb", "BatchGetItem", (("dynamodb:BatchGetItem", audit),)),
        (
            "dynamodb",
            "TransactWriteItems",
            (
                ("dynamodb:PutItem", ORDERS),
                ("dynamodb:UpdateItem", stock),
                ("dynamodb:ConditionCheckItem", stock),
                ("dynamodb:DeleteItem", audit),
            ),
        ),
        ("dynamodb", "TransactGetItems", (("dynamodb:GetItem", stock),)),
    ]
    assert calls.complete


def test_items_of_an_array_made_by_map() -> None:
    code = """
import { TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
export const handler = async (orders: Order[], client: any) => {
  await client.send(new TransactWriteCommand({
    TransactItems: orders.map((order) => ({ Put: { TableName: process.env.ORDERS_TABLE, Item: order } })),
  }));
  await client.send(new TransactWriteCommand({ TransactItems: orders.map((order) => { return toItem(order); }) }));
  await client.send(new PutEventsCommand({ Entries: orders.map((o) => ({ EventBusName: "orders", Detail: o })) }));
};
"""
    calls = calls_of({"index.ts": code})
    assert needs_of(calls) == [
        ("dynamodb", "TransactWriteItems", (("dynamodb:PutItem", ORDERS),)),
        ("dynamodb", "TransactWriteItems", ()),
        ("events", "PutEvents", (("events:PutEvents", CallTarget("event-bus", TargetName(literal="orders"))),)),
    ]
    assert [site.line for site in calls.dynamic] == [8]


def test_typescript_command_made_first_and_sent_later_through_a_ts_import() -> None:
    handler = """
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { doc, TABLE } from "./lib/db.js";
export const handler = async (event: { day: string }): Promise<number> => {
  const query = new QueryCommand({ TableName: TABLE, IndexName: "by_day" } satisfies object);
  const result = await doc.send(query);
  return result.Count ?? 0;
};
"""
    db = """
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
export const TABLE: string = process.env.ORDERS_TABLE!;
export const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}) as DynamoDBClient);
"""
    calls = calls_of({"src/handler.ts": handler, "src/lib/db.ts": db})
    assert calls.files == ("src/handler.ts", "src/lib/db.ts")
    by_day = CallTarget("index", TargetName(env="ORDERS_TABLE"), "by_day")
    assert needs_of(calls) == [("dynamodb", "Query", (("dynamodb:Query", by_day),))]
    assert calls.calls[0].site.line == 6 and calls.complete and calls.language == "typescript"


def test_class_fields_and_typescript_commonjs_imports() -> None:
    handler = """
import repository = require("./repository");
import AWS = require("aws-sdk");
class Handler {
  private readonly queue = new AWS.SQS();
  constructor(private readonly queueUrl: string = process.env.QUEUE_URL!, private table?: string) {}
  handle = async (event: unknown) => {
    await this.queue.sendMessage({ QueueUrl: this.queueUrl, MessageBody: "x" }).promise();
    await new repository.Orders().put(event);
  };
}
export const handler = new Handler().handle;
"""
    repository = """
import { DynamoDBDocument } from "@aws-sdk/lib-dynamodb";
class Orders {
  private docs: DynamoDBDocument;
  private table: string;
  constructor() {
    this.docs = DynamoDBDocument.from(client);
    this.table = process.env.ORDERS_TABLE as string;
  }
  async put(item: object) { await this.docs.put({ TableName: this.table, Item: item }); }
  async query() { await this.docs.query({ TableName: this.other }); }
  helper() { return function () { return this.docs.delete({}); }; }
}
export = { Orders };
"""
    calls = calls_of({"index.ts": handler, "repository.ts": repository})
    assert needs_of(calls) == [
        ("sqs", "SendMessage", (("sqs:SendMessage", CallTarget("queue", None)),)),  # a parameter: any queue
        ("dynamodb", "PutItem", (("dynamodb:PutItem", ORDERS),)),
        ("dynamodb", "Query", (("dynamodb:Query", CallTarget("table", None)),)),
    ]


def test_paginators_and_the_aggregated_client() -> None:
    code = """
import { DynamoDB, DynamoDBClient, paginateQuery } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocument, paginateScan } from "@aws-sdk/lib-dynamodb";
const client = new DynamoDBClient({});
const ddb = new DynamoDB({});
const docs = DynamoDBDocument.from(client);
export const handler = async () => {
  for await (const page of paginateQuery({ client }, { TableName: process.env.ORDERS_TABLE })) {}
  for await (const page of paginateScan({ client: docs }, { TableName: "audit" })) {}
  await ddb.putItem({ TableName: process.env.ORDERS_TABLE, Item: {} });
  await docs.delete({ TableName: "audit", Key: {} });
  ddb.config; ddb.destroy();
};
"""
    audit = table(literal="audit")
    assert needs_of(calls_of({"index.mjs": code})) == [
        ("dynamodb", "Query", (("dynamodb:Query", ORDERS),)),
        ("dynamodb", "Scan", (("dynamodb:Scan", audit),)),
        ("dynamodb", "PutItem", (("dynamodb:PutItem", ORDERS),)),
        ("dynamodb", "DeleteItem", (("dynamodb:DeleteItem", audit),)),
    ]


def test_other_services_and_their_targets() -> None:
    code = """
import { SQSClient, SendMessageCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { SNSClient, PublishCommand } from "@aws-sdk/client-sns";
import { S3Client, GetObjectCommand, PutObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { KinesisClient, PutRecordCommand } from "@aws-sdk/client-kinesis";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
const sqs = new SQSClient({}), sns = new SNSClient({}), s3 = new S3Client({});
const kinesis = new KinesisClient({}), events = new EventBridgeClient({});
const bucket = process.env.BUCKET;
export const handler = async (event) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: "x" }));
  await sqs.send(new SendMessageBatchCommand({ QueueUrl: process.env.QUEUE_URL, Entries: [] }));
  await sns.send(new PublishCommand({ TopicArn: process.env["TOPIC_ARN"], Message: "x" }));
  await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "config/settings.json" }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `uploads/${event.id}.json` }));
  await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  await kinesis.send(new PutRecordCommand({ StreamName: "clicks", Data: event.body, PartitionKey: "k" }));
  await events.send(new PutEventsCommand({ Entries: [{ Source: "a" }, { EventBusName: process.env.BUS }] }));
  await new Upload({ client: s3, params: { Bucket: bucket, Key: event.key, Body: event.body } }).done();
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: "report.pdf" }));
};
"""
    queue = CallTarget("queue", TargetName(env="QUEUE_URL"))
    topic = CallTarget("topic", TargetName(env="TOPIC_ARN"))
    bucket = TargetName(env="BUCKET")
    assert needs_of(calls_of({"handler.js": code})) == [
        ("sqs", "SendMessage", (("sqs:SendMessage", queue),)),
        ("sqs", "SendMessageBatch", (("sqs:SendMessage", queue),)),
        ("sns", "Publish", (("sns:Publish", topic),)),
        ("s3", "GetObject", (("s3:GetObject", CallTarget("object", bucket, "config/settings.json")),)),
        ("s3", "PutObject", (("s3:PutObject", CallTarget("object", bucket, "uploads/*.json")),)),
        ("s3", "ListObjectsV2", (("s3:ListBucket", CallTarget("bucket", bucket)),)),
        ("kinesis", "PutRecord", (("kinesis:PutRecord", CallTarget("stream", TargetName(literal="clicks"))),)),
        (
            "events",
            "PutEvents",
            (
                ("events:PutEvents", CallTarget("event-bus", TargetName(literal="default"))),
                ("events:PutEvents", CallTarget("event-bus", TargetName(env="BUS"))),
            ),
        ),
        ("s3", "PutObject", (("s3:PutObject", CallTarget("object", bucket, "*")),)),
        ("s3", "GetObject", (("s3:GetObject", CallTarget("object", bucket, "report.pdf")),)),
    ]


def test_partiql_copies_and_other_services() -> None:
    code = """
import { DynamoDBClient, ExecuteStatementCommand, BatchExecuteStatementCommand } from "@aws-sdk/client-dynamodb";
import { S3Client, CopyObjectCommand } from "@aws-sdk/client-s3";
import { LambdaClient, InvokeCommand } from "@aws-sdk/client-lambda";
import { SNSClient, PublishCommand } from "@aws-sdk/client-sns";
const client = new DynamoDBClient({});
const { ORDERS_TABLE } = process.env;
export const handler = async (event) => {
  await client.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "${ORDERS_TABLE}"."by_day" WHERE d = ?` }));
  await client.send(new BatchExecuteStatementCommand({ Statements: [
    { Statement: `INSERT INTO "audit" VALUE {'id': ?}` },
    { Statement: `DELETE FROM "${ORDERS_TABLE}" WHERE id = ?` },
  ] }));
  await client.send(new ExecuteStatementCommand({ Statement: event.sql }));
  await new S3Client({}).send(new CopyObjectCommand({
    CopySource: `${process.env.SOURCE_BUCKET}/incoming/${event.key}`, Bucket: "archive", Key: `done/${event.key}`,
  }));
  await new LambdaClient({}).send(new InvokeCommand({ FunctionName: process.env.WORKER, Payload: "{}" }));
  await new SNSClient({}).send(new PublishCommand({ TargetArn: process.env.ENDPOINT_ARN, Message: "x" }));
};
"""
    calls = calls_of({"index.mjs": code})
    by_day = CallTarget("index", TargetName(env="ORDERS_TABLE"), "by_day")
    assert needs_of(calls) == [
        ("dynamodb", "ExecuteStatement", (("dynamodb:PartiQLSelect", by_day),)),
        (
            "dynamodb",
            "BatchExecuteStatement",
            (("dynamodb:PartiQLInsert", table(literal="audit")), ("dynamodb:PartiQLDelete", ORDERS)),
        ),
        ("dynamodb", "ExecuteStatement", ()),
        (
            "s3",
            "CopyObject",
            (
                ("s3:GetObject", CallTarget("object", TargetName(env="SOURCE_BUCKET"), "incoming/*")),
                ("s3:PutObject", CallTarget("object", TargetName(literal="archive"), "done/*")),
            ),
        ),
        ("lambda", "Invoke", (("lambda:InvokeFunction", CallTarget("function", TargetName(env="WORKER"))),)),
        ("sns", "Publish", (("sns:Publish", CallTarget("topic", TargetName(env="ENDPOINT_ARN"))),)),
    ]
    assert [site.line for site in calls.dynamic] == [14]


# -- SDK v2 -----------------------------------------------------------------------------------------------------
def test_v2_document_client_and_service_clients() -> None:
    code = """
const AWS = require("aws-sdk");
const DynamoDB = require("aws-sdk/clients/dynamodb");
const docClient = new AWS.DynamoDB.DocumentClient();
const other = new DynamoDB.DocumentClient({ region: "eu-west-1" });
const sqs = new AWS.SQS(), sns = new AWS.SNS(), s3 = new AWS.S3(), kinesis = new AWS.Kinesis();
const TABLE = process.env.ORDERS_TABLE;
exports.handler = async (event) => {
  await docClient.put({ TableName: TABLE, Item: event }).promise();
  await docClient.get({ TableName: TABLE, Key: {} }).promise();
  await docClient.update({ TableName: TABLE, Key: {} }).promise();
  await docClient.delete({ TableName: TABLE, Key: {} }).promise();
  await docClient.query({ TableName: TABLE, IndexName: "by_day" }).promise();
  await docClient.scan({ TableName: TABLE }).promise();
  await other.batchGet({ RequestItems: { [TABLE]: { Keys: [] } } }).promise();
  await other.batchWrite({ RequestItems: { [TABLE]: [] } }).promise();
  await other.transactWrite({ TransactItems: [{ Delete: { TableName: TABLE, Key: {} } }] }).promise();
  await other.transactGet({ TransactItems: [{ Get: { TableName: TABLE, Key: {} } }] }).promise();
  await sqs.sendMessage({ QueueUrl: process.env.QUEUE_URL, MessageBody: "x" }).promise();
  sns.publish({ TopicArn: process.env.TOPIC_ARN, Message: "x" }, (err) => {});
  await s3.upload({ Bucket: "uploads", Key: "a.txt", Body: "x" }).promise();
  const url = s3.getSignedUrl("getObject", { Bucket: "uploads", Key: "a.txt" });
  await kinesis.putRecord({ StreamARN: process.env.STREAM_ARN, Data: "x", PartitionKey: "k" }).promise();
};
"""
    by_day = CallTarget("index", TargetName(env="ORDERS_TABLE"), "by_day")
    uploads = TargetName(literal="uploads")
    calls = calls_of({"index.js": code})
    assert needs_of(calls) == [
        ("dynamodb", "PutItem", (("dynamodb:PutItem", ORDERS),)),
        ("dynamodb", "GetItem", (("dynamodb:GetItem", ORDERS),)),
        ("dynamodb", "UpdateItem", (("dynamodb:UpdateItem", ORDERS),)),
        ("dynamodb", "DeleteItem", (("dynamodb:DeleteItem", ORDERS),)),
        ("dynamodb", "Query", (("dynamodb:Query", by_day),)),
        ("dynamodb", "Scan", (("dynamodb:Scan", ORDERS),)),
        ("dynamodb", "BatchGetItem", (("dynamodb:BatchGetItem", ORDERS),)),
        ("dynamodb", "BatchWriteItem", (("dynamodb:BatchWriteItem", ORDERS),)),
        ("dynamodb", "TransactWriteItems", (("dynamodb:DeleteItem", ORDERS),)),
        ("dynamodb", "TransactGetItems", (("dynamodb:GetItem", ORDERS),)),
        ("sqs", "SendMessage", (("sqs:SendMessage", CallTarget("queue", TargetName(env="QUEUE_URL"))),)),
        ("sns", "Publish", (("sns:Publish", CallTarget("topic", TargetName(env="TOPIC_ARN"))),)),
        ("s3", "PutObject", (("s3:PutObject", CallTarget("object", uploads, "a.txt")),)),
        ("s3", "GetObject", (("s3:GetObject", CallTarget("object", uploads, "a.txt")),)),
        ("kinesis", "PutRecord", (("kinesis:PutRecord", CallTarget("stream", TargetName(env="STREAM_ARN"))),)),
    ]
    assert calls.calls[0].site.text == "docClient.put(...)"


def test_v2_clients_of_an_esm_default_import_and_compiled_typescript() -> None:
    esm = """
import AWS from "aws-sdk";
let client = null;
function docs() { if (!client) { client = new AWS.DynamoDB.DocumentClient(); } return client; }
export const handler = async () => {
  await docs().put({ TableName: "t", Item: {} }).promise();
  client.get({ TableName: "t" });
};
"""
    assert needs_of(calls_of({"index.mjs": esm})) == [
        ("dynamodb", "GetItem", (("dynamodb:GetItem", table(literal="t")),)),
    ]
    compiled = """
"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const client_sqs_1 = require("@aws-sdk/client-sqs");
const sqs = new client_sqs_1.SQSClient({});
const handler = async () => {
    await sqs.send(new client_sqs_1.SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: "x" }));
    for await (const page of (0, client_sqs_1.paginateListQueues)({ client: sqs }, {})) { }
};
exports.handler = handler;
"""
    calls = calls_of({"dist/index.js": compiled})
    assert [(call.service, call.operation) for call in calls.calls] == [("sqs", "SendMessage"), ("sqs", "ListQueues")]


# -- targets ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("setup", "expression", "name"),
    [
        ("", "process.env.ORDERS_TABLE", TargetName(env="ORDERS_TABLE")),
        ("", 'process.env["ORDERS_TABLE"]', TargetName(env="ORDERS_TABLE")),
        ("const { ORDERS_TABLE: tableName } = process.env;", "tableName", TargetName(env="ORDERS_TABLE")),
        ("const { ORDERS_TABLE = 'dev' } = process.env;", "ORDERS_TABLE", TargetName(env="ORDERS_TABLE")),
        ("const env = process.env; const T = env.ORDERS_TABLE;", "T", TargetName(env="ORDERS_TABLE")),
        ("", 'process.env.ORDERS_TABLE || "orders"', TargetName(env="ORDERS_TABLE")),
        ("", 'process.env.ORDERS_TABLE ?? "orders"', TargetName(env="ORDERS_TABLE")),
        ("import { env } from 'node:process';", "env.ORDERS_TABLE", TargetName(env="ORDERS_TABLE")),
        ("", '"orders"', TargetName(literal="orders")),
        ("", "`orders`", TargetName(literal="orders")),
        ("const T = 'orders';", "T", TargetName(literal="orders")),
        ("", "`${process.env.STAGE}-orders`", None),
        ("", r'"ord\x65rs\u{2d}v\u0032"', TargetName(literal="orders-v2")),
        ("", r'"orders\08"', TargetName(literal="orders\x008")),
        ("", r'"orders\q"', TargetName(literal="ordersq")),
        ("", r'"orders\u{110000}"', None),
        ("", "event.table", None),
        ("", "tableFor(event)", None),
        ("let T = 'a'; if (x) T = 'b';", "T", None),  # bound twice: unknown
        ("", "process.env[key]", None),
    ],
)
def test_target_names(setup: str, expression: str, name: TargetName | None) -> None:
    code = f"""
import {{ DynamoDBClient, GetItemCommand }} from "@aws-sdk/client-dynamodb";
{setup}
export const handler = async (event, key) =>
  new DynamoDBClient({{}}).send(new GetItemCommand({{ TableName: {expression} }}));
"""
    calls = calls_of({"index.mjs": code})
    assert needs_of(calls) == [("dynamodb", "GetItem", (("dynamodb:GetItem", CallTarget("table", name)),))]


def test_names_rebound_in_inner_scopes_are_not_the_outer_ones() -> None:
    code = """
import { SQS } from "aws-sdk";
const queue = process.env.QUEUE_URL;
let other = process.env.OTHER_URL;
export const current = other;
other = event.url;
export const handler = async (event, sqs = new SQS(), url = process.env.DEFAULT_URL) => {
  for (const queue of event.queues) { await sqs.sendMessage({ QueueUrl: queue }).promise(); }
  try { await sqs.sendMessage({ QueueUrl: url }).promise(); }
  catch (queue) { await sqs.sendMessage({ QueueUrl: queue }); }
  await sqs.sendMessage({ QueueUrl: current }).promise();
};
"""
    calls = calls_of({"index.mjs": code})
    assert [(call.operation, call.needs) for call in calls.calls] == [
        ("SendMessage", (("sqs:SendMessage", CallTarget("queue", None)),)),
    ] * 4


def test_parameters_from_an_object_built_first_and_spread() -> None:
    code = """
import { PutItemCommand } from "@aws-sdk/client-dynamodb";
const base = { TableName: process.env.ORDERS_TABLE };
export const handler = async (event, client, params) => {
  const input = { ...base, Item: event.item };
  await client.send(new PutItemCommand(input));
  await client.send(new PutItemCommand(params));
};
"""
    assert needs_of(calls_of({"index.mjs": code})) == [
        ("dynamodb", "PutItem", (("dynamodb:PutItem", ORDERS),)),
        ("dynamodb", "PutItem", (("dynamodb:PutItem", CallTarget("table", None)),)),
    ]


def test_commands_sent_through_a_helper_count_where_they_are_made() -> None:
    code = """
import { DynamoDBClient, PutItemCommand, DeleteItemCommand } from "@aws-sdk/client-dynamodb";
const client = new DynamoDBClient({});
const send = (command) => client.send(command);
export const handler = async (event) => {
  await send(new PutItemCommand({ TableName: process.env.ORDERS_TABLE, Item: {} }));
  const remove = new DeleteItemCommand({ TableName: process.env.ORDERS_TABLE, Key: {} });
  await send(remove);
};
"""
    calls = calls_of({"index.mjs": code})
    assert [(call.operation, call.site.line, call.site.text) for call in calls.calls] == [
        ("PutItem", 6, "new PutItemCommand(...)"),
        ("DeleteItem", 7, "new DeleteItemCommand(...)"),
    ]
    assert [site.text for site in calls.dynamic] == ["client.send(...)"]  # the helper may send anything


def test_clients_wrapped_for_tracing() -> None:
    code = """
import AWSXRay from "aws-xray-sdk-core";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { SQSClient } from "@aws-sdk/client-sqs";
const tracer = new Tracer();
const AWS = AWSXRay.captureAWS(require("aws-sdk"));
const sqs = tracer.captureAWSv3Client(new SQSClient({}));
const docs = new AWS.DynamoDB.DocumentClient();
export const handler = async () => {
  await docs.put({ TableName: String(process.env.ORDERS_TABLE), Item: {} }).promise();
  await sqs.send(event.command);
};
"""
    calls = calls_of({"index.mjs": code})
    assert needs_of(calls) == [("dynamodb", "PutItem", (("dynamodb:PutItem", ORDERS),))]
    assert [site.text for site in calls.dynamic] == ["sqs.send(...)"]


# -- unknown stays unknown ------------------------------------------------------------------------------------------
def test_operations_picked_at_run_time_are_dynamic() -> None:
    code = """
import * as Commands from "@aws-sdk/client-dynamodb";
import { DynamoDBClient, TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import AWS from "aws-sdk";
const client = new DynamoDBClient({});
const docs = new AWS.DynamoDB.DocumentClient();
export const handler = async (event) => {
  await client.send(new Commands[event.name]({}));
  await docs[event.method]({ TableName: "t" }).promise();
  await client.send(event.command);
  await client.send(new TransactWriteItemsCommand({ TransactItems: event.items }));
};
"""
    calls = calls_of({"index.mjs": code})
    assert [(site.line, site.text) for site in calls.dynamic] == [
        (8, "client.send(new Commands[event.name](...))"),
        (9, "docs[event.method](...)"),
        (10, "client.send(...)"),
        (11, "client.send(new TransactWriteItemsCommand(...))"),
    ]
    assert [(call.operation, call.needs) for call in calls.calls] == [("TransactWriteItems", ())]
    assert not calls.complete


def test_calls_on_receivers_of_unknown_origin_are_dynamic_when_a_client_has_that_operation() -> None:
    code = """
import AWS from "aws-sdk";
import axios from "axios";
const docs = new AWS.DynamoDB.DocumentClient();
const cache = new Map();
async function save(client, item, socket, command) {
  await client.put({ TableName: process.env.ORDERS_TABLE, Item: item }).promise();
  await getClient().query({ TableName: "t" }).promise();
  await client.describeTable({});
  await client.sendMessage({});
  await socket.send(command);
  await axios.put("https://example.com", item);
  cache.get(item.id);
  item.headers.get("x");
  return docs;
}
"""
    calls = calls_of({"index.mjs": code})
    assert calls.calls == []
    assert [site.text for site in calls.dynamic] == [
        "client.put(...)",
        "getClient().query(...)",
        "client.describeTable(...)",
    ]
    v3 = 'import { SQSClient } from "@aws-sdk/client-sqs";\nnew SQSClient({});\nexport const f = (c, m) => c.send(m);\n'
    assert [site.text for site in calls_of({"index.mjs": v3}).dynamic] == ["c.send(...)"]


def test_libraries_that_call_aws_for_the_code_are_dynamic() -> None:
    code = """import dynamoose from "dynamoose";
import { makeIdempotent } from "@aws-lambda-powertools/idempotency/dynamodb";
const ssm = require("@middy/ssm");
import express from "express";
"""
    calls = calls_of({"index.mjs": code})
    assert [(site.line, site.text) for site in calls.dynamic] == [
        (1, 'import dynamoose from "dynamoose";'),
        (2, 'import { makeIdempotent } from "@aws-lambda-powertools/idempotency/dynamodb";'),
        (3, "require(...)"),
    ]
    assert calls.unfollowed == []


def test_presigned_posts() -> None:
    code = """
import { S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
export const handler = (event) => createPresignedPost(new S3Client({}), { Bucket: "uploads", Key: `in/${event.id}` });
"""
    (call,) = calls_of({"index.mjs": code}).calls
    assert call.needs == (("s3:PutObject", CallTarget("object", TargetName(literal="uploads"), "in/*")),)


@pytest.mark.parametrize(
    "code",
    [
        # a `send` on an object that is not an AWS client, with a command that is not an AWS SDK command
        'const socket = new WebSocket("wss://x"); socket.send(new Message({ TableName: "t" }));',
        'import { PutCommand } from "my-command-bus"; bus.send(new PutCommand({ TableName: "t" }));',
        'import { PutCommand } from "./commands.js"; bus.send(new PutCommand({ TableName: "t" }));',
        'const ws = require("ws"); ws.send(JSON.stringify({ TableName: "t" }));',
        # methods named like operations on objects that are not AWS clients
        'const repo = new OrdersRepository(); await repo.putItem({ TableName: "t" }); repo.query({});',
        'import { DynamoDB } from "fake-dynamodb"; new DynamoDB().putItem({ TableName: "t" });',
        "const AWS = { DynamoDB: class {} }; new AWS.DynamoDB().putItem({});",
        # SDK names that are not called
        'import { PutItemCommand } from "@aws-sdk/client-dynamodb"; console.log(PutItemCommand.name);',
        'const AWS = require("aws-sdk"); AWS.config.update({ region: "eu-west-1" });',
        # a comment and a string that look like calls
        '// client.send(new PutItemCommand({ TableName: "t" }))\nconst s = "docClient.put({})";',
    ],
)
def test_not_sdk_calls(code: str) -> None:
    calls = calls_of({"index.mjs": code, "commands.js": "export class PutCommand {}\n"})
    assert calls.calls == [] and calls.dynamic == []


# -- local imports ----------------------------------------------------------------------------------------------
def test_commonjs_modules_followed_with_their_exports() -> None:
    handler = """
const { put, TABLE } = require("./lib/db");
const clients = require("./lib/clients.js");
exports.handler = async (event) => {
  await put(event);
  await clients.queue.sendMessage({ QueueUrl: process.env.QUEUE_URL, MessageBody: TABLE }).promise();
};
"""
    db = """
const AWS = require("aws-sdk");
const docs = new AWS.DynamoDB.DocumentClient();
const TABLE = process.env.ORDERS_TABLE;
async function put(item) { return docs.put({ TableName: TABLE, Item: item }).promise(); }
module.exports = { put, TABLE };
"""
    clients = 'const AWS = require("aws-sdk");\nmodule.exports.queue = new AWS.SQS();\n'
    files = {"app/index.js": handler, "app/lib/db/index.js": db, "app/lib/clients.js": clients}
    calls = calls_of(files)
    assert calls.files == ("app/index.js", "app/lib/db/index.js", "app/lib/clients.js")
    assert [(call.site.file, call.operation) for call in calls.calls] == [
        ("app/index.js", "SendMessage"),
        ("app/lib/db/index.js", "PutItem"),
    ]
    assert calls.calls[1].needs == (("dynamodb:PutItem", ORDERS),)
    assert calls.complete


def test_reexports_and_default_exports() -> None:
    handler = (
        'import db, { queue } from "./lib";\n'
        'export const handler = () => { db.put({ TableName: "t" }); queue.sendMessage({ QueueUrl: "q" }); };\n'
    )
    index = 'export * from "./queue.mjs";\nexport { default } from "./db.mjs";\n'
    db = 'import AWS from "aws-sdk";\nexport default new AWS.DynamoDB.DocumentClient();\n'
    queue = 'import { SQS } from "aws-sdk";\nexport const queue = new SQS();\n'
    calls = calls_of({"index.mjs": handler, "lib/index.mjs": index, "lib/db.mjs": db, "lib/queue.mjs": queue})
    assert [(call.service, call.operation) for call in calls.calls] == [("dynamodb", "PutItem"), ("sqs", "SendMessage")]


def test_unreadable_local_imports_are_unfollowed_and_packages_are_not_followed() -> None:
    handler = """
import { helper } from "./missing.js";
import { other } from "../../outside.js";
import { alias } from "@/lib/db";
import express from "express";
import { v4 } from "uuid";
import data from "./data.json";
const { x } = require("./also-missing");
"""
    calls = calls_of({"src/index.js": handler})
    assert calls.unfollowed == ["src/missing.js", "../outside.js", "@/lib/db", "src/also-missing"]
    assert calls.files == ("src/index.js",) and not calls.complete


def test_a_file_with_syntax_errors_is_read_as_far_as_it_parses_and_marked_unfollowed() -> None:
    code = """
import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
const sqs = new SQSClient({});
export const handler = async () => { await sqs.send(new SendMessageCommand({ QueueUrl: "q" })); };
function broken( {
"""
    calls = calls_of({"index.mjs": code})
    assert [call.operation for call in calls.calls] == ["SendMessage"]
    assert calls.unfollowed == ["index.mjs"]


def test_import_cycles_end() -> None:
    a = 'import { b } from "./b.mjs";\nexport const a = 1;\n'
    b = 'import { a } from "./a.mjs";\nexport const b = a;\n'
    calls = calls_of({"a.mjs": a, "b.mjs": b})
    assert calls.files == ("a.mjs", "b.mjs") and calls.calls == []


def test_site_columns_count_characters() -> None:
    code = 'import { SQS } from "aws-sdk";\nconst q = new SQS();\n/* é */ q.sendMessage({ QueueUrl: "q" });\n'
    (call,) = calls_of({"index.js": code}).calls
    assert (call.site.line, call.site.column, call.site.text) == (3, 9, "q.sendMessage(...)")


# -- through the loader's package ------------------------------------------------------------------------------------
def test_package_from_the_loader_records_imported_files_as_probes(tmp_path: Path) -> None:
    files = {
        "main.tf": 'resource "aws_lambda_function" "f" {\n  function_name = "f"\n  role = "r"\n'
        '  runtime = "nodejs20.x"\n  handler = "index.handler"\n  filename = "build/api.zip"\n}\n',
        "api/index.ts": 'import { put } from "./db.js";\nexport const handler = put;\n',
        "api/db.ts": 'import { DynamoDB } from "aws-sdk";\nconst d = new DynamoDB.DocumentClient();\n'
        "export const put = () => d.put({ TableName: process.env.ORDERS_TABLE! }).promise();\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = TerraformLoader(tmp_path).load([tmp_path])
    (model,) = result.models
    package = handler_package(model, model.resource("aws_lambda_function.f"))
    assert package is not None and package.handler_file == "api/index.ts"
    calls = script_calls(package)
    assert calls.files == ("api/index.ts", "api/db.ts")
    assert needs_of(calls) == [("dynamodb", "PutItem", (("dynamodb:PutItem", ORDERS),))]
    assert (tmp_path / "api/db.ts").resolve() in {path.resolve() for path in handler_probes(model)}


# -- robustness and speed ------------------------------------------------------------------------------------------
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(max_size=400), name=st.sampled_from(["index.js", "index.ts", "index.mjs"]))
def test_any_text_reads_without_error(text: str, name: str) -> None:
    calls = calls_of({name: text})
    assert calls.files == (name,)


SDK_SNIPPETS = st.sampled_from(
    [
        'import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";',
        "const c = new DynamoDBClient({});",
        "c.send(new PutItemCommand({ TableName: process.env.T }));",
        "const { T } = process.env;",
        "let x = c; x = x.send; x(c);",
        "export const handler = async (e) => { c.send(e); };",
        "module.exports = { c };",
        "const m = require('./index.js');",
        "({ a: c } = m);",
        "c[e](",
        "new (",
        "`${",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(snippets=st.lists(SDK_SNIPPETS, max_size=12))
def test_any_arrangement_of_sdk_code_reads_without_error(snippets: list[str]) -> None:
    calls = calls_of({"index.js": "\n".join(snippets)})
    assert all(call.service == "dynamodb" for call in calls.calls)


def test_a_500_line_handler_reads_every_call() -> None:
    # Its speed is measured by `make bench` (tests/bench/run.py, the handler corpus), never in a timed test.
    block = """
export async function put{n}(item) {{
  const params = {{ TableName: process.env.ORDERS_TABLE, Item: item }};
  await doc.send(new PutCommand(params));
  return {{ ok: true, id: `${{item.id}}-{n}` }};
}}
"""
    head = (
        'import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";\n'
        "const doc = DynamoDBDocumentClient.from(c);\n"
    )
    code = head + "".join(block.format(n=n) for n in range(84))
    assert code.count("\n") >= 500
    calls = calls_of({"index.mjs": code})
    assert len(calls.calls) == 84
    assert {call.operation for call in calls.calls} == {"PutItem"}


def test_importing_the_reader_does_not_import_tree_sitter() -> None:
    code = "import sys, ddblint.model.script_calls; print('tree_sitter' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
