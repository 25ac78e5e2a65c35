import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { commentChangeOf } from '../../shared/adapters/comments/comment-stream-records';
import { DynamoCommentAggregates } from '../../shared/adapters/comments/dynamo-comment-aggregates';
import { DynamoCommentStore } from '../../shared/adapters/comments/dynamo-comment-store';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { createEventPublisher } from '../../shared/adapters/aws/event-publisher';
import {
  handleQueuedStreamRecords,
  type QueuedStreamEvent,
  type QueuedStreamResponse,
} from '../../shared/adapters/aws/queued-stream-records';
import { processRecordsInOrder } from '../../shared/adapters/aws/stream-batch';
import { applyCommentChange, settleVisibility } from '../../shared/comments/comment-aggregation';
import { commentConfigFromEnv } from '../../shared/comments/comment-config';
import { ENV, requireEnv } from '../../shared/config';
import { correlationIdOfStreamRecord, withCorrelationId } from '../../shared/observability/correlation';
import { eventHandler } from '../../shared/observability/event-handler';
import { systemClock } from '../../shared/ports';

const db = createDocumentClient();
const tableName = requireEnv(ENV.tableName);
const deps = {
  comments: new DynamoCommentStore(db, tableName),
  aggregates: new DynamoCommentAggregates(db, tableName),
  events: createEventPublisher(),
  config: commentConfigFromEnv(),
  clock: systemClock,
};

/**
 * Comment items, vote and flag records, and story metadata from the table stream → exact
 * totals, scores and flag counts, imported comments, and the comment events. First the
 * visibility of the whole batch is settled (one write per story); then the records are
 * followed one by one in stream order, and the first that fails is reported with every record
 * after it, nothing after it handled (see `processRecordsInOrder`), so the retry keeps each
 * item's changes in order.
 */
async function processChanges(records: DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  const changes = new Map(records.map((record) => [record, commentChangeOf(record)]));
  // A failed settlement fails the invocation: the queue adapter then tries each item on its own
  // (Lambda bisects a stream batch alike), so one poison record cannot hold back the others' totals.
  await settleVisibility(
    deps,
    [...changes.values()].flatMap((change) => (change ? [change] : [])),
  );
  return processRecordsInOrder(records, async (record) => {
    const change = changes.get(record);
    // Under the id of the request that wrote the item, so its logs and events name that request.
    if (change) await withCorrelationId(correlationIdOfStreamRecord(record), () => applyCommentChange(deps, change));
  });
}

/**
 * The records come from the stream router's FIFO queue, one message group per item: an item
 * that fails waits for the queue's redelivery with its later changes, the others go on (see
 * `queued-stream-records`), and after `maxReceiveCount` attempts the queue moves its messages to
 * the dead-letter queue. Replaying them is safe, as every step is idempotent.
 */
export const handler = eventHandler<QueuedStreamEvent, QueuedStreamResponse>(async (event) =>
  handleQueuedStreamRecords(event, processChanges),
);
