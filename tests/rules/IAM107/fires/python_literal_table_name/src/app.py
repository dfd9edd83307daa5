import boto3

TABLE = boto3.resource("dynamodb").Table("orders")


def handler(event, context):
    TABLE.delete_item(Key={"pk": event["id"]})
