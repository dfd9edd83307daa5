import os

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    return getattr(TABLE, event["operation"])(Key={"pk": event["id"]})
