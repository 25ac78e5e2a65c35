import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { DynamoArticleCorrections } from '../../shared/adapters/articles/dynamo-article-corrections';
import { DynamoArticleIndex } from '../../shared/adapters/articles/dynamo-article-index';
import { DynamoPollStore } from '../../shared/adapters/polls/dynamo-poll-store';
import { toArticleView } from '../../shared/articles/article-view';
import { articleIdPathSchema } from '../../shared/articles/article-schemas';
import { ENV, requireEnv } from '../../shared/config';
import { NotFoundError } from '../../shared/errors';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { pollShown } from '../../shared/polls/poll';
import { reactionsFromEnv } from '../../shared/polls/reactions';
import { systemClock } from '../../shared/ports';
import { pollSourceOf } from '../../shared/articles/poll-source';

const db = createDocumentClient();
const articles = new DynamoArticleIndex(db, requireEnv(ENV.tableName));
const corrections = new DynamoArticleCorrections(db, requireEnv(ENV.tableName));
const polls = new DynamoPollStore(db, requireEnv(ENV.tableName));
const reactions = reactionsFromEnv();

/** `GET /articles/{articleId}`: one story with its counts, corrections and poll. Reads only. */
export const handler = httpHandler(async (event) => {
  const { articleId } = parseInput(articleIdPathSchema, event.pathParameters ?? {}, 'path');
  // Corrections and the poll live beside the article (re-ingest rewrites it); the reads go out at once.
  const [found, published, definedPoll] = await Promise.all([
    articles.find(articleId),
    corrections.list(articleId),
    polls.findDefinition(articleId),
  ]);
  if (!found) throw new NotFoundError(`No article ${articleId}`);
  const poll = pollShown(definedPoll, pollSourceOf(found.article), reactions, systemClock.now());
  return json(200, toArticleView(found.article, found.counts, poll, published));
});
