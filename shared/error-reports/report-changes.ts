import { DETAIL_TYPES } from '../events/catalog';
import type { DomainEvent } from '../ports';
import { excerptOf, isClosed, isOpen, type ErrorReport } from './report';

/** What one committed change of a report item implies; see {@link reportChangeEffects}. */
export interface ReportChangeEffects {
  articleId: string;
  reportId: string;
  event: DomainEvent;
  /** The report entered or left the open states: the story's open count must be recounted. */
  recountOpen: boolean;
  /** The report closed and has a contact: erase it at this time (epoch seconds, the TTL attribute). */
  eraseContactAt: number | null;
}

/**
 * The effects of a report item's change, from its images in the table stream: the event to
 * publish, whether the story's open count changed and when the contact must go. Null when the
 * status did not change (a redelivery, or a write of other attributes). Pure and derived from
 * the images alone, so a retried stream record produces exactly the same effects.
 */
export function reportChangeEffects(
  newImage: Partial<ErrorReport> | undefined,
  oldImage: Partial<ErrorReport> | undefined,
  contactRetentionSeconds: number,
): ReportChangeEffects | null {
  if (!newImage?.reportId || !newImage.articleId || !newImage.status) return null;
  const report = newImage as ErrorReport;
  const previous = oldImage?.status;
  if (previous === report.status) return null;
  const base = { articleId: report.articleId, reportId: report.reportId };

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
          excerpt: excerptOf(report.description ?? ''),
          submittedAt: report.createdAt,
        },
      },
      recountOpen: isOpen(report.status),
      eraseContactAt: null,
    };
  }

  const recountOpen = isOpen(previous) !== isOpen(report.status);
  const statusVersion = Number(report.statusVersion ?? 0);
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
      recountOpen,
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
    recountOpen,
    eraseContactAt: report.hasContact ? Math.ceil(Date.parse(resolvedAt) / 1000) + contactRetentionSeconds : null,
  };
}
