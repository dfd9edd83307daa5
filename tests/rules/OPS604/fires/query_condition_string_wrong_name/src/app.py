import os

import boto3

table = boto3.resource("dynamodb").Table(os.getenv("TABLE_NAME"))


def handler(event, context):
    return table.query(
        KeyConditionExpression="#o = :id",
        ExpressionAttributeNames={"#o": "order_id"},
        ExpressionAttributeValues={":id": event["id"]},
    )["Items"]
