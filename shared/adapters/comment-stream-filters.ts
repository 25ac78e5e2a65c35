import { TABLE_KEYS } from '../store/table-design';

/** Key prefixes of the comment items, defined here so the topology can filter on them without loading adapters. */
export const COMMENT_KEY_PREFIXES = {
  /** Sort key of a comment item: `COMMENT#<suffix>`. */
  comment: 'COMMENT#',
  /** Partition keys of vote and flag records: `CVOTE#<commentId>#<voterHash>`. */
  vote: 'CVOTE#',
  flag: 'CFLAG#',
  /** Sort key of a story's metadata item. */
  articleMeta: 'META',
} as const;

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

/** Lambda filter criteria syntax (the topology's `EventPattern`). */
type FilterPattern = { [field: string]: FilterPattern | readonly unknown[] };

/**
 * The stream records the comment consumer wants, as Lambda filter criteria: comment items,
 * vote and flag records, and story metadata (for embedded comments). It is never invoked for
 * anything else (polls, reports, rate-limit counters).
 */
export const COMMENT_STREAM_FILTERS: readonly FilterPattern[] = [
  { dynamodb: { Keys: { [SK]: { S: [{ prefix: COMMENT_KEY_PREFIXES.comment }] } } } },
  {
    dynamodb: { Keys: { [PK]: { S: [{ prefix: COMMENT_KEY_PREFIXES.vote }, { prefix: COMMENT_KEY_PREFIXES.flag }] } } },
  },
  { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { [SK]: { S: [COMMENT_KEY_PREFIXES.articleMeta] } } } },
];
