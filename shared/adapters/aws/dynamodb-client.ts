import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { traced } from '../../observability/tracer';

let client: DynamoDBDocumentClient | undefined;

/**
 * The DynamoDB document client of this process (endpoint from AWS_ENDPOINT_URL_DYNAMODB in the
 * local stack), made on the first call and the same for every later one: every adapter of a
 * handler shares its connections, so a cold start opens one, not one per adapter (a reader
 * route's authenticator reads the bans, its domain the rest). Empty strings and undefined fields
 * are dropped rather than rejected. The base client is traced (X-Ray subsegments); the document
 * client shares its middleware stack.
 */
export function createDocumentClient(): DynamoDBDocumentClient {
  return (client ??= DynamoDBDocumentClient.from(traced(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  }));
}
