import type { ErrorReportStatus } from './report';
import type { ErrorReport } from './report-schema';
import type { ErrorReportWithContact, ReportPage } from './report-shapes';

export interface ReportListing {
  status: ErrorReportStatus;
  /** Only this story's reports. */
  articleId?: string;
  limit: number;
  cursor?: string;
}

/** Where error reports live, as the domain sees it. */
export interface ErrorReportStore {
  /**
   * Stores a new report, with the reader's contact if there is one. When a report with the same
   * id exists (the same report sent again), nothing is written and that report is returned.
   */
  create(report: ErrorReport, contact: string | null): Promise<{ created: boolean; report: ErrorReport }>;
  /** Read consistently, so a move is checked against the latest state. */
  get(reportId: string): Promise<ErrorReport | null>;
  /** The report with the contact, or `contact: null` once it is erased (or expired and awaiting TTL). */
  getWithContact(reportId: string, now: Date): Promise<ErrorReportWithContact | null>;
  /** Newest first. */
  list(listing: ReportListing): Promise<ReportPage>;
  /**
   * Writes `next` only if the stored report is still `previous` (same status version); false
   * when it moved meanwhile. A correction on `next` is published on the story in the same write.
   */
  move(previous: ErrorReport, next: ErrorReport): Promise<boolean>;
}
