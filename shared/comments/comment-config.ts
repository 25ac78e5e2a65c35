import { rateLimitFromEnv, type RateLimit } from '../abuse/rate-limit';
import { optionalEnv } from '../config';

/**
 * Everything about comments that a newsroom may want to tune, read from the environment in
 * this one place, with defaults. Word lists are comma-separated and replace the defaults;
 * `none` means an empty list.
 */
export const COMMENT_ENV = {
  bannedWords: 'COMMENT_BANNED_WORDS',
  suspectWords: 'COMMENT_SUSPECT_WORDS',
  holdLinks: 'COMMENT_HOLD_LINKS',
  flagThreshold: 'COMMENT_FLAG_THRESHOLD',
  duplicateWindowSeconds: 'COMMENT_DUPLICATE_WINDOW_SECONDS',
  firstReplies: 'COMMENT_FIRST_REPLIES',
  flagMinReaderAgeSeconds: 'FLAG_MIN_READER_AGE_SECONDS',
  flagMinDistinctSources: 'FLAG_MIN_DISTINCT_SOURCES',
} as const;

export interface CommentConfig {
  /** A comment with one of these words or phrases is refused (422). */
  bannedWords: string[];
  /** A comment with one of these is held as `pending` for an editor. */
  suspectWords: string[];
  /** Whether comments with links are held as `pending`. */
  holdLinks: boolean;
  /** Reader flags (since the last approval) that hide a comment pending review. */
  flagThreshold: number;
  /**
   * A flag counts only from a reader whose token is at least this old: one minted to flag is
   * recorded, and counts for nothing (the flag answers `counted: false`).
   */
  flagMinReaderAgeSeconds: number;
  /**
   * Counted flags since the last approval must also come from at least this many distinct
   * sources (keyed hashes of addresses): readers minted behind one address cannot hide a comment.
   */
  flagMinDistinctSources: number;
  /** The same body from the same source within this many seconds is a 409. */
  duplicateWindowSeconds: number;
  /** Replies embedded under each top-level comment in a listing. */
  firstReplies: number;
  /** Posting stays limited per source; votes and flags are bounded by reader token issuance. */
  rateLimits: { post: RateLimit };
}

export const COMMENT_DEFAULTS = {
  bannedWords: ['kill yourself', 'kys', 'go die'],
  suspectWords: ['idiot', 'moron', 'scum', 'traitor', 'casino', 'viagra', 'crypto giveaway'],
  holdLinks: true,
  flagThreshold: 3,
  flagMinReaderAgeSeconds: 600,
  flagMinDistinctSources: 2,
  duplicateWindowSeconds: 60,
  firstReplies: 3,
  rateLimits: {
    post: { action: 'comment', limit: 10, windowSeconds: 60 },
  },
} as const;

/** Reads the comment configuration; a malformed value fails at cold start, naming the variable. */
export function commentConfigFromEnv(env: NodeJS.ProcessEnv = process.env): CommentConfig {
  return {
    bannedWords: wordList(env, COMMENT_ENV.bannedWords, COMMENT_DEFAULTS.bannedWords),
    suspectWords: wordList(env, COMMENT_ENV.suspectWords, COMMENT_DEFAULTS.suspectWords),
    holdLinks: flag(env, COMMENT_ENV.holdLinks, COMMENT_DEFAULTS.holdLinks),
    flagThreshold: wholeNumber(env, COMMENT_ENV.flagThreshold, COMMENT_DEFAULTS.flagThreshold, 1, 1000),
    flagMinReaderAgeSeconds: wholeNumber(
      env,
      COMMENT_ENV.flagMinReaderAgeSeconds,
      COMMENT_DEFAULTS.flagMinReaderAgeSeconds,
      0,
      30 * 24 * 3600,
    ),
    flagMinDistinctSources: wholeNumber(
      env,
      COMMENT_ENV.flagMinDistinctSources,
      COMMENT_DEFAULTS.flagMinDistinctSources,
      1,
      1000,
    ),
    duplicateWindowSeconds: wholeNumber(
      env,
      COMMENT_ENV.duplicateWindowSeconds,
      COMMENT_DEFAULTS.duplicateWindowSeconds,
      0,
      86_400,
    ),
    firstReplies: wholeNumber(env, COMMENT_ENV.firstReplies, COMMENT_DEFAULTS.firstReplies, 0, 20),
    rateLimits: {
      post: rateLimitFromEnv(COMMENT_DEFAULTS.rateLimits.post, env),
    },
  };
}

function wordList(env: NodeJS.ProcessEnv, name: string, defaults: readonly string[]): string[] {
  const raw = optionalEnv(name, env);
  if (raw === undefined) return [...defaults];
  if (raw.trim().toLowerCase() === 'none') return [];
  return raw
    .split(',')
    .map((word) => word.trim())
    .filter(Boolean);
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = optionalEnv(name, env)?.trim().toLowerCase();
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new Error(`${name} must be true or false; got ${raw}`);
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = optionalEnv(name, env)?.trim();
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}; got ${raw}`);
  return value;
}
