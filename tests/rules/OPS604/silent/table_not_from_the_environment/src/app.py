import boto3

TABLE = boto3.resource("dynamodb").Table("legacy-orders")


def handler(event, context):
    return TABLE.get_item(Key={"id": event["id"]})
