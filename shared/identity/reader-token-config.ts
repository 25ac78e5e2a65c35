import type { RateLimit } from '../abuse/rate-limit';
import { rateLimitFromEnv } from '../abuse/rate-limit';
import { settingValue } from '../config';
import { READER_TOKENS_PER_SOURCE, READER_TOKEN_TTL_DAYS } from '../tunable-settings';

export interface ReaderTokenConfig {
  /** How many reader tokens one source may mint (`READER_TOKENS_PER_SOURCE`). */
  issuance: RateLimit;
  /** How long a reader token lives (`READER_TOKEN_TTL_DAYS`). */
  ttlDays: number;
}

export function readerTokenConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ReaderTokenConfig {
  const rawTtl = settingValue(READER_TOKEN_TTL_DAYS, env);
  const ttl = Number(rawTtl);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 3650) {
    throw new Error(`${READER_TOKEN_TTL_DAYS.name} must be a whole number of days from 1 to 3650; got ${rawTtl}`);
  }
  return { issuance: rateLimitFromEnv('reader-token', READER_TOKENS_PER_SOURCE, env), ttlDays: ttl };
}
