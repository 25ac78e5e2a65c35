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
 * - Not a time stated inside the input: none of the three formats states when it was edited,
 *   and a stated time would let any input claim to be the newest.
 * - Two different contents received in the same millisecond are ordered by their content hash:
 *   arbitrary, but the same whatever order they are processed in, so every attempt agrees.
 */
export function revisionOf(receivedAt: Date, contentHash: string): string {
  const year = receivedAt.getUTCFullYear();
  // Outside these years toISOString() changes shape (`+010000-…`) and would no longer sort as time.
  if (!(year >= 1970 && year <= 9999))
    throw new RangeError(`Not a time an input could be received at: ${String(receivedAt)}`);
  return `${receivedAt.toISOString()}#${contentHash}`;
}
