import type { RateLimiter } from '../abuse/rate-limit';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import type { Clock } from '../ports';
import type { Comment } from './comment';
import type { CommentConfig } from './comment-config';
import type { OwnCommentView } from './comment-shapes';
import { toOwnView } from './comment-view';
import { refusal, type CommentScreen } from './moderation';
import { withStatus } from './moderate-comment';
import type { CommentStore, CommentTextHistory } from './ports';

import { AUTHOR_EDIT_WINDOW_SECONDS } from './reader-vocabulary';

export { AUTHOR_EDIT_WINDOW_SECONDS };

/** How often a read-modify-write is retried when another write moved the comment on meanwhile. */
const MAX_ATTEMPTS = 8;

export class NotAuthorError extends ForbiddenError {
  override readonly code = 'not_author';
  constructor() {
    super('Only the reader who posted a comment can change or delete it');
  }
}

export class EditWindowClosedError extends ConflictError {
  override readonly code = 'edit_window_closed';
  constructor() {
    super(
      `A comment can be changed or deleted by its author for ${AUTHOR_EDIT_WINDOW_SECONDS / 60} minutes after posting`,
    );
  }
}

export class NotEditableError extends ConflictError {
  override readonly code = 'not_editable';
  constructor() {
    super('The comment is with the editors (flagged, rejected or hidden) and can no longer be changed');
  }
}

export interface OwnCommentDependencies {
  comments: Pick<CommentStore, 'get' | 'update'>;
  texts: Pick<CommentTextHistory, 'replaceText'>;
  rateLimiter: RateLimiter;
  screen: CommentScreen;
  config: Pick<CommentConfig, 'rateLimits'>;
  clock: Clock;
}

/**
 * The author changes the text of their comment, within the edit window. The new text passes the
 * same rules as a new comment: refused words are a 422, and held ones send the comment to the
 * editors' queue; an edit never releases a held comment. The text it replaces is kept for the
 * editors. Edits count against the source's posting limit, so the window cannot be spent on
 * a flood of versions.
 */
export async function editOwnComment(
  deps: OwnCommentDependencies,
  input: { commentId: string; body: string; readerId: string; sourceHash: string },
): Promise<OwnCommentView> {
  const now = deps.clock.now();
  for (let attempt = 1; ; attempt++) {
    const current = await ownComment(deps.comments, input.commentId, input.readerId, now);
    if (current.status !== 'approved' && current.status !== 'pending') throw new NotEditableError();
    if (current.body === input.body) return toOwnView(current);
    if (attempt === 1) await deps.rateLimiter.consume(deps.config.rateLimits.post, input.sourceHash, now);
    const screening = deps.screen.screen({ author: current.author ?? '', body: input.body });
    if (screening.verdict === 'refused') throw refusal(screening);
    // A held word sends an approved comment to the queue; a pending one stays pending.
    const moved: Comment =
      screening.verdict === 'pending' && current.status === 'approved'
        ? { ...withStatus(current, 'pending', 'rules', now), heldFor: screening.heldFor }
        : { ...current, version: current.version + 1 };
    const next: Comment = { ...moved, body: input.body, editedAt: now.toISOString() };
    const replaced = { body: current.body, replacedAt: now.toISOString() };
    if (await deps.texts.replaceText(next, current.version, replaced)) {
      return toOwnView({ ...next, authorId: current.authorId });
    }
    if (attempt >= MAX_ATTEMPTS) throw new ConflictError('The comment is changing too often; retry shortly');
  }
}

/**
 * The author deletes their comment, within the edit window. Deleting is final, as an editor's
 * is; deleting it again changes nothing.
 */
export async function deleteOwnComment(
  deps: Pick<OwnCommentDependencies, 'comments' | 'clock'>,
  input: { commentId: string; readerId: string },
): Promise<void> {
  const now = deps.clock.now();
  for (let attempt = 1; ; attempt++) {
    const current = await deps.comments.get(input.commentId);
    if (current?.status === 'deleted' && current.authorId === input.readerId) return;
    const own = await ownComment(deps.comments, input.commentId, input.readerId, now, current);
    if (await deps.comments.update(withStatus(own, 'deleted', 'author', now), own.version)) return;
    if (attempt >= MAX_ATTEMPTS) throw new ConflictError('The comment is changing too often; retry shortly');
  }
}

/** The reader's own comment, still within the edit window; a deleted one is as unknown as a missing one. */
async function ownComment(
  comments: Pick<CommentStore, 'get'>,
  commentId: string,
  readerId: string,
  now: Date,
  read?: Comment | null,
): Promise<Comment & { authorId: string }> {
  const comment = read === undefined ? await comments.get(commentId) : read;
  if (!comment || comment.status === 'deleted') throw new NotFoundError(`No comment ${commentId}`);
  if (comment.authorId !== readerId || comment.authorId === null) throw new NotAuthorError();
  if (now.getTime() - Date.parse(comment.createdAt) > AUTHOR_EDIT_WINDOW_SECONDS * 1000) {
    throw new EditWindowClosedError();
  }
  return { ...comment, authorId: comment.authorId };
}
