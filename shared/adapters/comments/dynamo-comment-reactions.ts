import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Comment } from '../../comments/comment';
import type { CommentReactions, FlagRecord } from '../../comments/ports';
import { GSI3, TABLE_KEYS } from '../../store/table-design';
import { reactionKeys, readerIndexKeys } from '../../store/comment-keys';
import { isConditionFailure } from '../aws/condition-failure';

const { partitionKey: PK } = TABLE_KEYS;

export class DynamoCommentReactions implements CommentReactions {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordVote(
    comment: Pick<Comment, 'id' | 'articleId'>,
    voterHash: string,
    value: 1 | -1,
    at: Date,
  ): Promise<{ previous: 1 | -1 | null }> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: reactionKeys.vote(comment.id, voterHash),
          UpdateExpression: 'SET #value = :value, votedAt = :at, commentId = :commentId, articleId = :articleId',
          // The same vote again writes nothing (and so moves nothing downstream).
          ConditionExpression: 'attribute_not_exists(#pk) OR #value <> :value',
          ExpressionAttributeNames: { '#pk': PK, '#value': 'value' },
          ExpressionAttributeValues: {
            ':value': value,
            ':at': at.toISOString(),
            ':commentId': comment.id,
            ':articleId': comment.articleId,
          },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const previous: unknown = out.Attributes?.value;
      return { previous: previous === 1 || previous === -1 ? previous : null };
    } catch (error) {
      if (isConditionFailure(error)) return { previous: value };
      throw error;
    }
  }

  async recordFlag(comment: Pick<Comment, 'id' | 'articleId'>, flag: FlagRecord): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...reactionKeys.flag(comment.id, flag.voterHash),
            commentId: comment.id,
            articleId: comment.articleId,
            reason: flag.reason,
            flaggedAt: flag.at.toISOString(),
            counts: flag.counts,
            source: flag.sourceHash,
            readerId: flag.readerId,
            [GSI3.partitionKey]: readerIndexKeys.partition(flag.readerId),
            [GSI3.sortKey]: readerIndexKeys.flag(flag.at.toISOString(), comment.id),
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
