import type { RateLimit } from '../abuse/rate-limit';
import { rateLimitFromEnv } from '../abuse/rate-limit';
import { optionalEnv } from '../config';

/** The settings of reader identity, with their defaults (README, Configuration). */
export const READER_TOKEN_SETTINGS = {
  /** How many reader tokens one source may mint, `<count>/<seconds>`. */
  perSource: { name: 'READER_TOKENS_PER_SOURCE', default: { action: 'reader-token', limit: 20, windowSeconds: 3600 } },
  /** How long a reader token lives. */
  ttlDays: { name: 'READER_TOKEN_TTL_DAYS', default: 365 },
} as const satisfies Record<string, { name: string; default: unknown }>;

export interface ReaderTokenConfig {
  issuance: RateLimit;
  ttlDays: number;
}

export function readerTokenConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ReaderTokenConfig {
  const { perSource, ttlDays } = READER_TOKEN_SETTINGS;
  const rawTtl = optionalEnv(ttlDays.name, env);
  const ttl = rawTtl === undefined ? ttlDays.default : Number(rawTtl);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 3650) {
    throw new Error(`${ttlDays.name} must be a whole number of days from 1 to 3650; got ${rawTtl}`);
  }
  return { issuance: rateLimitFromEnv(perSource.default, env, perSource.name), ttlDays: ttl };
}
