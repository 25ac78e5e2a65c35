/**
 * What the comment domain needs from the store. The DynamoDB adapters in `shared/adapters/comments/`
 * implement these; tests can implement them in memory.
 */
import type { Comment, FlagReason, QueueStatus } from './comment';

export type ThreadOrder = 'newest' | 'oldest' | 'top';

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  /** Opaque; null on the last page. */
  nextCursor: string | null;
}

/** What a story's comment section needs to know about the story, read in one request. */
export interface ArticleCommentState {
  commentsOpen: boolean;
  /** Visible comments on the story, replies included (the story's `counts.comments`). */
  visibleTotal: number;
}

export interface CommentStore {
  /** Null when the story does not exist. */
  articleState(articleId: string): Promise<ArticleCommentState | null>;
  /** A strongly consistent read; null for an unknown id. */
  get(commentId: string): Promise<Comment | null>;
  /** Stores a new comment; `exists` when a comment with its id is already stored (nothing written). */
  insert(comment: Comment): Promise<'created' | 'exists'>;
  /**
   * Stores the comment's status, score and review fields (and the index entries that follow
   * from them) if the stored comment is still at `expectedVersion`; false if it moved on.
   */
  update(next: Comment, expectedVersion: number): Promise<boolean>;

  setCommentsOpen(articleId: string, open: boolean, change: { by: string; at: Date }): Promise<void>;
}

/** One reader's flag on a comment, as recorded. */
export interface FlagRecord {
  /** Keyed hash of the reader id: one flag per reader. */
  voterHash: string;
  /** The reader id itself, so editors find the reader's flags. */
  readerId: string;
  /** Keyed hash of the address it came from: hiding needs flags from distinct sources. */
  sourceHash: string;
  reason: FlagReason;
  at: Date;
  /** False for a brand-new reader identity: recorded, counted for nothing. */
  counts: boolean;
}

/** A comment's text as it was before its author changed it. */
export interface ReplacedText {
  body: string;
  replacedAt: string;
}

/** Authors' changes of text, kept for the editors. Apart from the store: only the edit route writes them. */
export interface CommentTextHistory {
  /**
   * Like `CommentStore.update`, for the author's change of text: stores `next` (its new body and
   * edit time with it) and keeps the text it replaced, in one atomic write; false if the stored
   * comment moved on from `expectedVersion`.
   */
  replaceText(next: Comment, expectedVersion: number, replaced: ReplacedText): Promise<boolean>;
  /** The texts an author replaced, oldest first. */
  replacedTexts(commentId: string): Promise<ReplacedText[]>;
}

/** The comment listings, each a page of one index partition. */
export interface CommentListings {
  /** Visible top-level comments of a story. */
  listThreads(articleId: string, order: ThreadOrder, page: PageRequest): Promise<Page<Comment>>;
  /** Visible replies of a thread, oldest first. */
  listReplies(threadId: string, page: PageRequest): Promise<Page<Comment>>;
  /** Comments waiting for an editor, oldest first. */
  listQueue(status: QueueStatus, page: PageRequest): Promise<Page<Comment>>;
  /** How many comments the queue holds now, counted (every entry of its index partition). */
  countQueue(status: QueueStatus): Promise<number>;
}

/** A story as the editors' queue names it. */
export interface StoryHeading {
  headline: string;
  /** The story's page, when its source named one. */
  canonicalUrl: string | null;
}

/** What the editors' queue shows beside each comment, read for a page of it at once. */
export interface ModerationContext {
  /** The stories' headings by id; an unknown story is absent. */
  stories(articleIds: readonly string[]): Promise<Map<string, StoryHeading>>;
  /** The comments by id, whatever their status; an unknown id is absent. */
  comments(commentIds: readonly string[]): Promise<Map<string, Comment>>;
}

/** A reader's flag, as editors see it in the reader's record. */
export interface ReaderFlag {
  commentId: string;
  articleId: string;
  reason: FlagReason;
  flaggedAt: string;
  /** False when it came from a brand-new identity and counted for nothing. */
  counted: boolean;
}

/** What one reader did, for editors: their comments and their flags, newest first. */
export interface ReaderActivity {
  comments(readerId: string, page: PageRequest): Promise<Page<Comment>>;
  flags(readerId: string, page: PageRequest): Promise<Page<ReaderFlag>>;
}

export interface CommentReactions {
  /**
   * Records a reader's vote, replacing any earlier one; returns the value it replaced (null
   * for a first vote). The comment's score follows from the vote records (see aggregates).
   */
  recordVote(
    comment: Pick<Comment, 'id' | 'articleId'>,
    voterHash: string,
    value: 1 | -1,
    at: Date,
  ): Promise<{ previous: 1 | -1 | null }>;
  /**
   * Records a reader's flag, with whether it counts toward hiding the comment; false if this
   * reader has flagged the comment before.
   */
  recordFlag(comment: Pick<Comment, 'id' | 'articleId'>, flag: FlagRecord): Promise<boolean>;
}

/** Short-lived markers of recent actions, e.g. "this source posted this body". */
export interface RecentActions {
  /**
   * True if the action was not seen within the window (and is now recorded for `owner`), or
   * was recorded by the same owner (a retried attempt); false if someone else's is recent.
   */
  claim(key: string, owner: string, windowSeconds: number, now: Date): Promise<boolean>;
  forget(key: string): Promise<void>;
}

export interface VisibilitySettlement {
  comment: Pick<Comment, 'id' | 'articleId' | 'threadId' | 'parentId'>;
  visible: boolean;
}

/** A flag record to count once, as the table stream delivers it. */
export interface FlagSettlement {
  commentId: string;
  /** The flag record's key: marks it counted. */
  flagKey: string;
  reason: FlagReason;
  counts: boolean;
  sourceHash: string;
}

/**
 * The writes that keep aggregates exact. Each settles one item's contribution and records
 * that it did in the same atomic write, so a repeated call (a stream retry) changes nothing.
 */
export interface CommentAggregates {
  /**
   * Makes each comment's contribution to its story's visible total, and to its thread's
   * `replyCount` for a reply, match `visible`. At most one settlement per comment.
   */
  settleVisibility(settlements: readonly VisibilitySettlement[]): Promise<void>;
  /** Brings the comment's score in line with one reader's vote record. */
  settleVote(vote: { commentId: string; voteKey: string }): Promise<void>;
  /** Counts one reader's flag on the comment once; false if it was counted before. */
  settleFlag(flag: FlagSettlement): Promise<boolean>;
}
