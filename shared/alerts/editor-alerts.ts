/**
 * The editors' alerts list: what the editor-alert rule delivers (error reports from readers,
 * refused ingests) kept in the table as well as sent to the topic and the inbox queue, so every
 * editor's desk can read the same list. The inbox is a queue: a message one consumer receives is
 * taken from every other, so the desk never reads it; it stays for a newsroom's integrations.
 */
import { ARTICLE_ID_PATTERN } from '../articles/identity';
import { REPORT_ID_PATTERN } from '../error-reports/report-id';
import { DETAIL_TYPES } from '../events/catalog';
import type { Clock } from '../ports';
import * as z from '../validation';
import type { AlertPage, EditorAlert } from './alert-shapes';
import type { EditorAlertStore, StoryHeadlines } from './ports';

/** How long an alert is listed: as long as the inbox queue keeps an unread message (SQS's most). */
export const EDITOR_ALERT_RETENTION_DAYS = 14;
const RETENTION_MS = EDITOR_ALERT_RETENTION_DAYS * 24 * 3600 * 1000;

/** The bus events editors are alerted to; the editor-alert rules match exactly these. */
export const EDITOR_ALERT_DETAIL_TYPES = [DETAIL_TYPES.errorReportSubmitted, DETAIL_TYPES.articleRejected] as const;

/** What an alert is made from: the event's own id and time, and the fields of its detail it shows. */
export type AlertEvent =
  | Omit<Extract<EditorAlert, { kind: 'error-report' }>, 'recordedAt' | 'headline'>
  | Omit<Extract<EditorAlert, { kind: 'ingest-rejected' }>, 'recordedAt'>;

const text = (max: number) => z.string().check(z.maxLength(max));
const bucketKey = text(1024);

/**
 * The envelope and the details as the catalog describes them (ErrorReportSubmittedDetail,
 * ArticleRejectedDetail), checked where they enter: what becomes a key (the event id, the story's
 * id) must have its shape, and what is shown is bounded. Other detail fields pass unread.
 */
const envelopeSchema = z.object({
  id: z.string().check(z.regex(/^[A-Za-z0-9-]{1,64}$/, 'Must be an event id')),
  time: z.iso.datetime(),
  'detail-type': z.string(),
  detail: z.unknown(),
});
const errorReportDetailSchema = z.object({
  articleId: z.string().check(z.regex(ARTICLE_ID_PATTERN)),
  reportId: z.string().check(z.regex(REPORT_ID_PATTERN)),
  category: text(64),
  excerpt: text(1000),
});
const ingestRejectedDetailSchema = z.object({
  sourceKey: bucketKey,
  rejectedKey: bucketKey,
  reasonKey: bucketKey,
  reason: z.object({ code: text(100), message: text(2000) }),
});

/** A bus event as an alert's source, or why it is not one. */
export function readAlertEvent(event: unknown): AlertEvent | { invalid: string } {
  const envelope = envelopeSchema.safeParse(event);
  if (!envelope.success) return { invalid: `not a bus event: ${firstIssue(envelope.error)}` };
  const { id, time, detail } = envelope.data;
  const common = { id, occurredAt: new Date(time).toISOString() };
  switch (envelope.data['detail-type']) {
    case DETAIL_TYPES.errorReportSubmitted: {
      const parsed = errorReportDetailSchema.safeParse(detail);
      if (!parsed.success) return { invalid: `ErrorReportSubmitted detail: ${firstIssue(parsed.error)}` };
      const { articleId, reportId, category, excerpt } = parsed.data;
      return { kind: 'error-report', ...common, articleId, reportId, category, excerpt };
    }
    case DETAIL_TYPES.articleRejected: {
      const parsed = ingestRejectedDetailSchema.safeParse(detail);
      if (!parsed.success) return { invalid: `ArticleRejected detail: ${firstIssue(parsed.error)}` };
      const { sourceKey, rejectedKey, reasonKey, reason } = parsed.data;
      return { kind: 'ingest-rejected', ...common, sourceKey, rejectedKey, reasonKey, reason };
    }
    default:
      return { invalid: `not an alert: ${envelope.data['detail-type']}` };
  }
}

/** Where and what, never a value: a detail may hold what a reader wrote. */
function firstIssue(error: z.core.$ZodError): string {
  const [issue] = error.issues;
  return issue ? `${issue.path.join('.') || '(event)'}: ${issue.code}` : 'invalid';
}

/**
 * Records the alert for the desks, once per event however often the rule delivers it, kept for
 * {@link EDITOR_ALERT_RETENTION_DAYS} days. An error report's alert names the story by its
 * headline, read now: the desk shows it without a read per alert.
 */
export async function recordEditorAlert(
  deps: { alerts: EditorAlertStore; headlines: StoryHeadlines; clock: Clock },
  event: AlertEvent,
): Promise<'recorded' | 'exists'> {
  const now = deps.clock.now();
  const recordedAt = now.toISOString();
  const alert: EditorAlert =
    event.kind === 'error-report'
      ? { ...event, recordedAt, headline: await deps.headlines.headline(event.articleId) }
      : { ...event, recordedAt };
  return deps.alerts.record(alert, new Date(now.getTime() + RETENTION_MS));
}

/**
 * The alerts recorded since `since` (inclusive), newest first; all that are kept when it is
 * absent. Alerts past their retention are left out even before TTL removes their items.
 */
export async function listEditorAlerts(
  deps: { alerts: EditorAlertStore; clock: Clock },
  query: { since?: Date; limit: number; cursor?: string },
): Promise<AlertPage> {
  const oldestKept = deps.clock.now().getTime() - RETENTION_MS;
  const from = new Date(Math.max(oldestKept, query.since?.getTime() ?? oldestKept)).toISOString();
  return deps.alerts.list({
    from,
    limit: query.limit,
    ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
  });
}
