import os

import boto3
from boto3.dynamodb.conditions import Key

table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    return table.query(IndexName="by_customer", KeyConditionExpression=Key("customer_id").eq(event["customer"]))
