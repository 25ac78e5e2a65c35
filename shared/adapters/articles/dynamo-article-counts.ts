import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ArticleCounts } from '../../articles/article';
import { TABLE_KEYS } from '../../store/table-design';
import { articleKeys } from '../../store/article-keys';

/**
 * The article's `COUNTS` item: a small item beside `META`, so that updating a count costs one
 * write unit instead of the size of the whole article. `GET /articles/{id}` reads it as `counts`.
 */
export class DynamoArticleCounts {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Adds (or with a negative delta, subtracts) to the named counts atomically. */
  async add(articleId: string, deltas: Partial<ArticleCounts>): Promise<void> {
    const entries = Object.entries(deltas).filter(([, delta]) => delta !== undefined && delta !== 0);
    if (entries.length === 0) return;
    const names: Record<string, string> = {};
    const values: Record<string, number> = {};
    const adds = entries.map(([field, delta], i) => {
      names[`#c${i}`] = field;
      values[`:c${i}`] = delta;
      return `#c${i} :c${i}`;
    });
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { [TABLE_KEYS.partitionKey]: articleKeys.partition(articleId), [TABLE_KEYS.sortKey]: articleKeys.counts },
        UpdateExpression: `ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }
}
