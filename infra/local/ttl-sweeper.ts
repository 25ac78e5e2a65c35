/**
 * DynamoDB Local accepts a TTL setting but never deletes expired items; this does it for the
 * local stack. Every `intervalMs` it scans the table for items whose TTL attribute (a number of
 * epoch seconds, `TABLE_KEYS.timeToLive`) has passed and deletes them, each on the condition that
 * it is still expired, so an item whose expiry was pushed out meanwhile survives — as with AWS
 * TTL, which also ignores non-numeric values and values more than five years in the past.
 * The deletes show in the table stream as REMOVE records, as TTL deletions do on AWS (there
 * without the `userIdentity` that marks them as TTL's). A full scan is fine for a developer's
 * table; AWS does the same work in the background.
 */
import { DeleteItemCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLE_KEYS } from '../../shared/store/table-design';

/** AWS TTL leaves items whose expiry is older than this alone. */
const MAX_EXPIRED_AGE_SECONDS = 5 * 365 * 24 * 3600;

export interface TtlSweeperOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Pause between sweeps. Default one minute. */
  intervalMs?: number;
  now?: () => Date;
  /** Where failures (and deletions) are reported; silent when omitted. */
  log?: (line: string) => void;
}

/** Deletes expired items from a DynamoDB Local table; see the file comment. */
export class TtlSweeper {
  private readonly intervalMs: number;
  private readonly now: () => Date;
  private readonly log: (line: string) => void;
  private running = false;
  private timer: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: TtlSweeperOptions) {
    this.intervalMs = options.intervalMs ?? 60_000;
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? (() => undefined);
  }

  /** Deletes every item expired as of now; resolves with how many it deleted. */
  async sweep(): Promise<number> {
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    const names = { '#pk': TABLE_KEYS.partitionKey, '#sk': TABLE_KEYS.sortKey, '#ttl': TABLE_KEYS.timeToLive };
    const window = {
      ':oldest': { N: String(nowSeconds - MAX_EXPIRED_AGE_SECONDS) },
      ':now': { N: String(nowSeconds) },
    };
    let deleted = 0;
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.options.client.send(
        new ScanCommand({
          TableName: this.options.tableName,
          // A number comparison: items whose attribute is not a number never match, as with TTL.
          FilterExpression: '#ttl BETWEEN :oldest AND :now',
          ProjectionExpression: '#pk, #sk',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: window,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const key of page.Items ?? []) {
        if (await this.deleteIfStillExpired(key, window)) deleted++;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    if (deleted > 0) this.log(`ttl: deleted ${deleted} expired item(s) from ${this.options.tableName}`);
    return deleted;
  }

  /** Sweeps now and then every `intervalMs` until {@link stop}. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        await this.sweep().catch((error: unknown) => this.log(`ttl: sweep failed: ${(error as Error).message}`));
        if (!this.running) break;
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          this.timer = setTimeout(resolve, this.intervalMs);
        });
      }
    })();
  }

  /** Stops sweeping; resolves once a sweep in progress has finished. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.wake?.();
    await this.loop;
  }

  private async deleteIfStillExpired(
    key: Record<string, AttributeValue>,
    window: Record<string, AttributeValue>,
  ): Promise<boolean> {
    try {
      await this.options.client.send(
        new DeleteItemCommand({
          TableName: this.options.tableName,
          Key: {
            [TABLE_KEYS.partitionKey]: key[TABLE_KEYS.partitionKey]!,
            [TABLE_KEYS.sortKey]: key[TABLE_KEYS.sortKey]!,
          },
          ConditionExpression: '#ttl BETWEEN :oldest AND :now',
          ExpressionAttributeNames: { '#ttl': TABLE_KEYS.timeToLive },
          ExpressionAttributeValues: window,
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
