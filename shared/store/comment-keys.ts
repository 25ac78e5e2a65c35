import { articleKeys } from './article-keys';
import { TABLE_KEYS } from './table-design';

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

/** Key prefixes of the comment items, which the comment consumer's stream filters select on. */
export const COMMENT_KEY_PREFIXES = {
  /** Sort key of a comment item: `COMMENT#<suffix>`. */
  comment: 'COMMENT#',
  /** Partition keys of vote and flag records: `CVOTE#<commentId>#<voterHash>`. */
  vote: 'CVOTE#',
  flag: 'CFLAG#',
  /** Sort key of a story's metadata item. */
  articleMeta: 'META',
} as const;

/**
 * How comments sit in the table. Every comment (top-level or reply, any status) is one item
 * in its story's partition, keyed by its id's suffix, so any route finds it from the id:
 *
 *   pk `ARTICLE#<articleId>`  sk `COMMENT#<suffix>`        the comment
 *   pk `ARTICLE#<articleId>`  sk `COMMENT_SETTINGS`        whether comments are open
 *   pk `ARTICLE#<articleId>`  sk `CEDIT#<suffix>#<version>` a text the author replaced (for editors)
 *
 * Listings read the two overloaded indexes, which hold only the comments that listing shows
 * (sparse: a comment's index keys are set or removed with its status), so every page is full
 * and no request filters:
 *
 *   gsi1 `CTOP#<articleId>`       `<score, offset>#<suffix>`  visible top-level, by score (sort=top)
 *   gsi1 `MODQ#<pending|flagged>` `<queuedAt>#<commentId>`    the editors' queue, oldest first
 *   gsi2 `CNEW#<articleId>`       `<suffix>`                  visible top-level, by time (newest/oldest)
 *   gsi2 `CREPLIES#<threadId>`    `<suffix>`                  visible replies of a thread, by time
 *
 * A comment is in at most one partition of each index: visible comments are never queued.
 */
export const commentKeys = {
  partition: articleKeys.partition,
  sort: (suffix: string) => `${COMMENT_KEY_PREFIXES.comment}${suffix}`,
  settings: 'COMMENT_SETTINGS',
  /**
   * A text its author replaced, keyed by the comment's version it was replaced at: unique (each
   * version is written once, conditionally) and in order, where two edits in one millisecond
   * would share a time.
   */
  replacedText: (suffix: string, version: number | '') =>
    `CEDIT#${suffix}#${String(version).padStart(version === '' ? 0 : 10, '0')}`,
  top: (articleId: string) => `CTOP#${articleId}`,
  /** `status` is a comment's `QueueStatus` (`pending` or `flagged`). */
  queue: (status: string) => `MODQ#${status}`,
  newest: (articleId: string) => `CNEW#${articleId}`,
  replies: (threadId: string) => `CREPLIES#${threadId}`,
  /** Scores are offset so that every score sorts as a fixed-width positive number. */
  scoreSort: (score: number, suffix: string) => `${String(score + SCORE_OFFSET).padStart(13, '0')}#${suffix}`,
} as const;

const SCORE_OFFSET = 1_000_000_000_000;

/**
 * What editors look up by reader, on the third index: a reader's comments and flags, newest
 * first within each kind. Set once when the item is written; a status change leaves them.
 *
 *   gsi3 `READER#<readerId>`  `COMMENT#<createdAt>#<commentId>`   a comment the reader posted
 *   gsi3 `READER#<readerId>`  `FLAG#<flaggedAt>#<commentId>`      a flag the reader gave
 */
export const readerIndexKeys = {
  partition: (readerId: string) => `READER#${readerId}`,
  /** The sort-key prefix of each kind, to read one kind of the partition. */
  commentPrefix: 'COMMENT#',
  flagPrefix: 'FLAG#',
  comment: (createdAt: string, commentId: string) => `COMMENT#${createdAt}#${commentId}`,
  flag: (flaggedAt: string, commentId: string) => `FLAG#${flaggedAt}#${commentId}`,
} as const;

/**
 * One item per reader and comment for votes and for flags, keyed by the hashed reader id:
 * the conditional write on it is what makes "one vote (or flag) per reader" hold under
 * concurrency, and spreading them over partitions keeps a popular comment from being a hot key.
 * Their stream records drive the comment's score and flag count (see the aggregates adapter).
 */
export const reactionKeys = {
  vote: (commentId: string, voterHash: string) => ({
    [PK]: `${COMMENT_KEY_PREFIXES.vote}${commentId}#${voterHash}`,
    [SK]: 'VOTE',
  }),
  flag: (commentId: string, voterHash: string) => ({
    [PK]: `${COMMENT_KEY_PREFIXES.flag}${commentId}#${voterHash}`,
    [SK]: 'FLAG',
  }),
} as const;
