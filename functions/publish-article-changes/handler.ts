import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createEventPublisher } from '../../shared/adapters/aws/event-publisher';
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
 * order of its changes. At the first failure the rest waits for Lambda's redelivery (see
 * `processRecordsInOrder`), and after the retries the event source mapping sends the records to
 * the on-failure destination.
 */
export const handler = eventHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>(async (event) =>
  processRecordsInOrder(event.Records, publishChange),
);
