import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { DynamoTallyLedger } from '../../shared/adapters/polls/dynamo-poll-tally-ledger';
import { redeliverFrom } from '../../shared/adapters/aws/stream-batch';
import { streamedVoteFrom } from '../../shared/adapters/polls/poll-stream-records';
import { ENV, requireEnv } from '../../shared/config';
import { failIfInjected } from '../../shared/faults';
import { eventHandler } from '../../shared/observability/event-handler';
import { logger } from '../../shared/observability/logger';
import { METRIC, durationMetric } from '../../shared/observability/metrics';
import { oldestRecordAgeMs } from '../../shared/observability/stream-lag';
import { aggregateVotes, type StreamedVote } from '../../shared/polls/vote-batches';
import { systemClock } from '../../shared/ports';

const ledger = new DynamoTallyLedger(createDocumentClient(), requireEnv(ENV.tableName), systemClock);

/** Stories applied at once; each is one small transaction. */
const CONCURRENCY = 8;

/**
 * New vote records → tally increments, one transaction per story per batch (see
 * shared/polls/vote-batches for why a redelivered batch is never counted twice). At the first
 * story whose update fails no further story is started, and the batch is redelivered from a
 * record where that is safe: that record and every one after it, as every stream consumer does.
 */
export const handler = eventHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>(async (event) => {
  const votes: StreamedVote[] = [];
  for (const record of event.Records) {
    const vote = streamedVoteFrom(record);
    // Only vote inserts pass the trigger's filter; anything else cannot be counted, and
    // failing on it would block every vote behind it.
    if (vote) votes.push(vote);
    else
      logger.error('Stream record is not a vote; skipped', {
        eventID: record.eventID,
        sequence: record.dynamodb?.SequenceNumber,
      });
  }
  const { retryFrom, outcomes } = await aggregateVotes(ledger, votes, {
    concurrency: CONCURRENCY,
    onGroupError: (articleId, error) =>
      logger.warn('Applying votes failed; they will be redelivered', { articleId, error: error as Error }),
  });
  if (outcomes.some((o) => o.outcome === 'applied'))
    durationMetric(METRIC.tallyLagMs, oldestRecordAgeMs(event.Records, 'votedAt') ?? NaN);
  logger.info('Votes aggregated', {
    votes: votes.length,
    stories: outcomes.length,
    failed: outcomes.filter((o) => o.outcome !== 'applied').length,
  });
  // Local stack and tests: fail after the updates were applied, as a crash or timeout would.
  failIfInjected('poll-tally-after-apply');
  if (retryFrom === null) return { batchItemFailures: [] };
  return redeliverFrom(
    event.Records,
    event.Records.findIndex((record) => record.dynamodb?.SequenceNumber === retryFrom),
    new Error('Votes of the first story of the batch could not be applied'),
  );
});
