import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TABLE = process.env.TABLE_NAME;

export const handler = async (event) => {
  const found = await documents.send(new GetCommand({ TableName: TABLE, Key: { pk: event.id } }));
  if (!found.Item) {
    await documents.send(new PutCommand({ TableName: TABLE, Item: { pk: event.id } }));
  }
};
