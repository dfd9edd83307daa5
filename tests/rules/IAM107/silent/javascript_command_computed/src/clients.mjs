import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

export const makeClient = () => new DynamoDBClient({});
