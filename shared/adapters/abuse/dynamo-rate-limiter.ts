import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { rateLimitsEnabled, type RateLimit, type RateLimiter } from '../../abuse/rate-limit';
import { RateLimitedError } from '../../errors';
import { TABLE_KEYS } from '../../store/table-design';
import { isConditionFailure } from '../aws/condition-failure';

export type { RateLimiter };

/** The limiter used when limits are switched off. */
export const unlimited: RateLimiter = { consume: async () => undefined };

/**
 * Fixed-window counters in the table: one small item per source, action and window, expired by
 * TTL. The key holds the hashed source, so a busy story does not concentrate the counters on
 * one partition, and the raw address is never stored.
 */
export class DynamoRateLimiter implements RateLimiter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async consume(limit: RateLimit, sourceHash: string, now: Date): Promise<void> {
    const windowMs = limit.windowSeconds * 1000;
    const windowStart = Math.floor(now.getTime() / windowMs) * windowMs;
    const windowEnd = windowStart + windowMs;
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: {
            [TABLE_KEYS.partitionKey]: `RATE#${limit.action}#${sourceHash}`,
            [TABLE_KEYS.sortKey]: String(windowStart),
          },
          UpdateExpression: 'ADD hits :one SET #ttl = :expires',
          ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
          ExpressionAttributeNames: { '#ttl': TABLE_KEYS.timeToLive },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit.limit, ':expires': Math.ceil(windowEnd / 1000) + 60 },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new RateLimitedError(
          `Too many ${limit.action} requests: at most ${limit.limit} per ${limit.windowSeconds} s`,
          (windowEnd - now.getTime()) / 1000,
        );
      }
      throw error;
    }
  }
}

/** The limiter a handler uses: the table's counters, or none when RATE_LIMITS=off. */
export function createRateLimiter(
  db: DynamoDBDocumentClient,
  tableName: string,
  env: NodeJS.ProcessEnv = process.env,
): RateLimiter {
  return rateLimitsEnabled(env) ? new DynamoRateLimiter(db, tableName) : unlimited;
}
