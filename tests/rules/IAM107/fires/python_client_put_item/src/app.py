import os

import boto3

CLIENT = boto3.client("dynamodb")


def handler(event, context):
    CLIENT.put_item(TableName=os.environ["TABLE_NAME"], Item={"pk": {"S": event["id"]}})
