import os

import boto3
from boto3.dynamodb.conditions import Key

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    return TABLE.query(IndexName="by_customer", KeyConditionExpression=Key("customer").eq(event["customer"]))["Items"]
