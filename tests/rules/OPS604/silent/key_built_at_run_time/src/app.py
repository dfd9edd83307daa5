import os

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    key = {name: event[name] for name in event["key_names"]}
    TABLE.put_item(Item={**key, "total": 1})
    return TABLE.get_item(Key=key)
