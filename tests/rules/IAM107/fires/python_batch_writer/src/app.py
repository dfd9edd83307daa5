import os

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def handler(event, context):
    with TABLE.batch_writer() as batch:
        for record in event["records"]:
            batch.put_item(Item={"pk": record["id"]})
