import { createIngestDependencies } from '../../shared/adapters/wiring/ingest-dependencies';
import { INGEST_MEDIA_TYPES } from '../../shared/articles/article-schemas';
import { ingestDocument, type FeedItemResult } from '../../shared/articles/ingest';
import { ConflictError, UnprocessableError } from '../../shared/errors';
import { bodyBytes, requireMediaType } from '../../shared/http/body';
import { requireEditor } from '../../shared/http/caller';
import { httpHandler } from '../../shared/http/http-handler';
import { METRIC, countMetric } from '../../shared/observability/metrics';
import { json } from '../../shared/http/responses';
import { LIMITS } from '../../shared/limits';

const deps = createIngestDependencies();

/**
 * `POST /articles` (editors): runs a posted page, JSON article, ninjs item or feed through the
 * ingest pipeline synchronously, so the editor learns the article id or the rejection reason in
 * the response — for a feed, one per item.
 */
export const handler = httpHandler(async (event, context) => {
  const editor = requireEditor(event);
  const contentType = requireMediaType(event, INGEST_MEDIA_TYPES);
  const body = bodyBytes(event, LIMITS.maxIngestBytes);
  const result = await ingestDocument(deps, {
    sourceKey: `api/${context.awsRequestId}`,
    body,
    contentType,
    // When API Gateway received the request: two editors' posts are ordered by arrival.
    receivedAt: new Date(event.requestContext.timeEpoch),
  });
  if (result.status === 'feed') {
    const rejected = result.items.filter((item) => item.status === 'rejected').length;
    countMetric(METRIC.articlesIngested, result.items.length - rejected);
    countMetric(METRIC.articlesRejected, rejected);
    return json(200, { format: result.format, items: result.items.map(feedItemView), submittedBy: editor.subject });
  }
  countMetric(result.status === 'rejected' ? METRIC.articlesRejected : METRIC.articlesIngested);
  if (result.status === 'rejected') {
    throw new UnprocessableError(`article_rejected`, `The input is not a story: ${result.reason.message}`, [
      { path: 'body', message: result.reason.code },
    ]);
  }
  if (result.outcome === 'stale') {
    throw new ConflictError(
      `A newer version of this story (version ${result.version}) arrived while this one was processed; ` +
        'this one was not applied',
      [{ path: 'body', message: 'stale' }],
    );
  }
  const status = result.outcome === 'created' ? 201 : 200;
  return json(
    status,
    { id: result.articleId, version: result.version, outcome: result.outcome, submittedBy: editor.subject },
    { location: `/articles/${result.articleId}` },
  );
});

/** An item's story id and outcome, or why it was rejected; a stale item is reported, not an error of the feed. */
function feedItemView(item: FeedItemResult) {
  return item.status === 'rejected'
    ? { rejected: { code: item.reason.code, message: item.reason.message } }
    : { id: item.articleId, version: item.version, outcome: item.outcome };
}
