import type { Comment } from './comment';
import type { CommentView, EditorCommentView, OwnCommentView } from './comment-shapes';

export function toCommentView(comment: Comment): CommentView {
  return {
    id: comment.id,
    articleId: comment.articleId,
    threadId: comment.threadId,
    parentId: comment.parentId,
    author: comment.author,
    verified: comment.verified,
    body: comment.body,
    createdAt: comment.createdAt,
    edited: comment.editedAt !== null,
    status: comment.status,
    score: comment.score,
    replyCount: comment.replyCount,
  };
}

/** The author's view; only for a comment that has one (posted through the API). */
export function toOwnView(comment: Comment & { authorId: string }): OwnCommentView {
  return { ...toCommentView(comment), readerId: comment.authorId };
}

export function toEditorView(comment: Comment): EditorCommentView {
  return {
    ...toCommentView(comment),
    readerId: comment.authorId,
    editedAt: comment.editedAt,
    origin: comment.origin,
    heldFor: comment.heldFor,
    flags: {
      count: comment.flagCount,
      sinceReview: comment.flagCount - comment.flagsAtReview,
      sourcesSinceReview: comment.flagSourcesSinceReview,
      reasons: { ...comment.flagReasons },
    },
    moderatedBy: comment.moderatedBy,
    moderatedAt: comment.moderatedAt,
    undoTo: comment.undo?.status ?? null,
  };
}
