"""Orders stream consumer: when an order is placed, clears the customer's cart; failed records go back to Lambda
as batch item failures."""

import os

import boto3

CARTS = boto3.resource("dynamodb").Table(os.environ["CARTS_TABLE"])


def handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            if record["eventName"] == "INSERT":
                customer = record["dynamodb"]["NewImage"]["customer_id"]["S"]
                CARTS.delete_item(Key={"customer_id": customer})
        except (KeyError, TypeError):
            failures.append({"itemIdentifier": record["dynamodb"]["SequenceNumber"]})
    return {"batchItemFailures": failures}
