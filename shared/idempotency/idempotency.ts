import { createHash } from 'node:crypto';
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

export interface IdempotencyStore {
  /**
   * Creates the record unless one exists whose lock is still held or that is completed;
   * returns the record it found otherwise. An expired lock (a crashed attempt) is taken over,
   * keeping that attempt's reservation.
   */
  begin<R>(key: string, fingerprint: string, reservation: R, now: Date): Promise<BeginResult<R>>;
  complete(key: string, result: unknown, now: Date): Promise<void>;
  /** Drops the record of an attempt that failed, so the client may retry with the same key. */
  release(key: string): Promise<void>;
  get<R>(key: string): Promise<IdempotencyRecord<R> | null>;
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
  /** How often and how long a concurrent repeat waits for the first attempt to finish. */
  pollMs?: number;
  waitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** How long a client may wait to retry, and how long an attempt may hold the key. */
export const IDEMPOTENCY = { retentionSeconds: 24 * 3600, lockSeconds: 30 } as const;

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
    const begun = await store.begin(key, fingerprint, request.reservation, options.now());
    if (begun.started) {
      // Once the work has stored something, the record must stay: dropping it would let a
      // retry redo the work under a new reservation.
      let stored = false;
      try {
        const result = await work(begun.reservation, { retake: begun.retake, stored: () => (stored = true) });
        await store.complete(key, result, options.now());
        return { result, replayed: false };
      } catch (error) {
        if (!stored) await store.release(key).catch(() => undefined);
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
