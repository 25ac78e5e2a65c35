import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { DynamoPollStore } from '../../shared/adapters/polls/dynamo-poll-store';
import { readerAuthenticatorFromEnvironment } from '../../shared/adapters/identity/reader-authenticator';
import { readerOf } from '../../shared/http/reader';
import { readerHasherFromEnvironment } from '../../shared/adapters/aws/reader-hash-key';
import { articleIdPathSchema } from '../../shared/articles/article-schemas';
import { castVoteBodySchema } from '../../shared/polls/poll-schemas';
import { ENV, requireEnv } from '../../shared/config';
import { jsonBody } from '../../shared/http/body';
import { httpHandler } from '../../shared/http/http-handler';
import { METRIC, countMetric } from '../../shared/observability/metrics';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { LIMITS } from '../../shared/limits';
import { CachedPollStore } from '../../shared/polls/cached-poll-store';
import { AlreadyVotedError, castVote } from '../../shared/polls/cast-vote';
import { reactionsFromEnv } from '../../shared/polls/reactions';
import { systemClock } from '../../shared/ports';

const db = createDocumentClient();
const tableName = requireEnv(ENV.tableName);
const store = new DynamoPollStore(db, tableName);
/** What a vote reads, remembered for a second: the definition never changes, the tally shown may lag 1 s. */
const polls = new CachedPollStore(store, systemClock, { maxAgeMs: 1_000, maxEntries: 1_000 });
const reactions = reactionsFromEnv();
const readerHasher = readerHasherFromEnvironment();
const authenticator = readerAuthenticatorFromEnvironment(readerHasher);

/**
 * `POST /articles/{articleId}/poll/votes` with `{ option }`: one vote per reader per story, the
 * reader being the one the bearer token names. The reader id is hashed here, at the edge, and goes
 * no further: the store, the logs and the events see only the keyed hash. No per-source limit:
 * what one address can cast is bounded by the reader tokens it can mint.
 */
export const handler = httpHandler(async (event) => {
  const reader = await readerOf(authenticator, event, systemClock.now());
  const { articleId } = parseInput(articleIdPathSchema, event.pathParameters ?? {}, 'path');
  const body = parseInput(castVoteBodySchema, jsonBody(event, LIMITS.maxReaderBodyBytes), 'body');
  const hasher = await readerHasher();
  const result = await castVote(
    { polls, votes: store, reactions, clock: systemClock },
    { articleId, voterHash: hasher.hash('voter', reader.readerId), option: body.option },
  );
  if (result.status === 'recorded') {
    countMetric(METRIC.votesCast);
    return json(201, { ...result.results, yourVote: result.yourVote }, { location: `/articles/${articleId}/poll` });
  }
  throw new AlreadyVotedError(result.results, result.yourVote);
});
