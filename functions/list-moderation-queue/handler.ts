import { DynamoCommentListings } from '../../shared/adapters/comments/dynamo-comment-listings';
import { DynamoModerationContext } from '../../shared/adapters/comments/dynamo-moderation-context';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { moderationQueueQuerySchema } from '../../shared/comments/comment-schemas';
import { listModerationQueue } from '../../shared/comments/read-comments';
import { ENV, requireEnv } from '../../shared/config';
import { requireEditor } from '../../shared/http/caller';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { LIMITS } from '../../shared/limits';

const db = createDocumentClient();
const tableName = requireEnv(ENV.tableName);
const deps = {
  listings: new DynamoCommentListings(db, tableName),
  context: new DynamoModerationContext(db, tableName),
};

/**
 * `GET /moderation/comments?status=pending|flagged` (editors): the queue, oldest first, each
 * comment with its story and parent, and the count of both queues.
 */
export const handler = httpHandler(async (event) => {
  requireEditor(event);
  const query = parseInput(moderationQueueQuerySchema, event.queryStringParameters ?? {}, 'query');
  const page = await listModerationQueue(deps, {
    status: query.status ?? 'pending',
    limit: query.limit ?? LIMITS.pageSize.default,
    ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
  });
  return json(200, page);
});
