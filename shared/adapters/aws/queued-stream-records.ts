/**
 * Stream consumers fed through a queue. The stream router forwards each table stream record,
 * unchanged, as the body of a message on the feature's queue (FIFO: grouped by the item's key);
 * the feature's handler keeps its stream code — it is given `DynamoDBRecord`s and answers which
 * to redeliver, as `stream-batch.ts` describes — and this adapter maps that onto Lambda's SQS
 * model:
 * - Lambda deletes every message the response does not name, and delivers the named ones again
 *   once their visibility timeout ends. In a FIFO queue a message's group is held until then, so
 *   a failed message and every later message of its group are named (the group's order), and
 *   nothing else: other items' messages are done, or tried again now.
 * - The handler's stream answer "redeliver from record k on" means k's item failed and the
 *   records before k are done; the records after k of other items were not reached, so they are
 *   handed to the handler again at once, without k's item. A handler that throws is given each
 *   item's records on their own (the queue's bisection), so one item's poison record fails only
 *   that item's messages, however the handler batches its work.
 * - A body that is not a stream record fails its message (and its group's later ones): after the
 *   queue's maxReceiveCount receives it ends in the feature's dead-letter queue.
 * The same handler still takes stream records directly (`{ Records: [...] }` read from the
 * stream), answering as a stream consumer: replaying records from the stream keeps working.
 */
import type {
  DynamoDBBatchResponse,
  DynamoDBRecord,
  DynamoDBStreamEvent,
  SQSBatchResponse,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda';
import { logger } from '../../observability/logger';

/** A feature's stream code: handles records in stream order, names those to deliver again. */
export type StreamRecordsHandler = (records: DynamoDBRecord[]) => Promise<DynamoDBBatchResponse>;

/** What a queue-fed stream consumer is invoked with: its queue's messages, or stream records (replays). */
export type QueuedStreamEvent = SQSEvent | DynamoDBStreamEvent;

/** Both answers have the same shape: the messages' ids or the records' sequence numbers to redeliver. */
export type QueuedStreamResponse = SQSBatchResponse | DynamoDBBatchResponse;

/** Runs `handle` on the event's stream records, whether a queue delivered them or the stream did. */
export function handleQueuedStreamRecords(
  event: QueuedStreamEvent,
  handle: StreamRecordsHandler,
): Promise<QueuedStreamResponse> {
  return isQueueEvent(event) ? processQueueMessages(event.Records, handle) : handle(event.Records);
}

function isQueueEvent(event: QueuedStreamEvent): event is SQSEvent {
  const records: ReadonlyArray<{ eventSource?: string }> = event.Records;
  return records.length > 0 && records.every((record) => record.eventSource === 'aws:sqs');
}

interface Pending {
  /** The message's index in the batch. */
  index: number;
  message: SQSRecord;
  record: DynamoDBRecord;
  group: string;
}

/** The SQS side; see the file comment. */
export async function processQueueMessages(
  messages: readonly SQSRecord[],
  handle: StreamRecordsHandler,
): Promise<SQSBatchResponse> {
  const groupOf = (message: SQSRecord): string => message.attributes?.MessageGroupId ?? message.messageId;
  /** Per group, the index of its first failed message: it and every later one of the group are named. */
  const failedFrom = new Map<string, number>();
  const fail = (item: Pick<Pending, 'index' | 'group'>): void => {
    const from = failedFrom.get(item.group);
    if (from === undefined || item.index < from) failedFrom.set(item.group, item.index);
  };

  const pending: Pending[] = [];
  messages.forEach((message, index) => {
    const group = groupOf(message);
    if (failedFrom.has(group)) return;
    const record = streamRecordOf(message.body);
    if (record) pending.push({ index, message, record, group });
    else {
      logger.error('Queue message is not a stream record; it fails until its dead-letter queue takes it', {
        messageId: message.messageId,
        receiveCount: message.attributes?.ApproximateReceiveCount,
      });
      fail({ index, group });
    }
  });

  const settle = async (items: Pending[]): Promise<void> => {
    let left = items;
    while (left.length > 0) {
      let response: DynamoDBBatchResponse;
      try {
        response = await handle(left.map((item) => item.record));
      } catch (error) {
        const groups = [...new Set(left.map((item) => item.group))];
        if (groups.length > 1) {
          for (const group of groups) await settle(left.filter((item) => item.group === group));
          return;
        }
        if (left.length === 1) {
          logger.warn('Queue message failed; it and the later messages of its item will be delivered again', {
            group: groups[0],
            messageId: left[0]!.message.messageId,
            error: error as Error,
          });
          fail(left[0]!);
          return;
        }
        // One item: halve, so the records before its poison one are done rather than retried with it.
        const half = Math.ceil(left.length / 2);
        await settle(left.slice(0, half));
        if (!failedFrom.has(left[0]!.group)) await settle(left.slice(half));
        return;
      }
      const reported = (response?.batchItemFailures ?? []).map(({ itemIdentifier }) =>
        left.findIndex((item) => item.record.dynamodb?.SequenceNumber === itemIdentifier),
      );
      if (reported.length === 0) return;
      if (reported.includes(-1)) {
        // Not a record of this batch: which one failed is unknown, so every message is kept.
        logger.error('Stream handler named a record not in its batch; keeping every message', {
          reported: response.batchItemFailures,
        });
        for (const item of left) fail(item);
        return;
      }
      const first = left[Math.min(...reported)]!;
      fail(first);
      left = left.slice(left.indexOf(first) + 1).filter((item) => item.group !== first.group);
    }
  };
  await settle(pending);

  return {
    batchItemFailures: messages
      .filter((message, index) => index >= (failedFrom.get(groupOf(message)) ?? Infinity))
      .map((message) => ({ itemIdentifier: message.messageId })),
  };
}

/** The stream record a message body holds, or undefined if it holds none. */
function streamRecordOf(body: string): DynamoDBRecord | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  const record = parsed as DynamoDBRecord | null;
  return typeof record === 'object' &&
    record !== null &&
    typeof record.eventName === 'string' &&
    typeof record.dynamodb?.SequenceNumber === 'string'
    ? record
    : undefined;
}
