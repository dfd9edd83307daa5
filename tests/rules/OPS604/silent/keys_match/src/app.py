import os

import boto3
from boto3.dynamodb.conditions import Key

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    TABLE.put_item(Item={"pk": event["id"], "sk": "order", "total": 1})
    TABLE.update_item(
        Key={"pk": event["id"], "sk": "order"}, UpdateExpression="SET total = :t", ExpressionAttributeValues={":t": 2}
    )
    TABLE.query(KeyConditionExpression=Key("pk").eq(event["id"]) & Key("sk").begins_with("order"))
    TABLE.query(
        KeyConditionExpression="pk = :pk AND begins_with(sk, :p)",
        ExpressionAttributeValues={":pk": event["id"], ":p": "o"},
    )
    TABLE.query(IndexName="by_customer", KeyConditionExpression=Key("customer").eq(event["customer"]))
    return TABLE.delete_item(Key={"pk": event["id"], "sk": "order"})
