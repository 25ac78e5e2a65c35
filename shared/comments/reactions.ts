import { ConflictError, NotFoundError } from '../errors';
import type { Clock } from '../ports';
import { isVisible, type Comment, type FlagReason } from './comment';
import type { CommentConfig } from './comment-config';
import type { FlagResult, VoteResult } from './comment-shapes';
import type { CommentReactions, CommentStore } from './ports';

export interface ReactionDependencies {
  comments: Pick<CommentStore, 'get'>;
  reactions: CommentReactions;
  config: Pick<CommentConfig, 'flagMinReaderAgeSeconds'>;
  clock: Clock;
}

/**
 * A reader, as far as reactions know one: the keyed hash of the verified reader id (one vote and
 * one flag per reader) and of the address. No per-source limit here: what one address can cast is
 * bounded by the reader tokens it can mint (`POST /readers/anonymous`).
 */
export interface Reader {
  readerId: string;
  voterHash: string;
  sourceHash: string;
  /** When the reader's token was issued: a brand-new identity's flag counts for nothing. */
  tokenIssuedAt: Date;
}

/**
 * A reader's vote on a visible comment. One vote per reader and comment: a second vote
 * replaces the first (the score moves by the difference), the same vote again changes nothing.
 * The score itself is settled from the vote records by the table stream.
 */
export async function castCommentVote(
  deps: ReactionDependencies,
  input: { commentId: string; value: 1 | -1; reader: Reader },
): Promise<VoteResult> {
  const now = deps.clock.now();
  const comment = await visibleComment(deps.comments, input.commentId);
  const { previous } = await deps.reactions.recordVote(comment, input.reader.voterHash, input.value, now);
  return { commentId: comment.id, value: input.value, previousValue: previous };
}

/**
 * A reader's flag on a visible comment, once per reader. Flags are counted by the table
 * stream, which hides the comment for review when enough of them, from enough distinct sources,
 * arrive since its last approval.
 */
export async function flagComment(
  deps: ReactionDependencies,
  input: { commentId: string; reason: FlagReason; reader: Reader },
): Promise<FlagResult> {
  const now = deps.clock.now();
  const comment = await visibleComment(deps.comments, input.commentId);
  const counted = now.getTime() - input.reader.tokenIssuedAt.getTime() >= deps.config.flagMinReaderAgeSeconds * 1000;
  const { readerId, voterHash, sourceHash } = input.reader;
  const flag = { readerId, voterHash, sourceHash, reason: input.reason, at: now, counts: counted };
  if (!(await deps.reactions.recordFlag(comment, flag))) {
    throw new ConflictError('You have already flagged this comment');
  }
  return { commentId: comment.id, reason: input.reason, counted };
}

/** Readers can only act on what they can see: a held or removed comment is as unknown as a missing one. */
async function visibleComment(comments: Pick<CommentStore, 'get'>, commentId: string): Promise<Comment> {
  const comment = await comments.get(commentId);
  if (!comment || !isVisible(comment)) throw new NotFoundError(`No comment ${commentId}`);
  return comment;
}
