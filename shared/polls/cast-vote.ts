import { NotFoundError, ValidationError } from '../errors';
import type { Clock } from '../ports';
import { definePoll, findOption, type PollDefinition, type PollTally } from './poll';
import type { PollStore, VoteStore } from './ports';
import { includingVote, pollResults, withVote, type PollResults } from './results';

export interface PollDependencies {
  polls: PollStore;
  /** Offered when a story's poll names no options of its own. */
  reactions: readonly string[];
  clock: Clock;
}

export interface CastVoteDependencies extends PollDependencies {
  votes: VoteStore;
  /** Counts the vote against the caller's rate limit; throws RateLimitedError over it. */
  throttle: () => Promise<void>;
}

export interface YourVote {
  option: string;
  label: string;
  votedAt: string;
}

export type CastVoteResult =
  | { status: 'recorded'; results: PollResults; yourVote: YourVote }
  | { status: 'already-voted'; results: PollResults; yourVote: YourVote };

/** The story's poll and tally; the poll is defined from the article on first use. 404 for an unknown story. */
export async function loadPoll(
  deps: PollDependencies,
  articleId: string,
): Promise<{ definition: PollDefinition; tally: PollTally }> {
  const stored = await deps.polls.load(articleId);
  if (stored.definition) return { definition: stored.definition, tally: stored.tally };
  const source = await deps.polls.findSource(articleId);
  if (!source) throw new NotFoundError(`No article ${articleId}`);
  const definition = await deps.polls.define(definePoll(source, deps.reactions, deps.clock.now()));
  return { definition, tally: stored.tally };
}

/** Results without voting. */
export async function getPollResults(deps: PollDependencies, articleId: string): Promise<PollResults> {
  const { definition, tally } = await loadPoll(deps, articleId);
  return pollResults(definition, tally);
}

/**
 * Records one reader's vote. The vote record is the only write: tallies follow from the table
 * stream. The answer shows the tally as read just before the vote, plus this vote, so the
 * reader sees their vote counted even before the aggregator has caught up. A reader who already
 * voted gets their recorded choice and the current results, which include that vote too, and
 * nothing changes.
 */
export async function castVote(
  deps: CastVoteDependencies,
  input: { articleId: string; voterHash: string; option: string },
): Promise<CastVoteResult> {
  const { definition, tally } = await loadPoll(deps, input.articleId);
  const chosen = findOption(definition, input.option);
  if (!chosen) {
    throw new ValidationError('Unknown option', [
      {
        path: 'body.option',
        message: `Not an option of this poll; one of: ${definition.options.map((o) => o.id).join(', ')}`,
      },
    ]);
  }
  await deps.throttle();
  const now = deps.clock.now();
  const outcome = await deps.votes.record({
    articleId: input.articleId,
    voterHash: input.voterHash,
    option: chosen.id,
    votedAt: now.toISOString(),
  });
  if (outcome.recorded) {
    return {
      status: 'recorded',
      results: pollResults(definition, withVote(tally, chosen.id, now)),
      yourVote: { option: chosen.id, label: chosen.label, votedAt: now.toISOString() },
    };
  }
  const { option, votedAt } = outcome.existing;
  return {
    status: 'already-voted',
    results: pollResults(definition, includingVote(tally, outcome.existing)),
    yourVote: { option, label: findOption(definition, option)?.label ?? option, votedAt },
  };
}
