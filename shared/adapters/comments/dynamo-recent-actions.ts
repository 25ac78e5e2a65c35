import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RecentActions } from '../../comments/ports';
import { TABLE_KEYS } from '../../store/table-design';
import { isConditionFailure } from '../aws/condition-failure';

const { partitionKey: PK, sortKey: SK, timeToLive: TTL } = TABLE_KEYS;

/**
 * Markers of recent actions, one small item per key, expired by TTL. TTL deletes lazily (up to
 * days later), so the window is enforced by the condition on `expiresAt`, not by the deletion.
 */
export class DynamoRecentActions implements RecentActions {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(key: string, owner: string, windowSeconds: number, now: Date): Promise<boolean> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { [PK]: `RECENT#${key}`, [SK]: 'RECENT', owner, [TTL]: nowSeconds + windowSeconds },
          ConditionExpression: 'attribute_not_exists(#pk) OR #ttl <= :now OR #owner = :owner',
          ExpressionAttributeNames: { '#pk': PK, '#ttl': TTL, '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': nowSeconds, ':owner': owner },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async forget(key: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({ TableName: this.tableName, Key: { [PK]: `RECENT#${key}`, [SK]: 'RECENT' } }),
    );
  }
}
