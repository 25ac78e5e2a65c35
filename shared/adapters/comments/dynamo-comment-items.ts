import { commentSchema, NO_FLAGS, parseCommentId, queuedSince, type Comment } from '../../comments/comment';
import * as z from '../../validation';
import { parseStoredItem } from '../aws/stored-item';
import { CORRELATION_ATTRIBUTE } from '../../observability/correlation';
import { GSI1, GSI2, GSI3, TABLE_KEYS } from '../../store/table-design';
import { commentKeys, readerIndexKeys } from '../../store/comment-keys';

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

export type TableKey = Record<typeof PK | typeof SK, string>;

export function commentItemKey(commentId: string): TableKey {
  const { articleId, suffix } = parseCommentId(commentId);
  return { [PK]: commentKeys.partition(articleId), [SK]: commentKeys.sort(suffix) };
}

/** Keyed by GSI1's and GSI2's key attributes (GlobalIndexDesign types their names as plain strings). */
export type IndexKeys = Partial<Record<string, string>>;

/** The index entries a comment in this state has; absent keys are removed from the item. */
export function indexKeysFor(comment: Comment): IndexKeys {
  const { suffix } = parseCommentId(comment.id);
  if (comment.status === 'approved') {
    if (comment.parentId === null) {
      return {
        [GSI1.partitionKey]: commentKeys.top(comment.articleId),
        [GSI1.sortKey]: commentKeys.scoreSort(comment.score, suffix),
        [GSI2.partitionKey]: commentKeys.newest(comment.articleId),
        [GSI2.sortKey]: suffix,
      };
    }
    return { [GSI2.partitionKey]: commentKeys.replies(comment.threadId), [GSI2.sortKey]: suffix };
  }
  if (comment.status === 'pending' || comment.status === 'flagged') {
    return {
      [GSI1.partitionKey]: commentKeys.queue(comment.status),
      [GSI1.sortKey]: `${queuedSince(comment)}#${comment.id}`,
    };
  }
  return {};
}

export const INDEX_KEY_NAMES = [GSI1.partitionKey, GSI1.sortKey, GSI2.partitionKey, GSI2.sortKey] as const;

/** Bookkeeping attributes on a comment item besides its keys. */
export const COMMENT_ITEM = {
  /** Whether the comment is currently counted in the story total (see the aggregates adapter). */
  counted: 'countedVisible',
  /** String set of the sources of counted flags since the last approval (a set: ADD dedupes). */
  flagSources: 'flagSources',
  type: 'type',
  typeValue: 'comment',
} as const;

/** The full item of a new comment. */
export function toCommentItem(comment: Comment): Record<string, unknown> {
  return {
    ...commentItemKey(comment.id),
    ...indexKeysFor(comment),
    [COMMENT_ITEM.type]: COMMENT_ITEM.typeValue,
    [COMMENT_ITEM.counted]: false,
    ...(comment.authorId === null
      ? {}
      : {
          [GSI3.partitionKey]: readerIndexKeys.partition(comment.authorId),
          [GSI3.sortKey]: readerIndexKeys.comment(comment.createdAt, comment.id),
        }),
    // The sources are a set the stream adds to; a new comment has none.
    ...omitFlagSources(comment),
  };
}

function omitFlagSources(comment: Comment): Omit<Comment, 'flagSourcesSinceReview'> {
  const { flagSourcesSinceReview: _none, ...stored } = comment;
  return stored;
}

/**
 * Stored comments as every version of this code wrote them: an attribute added after the first
 * release defaults to what its absence meant (no thread id: the comment is its own thread; no
 * counters: zero; no origin: posted by a reader; no version: the first). Table and index
 * attributes are stripped.
 */
