import { QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { parseCommentId, type Comment } from '../../comments/comment';
import type { CommentTextHistory, ReplacedText } from '../../comments/ports';
import { currentCorrelationId } from '../../observability/correlation';
import { commentKeys } from '../../store/comment-keys';
import { TABLE_KEYS } from '../../store/table-design';
import * as z from '../../validation';
import { isTransactionConditionFailure } from '../aws/condition-failure';
import { parseStoredItem } from '../aws/stored-item';
import { versionedCommentUpdate } from './dynamo-comment-items';

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

const replacedTextSchema = z.object({ body: z.string(), replacedAt: z.string() });

/**
 * The texts authors replaced, one item each beside the comment in its story's partition (see
 * `commentKeys.replacedText`). A separate adapter from the comment store, so the routes that
 * never edit do not carry the transaction client in their bundles.
 */
export class DynamoCommentTextHistory implements CommentTextHistory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async replaceText(next: Comment, expectedVersion: number, replaced: ReplacedText): Promise<boolean> {
    const { articleId, suffix } = parseCommentId(next.id);
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                ...versionedCommentUpdate(next, expectedVersion, currentCorrelationId()),
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  [PK]: commentKeys.partition(articleId),
                  [SK]: commentKeys.replacedText(suffix, expectedVersion),
                  commentId: next.id,
                  ...replaced,
                },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isTransactionConditionFailure(error)) return false;
      throw error;
    }
  }

  async replacedTexts(commentId: string): Promise<ReplacedText[]> {
    const { articleId, suffix } = parseCommentId(commentId);
    const texts: ReplacedText[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
          ExpressionAttributeValues: {
            ':pk': commentKeys.partition(articleId),
            ':prefix': commentKeys.replacedText(suffix, ''),
          },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of out.Items ?? []) texts.push(parseStoredItem(replacedTextSchema, item, item));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return texts;
  }
}
