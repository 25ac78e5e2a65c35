import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetItems } from '../aws/dynamo-batch-get';
import { parseStoredItem } from '../aws/stored-item';
import type { Comment } from '../../comments/comment';
import type { ModerationContext, StoryHeading } from '../../comments/ports';
import { articleKeys } from '../../store/article-keys';
import { TABLE_KEYS } from '../../store/table-design';
import * as z from '../../validation';
import { commentItemKey, fromCommentItem } from './dynamo-comment-items';

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

const headingSchema = z.object({
  id: z.string(),
  headline: z.string(),
  canonicalUrl: z._default(z.nullable(z.string()), null),
});

/**
 * What the queue shows beside its comments, in one batch read each: the stories' `META` items
 * projected to their heading (the body stays in the table), and the parent comments whole.
 */
export class DynamoModerationContext implements ModerationContext {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async stories(articleIds: readonly string[]): Promise<Map<string, StoryHeading>> {
    if (articleIds.length === 0) return new Map();
    const items = await batchGetItems(
      this.db,
      this.tableName,
      articleIds.map((id) => ({ [PK]: articleKeys.partition(id), [SK]: articleKeys.meta })),
      {
        projection: {
          expression: '#pk, #sk, #id, #headline, #url',
          names: { '#pk': PK, '#sk': SK, '#id': 'id', '#headline': 'headline', '#url': 'canonicalUrl' },
        },
      },
    );
    return new Map(
      items.map((item) => {
        const { id, headline, canonicalUrl } = parseStoredItem(headingSchema, item, item);
        return [id, { headline, canonicalUrl }];
      }),
    );
  }

  async comments(commentIds: readonly string[]): Promise<Map<string, Comment>> {
    if (commentIds.length === 0) return new Map();
    const items = await batchGetItems(this.db, this.tableName, commentIds.map(commentItemKey));
    return new Map(items.map((item) => fromCommentItem(item)).map((comment) => [comment.id, comment]));
  }
}
