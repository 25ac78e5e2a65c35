import { DynamoCommentTextHistory } from '../../shared/adapters/comments/dynamo-comment-text-history';
import { DynamoReaderActivity } from '../../shared/adapters/comments/dynamo-reader-activity';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { DynamoReaderBans } from '../../shared/adapters/identity/dynamo-reader-bans';
import { readerRecordQuerySchema } from '../../shared/comments/comment-schemas';
import { readerPathSchema } from '../../shared/identity/ban-schemas';
import { readReaderRecord } from '../../shared/comments/reader-record';
import { ENV, requireEnv } from '../../shared/config';
import { requireEditor } from '../../shared/http/caller';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { LIMITS } from '../../shared/limits';
import { systemClock } from '../../shared/ports';

const db = createDocumentClient();
const tableName = requireEnv(ENV.tableName);
const deps = {
  activity: new DynamoReaderActivity(db, tableName),
  texts: new DynamoCommentTextHistory(db, tableName),
  bans: new DynamoReaderBans(db, tableName),
  clock: systemClock,
};

/**
 * `GET /moderation/readers/{readerId}?limit&commentsCursor&flagsCursor` (editors): the reader's
 * ban and ban history, and a page each of their comments and flags, newest first.
 */
export const handler = httpHandler(async (event) => {
  requireEditor(event);
  const { readerId } = parseInput(readerPathSchema, event.pathParameters ?? {}, 'path');
  const query = parseInput(readerRecordQuerySchema, event.queryStringParameters ?? {}, 'query');
  const record = await readReaderRecord(deps, {
    readerId,
    limit: query.limit ?? LIMITS.pageSize.default,
    ...(query.commentsCursor !== undefined ? { commentsCursor: query.commentsCursor } : {}),
    ...(query.flagsCursor !== undefined ? { flagsCursor: query.flagsCursor } : {}),
  });
  return json(200, record);
});
