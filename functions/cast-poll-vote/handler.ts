import { rateLimitFromEnv } from '../../shared/abuse/rate-limit';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { DynamoPollStore } from '../../shared/adapters/polls/dynamo-poll-store';
import { createRateLimiter } from '../../shared/adapters/abuse/dynamo-rate-limiter';
import { readerHasherFromEnvironment } from '../../shared/adapters/aws/reader-hash-key';
import { articleIdPathSchema } from '../../shared/articles/article-schemas';
import { castVoteBodySchema } from '../../shared/polls/poll-schemas';
import { ENV, requireEnv } from '../../shared/config';
import { jsonBody } from '../../shared/http/body';
import { httpHandler } from '../../shared/http/http-handler';
import { sourceHashOf } from '../../shared/http/source';
import { METRIC, countMetric } from '../../shared/observability/metrics';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { LIMITS } from '../../shared/limits';
import { AlreadyVotedError, castVote } from '../../shared/polls/cast-vote';
import { reactionsFromEnv } from '../../shared/polls/reactions';
import { systemClock } from '../../shared/ports';

const db = createDocumentClient();
const tableName = requireEnv(ENV.tableName);
const store = new DynamoPollStore(db, tableName);
const limiter = createRateLimiter(db, tableName);
/** Per source address; `RATE_LIMIT_VOTE=<count>/<seconds>` overrides it. */
const voteLimit = rateLimitFromEnv({ action: 'vote', limit: 30, windowSeconds: 60 });
const reactions = reactionsFromEnv();
const readerHasher = readerHasherFromEnvironment();

/**
 * `POST /articles/{articleId}/poll/votes` with `{ option, voterId }`: one vote per reader per
 * story. The voter token is hashed here, at the edge, and goes no further: the store, the logs
 * and the events see only the keyed hash.
 */
export const handler = httpHandler(async (event) => {
  const { articleId } = parseInput(articleIdPathSchema, event.pathParameters ?? {}, 'path');
  const body = parseInput(castVoteBodySchema, jsonBody(event, LIMITS.maxReaderBodyBytes), 'body');
  const hasher = await readerHasher();
  const sourceHash = sourceHashOf(hasher, event);
  const result = await castVote(
    {
      polls: store,
      votes: store,
      reactions,
      clock: systemClock,
      throttle: () => limiter.consume(voteLimit, sourceHash, systemClock.now()),
    },
    { articleId, voterHash: hasher.hash('voter', body.voterId), option: body.option },
  );
  if (result.status === 'recorded') {
    countMetric(METRIC.votesCast);
    return json(201, { ...result.results, yourVote: result.yourVote }, { location: `/articles/${articleId}/poll` });
  }
  throw new AlreadyVotedError(result.results, result.yourVote);
});
