import { DynamoCommentListings } from '../../shared/adapters/comments/dynamo-comment-listings';
import { DynamoCommentStore } from '../../shared/adapters/comments/dynamo-comment-store';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { commentConfigFromEnv } from '../../shared/comments/comment-config';
import { articlePathSchema, listCommentsQuerySchema } from '../../shared/comments/comment-schemas';
import { listComments } from '../../shared/comments/read-comments';
import { ENV, requireEnv } from '../../shared/config';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { LIMITS } from '../../shared/limits';

const db = createDocumentClient();
const tableName = requireEnv(ENV.tableName);
const deps = {
  comments: new DynamoCommentStore(db, tableName),
  listings: new DynamoCommentListings(db, tableName),
  config: commentConfigFromEnv(),
};

/** `GET /articles/{articleId}/comments?limit&cursor&sort=newest|oldest|top`: `{ items, total, nextCursor, commentsOpen }`. */
export const handler = httpHandler(async (event) => {
  const { articleId } = parseInput(articlePathSchema, event.pathParameters ?? {}, 'path');
  const query = parseInput(listCommentsQuerySchema, event.queryStringParameters ?? {}, 'query');
  const listing = await listComments(deps, {
    articleId,
    order: query.sort ?? 'newest',
    limit: query.limit ?? LIMITS.pageSize.default,
    ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
  });
  return json(200, listing);
});
