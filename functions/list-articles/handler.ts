import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { DynamoArticleIndex } from '../../shared/adapters/articles/dynamo-article-index';
import { DynamoMostVoted } from '../../shared/adapters/polls/dynamo-most-voted';
import { listArticlesQuerySchema } from '../../shared/articles/article-schemas';
import { ENV, requireEnv } from '../../shared/config';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { LIMITS } from '../../shared/limits';

const db = createDocumentClient();
const articles = new DynamoArticleIndex(db, requireEnv(ENV.tableName));
const mostVoted = new DynamoMostVoted(db, requireEnv(ENV.tableName));

/** `GET /articles`: newest stories first, or with `sort=votes` the most voted. */
export const handler = httpHandler(async (event) => {
  const query = parseInput(listArticlesQuerySchema, event.queryStringParameters ?? {}, 'query');
  const request = { limit: query.limit ?? LIMITS.pageSize.default, ...(query.cursor ? { cursor: query.cursor } : {}) };
  const page = query.sort === 'votes' ? await mostVoted.mostVoted(request) : await articles.listNewest(request);
  return json(200, page);
});
