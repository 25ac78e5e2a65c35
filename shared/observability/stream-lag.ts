import type { DynamoDBRecord } from 'aws-lambda';

/**
 * How long ago the oldest of these stream records' items was written, in milliseconds: from the
 * item's own ISO timestamp attribute (`timeAttribute` of the new image) where it has one, else
 * from the stream's approximate creation time (second precision). Undefined for no records.
 * It measures the lag of stream processing (e.g. a vote's time to reach its tally).
 */
export function oldestRecordAgeMs(
  records: readonly DynamoDBRecord[],
  timeAttribute: string,
  now: Date = new Date(),
): number | undefined {
  let oldest: number | undefined;
  for (const record of records) {
    const stamped = record.dynamodb?.NewImage?.[timeAttribute]?.S;
    const written =
      stamped !== undefined ? Date.parse(stamped) : (record.dynamodb?.ApproximateCreationDateTime ?? NaN) * 1000;
    if (Number.isFinite(written)) oldest = oldest === undefined ? written : Math.min(oldest, written);
  }
  return oldest === undefined ? undefined : Math.max(0, now.getTime() - oldest);
}
