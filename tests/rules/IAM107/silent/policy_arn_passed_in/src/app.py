import os

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    item = TABLE.get_item(Key={"pk": event["id"]}).get("Item")
    TABLE.update_item(
        Key={"pk": event["id"]},
        UpdateExpression="SET #s = :s",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": "paid"},
    )
    return item
