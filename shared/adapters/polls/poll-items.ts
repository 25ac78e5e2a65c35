import type { VoteCounts } from '../../polls/tally-projections';

/**
 * The `counts` map and `totalVotes` of a ranking entry (or of its stored base). Its keys are
 * option ids, which are slugs (`[a-z0-9-]`): the SDK's unmarshalling assigns map keys to a plain
 * object, where only `__proto__` would not land as a key, and no slug is `__proto__`.
 */
export function voteCountsOf(item: Record<string, unknown>): VoteCounts {
  const counts = (item.counts ?? {}) as Record<string, unknown>;
  return {
    counts: new Map(Object.entries(counts).map(([option, votes]) => [option, Number(votes)])),
    totalVotes: Number(item.totalVotes ?? 0),
  };
}
