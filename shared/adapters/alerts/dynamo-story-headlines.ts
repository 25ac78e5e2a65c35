import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoryHeadlines } from '../../alerts/ports';
import { articleKeys } from '../../store/article-keys';
import { TABLE_KEYS } from '../../store/table-design';

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

/** A story's headline from its `META` item, projected to it: the story's body stays in the table. */
export class DynamoStoryHeadlines implements StoryHeadlines {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async headline(articleId: string): Promise<string | null> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [PK]: articleKeys.partition(articleId), [SK]: articleKeys.meta },
        ProjectionExpression: '#headline',
        ExpressionAttributeNames: { '#headline': 'headline' },
      }),
    );
    return typeof out.Item?.headline === 'string' ? out.Item.headline : null;
  }
}
