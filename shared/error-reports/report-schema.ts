/**
 * The one schema of an error report: the store parses every stored report with it, and the
 * API contract describes its responses with it.
 */
import * as z from '../validation';
import { ERROR_REPORT_CATEGORIES, ERROR_REPORT_STATUSES, type ErrorReport } from './report';

const status = z.enum(ERROR_REPORT_STATUSES);

export const errorReportSchema = z.strictObject({
  reportId: z.string(),
  articleId: z.string(),
  category: z.enum(ERROR_REPORT_CATEGORIES),
  description: z.string(),
  quote: z.nullable(z.string()),
  status,
  hasContact: z.boolean(),
  statusVersion: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.nullable(z.string()),
  correction: z.nullable(z.strictObject({ text: z.string(), correctedAt: z.string() })),
  history: z.array(
    z.strictObject({ status, at: z.string(), by: z.optional(z.string()), note: z.optional(z.string()) }),
  ),
});

const shape: z.SameShape<z.output<typeof errorReportSchema>, ErrorReport> = true;
void shape;
