import { DynamoCommentListings } from '../../shared/adapters/comments/dynamo-comment-listings';
import { DynamoCommentStore } from '../../shared/adapters/comments/dynamo-comment-store';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { commentPathSchema, pageQuerySchema } from '../../shared/comments/comment-schemas';
import { listReplies } from '../../shared/comments/read-comments';
import { ENV, requireEnv } from '../../shared/config';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { LIMITS } from '../../shared/limits';

const db = createDocumentClient();
const tableName = requireEnv(ENV.tableName);
const deps = { comments: new DynamoCommentStore(db, tableName), listings: new DynamoCommentListings(db, tableName) };

/** `GET /comments/{commentId}/replies?limit&cursor`: the visible replies of a thread, oldest first. */
export const handler = httpHandler(async (event) => {
  const { commentId } = parseInput(commentPathSchema, event.pathParameters ?? {}, 'path');
  const query = parseInput(pageQuerySchema, event.queryStringParameters ?? {}, 'query');
  const page = await listReplies(deps, {
    commentId,
    limit: query.limit ?? LIMITS.pageSize.default,
    ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
  });
  return json(200, page);
});
