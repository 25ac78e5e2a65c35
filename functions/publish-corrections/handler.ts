import type { EventBridgeEvent } from 'aws-lambda';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { DynamoArticleCorrections } from '../../shared/adapters/articles/dynamo-article-corrections';
import { createS3Client } from '../../shared/adapters/aws/s3-client';
import { S3ObjectStore } from '../../shared/adapters/aws/s3-object-store';
import { ARTICLE_ID_PATTERN } from '../../shared/articles/identity';
import { syncArticleObject } from '../../shared/articles/article-object';
import { ENV, requireEnv } from '../../shared/config';
import { eventHandler } from '../../shared/observability/event-handler';
import { logger } from '../../shared/observability/logger';

const deps = {
  stories: new DynamoArticleCorrections(createDocumentClient(), requireEnv(ENV.tableName)),
  objects: new S3ObjectStore(createS3Client(), requireEnv(ENV.bucketName)),
};

type Detail = { articleId?: unknown };

/**
 * A correction was published (`ErrorReportResolved` as corrected) or a story was ingested
 * (`ArticleIngested`): make `articles/<id>.json` show the story as indexed, with its corrections.
 * Ingest renders the object itself; this render, driven by the event the index write produced,
 * repairs it if that ingest stopped after the write. A throw makes EventBridge retry, then send
 * the event to the dead-letter queue; rendering again is harmless.
 */
export const handler = eventHandler<EventBridgeEvent<string, Detail>, void>(async (event) => {
  const articleId = event.detail.articleId;
  if (typeof articleId !== 'string' || !ARTICLE_ID_PATTERN.test(articleId)) {
    logger.warn('Event without a valid article id ignored', { detailType: event['detail-type'] });
    return;
  }
  const outcome = await syncArticleObject(deps, articleId);
  logger.info('Article object rendered', { articleId, outcome, trigger: event['detail-type'] });
});
