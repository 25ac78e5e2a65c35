import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FLAG_REASONS, type Comment } from '../../comments/comment';
import type { Page, PageRequest, ReaderActivity, ReaderFlag } from '../../comments/ports';
import { readerIndexKeys } from '../../store/comment-keys';
import { decodeCursor, encodeCursor } from '../../store/cursor';
import { GSI3, TABLE_KEYS } from '../../store/table-design';
import * as z from '../../validation';
import { parseStoredItem } from '../aws/stored-item';
import { fromCommentItem } from './dynamo-comment-items';

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

const storedFlagSchema = z.object({
  commentId: z.string(),
  articleId: z.string(),
  reason: z.enum(FLAG_REASONS),
  flaggedAt: z.string(),
  counts: z._default(z.boolean(), true),
});

/**
 * A reader's comments and flags on the third index (`READER#<readerId>`, see
 * `readerIndexKeys`): each kind is a sort-key prefix of the reader's partition, read newest first.
 */
export class DynamoReaderActivity implements ReaderActivity {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async comments(readerId: string, page: PageRequest): Promise<Page<Comment>> {
    const { items, nextCursor } = await this.page(
      readerId,
      readerIndexKeys.commentPrefix,
      page,
      'query.commentsCursor',
    );
    return { items: items.map(fromCommentItem), nextCursor };
  }

  async flags(readerId: string, page: PageRequest): Promise<Page<ReaderFlag>> {
    const { items, nextCursor } = await this.page(readerId, readerIndexKeys.flagPrefix, page, 'query.flagsCursor');
    return {
      items: items.map((item) => {
        const { counts, ...flag } = parseStoredItem(storedFlagSchema, item, { [PK]: item[PK], [SK]: item[SK] });
        return { ...flag, counted: counts };
      }),
      nextCursor,
    };
  }

  /**
   * One page of the items under `prefix` in the reader's partition. Reads one item past the page,
   * so a cursor is given only when more follows; the cursor is the last item's key, checked on
   * the way back in against this reader's partition and this prefix.
   */
  private async page(
    readerId: string,
    prefix: string,
    page: PageRequest,
    cursorParameter: string,
  ): Promise<{ items: Record<string, unknown>[]; nextCursor: string | null }> {
    const partition = readerIndexKeys.partition(readerId);
    let startKey: Record<string, unknown> | undefined =
      page.cursor === undefined
        ? undefined
        : decodeCursor(
            page.cursor,
            z.strictObject({
              [PK]: z.string().check(z.maxLength(200)),
              [SK]: z.string().check(z.maxLength(200)),
              [GSI3.partitionKey]: z.literal(partition),
              [GSI3.sortKey]: z.string().check(z.startsWith(prefix), z.maxLength(200)),
            }),
            cursorParameter,
          );
    const items: Record<string, unknown>[] = [];
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: GSI3.indexName,
          KeyConditionExpression: '#rpk = :partition AND begins_with(#rsk, :prefix)',
          ExpressionAttributeNames: { '#rpk': GSI3.partitionKey, '#rsk': GSI3.sortKey },
          ExpressionAttributeValues: { ':partition': partition, ':prefix': prefix },
          ScanIndexForward: false,
          Limit: page.limit + 1 - items.length,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey && items.length <= page.limit);
    const shown = items.slice(0, page.limit);
    const last = shown.at(-1);
    const nextCursor =
      items.length > page.limit && last
        ? encodeCursor({
            [PK]: last[PK],
            [SK]: last[SK],
            [GSI3.partitionKey]: last[GSI3.partitionKey],
            [GSI3.sortKey]: last[GSI3.sortKey],
          })
        : null;
    return { items: shown, nextCursor };
  }
}
