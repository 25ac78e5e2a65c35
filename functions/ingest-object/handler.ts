import type { S3Event } from 'aws-lambda';
import { createIngestDependencies } from '../../shared/adapters/wiring/ingest-dependencies';
import { ingestDroppedObject } from '../../shared/articles/ingest';
import { droppedObjectOf } from '../../shared/adapters/articles/s3-drop-event';
import { failIfInjected } from '../../shared/faults';
import { eventHandler } from '../../shared/observability/event-handler';
import { logger } from '../../shared/observability/logger';
import { METRIC, countMetric } from '../../shared/observability/metrics';

const deps = createIngestDependencies();

/**
 * An object was created under `incoming/`. A thrown error makes Lambda retry the event and,
 * after the last retry, send it to the dead-letter queue; the pipeline is idempotent, so a retry
 * of a half-done event repeats nothing and skips what is already done.
 */
export const handler = eventHandler<S3Event, void>(async (event) => {
  for (const record of event.Records) {
    const drop = droppedObjectOf(record);
    const { key } = drop;
    failIfInjected('ingest-object');
    const result = await ingestDroppedObject(deps, drop);
    if (result.status === 'ingested') {
      countMetric(METRIC.articlesIngested);
      logger.info('Article ingested', {
        key,
        articleId: result.articleId,
        outcome: result.outcome,
        version: result.version,
      });
    } else if (result.status === 'rejected') {
      countMetric(METRIC.articlesRejected);
      logger.warn('Input rejected', { key, reason: result.reason.code, rejectedKey: result.rejectedKey });
    } else if (result.status === 'feed') {
      const rejected = result.items.filter((item) => item.status === 'rejected').length;
      countMetric(METRIC.articlesIngested, result.items.length - rejected);
      countMetric(METRIC.articlesRejected, rejected);
      logger.info('Feed ingested', { key, format: result.format, items: result.items.length, rejected });
    } else if (result.status === 'superseded') {
      logger.info('Object replaced by a later drop, which its own event ingests', { key });
    } else {
      logger.info('Object already processed', { key });
    }
  }
});
