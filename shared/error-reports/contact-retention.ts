import { optionalEnv } from '../config';

/** How long a reader's contact is kept after the report closes, unless configured otherwise. */
export const DEFAULT_CONTACT_RETENTION_DAYS = 30;

/** `ERROR_REPORT_CONTACT_RETENTION_DAYS=<days>` (a decimal is allowed; 0 erases on closing). */
export const CONTACT_RETENTION_VARIABLE = 'ERROR_REPORT_CONTACT_RETENTION_DAYS';

/** The retention in seconds, from the environment; a malformed value fails at cold start. */
export function contactRetentionSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = optionalEnv(CONTACT_RETENTION_VARIABLE, env);
  if (raw === undefined) return DEFAULT_CONTACT_RETENTION_DAYS * 86_400;
  const days = Number(raw.trim());
  if (!/^\d+(\.\d+)?$/.test(raw.trim()) || !Number.isFinite(days)) {
    throw new Error(`${CONTACT_RETENTION_VARIABLE} must be a number of days, e.g. 30; got ${raw}`);
  }
  return Math.round(days * 86_400);
}
