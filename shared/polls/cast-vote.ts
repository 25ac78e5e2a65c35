import { DomainError, NotFoundError, ValidationError } from '../errors';
import type { Clock } from '../ports';
import { definePoll, findOption, type PollDefinition, type PollTally } from './poll';
import type { PollOption, PollResults, ResultsWithVote, YourVote } from './poll-shapes';
import type { PollReader, PollStore, VoteStore } from './ports';
import { includingVote, pollResults, withVote } from './results';

export interface PollDependencies {
  polls: PollReader;
  /** Offered when a story's poll names no options of its own. */
  reactions: readonly string[];
  clock: Clock;
}

export interface CastVoteDependencies extends PollDependencies {
  polls: PollStore;
  votes: VoteStore;
}

export type CastVoteResult =
  | { status: 'recorded'; results: PollResults; yourVote: YourVote }
  | { status: 'already-voted'; results: PollResults; yourVote: YourVote };

/** A story's poll as read: `stored` is false for a story indexed before polls were defined at ingest. */
export interface ReadPoll {
  definition: PollDefinition;
  tally: PollTally;
  stored: boolean;
}

/**
 * The story's poll and tally, without writing anything: the stored definition, or — for a story
 * indexed before its poll was defined at ingest — the one it would be given now, which its first
 * vote then stores. 404 for an unknown story.
 */
export async function readPoll(deps: PollDependencies, articleId: string): Promise<ReadPoll> {
  const stored = await deps.polls.load(articleId);
  if (stored.definition) return { definition: stored.definition, tally: stored.tally, stored: true };
  const source = await deps.polls.findSource(articleId);
  if (!source) throw new NotFoundError(`No article ${articleId}`);
  return { definition: definePoll(source, deps.reactions, deps.clock.now()), tally: stored.tally, stored: false };
}

/** Results without voting. A public read: it writes nothing. */
export async function getPollResults(deps: PollDependencies, articleId: string): Promise<PollResults> {
  const { definition, tally } = await readPoll(deps, articleId);
  return pollResults(definition, tally);
}

/**
 * Records one reader's vote. Tallies are not written here, they follow from the table stream:
 * voting writes the vote record and, for a story indexed before
 * polls were defined at ingest, the poll on its first vote. The answer shows the tally as read
 * just before the vote, plus this vote, so the reader sees their vote counted even before the
 * aggregator has caught up. A reader who already voted gets their recorded choice and the
 * current results, which include that vote too, and nothing changes.
 */
export async function castVote(
  deps: CastVoteDependencies,
  input: { articleId: string; voterHash: string; option: string },
): Promise<CastVoteResult> {
  const poll = await readPoll(deps, input.articleId);
  optionOf(poll.definition, input.option);
  // A story indexed before polls were defined at ingest: its poll is stored before the first vote
  // refers to it. Should a concurrent request have stored one first, that one stands.
  const definition = poll.stored ? poll.definition : await deps.polls.define(poll.definition);
  const chosen = optionOf(definition, input.option);
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
      results: pollResults(definition, withVote(poll.tally, chosen.id, now)),
      yourVote: { option: chosen.id, label: chosen.label, votedAt: now.toISOString() },
    };
  }
  const recorded = outcome.existing;
  return {
    status: 'already-voted',
    results: pollResults(definition, includingVote(poll.tally, recorded)),
    yourVote: {
      option: recorded.option,
      label: findOption(definition, recorded.option)?.label ?? recorded.option,
      votedAt: recorded.votedAt,
    },
  };
}

/** The poll's option with this id; a 400 naming `body.option` when there is none. */
function optionOf(definition: PollDefinition, optionId: string): PollOption {
  const option = findOption(definition, optionId);
  if (option) return option;
  throw new ValidationError('Unknown option', [
    {
      path: 'body.option',
      message: `Not an option of this poll; one of: ${definition.options.map((o) => o.id).join(', ')}`,
    },
  ]);
}

/**
 * A reader's second vote on a story: refused with 409 `already_voted`, and answered with the
 * results and the vote that stands, so the page can show them without another request.
 */
export class AlreadyVotedError extends DomainError {
  readonly statusCode = 409;
  readonly code = 'already_voted';
  override readonly bodyFields: ResultsWithVote;

  constructor(results: PollResults, yourVote: YourVote) {
    super('This reader has already voted on this story; the vote stands as recorded');
    this.bodyFields = { ...results, yourVote };
  }
}
