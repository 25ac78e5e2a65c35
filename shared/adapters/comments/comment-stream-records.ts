import type { DynamoDBRecord } from 'aws-lambda';
import type { EmbeddedComment } from '../../articles/article';
import { FLAG_REASONS, type FlagReason } from '../../comments/comment';
import type { CommentTableChange } from '../../comments/comment-aggregation';
import { TABLE_KEYS } from '../../store/table-design';
import { COMMENT_ITEM, fromCommentItem } from './dynamo-comment-items';
import { articleKeys } from '../../store/article-keys';
import { COMMENT_KEY_PREFIXES } from '../../store/comment-keys';
import { fromImage } from '../aws/stream-images';

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

/** What a stream record means to the comment domain; null for records it has no business with. */
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
    return { kind: 'vote', commentId: String(image.commentId), voteKey: pk };
  }
  if (pk.startsWith(COMMENT_KEY_PREFIXES.flag) && image) {
    const reason = FLAG_REASONS.includes(image.reason as FlagReason) ? (image.reason as FlagReason) : 'other';
    return {
      kind: 'flag',
      inserted: record.eventName === 'INSERT',
      commentId: String(image.commentId),
      flagKey: pk,
      reason,
    };
  }
  if (sk === articleKeys.meta && current) {
    // Only a change of content can bring new embedded comments.
    if (previous && previous.contentHash === current.contentHash) return null;
    const embedded = (current.comments as EmbeddedComment[] | undefined) ?? [];
    return embedded.length > 0 ? { kind: 'article', articleId: String(current.id), embedded } : null;
  }
  return null;
}
