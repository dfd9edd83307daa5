import json
import os

import boto3

SQS = boto3.client("sqs")
SNS = boto3.client("sns")
S3 = boto3.client("s3")
KINESIS = boto3.client("kinesis")
EVENTS = boto3.client("events")


def handler(event, context):
    body = json.dumps(event)
    SQS.send_message(QueueUrl=os.environ["QUEUE_URL"], MessageBody=body)
    SNS.publish(TopicArn=os.environ["TOPIC_ARN"], Message=body)
    S3.put_object(Bucket=os.environ["BUCKET"], Key="reports/latest.json", Body=body)
    KINESIS.put_record(StreamName=os.environ["STREAM"], Data=body, PartitionKey="orders")
    EVENTS.put_events(
        Entries=[{"EventBusName": os.environ["BUS"], "Source": "orders", "DetailType": "x", "Detail": body}]
    )
