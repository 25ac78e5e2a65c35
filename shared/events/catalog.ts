/**
 * The event catalog: every event this backend puts on its bus. Consumers match on
 * `source` and `detail-type`; `detail.schemaVersion` lets a detail shape evolve without
 * breaking them. Details never carry reader secrets (reader ids and tokens, contacts, addresses).
 */
export const EVENT_SOURCE = 'newsroom';

export const DETAIL_TYPES = {
  articleIngested: 'ArticleIngested',
  articleRejected: 'ArticleRejected',
  errorReportSubmitted: 'ErrorReportSubmitted',
  errorReportUpdated: 'ErrorReportUpdated',
  errorReportResolved: 'ErrorReportResolved',
  commentPosted: 'CommentPosted',
  commentFlagged: 'CommentFlagged',
  commentModerated: 'CommentModerated',
  commentEdited: 'CommentEdited',
  pollTallyUpdated: 'PollTallyUpdated',
} as const;

export type DetailType = (typeof DETAIL_TYPES)[keyof typeof DETAIL_TYPES];

export interface ArticleIngestedDetail {
  schemaVersion: 1;
  articleId: string;
  /** Grows by one each time the story's content changes; a consumer keeps the highest. */
  version: number;
  /** `created` for a new story, `updated` when a known story changed in place. */
  change: 'created' | 'updated';
  headline: string;
  publishedAt: string;
  format: string;
  /** Key of the normalized article in the bucket. */
  articleKey: string;
  contentHash: string;
}

export interface ArticleRejectedDetail {
  schemaVersion: 1;
  /** Where the input now lives (under `rejected/`), so an editor can fetch and fix it. */
  rejectedKey: string;
  reasonKey: string;
  sourceKey: string;
  reason: { code: string; message: string };
}

/** A reader reported an error on a story. Never carries the reader's contact or source. */
export interface ErrorReportSubmittedDetail {
  schemaVersion: 1;
  articleId: string;
  reportId: string;
  category: string;
  /** The start of the description, on one line, for an alert's subject or preview. */
  excerpt: string;
  submittedAt: string;
}

/** A report moved forward without being closed (to `reviewing`). */
export interface ErrorReportUpdatedDetail {
  schemaVersion: 1;
  articleId: string;
  reportId: string;
  category: string;
  status: string;
  previousStatus: string;
  /** Grows by one with every status change of the report; a consumer keeps the highest. */
  statusVersion: number;
  updatedAt: string;
}

/** A report was closed as `corrected` or `rejected`; a published correction comes with it. */
export interface ErrorReportResolvedDetail {
  schemaVersion: 1;
  articleId: string;
  reportId: string;
  category: string;
  status: 'corrected' | 'rejected';
  previousStatus: string;
  statusVersion: number;
  resolvedAt: string;
  correction: { text: string; correctedAt: string } | null;
}

/** A comment was stored: posted by a reader (`approved`, or `pending` when held by the rules) or imported. */
export interface CommentPostedDetail {
  schemaVersion: 1;
  articleId: string;
  commentId: string;
  threadId: string;
  parentId: string | null;
  status: string;
  origin: 'reader' | 'import';
  createdAt: string;
}

/** A reader flagged a comment. Never carries the reader's token or address. */
export interface CommentFlaggedDetail {
  schemaVersion: 1;
  articleId: string;
  commentId: string;
  reason: string;
}

/**
 * A comment's author changed its text (within the edit window). Carries no text: a consumer reads
 * the comment, and keeps the highest version it has seen.
 */
export interface CommentEditedDetail {
  schemaVersion: 1;
  articleId: string;
  commentId: string;
  status: string;
  version: number;
  editedAt: string;
}

/** A comment's status changed: by an editor, by reader flags reaching the threshold, or by its author deleting it. */
export interface CommentModeratedDetail {
  schemaVersion: 1;
  articleId: string;
  commentId: string;
  status: string;
  previousStatus: string;
  /** `rules`, `readers`, `author`, or the subject of the editor who decided. */
  by: string;
  /** Grows with every change of the comment; a consumer keeps the highest. */
  version: number;
  at: string;
}

/**
 * A story's poll tally changed. Counts are absolute and `version` only grows, so a consumer that
 * missed an event is healed by the next one and keeps the highest version it has seen. Coalesced:
 * at most one per story per aggregation batch, never one per vote. Carries no voter data.
 */
export interface PollTallyUpdatedDetail {
  schemaVersion: 1;
  articleId: string;
  version: number;
  question: string;
  options: Array<{ id: string; label: string; votes: number }>;
  totalVotes: number;
  updatedAt: string;
}

export interface EventDetails {
  ArticleIngested: ArticleIngestedDetail;
  ArticleRejected: ArticleRejectedDetail;
  ErrorReportSubmitted: ErrorReportSubmittedDetail;
  ErrorReportUpdated: ErrorReportUpdatedDetail;
  ErrorReportResolved: ErrorReportResolvedDetail;
  CommentPosted: CommentPostedDetail;
  CommentFlagged: CommentFlaggedDetail;
  CommentModerated: CommentModeratedDetail;
  CommentEdited: CommentEditedDetail;
  PollTallyUpdated: PollTallyUpdatedDetail;
}
