"""Carts API: get and save a customer's cart."""

import json
import os

import boto3

CARTS = boto3.resource("dynamodb").Table(os.environ["CARTS_TABLE"])


def handler(event, context):
    cart_id = event["pathParameters"]["cart_id"]
    if event["httpMethod"] == "PUT":
        CARTS.put_item(Item={"cart_id": cart_id, "items": json.loads(event["body"])})
        return {"statusCode": 204}
    item = CARTS.get_item(Key={"cart_id": cart_id}).get("Item")
    return {"statusCode": 200 if item else 404, "body": json.dumps(item or {}, default=str)}
