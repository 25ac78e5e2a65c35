/**
 * Reader bans: editors ban a reader (for a while, or until they lift it), and every reader write
 * — posting, voting on a poll or a comment, flagging, reporting an error — refuses a banned
 * reader with 403 `reader_banned`. The ban is on the reader id, which for a signed-in reader is
 * derived from the site's subject, so a ban holds across every token and device of that reader.
 *
 * The bans in force are one list (`BanEntry`s), which the reader routes read whole and cache for
 * a second (`CachedActiveBans`); every change of the list rewrites it, conditional on its version,
 * drops the bans that have expired, and adds an entry to the reader's ban history.
 */
import { ConflictError, DomainError, ValidationError } from '../errors';
import type { Clock } from '../ports';
import type { BanRecord, ReaderBanBody } from './identity-shapes';

export type { BanRecord, ReaderBanBody };

export const BAN_RULES = {
  /**
   * Bans in force at once. The list is one item, which DynamoDB caps at 400 KB: 3,000 entries
   * of the longest reader ids take about 280 KB. Beyond it a ban is refused until bans expire or
   * are lifted, so editors give bans an expiry.
   */
  maxActiveBans: 3_000,
  /** The furthest `until` may lie ahead. */
  maxYears: 10,
  /** Writes of the list tried before giving up, when other editors' writes keep coming first. */
  maxAttempts: 5,
} as const;

/** One ban in force: the reader, and until when (epoch milliseconds; null: until lifted). */
export interface BanEntry {
  readerId: string;
  until: number | null;
}

/** The list of bans as stored, and the version each write of it is conditional on (0: never written). */
export interface BanList {
  entries: readonly BanEntry[];
  version: number;
}

/** A ban in force. */
export interface ActiveBan {
  /** null: until an editor lifts it. */
  until: Date | null;
}

/** What the reader routes consult once a reader's token verifies. */
export interface ActiveBans {
  /** The reader's ban in force at `now`, or null. */
  activeBan(readerId: string, now: Date): Promise<ActiveBan | null>;
}

/** What editors read of a reader: the ban in force, and every ban and lifting, newest first. */
export interface ReaderBans extends ActiveBans {
  banHistory(readerId: string): Promise<BanRecord[]>;
}

/** The store of the list, for the editors' writes. */
export interface BanListStore {
  /** The list as stored now (a strongly consistent read). */
  read(): Promise<BanList>;
  /**
   * Stores `entries` as the list and `record` in its reader's history, together, if the list is
   * still at `expectedVersion`; false when another write came first (nothing is written then).
   */
  replace(entries: readonly BanEntry[], expectedVersion: number, record: BanRecord): Promise<boolean>;
}

export interface BanDependencies {
  bans: BanListStore;
  clock: Clock;
}

/** 403 on every reader write of a banned reader; `until` (ISO time, or null) beside the error. */
export class ReaderBannedError extends DomainError {
  readonly statusCode = 403;
  readonly code = 'reader_banned';
  override readonly bodyFields: { until: string | null };
  constructor(until: Date | null) {
    const at = until && until.toISOString();
    super(at ? `This reader is banned until ${at}` : 'This reader is banned');
    this.bodyFields = { until: at };
  }
}

/** 409: the list holds as many bans as it may. */
export class BanListFullError extends DomainError {
  readonly statusCode = 409;
  readonly code = 'ban_list_full';
  constructor() {
    super(
      `${BAN_RULES.maxActiveBans} readers are banned already, as many as the ban list holds: give bans an ` +
        'expiry (until) so they end by themselves, or lift some, before banning another reader',
    );
  }
}

/**
 * Bans a reader until `until` (null: until lifted), or replaces the ban they have: the list then
 * holds this one, and the history both.
 */
export async function banReader(
  deps: BanDependencies,
  input: { readerId: string; until: Date | null; reason: string | null; editor: string },
): Promise<ReaderBanBody> {
  const { readerId, until, reason, editor } = input;
  checkUntil(until, deps.clock.now());
  const record = await rewriteList(deps, (active, at) => {
    const entries = [
      ...active.filter((entry) => entry.readerId !== readerId),
      { readerId, until: until && until.getTime() },
    ];
    if (entries.length > BAN_RULES.maxActiveBans) throw new BanListFullError();
    return {
      entries,
      record: { readerId, action: 'banned', until: until && until.toISOString(), reason, by: editor, at },
    };
  });
  return { readerId, until: record!.until, reason, bannedBy: editor, bannedAt: record!.at };
}

/**
 * Lifts a reader's ban. Idempotent: a reader without a ban in force (never banned, lifted, or
 * expired) changes nothing, and nothing is written or recorded.
 *
 * @returns whether a ban in force was lifted
 */
export async function unbanReader(
  deps: BanDependencies,
  input: { readerId: string; editor: string },
): Promise<boolean> {
  const { readerId, editor } = input;
  const record = await rewriteList(deps, (active, at) =>
    active.some((entry) => entry.readerId === readerId)
      ? {
          entries: active.filter((entry) => entry.readerId !== readerId),
          record: { readerId, action: 'unbanned', until: null, reason: null, by: editor, at },
        }
      : null,
  );
  return record !== null;
}

/** Whether `entry` is in force at `now` (epoch milliseconds). */
export const inForce = (entry: BanEntry, now: number): boolean => entry.until === null || entry.until > now;

function checkUntil(until: Date | null, now: Date): void {
  if (until === null) return;
  const latest = new Date(now);
  latest.setUTCFullYear(latest.getUTCFullYear() + BAN_RULES.maxYears);
  const problem =
    until <= now
      ? 'Must be in the future'
      : until > latest
        ? `Must be at most ${BAN_RULES.maxYears} years ahead`
        : null;
  if (problem) throw new ValidationError('Invalid body', [{ path: 'body.until', message: problem }]);
}

/**
 * Reads the list, lets `change` rewrite its bans in force (expired ones are dropped on every
 * write) and stores the result with its history record, conditional on the version read; read
 * and tried again when another write came first.
 *
 * @returns the record stored, or null when `change` had nothing to write
 */
async function rewriteList(
  deps: BanDependencies,
  change: (active: BanEntry[], at: string) => { entries: BanEntry[]; record: BanRecord } | null,
): Promise<BanRecord | null> {
  for (let attempt = 1; attempt <= BAN_RULES.maxAttempts; attempt++) {
    const list = await deps.bans.read();
    // The time of each attempt: a retry's history entry is a new one, never one another write keeps.
    const now = deps.clock.now();
    const next = change(
      list.entries.filter((entry) => inForce(entry, now.getTime())),
      now.toISOString(),
    );
    if (!next) return null;
    if (await deps.bans.replace(next.entries, list.version, next.record)) return next.record;
  }
  throw new ConflictError('Other editors changed the ban list meanwhile; try again');
}
