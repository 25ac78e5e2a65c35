import { ConflictError, NotFoundError } from '../errors';
import type { Clock } from '../ports';
import type { Comment, EditorDecision, EditorSubject, ModeratedBy } from './comment';
import type { EditorCommentView } from './comment-shapes';
import { toEditorView } from './comment-view';
import type { CommentStore } from './ports';

/** How often a read-modify-write is retried when another write moved the comment on meanwhile. */
const MAX_ATTEMPTS = 8;

/**
 * An editor's decision on a comment, recorded with the editor's subject. Approving also marks the flags so far as reviewed, so
 * the comment is hidden again only by as many new flags as the threshold. `deleted` is final.
 * The story's total follows from the status through the table stream.
 */
export async function moderateComment(
  deps: { comments: CommentStore; clock: Clock },
  input: { commentId: string; decision: EditorDecision; editor: EditorSubject },
): Promise<{ comment: EditorCommentView; changed: boolean }> {
  for (let attempt = 1; ; attempt++) {
    const current = await deps.comments.get(input.commentId);
    if (!current) throw new NotFoundError(`No comment ${input.commentId}`);
    if (current.status === input.decision) return { comment: toEditorView(current), changed: false };
    if (current.status === 'deleted') throw new ConflictError('The comment was deleted; deletion is final');
    const next = withStatus(current, input.decision, input.editor, deps.clock.now());
    if (await deps.comments.update(next, current.version)) return { comment: toEditorView(next), changed: true };
    if (attempt >= MAX_ATTEMPTS) throw new ConflictError('The comment is changing too often; retry shortly');
  }
}

/** The comment after a change of status by `by`, with the version its write will carry. */
export function withStatus(current: Comment, status: Comment['status'], by: ModeratedBy, at: Date): Comment {
  return {
    ...current,
    status,
    moderatedBy: by,
    moderatedAt: at.toISOString(),
    flagsAtReview: status === 'approved' ? current.flagCount : current.flagsAtReview,
    flagSourcesSinceReview: status === 'approved' ? 0 : current.flagSourcesSinceReview,
    version: current.version + 1,
  };
}
