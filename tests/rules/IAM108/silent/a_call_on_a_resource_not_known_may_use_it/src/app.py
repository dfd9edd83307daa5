import os

import boto3

DYNAMODB = boto3.resource("dynamodb")
TABLE = DYNAMODB.Table(os.environ["TABLE_NAME"])


def handler(event, context):
    if event.get("delete"):
        DYNAMODB.Table(event["table"]).delete_item(Key={"pk": event["id"]})
    return TABLE.get_item(Key={"pk": event["id"]}).get("Item")
