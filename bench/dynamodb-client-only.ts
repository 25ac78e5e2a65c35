/**
 * The baseline bundle of the bundle goals (bench/bundle-goals.ts): what every function that
 * touches the table pays at least, the DynamoDB document client alone, bundled like a function.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async () => client;
