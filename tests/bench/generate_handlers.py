"""A generated repository of Lambda functions with their handler sources, for the code-permission part of
`make bench` (IAM107, IAM108, `ddblint policy` read every handler).

    python tests/bench/generate_handlers.py OUT [--functions 50]

Each function has its own table, queue, role and policy and a handler that calls them through environment
variables: Python with boto3 (resource and client calls, an index query, a batch writer, SQS), JavaScript with
the AWS SDK v3 document client, TypeScript importing a local module. Every fifth role lacks an action the code
calls (IAM107); every fourth grants a delete, and the TypeScript ones an index query, that the code never makes
(IAM108). Deterministic: the same arguments give the same files.
"""

from __future__ import annotations

import argparse
from pathlib import Path

STACK = """\
resource "aws_dynamodb_table" "t{n}" {{
  name         = "bench-{n}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "pk"

  attribute {{
    name = "pk"
    type = "S"
  }}

  attribute {{
    name = "customer"
    type = "S"
  }}

  global_secondary_index {{
    name            = "by_customer"
    hash_key        = "customer"
    projection_type = "ALL"
  }}
}}

resource "aws_sqs_queue" "q{n}" {{
  name = "bench-{n}"
}}

resource "aws_iam_role" "r{n}" {{
  name = "bench-{n}"
  assume_role_policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "sts:AssumeRole", Principal = {{ Service = "lambda.amazonaws.com" }} }}]
  }})
}}

resource "aws_iam_role_policy" "r{n}" {{
  role = aws_iam_role.r{n}.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [
      {{ Effect = "Allow", Action = {table_actions}, Resource = aws_dynamodb_table.t{n}.arn }},
      {{ Effect = "Allow", Action = {index_actions}, Resource = "${{aws_dynamodb_table.t{n}.arn}}/index/*" }},
      {{ Effect = "Allow", Action = ["sqs:SendMessage"], Resource = aws_sqs_queue.q{n}.arn }},
    ]
  }})
}}

data "archive_file" "f{n}" {{
  type        = "zip"
  source_dir  = "functions/f{n}"
  output_path = "build/f{n}.zip"
}}

resource "aws_lambda_function" "f{n}" {{
  function_name    = "bench-{n}"
  role             = aws_iam_role.r{n}.arn
  runtime          = "{runtime}"
  handler          = "{handler}"
  filename         = data.archive_file.f{n}.output_path
  source_code_hash = data.archive_file.f{n}.output_base64sha256
  timeout          = 30

  environment {{
    variables = {{
      TABLE_NAME = aws_dynamodb_table.t{n}.name
      QUEUE_URL  = aws_sqs_queue.q{n}.url
    }}
  }}
}}
"""

PYTHON = """\
import json
import os

import boto3
from boto3.dynamodb.conditions import Key

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
SQS = boto3.client("sqs")


def handler(event, context):
    item = TABLE.get_item(Key={"pk": event["id"]}).get("Item")
    TABLE.update_item(Key={"pk": event["id"]}, UpdateExpression="SET seen = :t", ExpressionAttributeValues={":t": 1})
    with TABLE.batch_writer() as batch:
        for record in event.get("records", []):
            batch.put_item(Item=record)
    found = TABLE.query(IndexName="by_customer", KeyConditionExpression=Key("customer").eq(event["customer"]))
    SQS.send_message(QueueUrl=os.environ["QUEUE_URL"], MessageBody=json.dumps(item))
    return found["Items"]
"""

JAVASCRIPT = """\
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, UpdateCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sqs = new SQSClient({});
const TableName = process.env.TABLE_NAME;

export const handler = async (event) => {
  const item = await documents.send(new GetCommand({ TableName, Key: { pk: event.id } }));
  await documents.send(new UpdateCommand({ TableName, Key: { pk: event.id }, UpdateExpression: "SET seen = :t" }));
  const found = await documents.send(
    new QueryCommand({ TableName, IndexName: "by_customer", KeyConditionExpression: "customer = :c" }),
  );
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify(item) }));
  return found.Items;
};
"""

TYPESCRIPT = """\
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { announce } from "./announce";

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event: { id: string }): Promise<void> => {
  const item = await documents.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { pk: event.id } }));
  await documents.send(
    new UpdateCommand({ TableName: process.env.TABLE_NAME, Key: { pk: event.id }, UpdateExpression: "SET seen = :t" }),
  );
  await announce(JSON.stringify(item));
};
"""

TYPESCRIPT_MODULE = """\
import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";

const sqs = new SQSClient({});

export const announce = async (body: string): Promise<void> => {
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: body }));
};
"""

# What each language's handler calls on its table, and on the table's indexes.
TABLE_ACTIONS = {
    "python": ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:BatchWriteItem"],
    "javascript": ["dynamodb:GetItem", "dynamodb:UpdateItem"],
    "typescript": ["dynamodb:GetItem", "dynamodb:UpdateItem"],
}
INDEX_ACTIONS = {"python": ["dynamodb:Query"], "javascript": ["dynamodb:Query"], "typescript": []}


def _hcl_list(actions: list[str]) -> str:
    return "[" + ", ".join(f'"{a}"' for a in actions) + "]"


def generate(out: Path, functions: int = 50) -> int:
    """Write the repository; returns the number of functions."""
    out.mkdir(parents=True, exist_ok=True)
    for n in range(functions):
        language = ("python", "javascript", "typescript")[n % 3]
        source = out / "functions" / f"f{n}"
        source.mkdir(parents=True, exist_ok=True)
        if language == "python":
            runtime, handler = "python3.12", "app.handler"
            (source / "app.py").write_text(PYTHON, encoding="utf-8")
        elif language == "javascript":
            runtime, handler = "nodejs20.x", "index.handler"
            (source / "index.mjs").write_text(JAVASCRIPT, encoding="utf-8")
        else:
            runtime, handler = "nodejs20.x", "index.handler"
            (source / "index.ts").write_text(TYPESCRIPT, encoding="utf-8")
            (source / "announce.ts").write_text(TYPESCRIPT_MODULE, encoding="utf-8")
        table_actions = list(TABLE_ACTIONS[language])
        if n % 5 == 0:
            table_actions.remove("dynamodb:UpdateItem")  # IAM107: the code updates
        if n % 4 == 0:
            table_actions.append("dynamodb:DeleteItem")  # IAM108: no code deletes
        index_actions = INDEX_ACTIONS[language] or ["dynamodb:Query"]  # TypeScript: IAM108, it never queries
        stack = STACK.format(
            n=n,
            table_actions=_hcl_list(table_actions),
            index_actions=_hcl_list(index_actions),
            runtime=runtime,
            handler=handler,
        )
        (out / f"f{n}.tf").write_text(stack, encoding="utf-8")
    return functions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--functions", type=int, default=50)
    args = parser.parse_args()
    print(f"wrote {generate(args.out, args.functions)} functions with their handlers to {args.out}")


if __name__ == "__main__":
    main()
