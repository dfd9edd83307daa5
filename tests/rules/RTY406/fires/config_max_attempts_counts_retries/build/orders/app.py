import boto3
from botocore.config import Config

dynamodb = boto3.client("dynamodb", config=Config(retries={"max_attempts": 4, "mode": "standard"}))


def handler(event, context):
    return dynamodb.get_item(TableName="orders", Key={"id": {"S": event["id"]}})