const { flagSourcesSinceReview: _countedFromTheSet, ...storedShape } = commentSchema.shape;
const storedCommentSchema = z.object({
  ...storedShape,
  threadId: z.optional(z.string()),
  parentId: z._default(commentSchema.shape.parentId, null),
  author: z._default(commentSchema.shape.author, null),
  authorId: z._default(commentSchema.shape.authorId, null),
  verified: z._default(commentSchema.shape.verified, false),
  editedAt: z._default(commentSchema.shape.editedAt, null),
  // A deleted comment's body is removed from its item.
  body: z._default(commentSchema.shape.body, ''),
  score: z._default(commentSchema.shape.score, 0),
  replyCount: z._default(commentSchema.shape.replyCount, 0),
  flagCount: z._default(commentSchema.shape.flagCount, 0),
  flagsAtReview: z._default(commentSchema.shape.flagsAtReview, 0),
  flagReasons: z._default(
    z.object({
      offensive: z._default(commentSchema.shape.flagReasons.shape.offensive, 0),
      abusive: z._default(commentSchema.shape.flagReasons.shape.abusive, 0),
      spam: z._default(commentSchema.shape.flagReasons.shape.spam, 0),
      other: z._default(commentSchema.shape.flagReasons.shape.other, 0),
    }),
    { ...NO_FLAGS },
  ),
  origin: z._default(commentSchema.shape.origin, 'reader'),
  heldFor: z._default(commentSchema.shape.heldFor, null),
  moderatedBy: z._default(commentSchema.shape.moderatedBy, null),
  moderatedAt: z._default(commentSchema.shape.moderatedAt, null),
  queuedAt: z._default(commentSchema.shape.queuedAt, null),
  undo: z._default(commentSchema.shape.undo, null),
  version: z._default(commentSchema.shape.version, 1),
});

/**
 * A comment from its item (or stream image).
 *
 * @throws StoredItemError when the item is not a comment as any version of this code stored it
 */
export function fromCommentItem(item: Record<string, unknown>): Comment {
  const stored = parseStoredItem(storedCommentSchema, item, item);
  // The set is read by hand: the document client gives a string set as a Set, and a zod set
  // schema would add a kilobyte to every comment route's bundle for this one attribute.
  const sources = item[COMMENT_ITEM.flagSources];
  return {
    ...stored,
    threadId: stored.threadId ?? stored.id,
    flagSourcesSinceReview: sources instanceof Set ? sources.size : 0,
  };
}

/**
 * The update that moves a stored comment to `next` (status, score, text, review fields, what an
 * undo returns it to, and the index entries that follow), if it is still at `expectedVersion`.
 */
export function versionedCommentUpdate(next: Comment, expectedVersion: number, correlationId?: string) {
  const indexKeys = indexKeysFor(next);
  const names: Record<string, string> = { '#version': 'version', '#pk': PK };
  const values: Record<string, unknown> = { ':expected': expectedVersion };
  const sets: string[] = [];
  const removes: string[] = [];
  const fields: Partial<Record<keyof Comment, unknown>> = {
    status: next.status,
    score: next.score,
    body: next.body,
    editedAt: next.editedAt,
    flagsAtReview: next.flagsAtReview,
    heldFor: next.heldFor,
    moderatedBy: next.moderatedBy,
    moderatedAt: next.moderatedAt,
    queuedAt: next.queuedAt,
    undo: next.undo,
    version: next.version,
  };
  // The request's id rides on the item to the stream consumer (observability/correlation).
  const extra = correlationId === undefined ? {} : { [CORRELATION_ATTRIBUTE]: correlationId };
  Object.entries({ ...fields, ...extra }).forEach(([field, value], i) => {
    names[`#f${i}`] = field;
    values[`:f${i}`] = value;
    sets.push(`#f${i} = :f${i}`);
  });
  // An approval starts counting sources afresh; otherwise the set is the stream's to grow.
  if (next.flagSourcesSinceReview === 0) {
    names['#sources'] = COMMENT_ITEM.flagSources;
    removes.push('#sources');
  }
  INDEX_KEY_NAMES.forEach((name, i) => {
    names[`#k${i}`] = name;
    const value = indexKeys[name];
    if (value === undefined) {
      removes.push(`#k${i}`);
    } else {
      values[`:k${i}`] = value;
      sets.push(`#k${i} = :k${i}`);
    }
  });
  return {
    Key: commentItemKey(next.id),
    UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: 'attribute_exists(#pk) AND #version = :expected',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}
