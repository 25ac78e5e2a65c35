/** What the poll domain needs from storage; `shared/adapters/polls/` implement it on the table. */
import type { PollDefinition, PollSource, PollTally } from './poll';

export interface StoredPoll {
  /** Null until the poll is defined: at ingest, or by the first vote of a story indexed before. */
  definition: PollDefinition | null;
  tally: PollTally;
}

/** The reads of the public poll and article routes, which hold no write permission. */
export interface PollReader {
  /** The definition and the tally, in a constant number of small reads whatever the number of votes. */
  load(articleId: string): Promise<StoredPoll>;
  /** The stored definition alone, or null when the poll is not defined yet. */
  findDefinition(articleId: string): Promise<PollDefinition | null>;
  /** The article fields a poll is defined from, or null when there is no such story. */
  findSource(articleId: string): Promise<PollSource | null>;
}

export interface PollStore extends PollReader {
  /**
   * Stores the definition unless the poll already has one; returns the stored one either way. A
   * poll once defined never changes, so this is safe to repeat.
   */
  define(definition: PollDefinition): Promise<PollDefinition>;
}

/** One reader's vote; `voterHash` is the keyed hash of the verified reader id, never the id. */
export interface Vote {
  articleId: string;
  voterHash: string;
  option: string;
  votedAt: string;
}

export type RecordVoteOutcome = { recorded: true } | { recorded: false; existing: { option: string; votedAt: string } };

export interface VoteStore {
  /** Records the vote unless this reader already voted on this story; then returns that vote. */
  record(vote: Vote): Promise<RecordVoteOutcome>;
}
