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
  type IdempotencyLock,
  type IdempotencyRecord,
  type IdempotencyStore,
} from '../../idempotency/idempotency';
import { logger } from '../../observability/logger';
import { TABLE_KEYS } from '../../store/table-design';
import { isConditionFailure } from '../aws/condition-failure';

const { partitionKey: PK, sortKey: SK, timeToLive: TTL } = TABLE_KEYS;

const keyOf = (key: string) => ({ [PK]: `IDEMPOTENCY#${key}`, [SK]: 'RECORD' });

/**
 * Idempotency records: one item per (hashed) key, kept for a day by TTL. The record is created
 * conditionally before the work starts, so of two concurrent requests with one key only one
 * does the work; `lockedUntil` lets a later request take over from an attempt that crashed or
 * timed out, and `lockOwner` names the attempt holding it: completing or dropping the record is
 * conditional on it, so an attempt that outlived its lock cannot overwrite or delete the record
 * of the attempt that took over.
 */
export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async begin<R>(
    key: string,
    fingerprint: string,
    reservation: R,
    now: Date,
    lock: IdempotencyLock,
  ): Promise<BeginResult<R>> {
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
            lockOwner: lock.owner,
            lockedUntil: lock.until,
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
    if (!record) return this.begin(key, fingerprint, reservation, now, lock);
    const stale =
      record.item.state === 'in_progress' &&
      Number(record.item.lockedUntil) < nowMs &&
      record.item.fingerprint === fingerprint;
    if (stale && (await this.retake(key, Number(record.item.lockedUntil), lock))) {
      return { started: true as const, reservation: record.record.reservation as R, retake: true };
    }
    return { started: false as const, record: record.record as IdempotencyRecord<R> };
  }

  async complete(key: string, owner: string, result: unknown): Promise<boolean> {
    return this.asOwner('complete', owner, () =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(key),
          UpdateExpression: 'SET #state = :completed, #result = :result REMOVE lockedUntil',
          ConditionExpression: 'lockOwner = :owner',
          ExpressionAttributeNames: { '#state': 'state', '#result': 'result' },
          ExpressionAttributeValues: { ':completed': 'completed', ':result': result, ':owner': owner },
        }),
      ),
    );
  }

  async release(key: string, owner: string): Promise<boolean> {
    return this.asOwner('release', owner, () =>
      this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keyOf(key),
          ConditionExpression: 'lockOwner = :owner',
          ExpressionAttributeValues: { ':owner': owner },
        }),
      ),
    );
  }

  /** Runs a write conditional on `owner`; false when another attempt holds the record now. */
  private async asOwner(action: string, owner: string, write: () => Promise<unknown>): Promise<boolean> {
    try {
      await write();
      return true;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // This attempt outlived its lock and another took the record over (or it is gone): that
      // attempt's record stands. Worth knowing: it means work ran longer than its lock.
      logger.warn('Idempotency record held by another attempt; left as it is', { action, owner });
      return false;
    }
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
  private async retake(key: string, staleLock: number, lock: IdempotencyLock): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf(key),
          UpdateExpression: 'SET lockedUntil = :lock, lockOwner = :owner',
          ConditionExpression: '#state = :inProgress AND lockedUntil = :stale',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':lock': lock.until,
            ':owner': lock.owner,
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
