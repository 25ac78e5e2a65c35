import { createDocumentClient } from '../../shared/adapters/dynamodb-client';
import { DynamoArticleCorrections } from '../../shared/adapters/dynamo-article-corrections';
import { DynamoArticleIndex } from '../../shared/adapters/dynamo-article-index';
import { toArticleView } from '../../shared/articles/article-view';
import { articleIdPathSchema } from '../../shared/articles/article-schemas';
import { ENV, requireEnv } from '../../shared/config';
import { NotFoundError } from '../../shared/errors';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';

const db = createDocumentClient();
const articles = new DynamoArticleIndex(db, requireEnv(ENV.tableName));
const corrections = new DynamoArticleCorrections(db, requireEnv(ENV.tableName));

/** `GET /articles/{articleId}`: one story with its counts and corrections. */
export const handler = httpHandler(async (event) => {
  const { articleId } = parseInput(articleIdPathSchema, event.pathParameters ?? {}, 'path');
  // Corrections live beside the article (re-ingest rewrites it); both reads go out at once.
  const [found, published] = await Promise.all([articles.find(articleId), corrections.list(articleId)]);
  if (!found) throw new NotFoundError(`No article ${articleId}`);
  return json(200, toArticleView(found.article, found.counts, published));
});
