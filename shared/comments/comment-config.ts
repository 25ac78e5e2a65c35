import { rateLimitFromEnv, type RateLimit } from '../abuse/rate-limit';
import { settingValue, type TunableSetting } from '../config';
import {
  COMMENT_BANNED_WORDS,
  COMMENT_DUPLICATE_WINDOW_SECONDS,
  COMMENT_FIRST_REPLIES,
  COMMENT_FLAG_THRESHOLD,
  COMMENT_HOLD_LINKS,
  COMMENT_SUSPECT_WORDS,
  FLAG_MIN_DISTINCT_SOURCES,
  FLAG_MIN_READER_AGE_SECONDS,
  RATE_LIMIT_COMMENT,
} from '../tunable-settings';

/**
 * Everything about comments that a newsroom may want to tune, read from the environment in this
 * one place; the names and defaults are in shared/tunable-settings. Word lists are comma-separated
 * and replace the defaults; `none` means an empty list.
 */
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

/** Reads the comment configuration; a malformed value fails at cold start, naming the variable. */
export function commentConfigFromEnv(env: NodeJS.ProcessEnv = process.env): CommentConfig {
  return {
    bannedWords: wordList(env, COMMENT_BANNED_WORDS),
    suspectWords: wordList(env, COMMENT_SUSPECT_WORDS),
    holdLinks: flag(env, COMMENT_HOLD_LINKS),
    flagThreshold: wholeNumber(env, COMMENT_FLAG_THRESHOLD, 1, 1000),
    flagMinReaderAgeSeconds: wholeNumber(env, FLAG_MIN_READER_AGE_SECONDS, 0, 30 * 24 * 3600),
    flagMinDistinctSources: wholeNumber(env, FLAG_MIN_DISTINCT_SOURCES, 1, 1000),
    duplicateWindowSeconds: wholeNumber(env, COMMENT_DUPLICATE_WINDOW_SECONDS, 0, 86_400),
    firstReplies: wholeNumber(env, COMMENT_FIRST_REPLIES, 0, 20),
    rateLimits: {
      post: rateLimitFromEnv('comment', RATE_LIMIT_COMMENT, env),
    },
  };
}

function wordList(env: NodeJS.ProcessEnv, setting: TunableSetting): string[] {
  const raw = settingValue(setting, env);
  if (raw.trim().toLowerCase() === 'none') return [];
  return raw
    .split(',')
    .map((word) => word.trim())
    .filter(Boolean);
}

function flag(env: NodeJS.ProcessEnv, setting: TunableSetting): boolean {
  const raw = settingValue(setting, env).trim().toLowerCase();
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new Error(`${setting.name} must be true or false; got ${raw}`);
}

function wholeNumber(env: NodeJS.ProcessEnv, setting: TunableSetting, min: number, max: number): number {
  const raw = settingValue(setting, env).trim();
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max)
    throw new Error(`${setting.name} must be a whole number from ${min} to ${max}; got ${raw}`);
  return value;
}
