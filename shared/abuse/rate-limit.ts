import { settingValue, type TunableSetting } from '../config';
import { RATE_LIMITS } from '../tunable-settings';

/** At most `limit` requests per `windowSeconds` from one source, for one named action. */
export interface RateLimit {
  /** The action limited, e.g. `comment` or `error-report`; part of the counter's key. */
  action: string;
  limit: number;
  windowSeconds: number;
}

/** Counts requests per source; the domain sees only this, the table-backed one is an adapter. */
export interface RateLimiter {
  /** Counts one request from the source; throws RateLimitedError (429 with Retry-After) over the limit. */
  consume(limit: RateLimit, sourceHash: string, now: Date): Promise<void>;
}

/**
 * The limit of one action from its setting, `<count>/<seconds>` (e.g. `RATE_LIMIT_COMMENT=10/60`),
 * or from the setting's default when unset.
 */
export function rateLimitFromEnv(
  action: string,
  setting: TunableSetting,
  env: NodeJS.ProcessEnv = process.env,
): RateLimit {
  const raw = settingValue(setting, env);
  const match = /^(\d+)\/(\d+)$/.exec(raw.trim());
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
    throw new Error(`${setting.name} must look like <count>/<seconds>, e.g. 30/60; got ${raw}`);
  }
  return { action, limit: Number(match[1]), windowSeconds: Number(match[2]) };
}

/** `RATE_LIMITS=off` turns every per-source limit off (local load tests, benchmarks). */
export function rateLimitsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return settingValue(RATE_LIMITS, env).toLowerCase() !== 'off';
}
