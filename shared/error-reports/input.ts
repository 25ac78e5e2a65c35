/**
 * The schemas of error-report input, shared by the handlers that take it. Text is normalized
 * before it is measured: Unicode NFC, CRLF to LF, control characters (C0, DEL and C1) other than
 * newline and tab dropped, and surrounding whitespace trimmed; lengths count characters (code
 * points). Text with an unpaired surrogate is refused.
 */
import { ARTICLE_ID_PATTERN } from '../articles/identity';
import { cursorParameter, limitParameter } from '../query-schemas';
import * as z from '../validation';
import { ERROR_REPORT_CATEGORIES, ERROR_REPORT_STATUSES } from './report';
import { REPORT_ID_PATTERN } from './report-id';

export const REPORT_TEXT_LIMITS = {
  description: { min: 10, max: 2000 },
  quote: { min: 1, max: 500 },
  note: { min: 1, max: 2000 },
  correction: { min: 1, max: 2000 },
  /** RFC 5321's limit on a forward path. */
  contact: { max: 254 },
} as const;

function cleanText(value: string): string {
  return (
    value
      .normalize('NFC')
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, '')
      .trim()
  );
}

/** A text field of `min`–`max` characters after cleaning. */
export function text(limits: { min: number; max: number }) {
  return z.pipe(
    z.pipe(z.string(), z.transform(cleanText)),
    z.string().check(
      z.refine((value) => [...value].length >= limits.min, `Must be at least ${limits.min} characters`),
      z.refine((value) => [...value].length <= limits.max, `Must be at most ${limits.max} characters`),
      // An unpaired surrogate (JSON allows "\ud800") is no character: refused, never stored or mailed.
      z.refine((value) => !/\p{Cs}/u.test(value), 'Must be valid Unicode text (no unpaired surrogates)'),
    ),
  );
}

export const reportBodySchema = z.strictObject({
  category: z.enum(ERROR_REPORT_CATEGORIES),
  description: text(REPORT_TEXT_LIMITS.description),
  // `null` is taken as absent, as forms often send it for an empty field.
  quote: z.optional(z.nullable(text(REPORT_TEXT_LIMITS.quote))),
  contact: z.optional(
    z.nullable(
      z.pipe(
        z.pipe(
          z.string(),
          z.transform((value) => value.trim()),
        ),
        z.email('Must be an e-mail address').check(z.maxLength(REPORT_TEXT_LIMITS.contact.max)),
      ),
    ),
  ),
});

export const moveBodySchema = z.strictObject({
  status: z.enum(ERROR_REPORT_STATUSES),
  note: z.optional(z.nullable(text(REPORT_TEXT_LIMITS.note))),
  correction: z.optional(z.nullable(text(REPORT_TEXT_LIMITS.correction))),
});

export const reportIdPathSchema = z.strictObject({
  reportId: z.string().check(z.regex(REPORT_ID_PATTERN, 'Must be a report id')),
});

/** `GET /error-reports`: the triage list's filters and page. */
export const listReportsQuerySchema = z.strictObject({
  status: z.optional(z.enum(ERROR_REPORT_STATUSES)),
  articleId: z.optional(z.string().check(z.regex(ARTICLE_ID_PATTERN, 'Must be 16 hexadecimal digits'))),
  limit: limitParameter(),
  cursor: cursorParameter,
});
