import { createRateLimiter } from '../../shared/adapters/abuse/dynamo-rate-limiter';
import { DynamoCommentStore } from '../../shared/adapters/comments/dynamo-comment-store';
import { DynamoCommentTextHistory } from '../../shared/adapters/comments/dynamo-comment-text-history';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { readerHasherFromEnvironment } from '../../shared/adapters/aws/reader-hash-key';
import { readerAuthenticatorFromEnvironment } from '../../shared/adapters/identity/reader-authenticator';
import { commentConfigFromEnv } from '../../shared/comments/comment-config';
import { commentPathSchema, editCommentBodySchema } from '../../shared/comments/comment-schemas';
import { CommentScreen } from '../../shared/comments/moderation';
import { editOwnComment } from '../../shared/comments/own-comments';
import { ENV, requireEnv } from '../../shared/config';
import { jsonBody } from '../../shared/http/body';
import { httpHandler } from '../../shared/http/http-handler';
import { readerOf } from '../../shared/http/reader';
import { json } from '../../shared/http/responses';
import { sourceHashOf } from '../../shared/http/source';
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
  texts: new DynamoCommentTextHistory(db, tableName),
  rateLimiter: createRateLimiter(db, tableName),
  screen: new CommentScreen(config),
  config,
  clock: systemClock,
};

/**
 * `PUT /comments/{commentId}/text` (the author, within 15 minutes of posting): 200 with the
 * comment as changed; 403 `not_author` for someone else's, 409 `edit_window_closed` after.
 */
export const handler = httpHandler(async (event) => {
  const reader = await readerOf(authenticator, event, systemClock.now());
  const { commentId } = parseInput(commentPathSchema, event.pathParameters ?? {}, 'path');
  const input = parseInput(editCommentBodySchema, jsonBody(event, LIMITS.maxReaderBodyBytes), 'body');
  const comment = await editOwnComment(deps, {
    commentId,
    body: input.body,
    readerId: reader.readerId,
    sourceHash: sourceHashOf(await readerHasher(), event),
  });
  return json(200, comment);
});
