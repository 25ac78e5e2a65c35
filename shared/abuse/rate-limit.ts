import { ENV, optionalEnv } from '../config';

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
 * A limit from the environment, `RATE_LIMIT_<ACTION>=<count>/<seconds>` (e.g.
 * `RATE_LIMIT_COMMENT=10/60`), falling back to the default the feature declares.
 */
export function rateLimitFromEnv(
  defaults: RateLimit,
  env: NodeJS.ProcessEnv = process.env,
  name = `RATE_LIMIT_${defaults.action.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`,
): RateLimit {
  const raw = optionalEnv(name, env);
  if (!raw) return defaults;
  const match = /^(\d+)\/(\d+)$/.exec(raw.trim());
  if (!match || Number(match[1]) < 1 || Number(match[2]) < 1) {
    throw new Error(`${name} must look like <count>/<seconds>, e.g. 30/60; got ${raw}`);
  }
  return { action: defaults.action, limit: Number(match[1]), windowSeconds: Number(match[2]) };
}

/** `RATE_LIMITS=off` turns every per-source limit off (local load tests, benchmarks). */
export function rateLimitsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return optionalEnv(ENV.rateLimits, env)?.toLowerCase() !== 'off';
}
