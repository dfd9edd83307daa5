import os

import boto3

CLIENT = boto3.client("dynamodb")


def handler(event, context):
    CLIENT.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": os.environ["TABLE_NAME"], "Item": {"pk": {"S": event["id"]}}}},
            {
                "Update": {
                    "TableName": os.environ["STOCK_TABLE"],
                    "Key": {"sku": {"S": event["sku"]}},
                    "UpdateExpression": "ADD reserved :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            },
        ]
    )
