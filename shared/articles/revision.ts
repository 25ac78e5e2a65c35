/**
 * Which of two inputs of the same story is newer.
 *
 * An input's revision is the time the newsroom handed it to us, then its content hash:
 * `2026-01-02T03:04:05.678Z#<sha-256>`. It compares as a plain string (ISO-8601 UTC with
 * milliseconds sorts in time order), so the index can keep the newest with one condition.
 *
 * - A drop's time is its S3 event time: when S3 stored the object. It travels in the event, so
 *   every retry and late redelivery of that event carries the same time, however late it runs.
 * - A posted page's time is when API Gateway received the request.
 * - Not the time ingest runs: an asynchronous retry can run hours after a newer input.
 * - Not a time stated inside a page: pages do not state when they were edited, and a stated time
 *   would let any page claim to be the newest.
 * - Two different contents received in the same millisecond are ordered by their content hash:
 *   arbitrary, but the same whatever order they are processed in, so every attempt agrees.
 *
 * A wire item is the exception: a ninjs item states its `version` and when it was created, and
 * the agency that numbers its versions is the authority on their order (see `StatedVersion`).
 */
export function revisionOf(receivedAt: Date, contentHash: string, stated: StatedVersion | null = null): string {
  const year = receivedAt.getUTCFullYear();
  // Outside these years toISOString() changes shape (`+010000-…`) and would no longer sort as time.
  if (!(year >= 1970 && year <= 9999))
    throw new RangeError(`Not a time an input could be received at: ${String(receivedAt)}`);
  const received = `${receivedAt.toISOString()}#${contentHash}`;
  if (stated === null) return received;
  const version = (stated.version ?? '0').replace(/^0+(?=\d)/, '').padStart(VERSION_DIGITS, '0');
  return `${STATED_PREFIX}${version}~${stated.versionCreated ?? NO_TIME}~${received}`;
}

/**
 * The version a wire item states: its `version` (digits, compared as a number) and its version-
 * created time (ISO-8601 UTC). Of two versions of one item the newer is the one with the higher
 * version number, else (the same number, or none) the later version-created time, else the
 * later received; so an older version delivered after a newer one never replaces it.
 *
 * Such a revision starts with `~`, which sorts after every received-time revision: once an item
 * is ordered by the versions its agency states, a page received later cannot displace it.
 */
export interface StatedVersion {
  /** Decimal digits, e.g. `"12"`; null when the item states none (or none that is a number). */
  version: string | null;
  versionCreated: string | null;
}

const STATED_PREFIX = '~v';
/** Padded so that "10" sorts after "9" as strings; more digits than any version number has. */
const VERSION_DIGITS = 20;
/** Before every real time, so an item that states one is newer than one that does not. */
const NO_TIME = '0000-00-00T00:00:00.000Z';
