import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event: { customer: string }): Promise<unknown[]> => {
  const result = await documents.send(
    new QueryCommand({
      TableName: process.env.TABLE_NAME,
      IndexName: "by_customer",
      KeyConditionExpression: "customer = :c",
      ExpressionAttributeValues: { ":c": event.customer },
    }),
  );
  return result.Items ?? [];
};
