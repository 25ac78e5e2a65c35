import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { DynamoPollProjections } from '../../shared/adapters/polls/dynamo-poll-projections';
import { createEventPublisher } from '../../shared/adapters/aws/event-publisher';
import { articleIdOfPollRecord } from '../../shared/adapters/polls/poll-stream-records';
import {
  handleQueuedStreamRecords,
  type QueuedStreamEvent,
  type QueuedStreamResponse,
} from '../../shared/adapters/aws/queued-stream-records';
import { redeliverFrom } from '../../shared/adapters/aws/stream-batch';
import { ENV, requireEnv } from '../../shared/config';
import { eventHandler } from '../../shared/observability/event-handler';
import { logger } from '../../shared/observability/logger';
import { projectTally } from '../../shared/polls/tally-projections';
import { runInOrderUntilFailure } from '../../shared/concurrency';
import { systemClock } from '../../shared/ports';

const deps = {
  projections: new DynamoPollProjections(createDocumentClient(), requireEnv(ENV.tableName)),
  events: createEventPublisher(),
  clock: systemClock,
};

const CONCURRENCY = 8;

/**
 * Tally shard changes → per story, once per batch however many changes it holds: one
 * `PollTallyUpdated` with the absolute counts, `counts.votes`, and the ranking entries. Each is
 * derived from the tally as read now, so a batch coalesces every change before it. Stories are
 * taken in order of their first record, a few at a time; at the first that fails no further
 * story is started, and the batch is redelivered from that story's first record on (see
 * `redeliverFrom`). Redelivering a story that was projected is harmless: every write is versioned,
 * and an unchanged tally publishes nothing.
 */
async function projectTallies(records: DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
  /** Each story's first record in the batch, stories in that order. */
  const firstRecordOf = new Map<string, number>();
  records.forEach((record, index) => {
    const articleId = articleIdOfPollRecord(record);
    if (!articleId || !record.dynamodb?.SequenceNumber) {
      logger.error('Stream record is not a tally change; skipped', { eventID: record.eventID });
      return;
    }
    if (!firstRecordOf.has(articleId)) firstRecordOf.set(articleId, index);
  });
  const stories = [...firstRecordOf.keys()];
  const failures = await runInOrderUntilFailure(stories, CONCURRENCY, async (articleId) => {
    const outcome = await projectTally(deps, articleId);
    if (outcome === 'no-poll') logger.error('Tally without a poll definition', { articleId });
  });
  if (failures.length === 0) return { batchItemFailures: [] };
  for (const { item: articleId, error } of failures) {
    logger.warn('Projecting the tally failed; will be retried', { articleId, error: error as Error });
  }
  // Stories are in order of their first record, so the earliest failed story's is the lowest.
  const earliest = failures.reduce((a, b) => (b.index < a.index ? b : a));
  return redeliverFrom(records, firstRecordOf.get(earliest.item)!, earliest.error);
}

/**
 * The tally changes come from the stream router's standard queue, batched over one second as
 * the stream mapping batched them: a story that fails keeps its messages for the queue's
 * redelivery, the others' are done (see `queued-stream-records`).
 */
export const handler = eventHandler<QueuedStreamEvent, QueuedStreamResponse>(async (event) =>
  handleQueuedStreamRecords(event, projectTallies),
);
