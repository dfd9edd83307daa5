"""Orders API: read an order, mark it paid, list a customer's orders, announce changes on a queue."""

import json
import os

import boto3
from boto3.dynamodb.conditions import Key

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
SQS = boto3.client("sqs")
QUEUE_URL = os.environ["QUEUE_URL"]


def get_order(order_id):
    return TABLE.get_item(Key={"order_id": order_id}).get("Item")


def create_order(order):
    TABLE.put_item(Item=order)
    SQS.send_message(QueueUrl=QUEUE_URL, MessageBody=json.dumps({"created": order["order_id"]}))


def mark_paid(order_id):
    TABLE.update_item(
        Key={"order_id": order_id},
        UpdateExpression="SET #s = :paid",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":paid": "PAID"},
    )
    SQS.send_message(QueueUrl=QUEUE_URL, MessageBody=json.dumps({"paid": order_id}))


def orders_of(customer_id):
    result = TABLE.query(IndexName="by_customer", KeyConditionExpression=Key("customer_id").eq(customer_id))
    return result["Items"]


def handler(event, context):
    action = event.get("action")
    if action == "get":
        return get_order(event["order_id"])
    if action == "create":
        create_order(event["order"])
        return {"ok": True}
    if action == "pay":
        mark_paid(event["order_id"])
        return {"ok": True}
    if action == "list":
        return orders_of(event["customer_id"])
    return {"error": f"unknown action {action!r}"}
