import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetItems } from '../aws/dynamo-batch-get';
import type { Comment } from '../../comments/comment';
import type { ArticleCommentState, CommentStore } from '../../comments/ports';
import { correlationAttribute, currentCorrelationId } from '../../observability/correlation';
import { TABLE_KEYS } from '../../store/table-design';
import { commentItemKey, fromCommentItem, toCommentItem, versionedCommentUpdate } from './dynamo-comment-items';
import { articleKeys } from '../../store/article-keys';
import { commentKeys } from '../../store/comment-keys';
import { isConditionFailure } from '../aws/condition-failure';

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

/** The comment store on the single table; see `dynamo-comment-items.ts` for the key design. */
export class DynamoCommentStore implements CommentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * The story's metadata (projected to its key: only existence matters), its counts and its
   * comment settings, in one request.
   */
  async articleState(articleId: string): Promise<ArticleCommentState | null> {
    const partition = articleKeys.partition(articleId);
    const items = await batchGetItems(
      this.db,
      this.tableName,
      [articleKeys.meta, articleKeys.counts, commentKeys.settings].map((sk) => ({ [PK]: partition, [SK]: sk })),
      {
        projection: {
          expression: '#sk, #comments, #open',
          names: { '#sk': SK, '#comments': 'comments', '#open': 'commentsOpen' },
        },
      },
    );
    const bySortKey = new Map(items.map((item) => [item[SK], item]));
    if (!bySortKey.has(articleKeys.meta)) return null;
    return {
      commentsOpen: bySortKey.get(commentKeys.settings)?.commentsOpen !== false,
      visibleTotal: Number(bySortKey.get(articleKeys.counts)?.comments ?? 0),
    };
  }

  async get(commentId: string): Promise<Comment | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: commentItemKey(commentId), ConsistentRead: true }),
    );
    return out.Item ? fromCommentItem(out.Item) : null;
  }

  async insert(comment: Comment): Promise<'created' | 'exists'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...toCommentItem(comment), ...correlationAttribute() },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }),
      );
      return 'created';
    } catch (error) {
      if (isConditionFailure(error)) return 'exists';
      throw error;
    }
  }

  async update(next: Comment, expectedVersion: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          ...versionedCommentUpdate(next, expectedVersion, currentCorrelationId()),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async setCommentsOpen(articleId: string, open: boolean, change: { by: string; at: Date }): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          [PK]: articleKeys.partition(articleId),
          [SK]: commentKeys.settings,
          commentsOpen: open,
          updatedBy: change.by,
          updatedAt: change.at.toISOString(),
        },
      }),
    );
  }
}
