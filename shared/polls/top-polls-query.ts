import { ValidationError } from '../errors';
import type { Clock } from '../ports';
import type { PollDefinition } from './poll';
import type { TopPoll, TopPolls } from './poll-shapes';
import { leadingOption, pollResults } from './results';
import { daysBetween, topStories, type DayRankingSource } from './top-polls';

/** `GET /polls/top` reads at most this many UTC days (today and the six before). */
export const MAX_TOP_POLL_DAYS = 7;

export interface TopPollsDependencies {
  rankings: DayRankingSource;
  /** How many shard lists each day's ranking is split over. */
  rankingShards: number;
  definitions(articleIds: readonly string[]): Promise<Map<string, PollDefinition>>;
  clock: Clock;
}

/** The stories with the most votes cast from `since`'s UTC day to today, with their leading reaction. */
export async function topPolls(
  deps: TopPollsDependencies,
  request: { since: Date | null; limit: number },
): Promise<TopPolls> {
  const now = deps.clock.now();
  const since = request.since ?? now;
  if (since.getTime() > now.getTime()) {
    throw new ValidationError('Invalid query', [{ path: 'query.since', message: 'Must not be in the future' }]);
  }
  // Measured before the days are listed: a `since` centuries back would otherwise make one
  // request list (and pay for) every day since then, only to be refused.
  if (utcDayNumber(now) - utcDayNumber(since) >= MAX_TOP_POLL_DAYS) {
    throw new ValidationError('Invalid query', [
      { path: 'query.since', message: `At most ${MAX_TOP_POLL_DAYS - 1} days before today` },
    ]);
  }
  const days = daysBetween(since, now);
  const top = await topStories(deps.rankings, { days, shards: deps.rankingShards, limit: request.limit });
  const definitions = await deps.definitions(top.map((entry) => entry.articleId));
  const items = top.flatMap((entry): TopPoll[] => {
    const definition = definitions.get(entry.articleId);
    if (!definition) return [];
    const period = pollResults(definition, {
      counts: entry.counts,
      totalVotes: entry.totalVotes,
      version: 0,
      updatedAt: null,
    });
    const leading = leadingOption(period);
    return [
      {
        articleId: entry.articleId,
        headline: definition.headline,
        question: definition.question,
        totalVotes: entry.totalVotes,
        leadingReaction: leading
          ? { id: leading.id, label: leading.label, votes: leading.votes, percent: leading.percent }
          : null,
      },
    ];
  });
  return { from: days[0]!, to: days[days.length - 1]!, items };
}

const DAY_MS = 24 * 3600 * 1000;

/** Days since the epoch of the UTC day `time` falls on. */
function utcDayNumber(time: Date): number {
  return Math.floor(time.getTime() / DAY_MS);
}
