import type { RouteThrottle } from './types';

/**
 * Every route's limit unless it names a tighter one: well above editor and reader traffic, low
 * enough to cap a runaway client's bill. API Gateway applies it to the stage as a whole.
 */
export const STAGE_THROTTLE = { rateLimit: 100, burstLimit: 200 } as const satisfies RouteThrottle;

/**
 * The route limits HTTP triggers may name (`throttle` in the topology). They bound what all
 * callers of one write route together can cost — the tables, streams and consumers behind it — so
 * a flood on one route cannot use up the stage's whole budget; one abusive source is stopped
 * sooner by the handlers' per-source rate limits.
 */
export const ROUTE_THROTTLES = {
  /** One click each (poll votes, comment votes): the busiest reader writes on a story that takes off. */
  readerVote: { rateLimit: 50, burstLimit: 100 },
  /** What a reader writes or reports (comments, flags, error reports): far rarer than votes. */
  readerPost: { rateLimit: 10, burstLimit: 20 },
  /** Editors posting stories: up to 2 MB each to parse, a few a minute at most. */
  articleIngest: { rateLimit: 2, burstLimit: 5 },
} as const satisfies Record<string, RouteThrottle>;
