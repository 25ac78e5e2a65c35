import { createHash } from 'node:crypto';
import type { ReportSubmission } from './report';

/**
 * Report ids name their story (`<articleId>-<16 hex>`), so a report is read and changed with one
 * consistent key lookup under the story's partition, without an index.
 */
export const REPORT_ID_PATTERN = /^[0-9a-f]{16}-[0-9a-f]{16}$/;

export function articleIdOfReport(reportId: string): string {
  return reportId.slice(0, 16);
}

/**
 * The same report sent again from the same source gets the same id, so storing it is a
 * conditional put that finds the first one. The id hashes the (already keyed-hashed) source with
 * what the reader said, folded so that case and spacing do not make a new report; the contact is
 * left out, so a repeat with another address is still the same report.
 */
export function reportIdFor(submission: Omit<ReportSubmission, 'contact'>, sourceHash: string): string {
  const fingerprint = JSON.stringify([
    submission.articleId,
    sourceHash,
    submission.category,
    foldForDedup(submission.description),
    foldForDedup(submission.quote ?? ''),
  ]);
  return `${submission.articleId}-${createHash('sha256').update(fingerprint).digest('hex').slice(0, 16)}`;
}

function foldForDedup(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}
