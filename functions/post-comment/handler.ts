import { DynamoCommentStore } from '../../shared/adapters/comments/dynamo-comment-store';
import { DynamoIdempotencyStore } from '../../shared/adapters/idempotency/dynamo-idempotency-store';
import { createRateLimiter } from '../../shared/adapters/abuse/dynamo-rate-limiter';
import { DynamoRecentActions } from '../../shared/adapters/comments/dynamo-recent-actions';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { readerHasherFromEnvironment } from '../../shared/adapters/aws/reader-hash-key';
import { commentConfigFromEnv } from '../../shared/comments/comment-config';
import {
  articlePathSchema,
  idempotencyHeaderSchema,
  postCommentBodySchema,
} from '../../shared/comments/comment-schemas';
import { CommentScreen } from '../../shared/comments/moderation';
import { postComment } from '../../shared/comments/post-comment';
import { ENV, requireEnv } from '../../shared/config';
import { jsonBody } from '../../shared/http/body';
import { httpHandler } from '../../shared/http/http-handler';
import { readerAuthenticatorFromEnvironment } from '../../shared/adapters/identity/reader-authenticator';
import { readerOf } from '../../shared/http/reader';
import { sourceHashOf } from '../../shared/http/source';
import { METRIC, countMetric } from '../../shared/observability/metrics';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { LIMITS } from '../../shared/limits';
import { systemClock } from '../../shared/ports';

const db = createDocumentClient();
const tableName = requireEnv(ENV.tableName);
const config = commentConfigFromEnv();
const readerHasher = readerHasherFromEnvironment();
const authenticator = readerAuthenticatorFromEnvironment(readerHasher);
const deps = {
  comments: new DynamoCommentStore(db, tableName),
  recent: new DynamoRecentActions(db, tableName),
  idempotency: new DynamoIdempotencyStore(db, tableName),
  rateLimiter: createRateLimiter(db, tableName),
  screen: new CommentScreen(config),
  config,
  clock: systemClock,
};

/**
 * `POST /articles/{articleId}/comments`: 201 with the stored comment (`approved`, or
 * `pending` when held for review) and the author's reader id. With `Idempotency-Key`, a repeat
 * answers the same.
 */
export const handler = httpHandler(async (event, context) => {
  const reader = await readerOf(authenticator, event, systemClock.now());
  const { articleId } = parseInput(articlePathSchema, event.pathParameters ?? {}, 'path');
  const headers = parseInput(idempotencyHeaderSchema, event.headers ?? {}, 'header');
  const input = parseInput(postCommentBodySchema, jsonBody(event, LIMITS.maxReaderBodyBytes), 'body');
  const hasher = await readerHasher();
  const idempotencyKey = headers['idempotency-key'];
  const { comment, replayed } = await postComment(
    deps,
    {
      articleId,
      author: input.author,
      reader,
      body: input.body,
      parentId: input.parentId ?? null,
      sourceHash: sourceHashOf(hasher, event),
      ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
    },
    // The Idempotency-Key's lock lasts as long as this invocation can.
    context,
  );
  if (!replayed) countMetric(comment.status === 'pending' ? METRIC.commentsHeld : METRIC.commentsPosted);
  return json(201, comment, replayed ? { 'idempotent-replayed': 'true' } : {});
});
