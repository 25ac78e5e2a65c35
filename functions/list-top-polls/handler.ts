import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { DynamoPollRankings } from '../../shared/adapters/polls/dynamo-poll-rankings';
import { ENV, requireEnv } from '../../shared/config';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { TOP_POLLS_LIMIT, topPollsQuerySchema } from '../../shared/polls/poll-schemas';
import { topPolls } from '../../shared/polls/top-polls-query';
import { systemClock } from '../../shared/ports';

const rankings = new DynamoPollRankings(createDocumentClient(), requireEnv(ENV.tableName));
const deps = {
  rankings,
  rankingShards: rankings.shards,
  definitions: (ids: readonly string[]) => rankings.definitions(ids),
  clock: systemClock,
};

/** `GET /polls/top?since=…&limit=…`: the stories with the most votes cast since a day, with their leading reaction. */
export const handler = httpHandler(async (event) => {
  const query = parseInput(topPollsQuerySchema, event.queryStringParameters ?? {}, 'query');
  return json(200, await topPolls(deps, { since: query.since ?? null, limit: query.limit ?? TOP_POLLS_LIMIT.default }));
});
