import type { RateLimit } from '../abuse/rate-limit';
import { NotFoundError } from '../errors';
import type { Clock } from '../ports';
import type { ReaderHasher } from '../privacy/reader-hasher';
import type { ErrorReportStore } from './error-report-store';
import type { ReportSubmission } from './report';
import type { ErrorReport } from './report-schema';
import type { SubmittedReport } from './report-shapes';
import { reportIdFor } from './report-id';

export interface SubmitDependencies {
  reports: ErrorReportStore;
  articles: { exists(articleId: string): Promise<boolean> };
  limiter: { consume(limit: RateLimit, sourceHash: string, now: Date): Promise<void> };
  limit: RateLimit;
  hasher: () => Promise<ReaderHasher>;
  clock: Clock;
}

/**
 * Files a reader's report on a story. The source (the caller's address) is only ever used as a
 * keyed hash: for the rate limit, and as part of the report id, which makes a repeat of the
 * same report from the same source find the first one instead of filing another.
 */
export async function submitErrorReport(
  deps: SubmitDependencies,
  submission: ReportSubmission,
  source: string,
): Promise<SubmittedReport & { created: boolean }> {
  const now = deps.clock.now();
  const sourceHash = (await deps.hasher()).hash('source', source);
  await deps.limiter.consume(deps.limit, sourceHash, now);
  if (!(await deps.articles.exists(submission.articleId)))
    throw new NotFoundError(`No article ${submission.articleId}`);

  const at = now.toISOString();
  const report: ErrorReport = {
    reportId: reportIdFor(submission, sourceHash),
    articleId: submission.articleId,
    category: submission.category,
    description: submission.description,
    quote: submission.quote,
    status: 'received',
    hasContact: submission.contact !== null,
    statusVersion: 1,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    correction: null,
    history: [{ status: 'received', at }],
  };
  const stored = await deps.reports.create(report, submission.contact);
  return { reportId: stored.report.reportId, status: stored.report.status, created: stored.created };
}
