import os

import boto3

from .storage import remove

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    if event.get("delete"):
        return remove(event["id"])
    return TABLE.get_item(Key={"pk": event["id"]}).get("Item")
