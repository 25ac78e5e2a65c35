/**
 * The desk's `config.json`, served beside it at `/desk/config.json`: written by the CDK stack at
 * deploy (infra/constructs/editor-desk.ts) and by the local stack when it serves the desk
 * (infra/local/desk-site.ts), both typed by this one definition. Types only, with no DOM, so the
 * server's type check reads it too.
 */
export interface DeskConfig {
  /** The HTTP API the desk calls with the editor's access token. */
  api: string;
  /** The Cognito group whose members may use the desk (`editors`). */
  editorGroup: string;
  auth: DeskAuthConfig;
}

/**
 * Where and how the desk signs an editor in: Cognito's OAuth 2.0 endpoints on the user pool's
 * domain in AWS, the local stack's imitation of them locally; the same protocol in both.
 */
export interface DeskAuthConfig {
  /** `https://<domain>/oauth2/authorize`: where the browser is sent to sign in. */
  authorizeUrl: string;
  /** `https://<domain>/oauth2/token`: code and refresh-token grants. */
  tokenUrl: string;
  /** `https://<domain>/oauth2/revoke`: ends a refresh token (and the tokens it issued) at sign-out. */
  revokeUrl: string;
  /** `https://<domain>/logout`: ends the sign-in session, then returns to `redirectUri`. */
  logoutUrl: string;
  /** The desk's public app client (no secret). */
  clientId: string;
  /** The desk's own URL: the callback after sign-in and the page to return to after sign-out. */
  redirectUri: string;
  /** The scopes the desk asks for, space-separated: `openid email profile`. */
  scope: string;
}

// What the desk reads of the API's answers: the fields it uses and no more. Types only, with no
// DOM and no imports, so the server's type check holds them against the one definition of each
// shape (infra/desk/shape-conformance.ts): a field the desk reads that the API stops sending, or
// sends as another type, fails `tsc`.

export type CommentStatus = 'pending' | 'approved' | 'flagged' | 'rejected' | 'hidden' | 'deleted';
/** The two moderation queues. */
export type QueueStatus = 'pending' | 'flagged';
/** What an editor decides (`PATCH /comments/{id}` with `status`); `deleted` is final. */
export type Decision = 'approved' | 'rejected' | 'hidden' | 'deleted';
export type UndoableDecision = Exclude<Decision, 'deleted'>;
export type FlagReason = 'offensive' | 'abusive' | 'spam' | 'other';

/** A comment as editors see it: the answer to a decision or an undo, and a reader's comments. */
export interface EditorComment {
  id: string;
  articleId: string;
  parentId: string | null;
  author: string | null;
  verified: boolean;
  body: string;
  createdAt: string;
  edited: boolean;
  status: CommentStatus;
  /** Null for comments imported with a story: there is no reader to open. */
  readerId: string | null;
  /** Why the rules held it: `link`, `suspect_word`, or another code; null if they did not. */
  heldFor: string | null;
  flags: { count: number; sinceReview: number; sourcesSinceReview: number; reasons: Record<FlagReason, number> };
  moderatedAt: string | null;
  /** What an undo of the decision in force would return the comment to; null: nothing to undo. */
  undoTo: CommentStatus | null;
}

/** The comment a queued one answers, whatever its status. */
export interface ParentComment {
  id: string;
  author: string | null;
  body: string;
  createdAt: string;
  status: CommentStatus;
}

/** A queued comment with its story and the comment it answers (`GET /moderation/comments`). */
export interface QueueItem extends EditorComment {
  story: { headline: string; canonicalUrl: string | null } | null;
  parent: ParentComment | null;
}

export interface QueuePage {
  /** Oldest first. */
  items: QueueItem[];
  nextCursor: string | null;
  /** How many comments each queue holds, counted for this answer. */
  counts: Record<QueueStatus, number>;
}

export interface BanRecord {
  action: 'banned' | 'unbanned';
  until: string | null;
  reason: string | null;
  /** The editor's subject. */
  by: string;
  at: string;
}

export interface ReaderFlag {
  commentId: string;
  articleId: string;
  reason: FlagReason;
  flaggedAt: string;
  counted: boolean;
}

/** A reader as editors see them (`GET /moderation/readers/{readerId}`). */
export interface ReaderRecord {
  readerId: string;
  /** The ban in force; `until` null: until an editor lifts it. */
  ban: { until: string | null } | null;
  /** Newest first. */
  banHistory: BanRecord[];
  comments: { items: EditorComment[]; nextCursor: string | null };
  flags: { items: ReaderFlag[]; nextCursor: string | null };
}

/** `PUT /readers/{readerId}/ban`'s answer. */
export interface ReaderBan {
  until: string | null;
  reason: string | null;
  bannedAt: string;
}

export interface Correction {
  text: string;
  correctedAt: string;
}

/** What the desk reads of a story (`GET /articles/{articleId}`). */
export interface Story {
  id: string;
  headline: string;
  canonicalUrl: string | null;
  counts: { comments: number; errorReports: number };
  /** Oldest first. */
  corrections: Correction[];
}

/** Whether a story takes comments, as its listing says (`GET /articles/{articleId}/comments`). */
export interface StoryComments {
  commentsOpen: boolean;
}

/** `PATCH /articles/{articleId}/comment-settings`'s answer. */
export interface CommentSettings {
  articleId: string;
  commentsOpen: boolean;
}

export type ReportStatus = 'received' | 'reviewing' | 'corrected' | 'rejected';
export type ReportCategory = 'factual' | 'typo' | 'broken-link' | 'missing-context' | 'other';

export interface ReportChange {
  status: ReportStatus;
  at: string;
  /** The editor's subject; absent for the reader's submission. */
  by?: string;
  note?: string;
}

/** An error report as the triage list shows it (no contact). */
export interface ErrorReport {
  reportId: string;
  articleId: string;
  category: ReportCategory;
  description: string;
  quote: string | null;
  status: ReportStatus;
  hasContact: boolean;
  createdAt: string;
  closedAt: string | null;
  correction: Correction | null;
  history: ReportChange[];
}

/** One report opened (`GET /error-reports/{reportId}`): with the reader's contact while it is kept. */
export interface ErrorReportWithContact extends ErrorReport {
  contact: string | null;
}

export interface ReportPage {
  /** Newest first. */
  items: ErrorReport[];
  nextCursor: string | null;
}

export type EditorAlert =
  | {
      kind: 'error-report';
      id: string;
      recordedAt: string;
      articleId: string;
      headline: string | null;
      reportId: string;
      category: string;
      excerpt: string;
    }
  | {
      kind: 'ingest-rejected';
      id: string;
      recordedAt: string;
      sourceKey: string;
      reason: { code: string; message: string };
    };

export interface AlertPage {
  /** Newest first. */
  items: EditorAlert[];
  nextCursor: string | null;
}
