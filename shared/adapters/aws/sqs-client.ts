import { SQSClient } from '@aws-sdk/client-sqs';
import { traced } from '../../observability/tracer';

/** The SQS client for this process (endpoint from AWS_ENDPOINT_URL_SQS locally), traced. */
export function createSqsClient(): SQSClient {
  return traced(new SQSClient({}));
}
