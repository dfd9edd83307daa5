import os

import boto3

client = boto3.client("dynamodb")
TABLE_NAME = os.environ.get("TABLE_NAME", "orders")


def handler(event, context):
    client.put_item(TableName=TABLE_NAME, Item={"pk": {"S": event["id"]}, "total": {"N": "1"}})
