import { createHash, randomUUID } from 'node:crypto';
import { ConflictError, UnprocessableError } from '../errors';

/**
 * Idempotent retries (`Idempotency-Key`): the first request with a key does the work and
 * keeps its result; a repeat with the same key and the same request gets that result back and
 * does nothing; the same key with a different request is refused.
 */
export interface IdempotencyRecord<R = unknown, V = unknown> {
  fingerprint: string;
  state: 'in_progress' | 'completed';
  /** What the first attempt decided before working (e.g. the new comment's id), reused by a retake. */
  reservation: R;
  result?: V;
}

/** Either this request holds the key now (`retake`: taken over from a crashed attempt), or someone else does or did. */
export type BeginResult<R> =
  { started: true; reservation: R; retake: boolean } | { started: false; record: IdempotencyRecord<R> };

/**
 * One attempt's hold on a key: `owner` is unique to the attempt, and the lock may be taken over
 * once `until` (epoch milliseconds) has passed.
 */
export interface IdempotencyLock {
  owner: string;
  until: number;
}

export interface IdempotencyStore {
  /**
   * Creates the record, held by `lock`, unless one exists whose lock is still held or that is
   * completed; returns the record it found otherwise. An expired lock (a crashed or timed-out
   * attempt) is taken over under `lock`, keeping that attempt's reservation.
   */
  begin<R>(key: string, fingerprint: string, reservation: R, now: Date, lock: IdempotencyLock): Promise<BeginResult<R>>;
  /**
   * Stores the result, only if `owner` still holds the record. False (and nothing written) when
   * another attempt took the record over: its record stands.
   */
  complete(key: string, owner: string, result: unknown, now: Date): Promise<boolean>;
  /**
   * Drops the record of an attempt that failed, so the client may retry with the same key; only
   * if `owner` still holds it (false otherwise: another attempt's record is not touched).
   */
  release(key: string, owner: string): Promise<boolean>;
  get<R>(key: string): Promise<IdempotencyRecord<R> | null>;
}

/** The time the current invocation has left; a Lambda context fits. */
export interface RemainingTime {
  getRemainingTimeInMillis(): number;
}

export interface IdempotentRequest<R> {
  /** What the key applies to, e.g. `POST /articles/<id>/comments`; keys of other scopes never collide. */
  scope: string;
  key: string;
  /** Everything that makes two requests "the same request", as JSON. */
  request: unknown;
  /** Chosen once per key: a retake after a crash reuses it. */
  reservation: R;
}

export interface IdempotencyOptions {
  now: () => Date;
  /** The invocation's time left, which the lock lasts (see {@link lockExpiry}). */
  remainingTime?: RemainingTime;
  /** How often and how long a concurrent repeat waits for the first attempt to finish. */
  pollMs?: number;
  waitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * How long a client may wait to retry, and how long an attempt holds the key when the time its
 * invocation has left is not known.
 */
export const IDEMPOTENCY = { retentionSeconds: 24 * 3600, lockSeconds: 30 } as const;

/**
 * When an attempt's lock may be taken over (epoch milliseconds): when its invocation's time is
 * up, since the attempt cannot outlive it. A fixed lock would be taken over from an attempt still
 * running (when shorter than the function's timeout) or keep retries waiting for nothing (when
 * longer). Without a known remaining time, `IDEMPOTENCY.lockSeconds`.
 */
export function lockExpiry(now: Date, remainingTime?: RemainingTime): number {
  const remainingMs = remainingTime?.getRemainingTimeInMillis();
  const holdMs =
    remainingMs !== undefined && Number.isFinite(remainingMs) && remainingMs > 0
      ? remainingMs
      : IDEMPOTENCY.lockSeconds * 1000;
  return now.getTime() + holdMs;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` once per key. Returns its result, or on a repeat the first result with
 * `replayed: true`. The work calls `progress.stored()` once it has written anything, and must
 * itself be safe to retake with the same reservation (`progress.retake`: an earlier attempt
 * crashed and may have left it half done), e.g. by a conditional insert of a reserved id.
 */
export async function runIdempotent<R, V>(
  store: IdempotencyStore,
  request: IdempotentRequest<R>,
  options: IdempotencyOptions,
  work: (reservation: R, progress: { retake: boolean; stored: () => void }) => Promise<V>,
): Promise<{ result: V; replayed: boolean }> {
  const key = sha256(`${request.scope}\u0000${request.key}`);
  const fingerprint = sha256(JSON.stringify(request.request));
  const sleep = options.sleep ?? defaultSleep;
  const deadline = options.now().getTime() + (options.waitMs ?? 3000);

  for (;;) {
    const now = options.now();
    // A new owner for each attempt to begin: only the holder of the record may complete or drop it.
    const lock = { owner: randomUUID(), until: lockExpiry(now, options.remainingTime) };
    const begun = await store.begin(key, fingerprint, request.reservation, now, lock);
    if (begun.started) {
      // Once the work has stored something, the record must stay: dropping it would let a
      // retry redo the work under a new reservation.
      let stored = false;
      try {
        const result = await work(begun.reservation, { retake: begun.retake, stored: () => (stored = true) });
        // If another attempt took the record over meanwhile, its record stands (the store says so
        // and writes nothing); this result came from the same reservation, so it is still the answer.
        await store.complete(key, lock.owner, result, options.now());
        return { result, replayed: false };
      } catch (error) {
        if (!stored) await store.release(key, lock.owner).catch(() => undefined);
        throw error;
      }
    }
    // Someone holds or held the key: wait for the first attempt's result rather than doing
    // the work twice. A record that disappears was released by a failed attempt: start over.
    let record: IdempotencyRecord<R> | null = begun.record;
    while (record) {
      if (record.fingerprint !== fingerprint) {
        throw new UnprocessableError(
          'idempotency_key_reused',
          'This Idempotency-Key was used for a different request',
          [{ path: 'header.idempotency-key', message: 'Already used with another body' }],
        );
      }
      if (record.state === 'completed') return { result: record.result as V, replayed: true };
      if (options.now().getTime() >= deadline) {
        throw new ConflictError('A request with this Idempotency-Key is still in progress; retry shortly');
      }
      await sleep(options.pollMs ?? 100);
      record = await store.get<R>(key);
    }
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
