/**
 * Item keys of the reader poll on the single table (see `shared/store/table-design.ts`):
 *
 * | item                 | pk                          | sk                     | written by            |
 * |----------------------|-----------------------------|------------------------|-----------------------|
 * | vote (one a reader)  | `VOTE#<articleId>#<voter>`  | `VOTE`                 | cast-poll-vote        |
 * | poll definition      | `ARTICLE#<articleId>`       | `POLL`                 | ingest (or first vote)|
 * | tally shard 0..N-1   | `ARTICLE#<articleId>`       | `POLL#TALLY#<k>`       | aggregate-poll-votes  |
 * | applied-marker (TTL) | `ARTICLE#<articleId>`       | `POLL#APPLIED#<event>` | aggregate-poll-votes  |
 * | day ranking entry    | `ARTICLE#<articleId>`       | `POLL#RANK#<day>`      | publish-poll-tallies  |
 * | all-time ranking     | `ARTICLE#<articleId>`       | `POLL#RANK#ALL`        | publish-poll-tallies  |
 *
 * Votes have a partition key each (`<voter>` is the keyed hash of the reader id), so a viral
 * story spreads its votes over the whole table. Day entries are indexed on `gsi1`
 * (`POLLTOP#<day>#<shard>` / `<votes>#<articleId>`), all-time entries on `gsi2`
 * (`POLLTOP#ALL#<shard>` / same), each split over {@link RANKING_SHARDS} partitions.
 */
import { createHash } from 'node:crypto';
import { articleKeys } from './article-keys';

/** Tally shards per story: concurrent aggregations rarely touch the same item. */
export const TALLY_SHARDS = 4;

/** Partitions each ranking index list is split over, so no index key takes every ranking write. */
export const RANKING_SHARDS = 4;

/** Day ranking entries are read for a week; they are kept for a month. */
export const DAY_RANKING_LIFETIME_SECONDS = 31 * 24 * 3600;

export const pollKeys = {
  partition: articleKeys.partition,
  definition: 'POLL',
  tallyPrefix: 'POLL#TALLY#',
  tally: (shard: number) => `POLL#TALLY#${shard}`,
  marker: (eventId: string) => `POLL#APPLIED#${eventId}`,
  dayRanking: (day: string) => `POLL#RANK#${day}`,
  allTimeRanking: 'POLL#RANK#ALL',
  votePrefix: 'VOTE#',
  votePartition: (articleId: string, voterHash: string) => `VOTE#${articleId}#${voterHash}`,
  voteSort: 'VOTE',
  dayIndexPartition: (day: string, shard: number) => `POLLTOP#${day}#${shard}`,
  allTimeIndexPartition: (shard: number) => `POLLTOP#ALL#${shard}`,
  /** Zero-padded so that the string order of index sort keys is the order of vote counts. */
  rankSort: (votes: number, articleId: string) => `${String(votes).padStart(12, '0')}#${articleId}`,
} as const;

/** Per-option counts are top-level number attributes, so `ADD` works on an item that has none yet. */
export const OPTION_ATTRIBUTE_PREFIX = 'opt#';
export const optionAttribute = (optionId: string): string => `${OPTION_ATTRIBUTE_PREFIX}${optionId}`;

/** Reads the per-option counts back from an item. */
export function optionCounts(item: Record<string, unknown>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(OPTION_ATTRIBUTE_PREFIX)) counts.set(name.slice(OPTION_ATTRIBUTE_PREFIX.length), Number(value));
  }
  return counts;
}

/** The tally shard an aggregation writes: fixed by the group's first event, so spread evenly. */
export function tallyShardFor(eventId: string): number {
  return createHash('sha256').update(eventId).digest()[0]! % TALLY_SHARDS;
}

/** The ranking shard of a story (article ids are hexadecimal). */
export function rankingShardOf(articleId: string): number {
  return parseInt(articleId.slice(-4), 16) % RANKING_SHARDS;
}
