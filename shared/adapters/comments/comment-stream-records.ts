import type { DynamoDBRecord } from 'aws-lambda';
import { embeddedCommentSchema } from '../../articles/article-parts';
import { FLAG_REASONS } from '../../comments/comment';
import type { CommentTableChange } from '../../comments/comment-aggregation';
import { TABLE_KEYS } from '../../store/table-design';
import { COMMENT_ITEM, fromCommentItem } from './dynamo-comment-items';
import { articleKeys } from '../../store/article-keys';
import { COMMENT_KEY_PREFIXES } from '../../store/comment-keys';
import { fromImage } from '../aws/stream-images';
import { parseStoredItem } from '../aws/stored-item';
import * as z from '../../validation';

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

/**
 * What comments read of a story's `META` image: its id and content hash, and the embedded
 * comments in the article's own schema. Only these, and not the whole article's schema: the
 * parts module is all this function's bundle needs to build.
 */
const articleImageSchema = z.object({
  id: z.string(),
  contentHash: z.string(),
  comments: z.array(embeddedCommentSchema),
});

/** A reader's vote record, as far as the score needs it: the comment voted on. */
const voteRecordSchema = z.object({ commentId: z.string() });

/** A reader's flag record: the comment flagged and the reason the reader gave. */
const flagRecordSchema = z.object({
  commentId: z.string(),
  reason: z.enum(FLAG_REASONS),
  // Flags recorded before the reader-age rule all counted.
  counts: z._default(z.boolean(), true),
  source: z.optional(z.string()),
});

/**
 * What a stream record means to the comment domain; null for records it has no business with.
 *
 * @throws StoredItemError when a vote, a flag or a story's image is malformed: the invocation
 * fails, and Lambda's bisection leaves that record alone to its retries and the on-failure
 * destination
 */
export function commentChangeOf(record: DynamoDBRecord): CommentTableChange | null {
  const keys = fromImage(record.dynamodb?.Keys);
  const current = fromImage(record.dynamodb?.NewImage);
  const previous = fromImage(record.dynamodb?.OldImage);
  if (!keys) return null;
  const pk = String(keys[PK]);
  const sk = String(keys[SK]);

  if (sk.startsWith(COMMENT_KEY_PREFIXES.comment)) {
    return {
      kind: 'comment',
      current: current ? fromCommentItem(current) : null,
      previous: previous ? fromCommentItem(previous) : null,
      counted: (current ?? previous)?.[COMMENT_ITEM.counted] === true,
    };
  }
  const image = current ?? previous;
  if (pk.startsWith(COMMENT_KEY_PREFIXES.vote) && image) {
    const vote = parseStoredItem(voteRecordSchema, image, keys);
    return { kind: 'vote', commentId: vote.commentId, voteKey: pk };
  }
  if (pk.startsWith(COMMENT_KEY_PREFIXES.flag) && image) {
    const flag = parseStoredItem(flagRecordSchema, image, keys);
    return {
      kind: 'flag',
      inserted: record.eventName === 'INSERT',
      commentId: flag.commentId,
      flagKey: pk,
      reason: flag.reason,
      counts: flag.counts,
      // Flags recorded before sources were kept count as a source each, as they counted then.
      sourceHash: flag.source ?? pk,
    };
  }
  if (sk === articleKeys.meta && current) {
    const article = parseStoredItem(articleImageSchema, current, keys);
    // Only a change of content can bring new embedded comments.
    if (previous && parseStoredItem(articleImageSchema, previous, keys).contentHash === article.contentHash)
      return null;
    return article.comments.length > 0 ? { kind: 'article', articleId: article.id, embedded: article.comments } : null;
  }
  return null;
}
