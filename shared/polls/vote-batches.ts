/**
 * Turning a batch of vote records from the table stream into tally updates, exactly once.
 *
 * Stream delivery is at least once: Lambda redelivers a batch after a failure, from the start
 * of the batch or from the lowest sequence number the handler reports as failed, and a redelivered batch
 * may hold other records than the first delivery. Records of one batch come from one stream
 * shard, in order, and Lambda reads a shard one batch at a time (ParallelizationFactor 1, which
 * the stack keeps), so their sequence numbers can be compared with each other; records of
 * different shards cannot be compared, and Lambda does not say which shard a batch is from.
 * Bisecting a failed batch would start a redelivery at an arbitrary record, so it is off.
 *
 * So each story's votes in a batch (a "group") are applied together with an applied-marker keyed
 * by the event id of the group's first record, holding the sequence number of its last. A
 * redelivered group starts with the same first record (see {@link retryFrom}), finds the marker,
 * skips what it covers — records of the same shard, so comparable — and applies the rest under a
 * marker of its own. No record is counted twice, and none is skipped that was not counted.
 */
import { runInOrderUntilFailure } from '../concurrency';
import type { OptionCounts } from './poll';

/** One vote as read from its stream record. */
export interface StreamedVote {
  /** The record's stream sequence number: decimal digits, increasing within a shard. */
  sequence: string;
  /** The record's event id, unique in the stream. */
  eventId: string;
  articleId: string;
  option: string;
}

/** One story's votes in a batch, in stream order. */
export interface StoryVotes {
  articleId: string;
  votes: StreamedVote[];
}

/** What the tally store reports for one attempt at applying a group. */
export type ApplyOutcome = { applied: true } | { applied: false; markerLastSequence: string };

export interface TallyLedger {
  /**
   * Adds the votes to the story's tally and writes the applied-marker of `votes[0].eventId`
   * (holding the last vote's sequence number) in one atomic write — unless that marker exists,
   * in which case nothing is written and the marker's last sequence number is returned.
   */
  apply(articleId: string, votes: readonly StreamedVote[]): Promise<ApplyOutcome>;
}

/** `not-attempted`: left for the redelivery, because a story before it failed. */
export type GroupOutcome = 'applied' | 'failed' | 'incomplete' | 'not-attempted';

/** Orders two sequence numbers of the same shard (decimal strings of up to 40 digits). */
export function compareSequences(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The batch's votes by story, each story's in stream order, stories in order of their first vote. */
export function votesByStory(votes: readonly StreamedVote[]): StoryVotes[] {
  const byStory = new Map<string, StoryVotes>();
  for (const vote of votes) {
    const group = byStory.get(vote.articleId) ?? { articleId: vote.articleId, votes: [] };
    group.votes.push(vote);
    byStory.set(vote.articleId, group);
  }
  return [...byStory.values()];
}

/** Per-option counts and total of some votes. */
export function countVotes(votes: readonly StreamedVote[]): { counts: OptionCounts; total: number } {
  const counts = new Map<string, number>();
  for (const vote of votes) counts.set(vote.option, (counts.get(vote.option) ?? 0) + 1);
  return { counts, total: votes.length };
}

/**
 * Applies one story's votes, skipping those that applied-markers show were counted before.
 * `incomplete` means this delivery ends inside a group that an earlier delivery applied: the
 * rest of that group was counted too, and the group must be redelivered from its first record
 * (which has the marker) rather than resumed in its middle (which has none).
 */
export async function applyStoryVotes(ledger: TallyLedger, story: StoryVotes): Promise<'applied' | 'incomplete'> {
  let pending = story.votes;
  while (pending.length > 0) {
    const outcome = await ledger.apply(story.articleId, pending);
    if (outcome.applied) return 'applied';
    const last = pending[pending.length - 1]!;
    if (compareSequences(last.sequence, outcome.markerLastSequence) < 0) return 'incomplete';
    pending = pending.filter((vote) => compareSequences(vote.sequence, outcome.markerLastSequence) > 0);
  }
  return 'applied';
}

/**
 * The sequence number to redeliver from, or null when every group was applied. It is the first
 * record of the earliest group that failed, moved back to the first record of any group that
 * spans it: a redelivery must never start inside a group, because only a group's first record
 * has a marker to find.
 */
export function retryFrom(groups: ReadonlyArray<{ story: StoryVotes; outcome: GroupOutcome }>): string | null {
  const spans = groups.map(({ story }) => ({
    first: story.votes[0]!.sequence,
    last: story.votes[story.votes.length - 1]!.sequence,
  }));
  let from: string | null = null;
  groups.forEach(({ outcome }, i) => {
    if (outcome !== 'applied' && (from === null || compareSequences(spans[i]!.first, from) < 0)) from = spans[i]!.first;
  });
  if (from === null) return null;
  let moved = true;
  while (moved) {
    moved = false;
    for (const span of spans) {
      if (compareSequences(span.first, from) < 0 && compareSequences(span.last, from) >= 0) {
        from = span.first;
        moved = true;
      }
    }
  }
  return from;
}

/**
 * Applies a batch: the stories' groups in order of their first vote, a few at a time, then the
 * point to redeliver from. As every stream consumer does, it stops at the first failure: a group
 * that throws is `failed`, no group is started after it (they are `not-attempted`), and the
 * redelivery from {@link retryFrom} takes them all again. Groups already under way finish; what
 * they applied their markers keep from being counted twice.
 */
export async function aggregateVotes(
  ledger: TallyLedger,
  votes: readonly StreamedVote[],
  options: { concurrency: number; onGroupError?: (articleId: string, error: unknown) => void },
): Promise<{ retryFrom: string | null; outcomes: Array<{ story: StoryVotes; outcome: GroupOutcome }> }> {
  const stories = votesByStory(votes);
  const outcomes: Array<{ story: StoryVotes; outcome: GroupOutcome }> = stories.map((story) => ({
    story,
    outcome: 'not-attempted',
  }));
  const failures = await runInOrderUntilFailure(outcomes, options.concurrency, async (entry) => {
    entry.outcome = await applyStoryVotes(ledger, entry.story);
  });
  for (const { item: entry, error } of failures) {
    entry.outcome = 'failed';
    options.onGroupError?.(entry.story.articleId, error);
  }
  return { retryFrom: retryFrom(outcomes), outcomes };
}
