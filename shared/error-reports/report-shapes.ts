/**
 * The response shapes of the error-report routes that are not a stored report as it is, each
 * defined once as a schema: the types the domain returns are their outputs, and the API contract
 * (shared/http/contracts) describes and checks the responses with the very same schemas. The
 * domain and the handlers import this module with `import type` only: schemas built at a
 * module's top level are not tree-shaken, so a runtime import would carry them into a bundle that
 * never uses them.
 */
import * as z from '../validation';
import { ERROR_REPORT_STATUSES } from './report';
import { errorReportSchema } from './report-schema';

/** A report with the reader's contact: editors only, and only until it is erased. */
export const errorReportWithContactSchema = z.strictObject({
  ...errorReportSchema.shape,
  contact: z.nullable(z.string()),
});
export type ErrorReportWithContact = z.output<typeof errorReportWithContactSchema>;

export const reportPageSchema = z.strictObject({
  items: z.array(errorReportSchema),
  /** Opaque; pass back to get the next page. Null on the last page. */
  nextCursor: z.nullable(z.string()),
});
export type ReportPage = z.output<typeof reportPageSchema>;

/** What a reader gets back for a report: its id, and where it stands. */
export const submittedReportSchema = z.strictObject({ reportId: z.string(), status: z.enum(ERROR_REPORT_STATUSES) });
export type SubmittedReport = z.output<typeof submittedReportSchema>;
