import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  IDEMPOTENCY,
  type BeginResult,
  type IdempotencyRecord,
  type IdempotencyStore,
} from '../idempotency/idempotency';
import { TABLE_KEYS } from '../store/table-design';
import { isConditionFailure } from './dynamo-comment-items';

const { partitionKey: PK, sortKey: SK, timeToLive: TTL } = TABLE_KEYS;

const keyOf = (key: string) => ({ [PK]: `IDEMPOTENCY#${key}`, [SK]: 'RECORD' });

/**
 * Idempotency records: one item per (hashed) key, kept for a day by TTL. The record is created
 * conditionally before the work starts, so of two concurrent requests with one key only one
 * does the work; `lockedUntil` lets a later request take over from an attempt that crashed.
 */
export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async begin<R>(key: string, fingerprint: string, reservation: R, now: Date): Promise<BeginResult<R>> {
    const nowMs = now.getTime();
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keyOf(key),
            fingerprint,
            state: 'in_progress',
            reservation,
            lockedUntil: nowMs + IDEMPOTENCY.lockSeconds * 1000,
            [TTL]: Math.floor(nowMs / 1000) + IDEMPOTENCY.retentionSeconds,
          },
          // TTL deletes lazily: a record past its time is as good as gone.
          ConditionExpression: 'attribute_not_exists(#pk) OR #ttl <= :nowSeconds',
          ExpressionAttributeNames: { '#pk': PK, '#ttl': TTL },
          ExpressionAttributeValues: { ':nowSeconds': Math.floor(nowMs / 1000) },
        }),
      );
      return { started: true as const, reservation, retake: false };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const record = await this.read(key, nowMs);
    if (!record) return this.begin(key, fingerprint, reservation, now);
    const stale =
      record.item.state === 'in_progress' &&
      Number(record.item.lockedUntil) < nowMs &&
      record.item.fingerprint === fingerprint;
    if (stale && (await this.retake(key, Number(record.item.lockedUntil), nowMs))) {
      return { started: true as const, reservation: record.record.reservation as R, retake: true };
    }
    return { started: false as const, record: record.record as IdempotencyRecord<R> };
  }

  async complete(key: string, result: unknown): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keyOf(key),
        UpdateExpression: 'SET #state = :completed, #result = :result REMOVE lockedUntil',
        ExpressionAttributeNames: { '#state': 'state', '#result': 'result' },
        ExpressionAttributeValues: { ':completed': 'completed', ':result': result },
      }),
    );
  }

  async release(key: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keyOf(key) }));
  }

  async get<R>(key: string): Promise<IdempotencyRecord<R> | null> {
    return ((await this.read(key))?.record as IdempotencyRecord<R> | undefined) ?? null;
  }

  private async read(
    key: string,
    nowMs = Date.now(),
  ): Promise<{ item: Record<string, unknown>; record: IdempotencyRecord } | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf(key), ConsistentRead: true }),
    );
    const item = out.Item;
    if (!item || Number(item[TTL]) <= Math.floor(nowMs / 1000)) return null;
    return {
      item,
      record: {
        fingerprint: String(item.fingerprint),
        state: item.state === 'completed' ? 'completed' : 'in_progress',
        reservation: item.reservation,
        ...(item.result !== undefined ? { result: item.result } : {}),
      },
    };
  }

  /** Takes over the lock of a crashed attempt; only one of several concurrent takers wins. */
  private async retake(key: string, staleLock: number, nowMs: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(key),
          UpdateExpression: 'SET lockedUntil = :lock',
          ConditionExpression: '#state = :inProgress AND lockedUntil = :stale',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':lock': nowMs + IDEMPOTENCY.lockSeconds * 1000,
            ':inProgress': 'in_progress',
            ':stale': staleLock,
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
