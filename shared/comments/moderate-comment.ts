import { ConflictError, NotFoundError } from '../errors';
import type { Clock } from '../ports';
import {
  isQueued,
  queuedSince,
  UNDOABLE_DECISIONS,
  type Comment,
  type EditorDecision,
  type EditorSubject,
  type ModeratedBy,
  type UndoableDecision,
} from './comment';
import type { EditorCommentView } from './comment-shapes';
import { toEditorView } from './comment-view';
import type { CommentStore } from './ports';

/** How often a read-modify-write is retried when another write moved the comment on meanwhile. */
const MAX_ATTEMPTS = 8;

/** 409 `nothing_to_undo`: the decision named is not the one in force (taken back, or followed by another change). */
export class NothingToUndoError extends ConflictError {
  override readonly code = 'nothing_to_undo';
}

/**
 * An editor's decision on a comment, recorded with the editor's subject. Approving also marks the flags so far as reviewed, so
 * the comment is hidden again only by as many new flags as the threshold. `deleted` is final.
 * An approve, reject or hide keeps what the comment was before it, so the editor can take it back ({@link undoDecision}).
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
    if (isUndoable(input.decision)) {
      next.undo = {
        status: current.status,
        flagsAtReview: current.flagsAtReview,
        queuedAt: isQueued(current) ? queuedSince(current) : null,
      };
    }
    if (await deps.comments.update(next, current.version)) return { comment: toEditorView(next), changed: true };
    if (attempt >= MAX_ATTEMPTS) throw new ConflictError('The comment is changing too often; retry shortly');
  }
}

/**
 * Takes back an editor's approve, reject or hide: the comment returns to the status it had, with
 * the flags that were unreviewed then and, back in a queue, in the place it held there. `decision`
 * and `decidedAt` name the decision (its status and `moderatedAt`, as its answer gave them), so an
 * undo that comes after someone else's change takes nothing back (409 `nothing_to_undo`). The undo
 * is itself the editor's change of status: `moderatedBy` and `moderatedAt` say who and when, and
 * the stream counts, announces (`CommentModerated`) and pushes it like any other.
 */
export async function undoDecision(
  deps: { comments: CommentStore; clock: Clock },
  input: { commentId: string; decision: UndoableDecision; decidedAt: string; editor: EditorSubject },
): Promise<{ comment: EditorCommentView }> {
  for (let attempt = 1; ; attempt++) {
    const current = await deps.comments.get(input.commentId);
    if (!current) throw new NotFoundError(`No comment ${input.commentId}`);
    const { undo } = current;
    if (current.status !== input.decision || current.moderatedAt !== input.decidedAt || undo === null) {
      throw new NothingToUndoError(
        `The comment's last decision is not "${input.decision}" of ${input.decidedAt}; there is nothing to undo`,
      );
    }
    const next: Comment = {
      ...current,
      status: undo.status,
      moderatedBy: input.editor,
      moderatedAt: deps.clock.now().toISOString(),
      flagsAtReview: undo.flagsAtReview,
      queuedAt: undo.queuedAt,
      undo: null,
      version: current.version + 1,
    };
    if (await deps.comments.update(next, current.version)) return { comment: toEditorView(next) };
    if (attempt >= MAX_ATTEMPTS) throw new ConflictError('The comment is changing too often; retry shortly');
  }
}

function isUndoable(decision: EditorDecision): decision is UndoableDecision {
  return (UNDOABLE_DECISIONS as readonly string[]).includes(decision);
}

/**
 * The comment after a change of status by `by`, with the version its write will carry. It joins
 * a queue at the back (by `moderatedAt`), and no earlier decision can be taken back any more.
 */
export function withStatus(current: Comment, status: Comment['status'], by: ModeratedBy, at: Date): Comment {
  return {
    ...current,
    status,
    moderatedBy: by,
    moderatedAt: at.toISOString(),
    flagsAtReview: status === 'approved' ? current.flagCount : current.flagsAtReview,
    flagSourcesSinceReview: status === 'approved' ? 0 : current.flagSourcesSinceReview,
    queuedAt: null,
    undo: null,
    version: current.version + 1,
  };
}
