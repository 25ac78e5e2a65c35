import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { createDocumentClient } from '../../shared/adapters/dynamodb-client';
import { DynamoPollProjections } from '../../shared/adapters/dynamo-poll-projections';
import { createEventPublisher } from '../../shared/adapters/event-publisher';
import { articleIdOfPollRecord } from '../../shared/adapters/poll-stream-records';
import { ENV, requireEnv } from '../../shared/config';
import { eventHandler } from '../../shared/observability/event-handler';
import { logger } from '../../shared/observability/logger';
import { projectTally } from '../../shared/polls/tally-projections';
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
 * derived from the tally as read now, so a batch coalesces every change before it. A story that
 * fails is reported with all its records; redelivery is harmless, every write is versioned.
 */
export const handler = eventHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>(async (event) => {
  const recordsByStory = new Map<string, string[]>();
  for (const record of event.Records) {
    const articleId = articleIdOfPollRecord(record);
    const sequence = record.dynamodb?.SequenceNumber;
    if (!articleId || !sequence) {
      logger.error('Stream record is not a tally change; skipped', { eventID: record.eventID });
      continue;
    }
    recordsByStory.set(articleId, [...(recordsByStory.get(articleId) ?? []), sequence]);
  }
  const stories = [...recordsByStory.keys()];
  const failed: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < stories.length) {
      const articleId = stories[next++]!;
      try {
        const outcome = await projectTally(deps, articleId);
        if (outcome === 'no-poll') logger.error('Tally without a poll definition', { articleId });
      } catch (error) {
        logger.warn('Projecting the tally failed; will be retried', { articleId, error: error as Error });
        failed.push(...recordsByStory.get(articleId)!);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, stories.length) }, worker));
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
});
