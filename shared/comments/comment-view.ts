import type { Comment, CommentOrigin, CommentStatus, FlagReason, ModeratedBy } from './comment';

/** A comment as readers get it. */
export interface CommentView {
  id: string;
  articleId: string;
  threadId: string;
  parentId: string | null;
  author: string | null;
  body: string;
  createdAt: string;
  status: CommentStatus;
  score: number;
  replyCount: number;
}

/** A top-level comment in a story's listing, with the start of its thread. */
export interface ThreadView extends CommentView {
  replies: CommentView[];
  /** Pass to `GET /comments/{id}/replies` for the replies after these; null when there are none. */
  repliesCursor: string | null;
}

/** A comment as editors see it in the moderation queue and after a decision. */
export interface EditorCommentView extends CommentView {
  origin: CommentOrigin;
  heldFor: string | null;
  flags: { count: number; sinceReview: number; reasons: Record<FlagReason, number> };
  moderatedBy: ModeratedBy | null;
  moderatedAt: string | null;
}

export function toCommentView(comment: Comment): CommentView {
  return {
    id: comment.id,
    articleId: comment.articleId,
    threadId: comment.threadId,
    parentId: comment.parentId,
    author: comment.author,
    body: comment.body,
    createdAt: comment.createdAt,
    status: comment.status,
    score: comment.score,
    replyCount: comment.replyCount,
  };
}

export function toEditorView(comment: Comment): EditorCommentView {
  return {
    ...toCommentView(comment),
    origin: comment.origin,
    heldFor: comment.heldFor,
    flags: {
      count: comment.flagCount,
      sinceReview: comment.flagCount - comment.flagsAtReview,
      reasons: { ...comment.flagReasons },
    },
    moderatedBy: comment.moderatedBy,
    moderatedAt: comment.moderatedAt,
  };
}
