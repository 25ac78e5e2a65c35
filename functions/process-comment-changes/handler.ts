import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { commentChangeOf } from '../../shared/adapters/comment-stream-records';
import { DynamoCommentAggregates } from '../../shared/adapters/dynamo-comment-aggregates';
import { DynamoCommentStore } from '../../shared/adapters/dynamo-comment-store';
import { createDocumentClient } from '../../shared/adapters/dynamodb-client';
import { createEventPublisher } from '../../shared/adapters/event-publisher';
import { applyCommentChange, settleVisibility } from '../../shared/comments/comment-aggregation';
import { commentConfigFromEnv } from '../../shared/comments/comment-config';
import { ENV, requireEnv } from '../../shared/config';
import { correlationIdOfStreamRecord, withCorrelationId } from '../../shared/observability/correlation';
import { eventHandler } from '../../shared/observability/event-handler';
import { logger } from '../../shared/observability/logger';
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
 * followed one by one in stream order, and the first that fails is reported with nothing after
 * it handled, so the retry (from that record, as Lambda does) keeps each item's changes in
 * order. After the retries, the event source mapping sends the records to the dead-letter
 * queue; replaying them is safe, as every step is idempotent.
 */
export const handler = eventHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>(async (event) => {
  const records = event.Records.map((record) => ({ record, change: commentChangeOf(record) }));
  // A failed settlement fails the invocation: Lambda then bisects the batch, so one poison
  // record cannot hold back the totals of the others.
  await settleVisibility(
    deps,
    records.flatMap(({ change }) => (change ? [change] : [])),
  );
  for (const { record, change } of records) {
    try {
      // Under the id of the request that wrote the item, so its logs and events name that request.
      if (change) await withCorrelationId(correlationIdOfStreamRecord(record), () => applyCommentChange(deps, change));
    } catch (error) {
      logger.error('Comment change failed; retrying from this record', {
        error: error as Error,
        eventID: record.eventID,
      });
      return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
    }
  }
  return { batchItemFailures: [] };
});
