import { z } from 'zod';
import { createDocumentClient } from '../../shared/adapters/dynamodb-client';
import { DynamoArticleIndex } from '../../shared/adapters/dynamo-article-index';
import { ENV, requireEnv } from '../../shared/config';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { LIMITS } from '../../shared/limits';

const articles = new DynamoArticleIndex(createDocumentClient(), requireEnv(ENV.tableName));

const querySchema = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, 'Must be a whole number')
    .transform(Number)
    .pipe(z.number().min(1).max(LIMITS.pageSize.max))
    .default(LIMITS.pageSize.default),
  cursor: z.string().min(1).optional(),
});

/** `GET /articles`: newest stories first. */
export const handler = httpHandler(async (event) => {
  const query = parseInput(querySchema, event.queryStringParameters ?? {}, 'query');
  const page = await articles.listNewest({ limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) });
  return json(200, page);
});
