import type { PollDefinition, PollTally } from './poll';
import type { OptionResult, PollResults } from './poll-shapes';

/**
 * The results of a poll from its tally. Counts of options the poll no longer offers cannot
 * occur (a poll's options never change), so the total is the sum of the options shown.
 */
export function pollResults(definition: PollDefinition, tally: PollTally): PollResults {
  const votes = definition.options.map((option) => tally.counts.get(option.id) ?? 0);
  const percents = wholePercents(votes);
  return {
    question: definition.question,
    options: definition.options.map((option, i) => ({ ...option, votes: votes[i]!, percent: percents[i]! })),
    totalVotes: votes.reduce((sum, n) => sum + n, 0),
    updatedAt: tally.updatedAt,
  };
}

/** The tally with one more vote for `optionId`: what it will be once the vote is aggregated. */
export function withVote(tally: PollTally, optionId: string, at: Date): PollTally {
  return addVote(tally, optionId, at.toISOString());
}

/**
 * The tally as a reader who voted earlier must see it: with their vote in. The aggregator stamps
 * a tally with the time it applied votes, always after they were recorded, so a tally last
 * updated before the vote cannot hold it yet, and the vote is added. A tally updated since may
 * or may not hold it (the vote may wait in a later batch): which votes it holds is not recorded,
 * so the voter's option is shown with at least their own vote, never a count the vote
 * contradicts.
 */
export function includingVote(tally: PollTally, vote: { option: string; votedAt: string }): PollTally {
  if (tally.updatedAt === null || tally.updatedAt < vote.votedAt) return addVote(tally, vote.option, vote.votedAt);
  if ((tally.counts.get(vote.option) ?? 0) > 0) return tally;
  return addVote(tally, vote.option, tally.updatedAt);
}

function addVote(tally: PollTally, optionId: string, updatedAt: string): PollTally {
  return {
    counts: new Map(tally.counts).set(optionId, (tally.counts.get(optionId) ?? 0) + 1),
    totalVotes: tally.totalVotes + 1,
    version: tally.version,
    updatedAt,
  };
}

/**
 * Whole percentages that add up to exactly 100 when there are votes (largest-remainder method):
 * each share is rounded down, and the points left go to the largest remainders, ties to the
 * option listed first. All zeros when nobody voted.
 */
export function wholePercents(votes: readonly number[]): number[] {
  const total = votes.reduce((sum, n) => sum + n, 0);
  if (total === 0) return votes.map(() => 0);
  // Integer arithmetic, so equal shares have exactly equal remainders.
  const floors = votes.map((n) => Math.floor((n * 100) / total));
  let left = 100 - floors.reduce((sum, n) => sum + n, 0);
  const byRemainder = votes
    .map((n, index) => ({ index, remainder: (n * 100) % total }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left === 0) break;
    floors[index]! += 1;
    left -= 1;
  }
  return floors;
}

/** The option with the most votes (the first listed on a tie), or null when nobody voted. */
export function leadingOption(results: PollResults): OptionResult | null {
  let best: OptionResult | null = null;
  for (const option of results.options) if (option.votes > 0 && (!best || option.votes > best.votes)) best = option;
  return best;
}
