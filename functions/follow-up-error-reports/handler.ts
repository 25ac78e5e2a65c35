import type { DynamoDBRecord } from 'aws-lambda';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { DynamoErrorReports } from '../../shared/adapters/error-reports/dynamo-error-reports';
import { reportImagesOf } from '../../shared/adapters/error-reports/report-stream-records';
import { createEventPublisher } from '../../shared/adapters/aws/event-publisher';
import {
  handleQueuedStreamRecords,
  type QueuedStreamEvent,
  type QueuedStreamResponse,
} from '../../shared/adapters/aws/queued-stream-records';
import { processRecordsInOrder } from '../../shared/adapters/aws/stream-batch';
import { ENV, requireEnv } from '../../shared/config';
import { contactRetentionSeconds } from '../../shared/error-reports/contact-retention';
import { followUpReportChange } from '../../shared/error-reports/follow-up';
import { reportChangeEffects } from '../../shared/error-reports/report-changes';
import { correlationIdOfStreamRecord, withCorrelationId } from '../../shared/observability/correlation';
import { eventHandler } from '../../shared/observability/event-handler';
import { logger } from '../../shared/observability/logger';

const reports = new DynamoErrorReports(createDocumentClient(), requireEnv(ENV.tableName));
const deps = { contacts: reports, counts: reports, events: createEventPublisher() };
const retentionSeconds = contactRetentionSeconds();

async function followUp(record: DynamoDBRecord): Promise<void> {
  const { current, previous } = reportImagesOf(record);
  const effects = reportChangeEffects(current, previous, retentionSeconds);
  if (!effects) return;
  // Under the id of the request that wrote the report, so its logs and events name that request.
  await withCorrelationId(correlationIdOfStreamRecord(record), async () => {
    await followUpReportChange(deps, effects);
    // Ids and types only: the report's text is the reader's, and stays out of the logs.
    logger.info('Error report change followed up', {
      reportId: effects.reportId,
      articleId: effects.articleId,
      event: effects.event.detailType,
      openCountDelta: effects.openCountChange?.delta ?? 0,
    });
  });
}

/**
 * Report writes → the story's open count, the contact's erasure time and the report events
 * (`ErrorReportSubmitted`, `ErrorReportUpdated`, `ErrorReportResolved`). Read from the table
 * stream (through the stream router's FIFO queue, one message group per report), so no committed
 * change goes without them. Records are followed one at a time in stream order and a report's
 * first failure stops that report (see `processRecordsInOrder` and `queued-stream-records`), so
 * its events leave in the order its changes were made, even across retries; after
 * `maxReceiveCount` attempts its messages end in the queue's dead-letter queue.
 */
export const handler = eventHandler<QueuedStreamEvent, QueuedStreamResponse>(async (event) =>
  handleQueuedStreamRecords(event, (records) => processRecordsInOrder(records, followUp)),
);
