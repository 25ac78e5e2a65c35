import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { createEventPublisher } from '../../shared/adapters/event-publisher';
import { articleChangeEvent } from '../../shared/articles/article-changes';
import type { IndexedArticle } from '../../shared/articles/article-index';
import { failIfInjected } from '../../shared/faults';
import { correlationIdOfStreamRecord, withCorrelationId } from '../../shared/observability/correlation';
import { eventHandler } from '../../shared/observability/event-handler';

const events = createEventPublisher();
const processor = new BatchProcessor(EventType.DynamoDBStreams);

type Image = NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];
const fromImage = (image: Image): Partial<IndexedArticle> | undefined =>
  image ? (unmarshall(image as Record<string, AttributeValue>) as Partial<IndexedArticle>) : undefined;

async function publishChange(record: DynamoDBRecord): Promise<void> {
  failIfInjected('publish-article-change');
  const event = articleChangeEvent(fromImage(record.dynamodb?.NewImage), fromImage(record.dynamodb?.OldImage));
  // Under the id of the request that wrote the article, so its event names that request.
  if (event) await withCorrelationId(correlationIdOfStreamRecord(record), () => events.publish([event]));
}

/**
 * Article index writes → `ArticleIngested`. Each record succeeds or fails on its own; failed
 * ones are reported as batch item failures so only they are retried, and after the retries the
 * event source mapping sends them to the on-failure destination. One at a time: each record's
 * event is published under its own request's correlation id.
 */
export const handler = eventHandler<DynamoDBStreamEvent, unknown>(async (event, context) =>
  processPartialResponse(event, publishChange, processor, { context, processInParallel: false }),
);
