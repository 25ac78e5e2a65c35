import type { DynamoDBRecord } from 'aws-lambda';
import { createEventPublisher } from '../../shared/adapters/aws/event-publisher';
import {
  handleQueuedStreamRecords,
  type QueuedStreamEvent,
  type QueuedStreamResponse,
} from '../../shared/adapters/aws/queued-stream-records';
import { processRecordsInOrder } from '../../shared/adapters/aws/stream-batch';
import { articleImagesOf } from '../../shared/adapters/articles/article-stream-records';
import { articleChangeEvent } from '../../shared/articles/article-changes';
import { failIfInjected } from '../../shared/faults';
import { correlationIdOfStreamRecord, withCorrelationId } from '../../shared/observability/correlation';
import { eventHandler } from '../../shared/observability/event-handler';

const events = createEventPublisher();

async function publishChange(record: DynamoDBRecord): Promise<void> {
  failIfInjected('publish-article-change');
  const { current, previous } = articleImagesOf(record);
  const event = articleChangeEvent(current, previous);
  // Under the id of the request that wrote the article, so its event names that request.
  if (event) await withCorrelationId(correlationIdOfStreamRecord(record), () => events.publish([event]));
}

/**
 * Article index writes → `ArticleIngested`, one record at a time in stream order: each record's
 * event is published under its own request's correlation id, and a story's events leave in the
 * order of its changes. The records come from the stream router's FIFO queue (one message group
 * per story); at the first failure the rest of that story waits for the queue's redelivery (see
 * `processRecordsInOrder` and `queued-stream-records`), other stories go on, and after
 * `maxReceiveCount` attempts the queue moves the story's messages to its dead-letter queue.
 */
export const handler = eventHandler<QueuedStreamEvent, QueuedStreamResponse>(async (event) =>
  handleQueuedStreamRecords(event, (records) => processRecordsInOrder(records, publishChange)),
);
