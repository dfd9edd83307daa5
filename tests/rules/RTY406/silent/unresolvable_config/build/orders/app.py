import json
import os

import boto3
from botocore.config import Config

OPTIONS = json.loads(os.environ.get("SDK_OPTIONS", "{}"))
dynamodb = boto3.client("dynamodb", config=Config(**OPTIONS))
s3 = boto3.client("s3", config=Config(retries={"total_max_attempts": load_attempts()}))


def handler(event, context):
    return dynamodb.describe_table(TableName="orders")
