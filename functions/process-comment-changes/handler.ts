import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { commentChangeOf } from '../../shared/adapters/comments/comment-stream-records';
import { DynamoCommentAggregates } from '../../shared/adapters/comments/dynamo-comment-aggregates';
import { DynamoCommentStore } from '../../shared/adapters/comments/dynamo-comment-store';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { createEventPublisher } from '../../shared/adapters/aws/event-publisher';
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
 * item's changes in order. After the retries, the event source mapping sends the records to the dead-letter
 * queue; replaying them is safe, as every step is idempotent.
 */
export const handler = eventHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>(async (event) => {
  const changes = new Map(event.Records.map((record) => [record, commentChangeOf(record)]));
  // A failed settlement fails the invocation: Lambda then bisects the batch, so one poison
  // record cannot hold back the totals of the others.
  await settleVisibility(
    deps,
    [...changes.values()].flatMap((change) => (change ? [change] : [])),
  );
  return processRecordsInOrder(event.Records, async (record) => {
    const change = changes.get(record);
    // Under the id of the request that wrote the item, so its logs and events name that request.
    if (change) await withCorrelationId(correlationIdOfStreamRecord(record), () => applyCommentChange(deps, change));
  });
});
