import { createHash } from 'node:crypto';
import type { RateLimiter } from '../abuse/rate-limit';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { runIdempotent, type IdempotencyStore, type RemainingTime } from '../idempotency/idempotency';
import type { Clock } from '../ports';
import { isVisible, NO_FLAGS, newCommentId, parseCommentId, type Comment } from './comment';
import type { CommentConfig } from './comment-config';
import type { OwnCommentView } from './comment-shapes';
import { toOwnView } from './comment-view';
import { refusal, type CommentScreen } from './moderation';
import type { CommentStore, RecentActions } from './ports';

export interface PostCommentDependencies {
  comments: CommentStore;
  recent: RecentActions;
  idempotency: IdempotencyStore;
  rateLimiter: RateLimiter;
  screen: CommentScreen;
  config: Pick<CommentConfig, 'duplicateWindowSeconds' | 'rateLimits'>;
  clock: Clock;
}

/** Who posts, as the verified reader token says. */
export interface CommentAuthor {
  readerId: string;
  /** The site's name for a signed-in reader; null for an anonymous one, who names themselves. */
  displayName: string | null;
  verified: boolean;
}

/** A validated request: author and body already NFC-normalized, trimmed and within limits. */
export interface PostCommentInput {
  articleId: string;
  /** The name an anonymous reader gives; a signed-in reader is shown by the site's name. */
  author: string | undefined;
  reader: CommentAuthor;
  body: string;
  parentId: string | null;
  /** Keyed hash of the caller's address: rate limits and duplicate checks are per source. */
  sourceHash: string;
  idempotencyKey?: string;
}

interface Reservation {
  commentId: string;
  createdAt: string;
}

/**
 * Posts a comment: checks the story and the parent, applies the moderation rules (refuse,
 * hold for review, or publish), refuses a repeat of the same body from the same source, and
 * stores it. With an idempotency key, a repeated request returns the first result and stores
 * nothing; the key's lock lasts the `remainingTime` of the invocation. The story's total and the
 * thread's reply count follow from the table stream.
 */
export async function postComment(
  deps: PostCommentDependencies,
  input: PostCommentInput,
  remainingTime?: RemainingTime,
): Promise<{ comment: OwnCommentView; replayed: boolean }> {
  const author = input.reader.displayName ?? input.author;
  if (author === undefined) {
    throw new ValidationError('Name yourself: anonymous readers post under a name', [
      { path: 'body.author', message: 'Required' },
    ]);
  }
  const named = { ...input, author };
  const now = deps.clock.now();
  const reservation: Reservation = { commentId: newCommentId(input.articleId, now), createdAt: now.toISOString() };
  if (input.idempotencyKey === undefined) {
    return {
      comment: await store(deps, named, reservation, { retake: false, stored: () => undefined }),
      replayed: false,
    };
  }
  const { result, replayed } = await runIdempotent(
    deps.idempotency,
    {
      // A key is the reader's own: the same key from another reader is another request, never a
      // replay of this reader's answer (which names them) nor a conflict that blocks their post.
      scope: `POST /articles/${input.articleId}/comments as ${input.reader.readerId}`,
      key: input.idempotencyKey,
      request: { author, body: input.body, parentId: input.parentId },
      reservation,
    },
    { now: () => deps.clock.now(), ...(remainingTime ? { remainingTime } : {}) },
    (reserved, progress) => store(deps, named, reserved, progress),
  );
  return { comment: result, replayed };
}

async function store(
  deps: PostCommentDependencies,
  input: PostCommentInput & { author: string },
  reservation: Reservation,
  progress: { retake: boolean; stored: () => void },
): Promise<OwnCommentView> {
  const own = (comment: Comment) => toOwnView({ ...comment, authorId: input.reader.readerId });
  if (progress.retake) {
    // A crashed attempt may have stored the comment already: answer with it.
    const earlier = await deps.comments.get(reservation.commentId);
    if (earlier) {
      progress.stored();
      return own(earlier);
    }
  }
  const now = deps.clock.now();
  await deps.rateLimiter.consume(deps.config.rateLimits.post, input.sourceHash, now);

  const state = await deps.comments.articleState(input.articleId);
  if (!state) throw new NotFoundError(`No article ${input.articleId}`);
  if (!state.commentsOpen) throw new ConflictError('Comments on this story are closed');
  const threadId =
    input.parentId === null ? reservation.commentId : await threadOf(deps.comments, input.articleId, input.parentId);

  const screening = deps.screen.screen(input);
  if (screening.verdict === 'refused') throw refusal(screening);

  const duplicateKey = `${input.sourceHash}#${input.articleId}#${createHash('sha256').update(input.body).digest('base64url')}`;
  if (!(await deps.recent.claim(duplicateKey, reservation.commentId, deps.config.duplicateWindowSeconds, now))) {
    throw new ConflictError('You posted the same comment a moment ago');
  }

  const comment: Comment = {
    id: reservation.commentId,
    articleId: input.articleId,
    threadId,
    parentId: input.parentId,
    author: input.author,
    authorId: input.reader.readerId,
    verified: input.reader.verified,
    body: input.body,
    createdAt: reservation.createdAt,
    editedAt: null,
    status: screening.verdict === 'pending' ? 'pending' : 'approved',
    score: 0,
    replyCount: 0,
    flagCount: 0,
    flagsAtReview: 0,
    flagSourcesSinceReview: 0,
    flagReasons: { ...NO_FLAGS },
    origin: 'reader',
    heldFor: screening.verdict === 'pending' ? screening.heldFor : null,
    moderatedBy: screening.verdict === 'pending' ? 'rules' : null,
    moderatedAt: screening.verdict === 'pending' ? reservation.createdAt : null,
    queuedAt: null,
    undo: null,
    version: 1,
  };
  let outcome: 'created' | 'exists';
  try {
    outcome = await deps.comments.insert(comment);
  } catch (error) {
    // Not stored: the same body may be sent again at once.
    await deps.recent.forget(duplicateKey).catch(() => undefined);
    throw error;
  }
  progress.stored();
  if (outcome === 'exists') {
    const stored = await deps.comments.get(comment.id);
    return own(stored ?? comment);
  }
  return own(comment);
}

/** The thread a reply joins: a reply to a reply attaches to the same thread (two levels). */
async function threadOf(comments: CommentStore, articleId: string, parentId: string): Promise<string> {
  const notFound = () =>
    new NotFoundError(`No comment ${parentId} to reply to on this story`, [
      { path: 'body.parentId', message: 'Unknown comment' },
    ]);
  if (parseCommentId(parentId).articleId !== articleId) throw notFound();
  const parent = await comments.get(parentId);
  if (!parent || !isVisible(parent)) throw notFound();
  return parent.threadId;
}
