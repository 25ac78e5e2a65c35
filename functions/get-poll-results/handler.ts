import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { DynamoPollStore } from '../../shared/adapters/polls/dynamo-poll-store';
import { articleIdPathSchema } from '../../shared/articles/article-schemas';
import { ENV, requireEnv } from '../../shared/config';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { getPollResults } from '../../shared/polls/cast-vote';
import { reactionsFromEnv } from '../../shared/polls/reactions';
import { systemClock } from '../../shared/ports';

const deps = {
  polls: new DynamoPollStore(createDocumentClient(), requireEnv(ENV.tableName)),
  reactions: reactionsFromEnv(),
  clock: systemClock,
};

/** `GET /articles/{articleId}/poll`: the results without voting. */
export const handler = httpHandler(async (event) => {
  const { articleId } = parseInput(articleIdPathSchema, event.pathParameters ?? {}, 'path');
  return json(200, await getPollResults(deps, articleId));
});
