import os

import boto3
from botocore.config import Config

ATTEMPTS = 10
CONFIG = Config(
    retries={"total_max_attempts": ATTEMPTS, "mode": "standard"},
    connect_timeout=5,
    read_timeout=int(os.environ.get("READ_TIMEOUT", "60")),
)
table = boto3.resource("dynamodb", config=CONFIG).Table(os.environ.get("TABLE", "orders"))


def main(event, context):
    return table.get_item(Key={"id": event["id"]})
