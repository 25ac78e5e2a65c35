/**
 * The one schema of an error report: the store parses every stored report with it, and the API
 * contract describes its responses with it (see report-shapes). The types are its outputs.
 */
import { correctionSchema } from '../articles/corrections';
import * as z from '../validation';
import { ERROR_REPORT_CATEGORIES, ERROR_REPORT_STATUSES } from './report';

const status = z.enum(ERROR_REPORT_STATUSES);

/** One step of a report's history, for the editors. */
export const statusChangeSchema = z.strictObject({
  status,
  at: z.string(),
  /** The editor's subject; absent for the reader's submission. */
  by: z.optional(z.string()),
  note: z.optional(z.string()),
});
export type StatusChange = z.output<typeof statusChangeSchema>;

/** A report as editors see it in listings: everything but the reader's contact. */
export const errorReportSchema = z.strictObject({
  reportId: z.string(),
  articleId: z.string(),
  category: z.enum(ERROR_REPORT_CATEGORIES),
  description: z.string(),
  quote: z.nullable(z.string()),
  status,
  /** Whether the reader left a contact (shown only by `GET /error-reports/{reportId}`). */
  hasContact: z.boolean(),
  /** Grows by one with every status change. */
  statusVersion: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.nullable(z.string()),
  correction: z.nullable(correctionSchema),
  history: z.array(statusChangeSchema),
});
export type ErrorReport = z.output<typeof errorReportSchema>;
