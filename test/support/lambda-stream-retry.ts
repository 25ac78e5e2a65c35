import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { lambdaContext } from './api-events';

type StreamHandler = (event: DynamoDBStreamEvent, context: unknown) => Promise<DynamoDBBatchResponse | void>;

/**
 * Delivers records to a stream consumer the way Lambda's event source mapping does with
 * `ReportBatchItemFailures`: after a partial failure it checkpoints before the LOWEST reported
 * sequence number and redelivers every record from there, including any the handler had
 * already done; a thrown error redelivers the whole batch. Stops when a delivery succeeds or
 * after `maxDeliveries`. Returns the batches the handler was given.
 */
export async function deliverLikeLambda(
  handler: StreamHandler,
  records: readonly DynamoDBRecord[],
  maxDeliveries = 5,
): Promise<DynamoDBRecord[][]> {
  const deliveries: DynamoDBRecord[][] = [];
  let pending = [...records];
  while (pending.length > 0) {
    if (deliveries.length === maxDeliveries) throw new Error(`Still failing after ${maxDeliveries} deliveries`);
    deliveries.push(pending);
    let response: DynamoDBBatchResponse | void;
    try {
      response = await handler({ Records: pending }, lambdaContext());
    } catch {
      continue;
    }
    const reported = (response?.batchItemFailures ?? []).map(({ itemIdentifier }) =>
      pending.findIndex((record) => record.dynamodb?.SequenceNumber === itemIdentifier),
    );
    if (reported.includes(-1)) continue; // as Lambda: an unknown identifier fails the whole batch
    pending = reported.length === 0 ? [] : pending.slice(Math.min(...reported));
  }
  return deliveries;
}
