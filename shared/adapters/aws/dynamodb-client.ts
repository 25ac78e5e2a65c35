import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { traced } from '../../observability/tracer';

/**
 * The DynamoDB document client for this process (endpoint from AWS_ENDPOINT_URL_DYNAMODB in
 * the local stack). Empty strings and undefined fields are dropped rather than rejected. The
 * base client is traced (X-Ray subsegments); the document client shares its middleware stack.
 */
export function createDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(traced(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}
