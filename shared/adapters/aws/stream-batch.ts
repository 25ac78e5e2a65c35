/**
 * How every consumer of a table stream reports a partial failure, matching Lambda's retry model
 * for stream event source mappings with `ReportBatchItemFailures`: Lambda checkpoints before the
 * LOWEST sequence number among the reported items and redelivers every record from there on,
 * whether or not the handler succeeded with it. A consumer that went on after a failed record
 * would therefore see the later records again (publishing their events twice) and, worse, after
 * the failed record's retry (so a report's `ErrorReportUpdated` could follow its
 * `ErrorReportResolved`). So a consumer stops at its first failure and reports that record and
 * every record after it: what Lambda redelivers is then exactly what was not done.
 *
 * Powertools' `BatchProcessor` goes on after a failure and reports only the failed records; its
 * stop-at-first-failure processors (`SqsFifoPartialProcessor*`) are for SQS FIFO only, so the
 * stream equivalent is this small helper.
 */
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { logger } from '../../observability/logger';

/**
 * The batch response that has Lambda redeliver `records[from]` and every record after it; an
 * empty report (nothing to redeliver) when `from` is past the end.
 */
export function reportFrom(records: readonly DynamoDBRecord[], from: number): DynamoDBBatchResponse {
  return {
    // A record without a sequence number cannot come from a stream; the empty identifier it
    // gets makes Lambda fail (and retry) the whole batch, which is the safe reading.
    batchItemFailures: records.slice(Math.max(0, from)).map((record) => ({
      itemIdentifier: record.dynamodb?.SequenceNumber ?? '',
    })),
  };
}

/**
 * Has Lambda redeliver `records[from]` and every record after it. When that is the first record
 * (nothing in the batch was done) it throws `error` instead: the same redelivery, but as a
 * function error, which a mapping with `BisectBatchOnFunctionError` answers by halving the batch,
 * so a poison record ends alone in the on-failure destination. A report of every record would be
 * retried whole and, after the retries, discard the good records behind the poison one too.
 */
export function redeliverFrom(records: readonly DynamoDBRecord[], from: number, error: unknown): DynamoDBBatchResponse {
  if (from <= 0) throw error;
  return reportFrom(records, from);
}

/**
 * Handles the records one at a time, in stream order. At the first record whose handling
 * throws, stops (nothing after it is handled) and has it and every later record redelivered
 * (see {@link redeliverFrom}), so that Lambda's retry resumes exactly there and every record's
 * effects happen in stream order.
 */
export async function processRecordsInOrder(
  records: readonly DynamoDBRecord[],
  handle: (record: DynamoDBRecord) => Promise<void>,
): Promise<DynamoDBBatchResponse> {
  for (const [index, record] of records.entries()) {
    try {
      await handle(record);
    } catch (error) {
      logger.error('Stream record failed; it and the records after it are left for redelivery', {
        error: error as Error,
        eventID: record.eventID,
        sequence: record.dynamodb?.SequenceNumber,
        reported: records.length - index,
      });
      return redeliverFrom(records, index, error);
    }
  }
  return { batchItemFailures: [] };
}
