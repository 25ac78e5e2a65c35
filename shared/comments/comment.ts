import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../articles/identity';
import * as z from '../validation';
import { FLAG_REASONS, type FlagReason } from './reader-vocabulary';

/**
 * Reader comments. A comment is `approved` (visible) or in one of the states that hide it:
 * `pending` (held by the moderation rules), `flagged` (hidden by reader flags until an editor
 * looks), `rejected`, `hidden` and `deleted` (editor decisions; `deleted` is final).
 */
export const COMMENT_STATUSES = ['pending', 'approved', 'flagged', 'rejected', 'hidden', 'deleted'] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

/** The decisions an editor can make with `PATCH /comments/{commentId}`. */
export const EDITOR_DECISIONS = ['approved', 'rejected', 'hidden', 'deleted'] as const;
export type EditorDecision = (typeof EDITOR_DECISIONS)[number];

/** The decisions an editor can take back (`PATCH /comments/{commentId}` with `undo`); deletion is final. */
export const UNDOABLE_DECISIONS = ['approved', 'rejected', 'hidden'] as const;
export type UndoableDecision = (typeof UNDOABLE_DECISIONS)[number];

/** The states an editor's moderation queue lists. */
export const QUEUE_STATUSES = ['pending', 'flagged'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

export { FLAG_REASONS, type FlagReason };

/**
 * Who last changed a comment's status: `rules` (held when posted or edited), `readers` (their
 * flags reached the threshold), `author` (deleted it), or the subject (`sub` claim) of the
 * editor who decided, so a decision can be traced to a person. Cognito subjects are UUIDs.
 */
// eslint-disable-next-line @typescript-eslint/no-redundant-type-constituents -- the literals name the non-editor values for readers of the type; it is still any string
export type ModeratedBy = 'rules' | 'readers' | 'author' | EditorSubject;
/** The `sub` claim of an editor's verified token. */
export type EditorSubject = string;

/** Where a comment came from: posted through the API, or imported from an ingested page. */
export const COMMENT_ORIGINS = ['reader', 'import'] as const;
export type CommentOrigin = (typeof COMMENT_ORIGINS)[number];

const nullableString = z.nullable(z.string());
const count = z.int().check(z.nonnegative());

/** A comment as the store keeps it (without key bookkeeping). */
export const commentSchema = z.object({
  id: z.string(),
  articleId: z.string(),
  /** The top-level comment of the thread; its own id for a top-level comment. */
  threadId: z.string(),
  /** The comment this one answers, as the reader named it; null for a top-level comment. */
  parentId: nullableString,
  /** The name shown. Null only for imported comments whose page named no author. */
  author: nullableString,
  /** The reader id of the reader who posted it; null for imported comments. */
  authorId: nullableString,
  /** Posted by a reader signed in on the news site, whose name the site vouches for. */
  verified: z.boolean(),
  body: z.string(),
  /** ISO-8601 UTC with milliseconds. */
  createdAt: z.string(),
  /** When its author last changed the text; null if never. */
  editedAt: nullableString,
  status: z.enum(COMMENT_STATUSES),
  score: z.int(),
  /** Visible replies in the thread (top-level comments only; 0 on replies). */
  replyCount: count,
  /** Reader flags so far, and how many of them an editor had seen at the last approval. */
  flagCount: count,
  flagsAtReview: count,
  /** Distinct sources (keyed hashes of addresses) of the counted flags since the last approval. */
  flagSourcesSinceReview: count,
  flagReasons: z.object({ offensive: count, abusive: count, spam: count, other: count }),
  origin: z.enum(COMMENT_ORIGINS),
  /** Why the rules held it (`suspect_word`, `link`), or null. */
  heldFor: nullableString,
  moderatedBy: z.nullable(z.string()),
  moderatedAt: nullableString,
  /**
   * Where in the queue the comment sits, when an undo put it back in the place it had; null for
   * every other change of status, after which it sits by `moderatedAt` (or `createdAt`).
   */
  queuedAt: nullableString,
  /**
   * What taking back the last editor decision (approve, reject, hide) returns the comment to: its
   * status, its unreviewed flags and its place in the queue before that decision. Set by the
   * decision, null after any other change of status (readers' flags, the rules, a deletion, the
   * undo itself), so only the decision that is still in force can be taken back.
   */
  undo: z.nullable(z.object({ status: z.enum(COMMENT_STATUSES), flagsAtReview: count, queuedAt: nullableString })),
  /** Grows by one with every change of status or score; guards read-modify-write updates. */
  version: count,
});

export type Comment = Omit<z.output<typeof commentSchema>, 'moderatedBy'> & { moderatedBy: ModeratedBy | null };

export const isVisible = (comment: Pick<Comment, 'status'>): boolean => comment.status === 'approved';
export const isTopLevel = (comment: Pick<Comment, 'parentId'>): boolean => comment.parentId === null;
export const isQueued = (comment: Pick<Comment, 'status'>): boolean =>
  (QUEUE_STATUSES as readonly string[]).includes(comment.status);

/** When a queued comment joined its queue: the queue is oldest first by this. */
export function queuedSince(comment: Pick<Comment, 'queuedAt' | 'moderatedAt' | 'createdAt'>): string {
  return comment.queuedAt ?? comment.moderatedAt ?? comment.createdAt;
}

/**
 * Comment ids are `<articleId>.<suffix>`: the story's id, so any route can find the comment's
 * item from the id alone (no pointer item, no index read), and a 24-hex-digit suffix whose
 * first 12 digits are the creation time in milliseconds, so suffixes sort by time.
 */
export const COMMENT_ID_PATTERN = /^[0-9a-f]{16}\.[0-9a-f]{24}$/;
export const COMMENT_SUFFIX_PATTERN = /^[0-9a-f]{24}$/;

export function commentIdOf(articleId: string, suffix: string): string {
  return `${articleId}.${suffix}`;
}

/** The story and suffix of a well-formed comment id (check it against COMMENT_ID_PATTERN first). */
export function parseCommentId(id: string): { articleId: string; suffix: string } {
  const [articleId, suffix] = id.split('.') as [string, string];
  return { articleId, suffix };
}

function timePrefix(at: Date): string {
  return at.getTime().toString(16).padStart(12, '0');
}

/** A new id for a comment posted at `at`; the random part makes ids unguessable and unique. */
export function newCommentId(articleId: string, at: Date): string {
  return commentIdOf(articleId, timePrefix(at) + randomBytes(6).toString('hex'));
}

/**
 * The id of a comment imported from a page: derived from the story, the time and the text, so
 * importing the same page again names the same comments and writes nothing new.
 */
export function importedCommentId(articleId: string, postedAt: string, body: string): string {
  const digest = sha256Hex(`${articleId}\u0000${postedAt}\u0000${body}`).slice(0, 12);
  return commentIdOf(articleId, timePrefix(new Date(postedAt)) + digest);
}

export const NO_FLAGS: Readonly<Record<FlagReason, number>> = Object.freeze({
  offensive: 0,
  abusive: 0,
  spam: 0,
  other: 0,
});
