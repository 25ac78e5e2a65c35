import { settingValue } from '../config';
import { ERROR_REPORT_CONTACT_RETENTION_DAYS } from '../tunable-settings';

/**
 * How long a reader's contact is kept after the report closes, in seconds, from
 * `ERROR_REPORT_CONTACT_RETENTION_DAYS` (days; a decimal is allowed, 0 erases on closing). A
 * malformed value fails at cold start.
 */
export function contactRetentionSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = settingValue(ERROR_REPORT_CONTACT_RETENTION_DAYS, env).trim();
  const days = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !Number.isFinite(days)) {
    throw new Error(`${ERROR_REPORT_CONTACT_RETENTION_DAYS.name} must be a number of days, e.g. 30; got ${raw}`);
  }
  return Math.round(days * 86_400);
}
