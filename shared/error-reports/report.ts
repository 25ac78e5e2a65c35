/**
 * A reader's report of an error on a story, and the one rule of its workflow: a report only
 * moves forward, received → reviewing → corrected | rejected (a step may be skipped, e.g. spam
 * goes from received straight to rejected), and never leaves a closed state.
 */
import { ConflictError } from '../errors';

import {
  ERROR_REPORT_CATEGORIES,
  ERROR_REPORT_STATUSES,
  type ErrorReportCategory,
  type ErrorReportStatus,
} from './report-vocabulary';

export { ERROR_REPORT_CATEGORIES, ERROR_REPORT_STATUSES, type ErrorReportCategory, type ErrorReportStatus };
export type ClosedStatus = Extract<ErrorReportStatus, 'corrected' | 'rejected'>;

/** Position along the workflow; a move must go to a higher rank. Both closed states are final. */
const RANK: Record<ErrorReportStatus, number> = { received: 0, reviewing: 1, corrected: 2, rejected: 2 };

/** Open reports are the ones the story's `counts.errorReports` counts. */
export function isOpen(status: ErrorReportStatus): boolean {
  return RANK[status] < 2;
}

export function isClosed(status: ErrorReportStatus): status is ClosedStatus {
  return !isOpen(status);
}

/** Throws a 409 unless `from → to` is a forward move. */
export function assertForwardMove(from: ErrorReportStatus, to: ErrorReportStatus): void {
  if (isClosed(from)) throw new ConflictError(`The report is already ${from}; a closed report does not move`);
  if (RANK[to] <= RANK[from])
    throw new ConflictError(`The report is ${from}; it cannot move back or stay (${from} → ${to})`);
}

/** What a reader submits, validated. */
export interface ReportSubmission {
  articleId: string;
  category: ErrorReportCategory;
  description: string;
  quote: string | null;
  contact: string | null;
}

/** What an editor asks for, validated. */
export interface StatusMove {
  reportId: string;
  status: ErrorReportStatus;
  note: string | null;
  /** Published on the story; only with `corrected`. */
  correction: string | null;
  editor: string;
}

const EMAIL_LIKE = /[^\s@<>()[\]]+@[^\s@<>()[\]]+\.[^\s@<>()[\]]+/g;

/**
 * The text of an alert: the description's start, on one line. Addresses a reader typed into the
 * description are masked too, so an alert never carries a contact even where the form was misused.
 */
export function excerptOf(description: string, maxLength = 140): string {
  const line = description.replace(EMAIL_LIKE, '[e-mail]').replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length <= maxLength
    ? line
    : `${chars
        .slice(0, maxLength - 1)
        .join('')
        .trimEnd()}…`;
}
