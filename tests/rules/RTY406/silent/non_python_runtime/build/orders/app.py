import boto3
from botocore.config import Config

dynamodb = boto3.client("dynamodb", config=Config(retries={"total_max_attempts": 10}, read_timeout=30))


def handler(event, context):
    return dynamodb.describe_table(TableName="orders")
