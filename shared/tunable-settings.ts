/**
 * The settings an operator may tune per deployment: each one's variable and its default, written
 * as the variable would be written, so the default goes through the same parsing as a value set
 * by hand (and cannot be one no operator could set). The domain modules read their defaults
 * from here; docs/configuration.md describes each one, and a test holds that page to this list.
 *
 * One export per setting, without descriptions, so a function's bundle carries only the settings
 * its code reads (esbuild drops unused top-level constants). The local stack passes them from its
 * own environment, a deploy from the CDK context `settings` (infra/settings.ts); both accept
 * exactly these names.
 *
 * Nothing but settings is exported here: infra/settings.ts takes every export as one (its type
 * check fails on anything else). Each is a `TunableSetting` (shared/config), read with
 * `settingValue`.
 */

/** `off` turns every per-source rate limit off (load tests, benchmarks). */
export const RATE_LIMITS = { name: 'RATE_LIMITS', default: 'on' } as const;

/** `<count>/<seconds>` per source address. */
export const RATE_LIMIT_COMMENT = { name: 'RATE_LIMIT_COMMENT', default: '10/60' } as const;
export const RATE_LIMIT_ERROR_REPORT = { name: 'RATE_LIMIT_ERROR_REPORT', default: '10/3600' } as const;
export const READER_TOKENS_PER_SOURCE = { name: 'READER_TOKENS_PER_SOURCE', default: '20/3600' } as const;

export const READER_TOKEN_TTL_DAYS = { name: 'READER_TOKEN_TTL_DAYS', default: '365' } as const;

/** Word lists are comma-separated; `none` is an empty list. */
export const COMMENT_BANNED_WORDS = { name: 'COMMENT_BANNED_WORDS', default: 'kill yourself,kys,go die' } as const;
export const COMMENT_SUSPECT_WORDS = {
  name: 'COMMENT_SUSPECT_WORDS',
  default: 'idiot,moron,scum,traitor,casino,viagra,crypto giveaway',
} as const;
export const COMMENT_HOLD_LINKS = { name: 'COMMENT_HOLD_LINKS', default: 'true' } as const;
export const COMMENT_FLAG_THRESHOLD = { name: 'COMMENT_FLAG_THRESHOLD', default: '3' } as const;
export const FLAG_MIN_DISTINCT_SOURCES = { name: 'FLAG_MIN_DISTINCT_SOURCES', default: '2' } as const;
export const FLAG_MIN_READER_AGE_SECONDS = { name: 'FLAG_MIN_READER_AGE_SECONDS', default: '600' } as const;
export const COMMENT_DUPLICATE_WINDOW_SECONDS = { name: 'COMMENT_DUPLICATE_WINDOW_SECONDS', default: '60' } as const;
export const COMMENT_FIRST_REPLIES = { name: 'COMMENT_FIRST_REPLIES', default: '3' } as const;

/** Labels separated by `|`. */
export const POLL_REACTIONS = {
  name: 'POLL_REACTIONS',
  default: 'Important|Interesting|Encouraging|Sad|Scary|Infuriating|Silly',
} as const;

/** Days; a decimal is allowed, `0` erases on closing. */
export const ERROR_REPORT_CONTACT_RETENTION_DAYS = {
  name: 'ERROR_REPORT_CONTACT_RETENTION_DAYS',
  default: '30',
} as const;
