import { createDocumentClient } from '../../shared/adapters/dynamodb-client';
import { DynamoArticleIndex } from '../../shared/adapters/dynamo-article-index';
import { DynamoPollRankings } from '../../shared/adapters/dynamo-poll-rankings';
import { ENV, requireEnv } from '../../shared/config';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { LIMITS } from '../../shared/limits';
import * as z from '../../shared/validation';

const db = createDocumentClient();
const articles = new DynamoArticleIndex(db, requireEnv(ENV.tableName));
const pollRankings = new DynamoPollRankings(db, requireEnv(ENV.tableName));

const querySchema = z.strictObject({
  limit: z.optional(
    z.pipe(
      z.string().check(z.regex(/^\d{1,3}$/, 'Must be a whole number')),
      z.pipe(z.transform(Number), z.number().check(z.minimum(1), z.maximum(LIMITS.pageSize.max))),
    ),
  ),
  cursor: z.optional(z.string().check(z.minLength(1))),
  /** `votes`: most votes first, from the poll ranking index (stories with votes only). */
  sort: z.optional(z.enum(['newest', 'votes'])),
});

/** `GET /articles`: newest stories first, or with `sort=votes` the most voted. */
export const handler = httpHandler(async (event) => {
  const query = parseInput(querySchema, event.queryStringParameters ?? {}, 'query');
  const request = { limit: query.limit ?? LIMITS.pageSize.default, ...(query.cursor ? { cursor: query.cursor } : {}) };
  const page = query.sort === 'votes' ? await pollRankings.mostVoted(request) : await articles.listNewest(request);
  return json(200, page);
});
