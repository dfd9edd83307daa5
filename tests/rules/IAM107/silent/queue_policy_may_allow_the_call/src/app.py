import json
import os

import boto3

SQS = boto3.client("sqs")


def handler(event, context):
    SQS.send_message(QueueUrl=os.environ["QUEUE_URL"], MessageBody=json.dumps(event))
