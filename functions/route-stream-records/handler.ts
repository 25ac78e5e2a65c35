import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { createSqsClient } from '../../shared/adapters/aws/sqs-client';
import { StreamRouter, streamRoutesFromEnv } from '../../shared/adapters/aws/stream-router';
import { eventHandler } from '../../shared/observability/event-handler';

const router = new StreamRouter(createSqsClient(), streamRoutesFromEnv());

/**
 * The table stream's second reader (the vote aggregator is the first): forwards each record to
 * the queue of every feature whose filters it matches (see `shared/adapters/aws/stream-router`).
 * It fails only for records it could not forward; a feature's own failures happen on its queue.
 */
export const handler = eventHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>(async (event) =>
  router.route(event.Records),
);
