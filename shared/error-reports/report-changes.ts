import { DETAIL_TYPES } from '../events/catalog';
import type { DomainEvent } from '../ports';
import { excerptOf, isClosed, isOpen } from './report';
import type { ErrorReport } from './report-schema';

/**
 * A report entering (+1) or leaving (-1) the open states: what its change adds to the story's
 * `counts.errorReports`. `statusVersion` names the change, so it is counted once however often
 * its stream record is delivered; the deltas of all a report's changes sum to its current state.
 */
export interface OpenCountChange {
  articleId: string;
  reportId: string;
  statusVersion: number;
  delta: 1 | -1;
}

/** What one committed change of a report item implies; see {@link reportChangeEffects}. */
export interface ReportChangeEffects {
  articleId: string;
  reportId: string;
  event: DomainEvent;
  /** Null when the change leaves the report as open (or as closed) as it was. */
  openCountChange: OpenCountChange | null;
  /** The report closed and has a contact: erase it at this time (epoch seconds, the TTL attribute). */
  eraseContactAt: number | null;
}

/**
 * The effects of a report item's change, from its images in the table stream: the event to
 * publish, what the change adds to the story's open count and when the contact must go. Null when the
 * status did not change (a redelivery, or a write of other attributes). Pure and derived from
 * the images alone, so a retried stream record produces exactly the same effects.
 */
export function reportChangeEffects(
  report: ErrorReport | undefined,
  before: ErrorReport | undefined,
  contactRetentionSeconds: number,
): ReportChangeEffects | null {
  if (!report) return null;
  const previous = before?.status;
  if (previous === report.status) return null;
  const base = { articleId: report.articleId, reportId: report.reportId };
  const statusVersion = report.statusVersion;
  const delta = Number(isOpen(report.status)) - Number(previous !== undefined && isOpen(previous));
  const openCountChange: OpenCountChange | null =
    delta === 0 ? null : { ...base, statusVersion, delta: delta > 0 ? 1 : -1 };

  if (previous === undefined) {
    return {
      ...base,
      event: {
        detailType: DETAIL_TYPES.errorReportSubmitted,
        detail: {
          schemaVersion: 1,
          articleId: report.articleId,
          reportId: report.reportId,
          category: report.category,
          excerpt: excerptOf(report.description),
          submittedAt: report.createdAt,
        },
      },
      openCountChange,
      eraseContactAt: null,
    };
  }

  if (!isClosed(report.status)) {
    return {
      ...base,
      event: {
        detailType: DETAIL_TYPES.errorReportUpdated,
        detail: {
          schemaVersion: 1,
          articleId: report.articleId,
          reportId: report.reportId,
          category: report.category,
          status: report.status,
          previousStatus: previous,
          statusVersion,
          updatedAt: report.updatedAt,
        },
      },
      openCountChange,
      eraseContactAt: null,
    };
  }

  const resolvedAt = report.closedAt ?? report.updatedAt;
  return {
    ...base,
    event: {
      detailType: DETAIL_TYPES.errorReportResolved,
      detail: {
        schemaVersion: 1,
        articleId: report.articleId,
        reportId: report.reportId,
        category: report.category,
        status: report.status,
        previousStatus: previous,
        statusVersion,
        resolvedAt,
        correction: report.correction
          ? { text: report.correction.text, correctedAt: report.correction.correctedAt }
          : null,
      },
    },
    openCountChange,
    eraseContactAt: report.hasContact ? Math.ceil(Date.parse(resolvedAt) / 1000) + contactRetentionSeconds : null,
  };
}
