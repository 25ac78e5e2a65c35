import type { Comment } from './comment';
import type { CommentView, EditorCommentView } from './comment-shapes';

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
      sourcesSinceReview: comment.flagSourcesSinceReview,
      reasons: { ...comment.flagReasons },
    },
    moderatedBy: comment.moderatedBy,
    moderatedAt: comment.moderatedAt,
  };
}
