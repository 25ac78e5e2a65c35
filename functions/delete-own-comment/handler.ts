import { DynamoCommentStore } from '../../shared/adapters/comments/dynamo-comment-store';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { readerHasherFromEnvironment } from '../../shared/adapters/aws/reader-hash-key';
import { readerAuthenticatorFromEnvironment } from '../../shared/adapters/identity/reader-authenticator';
import { commentPathSchema } from '../../shared/comments/comment-schemas';
import { deleteOwnComment } from '../../shared/comments/own-comments';
import { ENV, requireEnv } from '../../shared/config';
import { httpHandler } from '../../shared/http/http-handler';
import { readerOf } from '../../shared/http/reader';
import { noContent } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { systemClock } from '../../shared/ports';

const authenticator = readerAuthenticatorFromEnvironment(readerHasherFromEnvironment());
const deps = {
  comments: new DynamoCommentStore(createDocumentClient(), requireEnv(ENV.tableName)),
  clock: systemClock,
};

/**
 * `DELETE /comments/{commentId}` (the author, within 15 minutes of posting): 204, also when it
 * was deleted already; 403 `not_author` for someone else's, 409 `edit_window_closed` after.
 */
export const handler = httpHandler(async (event) => {
  const reader = await readerOf(authenticator, event, systemClock.now());
  const { commentId } = parseInput(commentPathSchema, event.pathParameters ?? {}, 'path');
  await deleteOwnComment(deps, { commentId, readerId: reader.readerId });
  return noContent();
});
