import boto3
from botocore.config import Config

FAST = Config(retries={"total_max_attempts": 4}, connect_timeout=1, read_timeout=1)
dynamodb = boto3.client("dynamodb", config=FAST)
s3 = boto3.client("s3")


def handler(event, context):
    return dynamodb.describe_table(TableName="orders")
