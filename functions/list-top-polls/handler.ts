import { createDocumentClient } from '../../shared/adapters/dynamodb-client';
import { DynamoPollRankings } from '../../shared/adapters/dynamo-poll-rankings';
import { ENV, requireEnv } from '../../shared/config';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { topPolls } from '../../shared/polls/top-polls-query';
import { systemClock } from '../../shared/ports';
import * as z from '../../shared/validation';

const rankings = new DynamoPollRankings(createDocumentClient(), requireEnv(ENV.tableName));
const deps = {
  rankings,
  rankingShards: rankings.shards,
  definitions: (ids: readonly string[]) => rankings.definitions(ids),
  clock: systemClock,
};

const querySchema = z.strictObject({
  since: z.optional(
    z.pipe(
      z
        .string()
        .check(
          z.regex(
            /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/,
            'Must be a date (2024-03-14) or an ISO-8601 time',
          ),
        ),
      z.pipe(
        z.transform((text: string) => new Date(text.length === 10 ? `${text}T00:00:00Z` : text)),
        z.date('Must be a valid date'),
      ),
    ),
  ),
  limit: z.optional(
    z.pipe(
      z.string().check(z.regex(/^\d{1,3}$/, 'Must be a whole number')),
      z.pipe(z.transform(Number), z.number().check(z.minimum(1), z.maximum(50))),
    ),
  ),
});

/** `GET /polls/top?since=…&limit=…`: the stories with the most votes cast since a day, with their leading reaction. */
export const handler = httpHandler(async (event) => {
  const query = parseInput(querySchema, event.queryStringParameters ?? {}, 'query');
  return json(200, await topPolls(deps, { since: query.since ?? null, limit: query.limit ?? 10 }));
});
