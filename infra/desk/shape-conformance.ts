/**
 * The editor desk's view of the API's shapes (`web/desk/src/shapes.ts`) held against their one
 * definition, by the type checker alone, as infra/widget/shape-conformance.ts does for the reader
 * widget: the desk is type-checked with the DOM and without Node, so it cannot import the server's
 * schemas, and this file is where the two meet. Each line fails `tsc` when the server's shape stops
 * being assignable to what the desk reads.
 */
import type { AlertPage, EditorAlert } from '../../shared/alerts/alert-shapes';
import type { ArticleView } from '../../shared/articles/article-shapes';
import type { Correction } from '../../shared/articles/corrections';
import type {
  CommentListing,
  CommentSettingsView,
  EditorCommentView,
  ModerationItem,
  ModerationPage,
  ReaderRecord,
} from '../../shared/comments/comment-shapes';
import type { EditorDecision, QueueStatus, UndoableDecision } from '../../shared/comments/comment';
import type { ErrorReport } from '../../shared/error-reports/report-schema';
import type { ErrorReportStatus } from '../../shared/error-reports/report-vocabulary';
import type { ErrorReportWithContact, ReportPage } from '../../shared/error-reports/report-shapes';
import type { ErrorBody } from '../../shared/http/route-contract';
import type { BanRecord, ReaderBanBody } from '../../shared/identity/identity-shapes';
import type * as Desk from '../../web/desk/src/shapes';
import type { ApiErrorBody } from '../../web/shared/api-reply';

/** Compiles only when `Server` can be used where the desk expects `DeskReads`. */
type Conforms<Server extends DeskReads, DeskReads> = [Server, DeskReads];

export type DeskShapeConformance = [
  Conforms<EditorCommentView, Desk.EditorComment>,
  Conforms<NonNullable<ModerationItem['parent']>, Desk.ParentComment>,
  Conforms<ModerationItem, Desk.QueueItem>,
  Conforms<ModerationPage, Desk.QueuePage>,
  Conforms<BanRecord, Desk.BanRecord>,
  Conforms<ReaderRecord['flags']['items'][number], Desk.ReaderFlag>,
  Conforms<ReaderRecord, Desk.ReaderRecord>,
  Conforms<ReaderBanBody, Desk.ReaderBan>,
  Conforms<Correction, Desk.Correction>,
  Conforms<ArticleView, Desk.Story>,
  Conforms<CommentListing, Desk.StoryComments>,
  Conforms<CommentSettingsView, Desk.CommentSettings>,
  Conforms<ErrorReport['history'][number], Desk.ReportChange>,
  Conforms<ErrorReport, Desk.ErrorReport>,
  Conforms<ErrorReportWithContact, Desk.ErrorReportWithContact>,
  Conforms<ReportPage, Desk.ReportPage>,
  Conforms<EditorAlert, Desk.EditorAlert>,
  Conforms<AlertPage, Desk.AlertPage>,
  Conforms<ErrorBody, ApiErrorBody>,
];

/** And the other way for what the desk sends: each value it may send is one the API accepts. */
export type DeskRequestConformance = [
  Conforms<Desk.QueueStatus, QueueStatus>,
  Conforms<Desk.Decision, EditorDecision>,
  Conforms<Desk.UndoableDecision, UndoableDecision>,
  Conforms<Desk.ReportStatus, ErrorReportStatus>,
];
