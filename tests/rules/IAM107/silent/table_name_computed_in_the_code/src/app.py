import boto3

DYNAMODB = boto3.resource("dynamodb")


def handler(event, context):
    DYNAMODB.Table(event["table"]).update_item(Key={"pk": event["id"]}, UpdateExpression="REMOVE x")
