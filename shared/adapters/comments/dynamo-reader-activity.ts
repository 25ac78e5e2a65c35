import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryIndexPage } from '../aws/dynamo-index-page';
import { FLAG_REASONS, type Comment } from '../../comments/comment';
import type { Page, PageRequest, ReaderActivity, ReaderFlag } from '../../comments/ports';
import { readerIndexKeys } from '../../store/comment-keys';
import { decodeCursor } from '../../store/cursor';
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

  /** One page of the items under `prefix` in the reader's partition, with the cursor checked against both. */
  private page(readerId: string, prefix: string, page: PageRequest, cursorParameter: string) {
    const partition = readerIndexKeys.partition(readerId);
    const cursorSchema = z.strictObject({
      [PK]: z.string().check(z.maxLength(200)),
      [SK]: z.string().check(z.maxLength(200)),
      [GSI3.partitionKey]: z.literal(partition),
      [GSI3.sortKey]: z.string().check(z.startsWith(prefix), z.maxLength(200)),
    });
    return queryIndexPage(this.db, this.tableName, {
      index: GSI3,
      partition,
      sortKeyPrefix: prefix,
      forward: false,
      limit: page.limit,
      ...(page.cursor === undefined ? {} : { startKey: decodeCursor(page.cursor, cursorSchema, cursorParameter) }),
    });
  }
}
