/**
 * The table's stream filters, as Lambda filter criteria: each stream consumer is given only the
 * items it handles (by its event source mapping, or by the stream router, which matches records
 * against the same patterns). Declared beside the keys they select, so the topology (CDK and local
 * stack) reads them without loading any adapter. Items are selected by their key (`Keys`), which
 * every record carries, so the router can merge patterns that differ in one key alone.
 */
import type { EventPattern } from '../event-pattern';
import { COMMENT_KEY_PREFIXES } from './comment-keys';
import { articleKeys } from './article-keys';
import { pollKeys } from './poll-keys';
import { reportKeys } from './report-keys';
import { TABLE_KEYS } from './table-design';

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

/**
 * The stream records the comment consumer wants, as Lambda filter criteria: comment items,
 * vote and flag records, and story metadata (for embedded comments). It is never invoked for
 * anything else (polls, reports, rate-limit counters).
 */
export const COMMENT_STREAM_FILTERS: readonly EventPattern[] = [
  { dynamodb: { Keys: { [SK]: { S: [{ prefix: COMMENT_KEY_PREFIXES.comment }] } } } },
  {
    dynamodb: { Keys: { [PK]: { S: [{ prefix: COMMENT_KEY_PREFIXES.vote }, { prefix: COMMENT_KEY_PREFIXES.flag }] } } },
  },
  { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { [SK]: { S: [COMMENT_KEY_PREFIXES.articleMeta] } } } },
];

/** Stream filter of the aggregator: new vote items only. */
export const VOTE_INSERTS_FILTER = {
  eventName: ['INSERT'],
  dynamodb: {
    Keys: {
      [TABLE_KEYS.partitionKey]: { S: [{ prefix: pollKeys.votePrefix }] },
      [TABLE_KEYS.sortKey]: { S: [pollKeys.voteSort] },
    },
  },
} as const;

/** Stream filter of the tally publisher: changes of tally shards. */
export const TALLY_CHANGES_FILTER = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: { Keys: { [TABLE_KEYS.sortKey]: { S: [{ prefix: pollKeys.tallyPrefix }] } } },
} as const;

/** Stream filter of the article-change publisher: stories created or changed (their index item). */
export const ARTICLE_CHANGES_FILTER = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: { Keys: { [TABLE_KEYS.sortKey]: { S: [articleKeys.meta] } } },
} as const;

/** Stream filter of the error-report follow-up: report items only (`REPORT#<id>`), not the contacts beside them. */
export const REPORT_CHANGES_FILTER = {
  eventName: ['INSERT', 'MODIFY'],
  dynamodb: { Keys: { [TABLE_KEYS.sortKey]: { S: [{ prefix: reportKeys.reportPrefix }] } } },
} as const;
