/**
 * The editors' alerts as the desk reads them (`GET /editor/alerts`), each shape defined once as a
 * schema: the domain returns their outputs, the contract describes and checks the route with them,
 * and the adapter parses stored alerts with them. An alert names what happened and where, never a
 * reader secret: no contact, token, reader id or address (an error report's excerpt has e-mail
 * addresses masked where the report's events are made).
 *
 * The domain and the recording function import this module with `import type` only (see
 * comments/comment-shapes), so its schemas stay out of bundles that do not parse with them.
 */
import * as z from '../validation';

const common = {
  /** The id of the bus event the alert was made from: one alert per event. */
  id: z.string(),
  /** When the alert was recorded, which orders the list and which `since` compares with. */
  recordedAt: z.string(),
  /** When the event was put on the bus. */
  occurredAt: z.string(),
};

/** A reader reported an error on a story (`ErrorReportSubmitted`). */
export const errorReportAlertSchema = z.strictObject({
  kind: z.literal('error-report'),
  ...common,
  articleId: z.string(),
  /** The story's headline when the alert was recorded; null if the story was not found. */
  headline: z.nullable(z.string()),
  /** Open it with `GET /error-reports/{reportId}`. */
  reportId: z.string(),
  category: z.string(),
  /** The start of the description on one line, e-mail addresses masked. */
  excerpt: z.string(),
});

/** A story dropped or posted for ingest was refused (`ArticleRejected`). */
export const ingestRejectedAlertSchema = z.strictObject({
  kind: z.literal('ingest-rejected'),
  ...common,
  /** Where the input was dropped, and where it and the reason now are in the bucket. */
  sourceKey: z.string(),
  rejectedKey: z.string(),
  reasonKey: z.string(),
  reason: z.strictObject({ code: z.string(), message: z.string() }),
});

export const editorAlertSchema = z.discriminatedUnion('kind', [errorReportAlertSchema, ingestRejectedAlertSchema]);
export type EditorAlert = z.output<typeof editorAlertSchema>;

export const alertPageSchema = z.strictObject({
  /** Newest first. */
  items: z.array(editorAlertSchema),
  /** Opaque; pass back as `cursor` for older alerts. Null on the last page. */
  nextCursor: z.nullable(z.string()),
});
export type AlertPage = z.output<typeof alertPageSchema>;
