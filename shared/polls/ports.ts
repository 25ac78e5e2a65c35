/** What the poll domain needs from storage; `shared/adapters/dynamo-poll-*` implement it on the table. */
import type { PollDefinition, PollSource, PollTally } from './poll';

export interface StoredPoll {
  /** Null until the poll is first shown or voted on. */
  definition: PollDefinition | null;
  tally: PollTally;
}

export interface PollStore {
  /** The definition and the tally, in a constant number of small reads whatever the number of votes. */
  load(articleId: string): Promise<StoredPoll>;
  /** The article fields a poll is defined from, or null when there is no such story. */
  findSource(articleId: string): Promise<PollSource | null>;
  /** Stores the definition unless the poll already has one; returns the stored one either way. */
  define(definition: PollDefinition): Promise<PollDefinition>;
}

/** One reader's vote; `voterHash` is the keyed hash of the reader's token, never the token. */
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
