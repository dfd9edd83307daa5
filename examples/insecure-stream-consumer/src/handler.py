import boto3

TABLE = boto3.resource("dynamodb").Table("orders-demo-orders")


def handle(event, context):
    for record in event["Records"]:
        keys = record["dynamodb"]["Keys"]
        TABLE.update_item(Key={"id": keys["order_id"]["S"]}, UpdateExpression="SET seen = :t",
                          ExpressionAttributeValues={":t": True})
