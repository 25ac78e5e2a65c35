import { createDocumentClient } from '../../shared/adapters/dynamodb-client';
import { DynamoArticleIndex } from '../../shared/adapters/dynamo-article-index';
import { toArticleView } from '../../shared/articles/article-view';
import { ARTICLE_ID_PATTERN } from '../../shared/articles/identity';
import { ENV, requireEnv } from '../../shared/config';
import { NotFoundError } from '../../shared/errors';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import * as z from '../../shared/validation';

const articles = new DynamoArticleIndex(createDocumentClient(), requireEnv(ENV.tableName));

const pathSchema = z.object({ articleId: z.string().check(z.regex(ARTICLE_ID_PATTERN, 'Must be 16 hexadecimal digits')) });

/** `GET /articles/{articleId}`: one story with its counts. */
export const handler = httpHandler(async (event) => {
  const { articleId } = parseInput(pathSchema, event.pathParameters ?? {}, 'path');
  const found = await articles.find(articleId);
  if (!found) throw new NotFoundError(`No article ${articleId}`);
  return json(200, toArticleView(found.article, found.counts));
});
