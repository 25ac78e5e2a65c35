import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Comment, COMMENT_SUFFIX_PATTERN, type QueueStatus } from '../../comments/comment';
import type { CommentListings, Page, PageRequest, ThreadOrder } from '../../comments/ports';
import { decodeCursor, encodeCursor } from '../../store/cursor';
import { GSI1, GSI2, TABLE_KEYS, type GlobalIndexDesign } from '../../store/table-design';
import * as z from '../../validation';
import { fromCommentItem } from './dynamo-comment-items';
import { commentKeys } from '../../store/comment-keys';

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

const COMMENT_SORT_KEY = /^COMMENT#[0-9a-f]{24}$/;

/** One listing: which index partition it reads, in which direction, and what its cursors look like. */
interface Listing {
  index: GlobalIndexDesign;
  partition: string;
  forward: boolean;
  sortKeyShape: RegExp;
  /** The table partition every item of the listing is in, when there is one. */
  tablePartition?: string;
}

/**
 * The comment listings on the two overloaded indexes (see `shared/store/comment-keys.ts`). Apart
 * from the store, so the routes that write a comment do not carry the listing code.
 */
export class DynamoCommentListings implements CommentListings {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  listThreads(articleId: string, order: ThreadOrder, page: PageRequest): Promise<Page<Comment>> {
    const listing: Listing =
      order === 'top'
        ? { index: GSI1, partition: commentKeys.top(articleId), forward: false, sortKeyShape: /^\d{13}#[0-9a-f]{24}$/ }
        : {
            index: GSI2,
            partition: commentKeys.newest(articleId),
            forward: order === 'oldest',
            sortKeyShape: COMMENT_SUFFIX_PATTERN,
          };
    return this.list({ ...listing, tablePartition: commentKeys.partition(articleId) }, page);
  }

  listReplies(threadId: string, page: PageRequest): Promise<Page<Comment>> {
    const articleId = threadId.split('.')[0]!;
    return this.list(
      {
        index: GSI2,
        partition: commentKeys.replies(threadId),
        forward: true,
        sortKeyShape: COMMENT_SUFFIX_PATTERN,
        tablePartition: commentKeys.partition(articleId),
      },
      page,
    );
  }

  listQueue(status: QueueStatus, page: PageRequest): Promise<Page<Comment>> {
    return this.list(
      {
        index: GSI1,
        partition: commentKeys.queue(status),
        forward: true,
        sortKeyShape: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[0-9a-f]{16}\.[0-9a-f]{24}$/,
      },
      page,
    );
  }

  /**
   * One page of a listing. It reads one item past the page, so the cursor is given only when
   * more follows (a client never gets an empty last page), and the cursor is the key of the
   * last item returned: a comment that arrives while a client pages is never returned twice.
   */
  private async list(listing: Listing, page: PageRequest): Promise<Page<Comment>> {
    let startKey: Record<string, unknown> | undefined =
      page.cursor === undefined ? undefined : decodeCursor(page.cursor, cursorSchema(listing));
    const items: Record<string, unknown>[] = [];
    // A query returns at most 1 MB, so long comments can cut a read short: read on until the
    // page and its look-ahead item are there, or the listing ends.
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: listing.index.indexName,
          KeyConditionExpression: '#ipk = :partition',
          ExpressionAttributeNames: { '#ipk': listing.index.partitionKey },
          ExpressionAttributeValues: { ':partition': listing.partition },
          ScanIndexForward: listing.forward,
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
            [listing.index.partitionKey]: last[listing.index.partitionKey],
            [listing.index.sortKey]: last[listing.index.sortKey],
          })
        : null;
    return { items: shown.map(fromCommentItem), nextCursor };
  }
}

/** A cursor must be a key of exactly this listing: same index partition, well-formed keys. */
function cursorSchema(listing: Listing) {
  return z.strictObject({
    [PK]: listing.tablePartition
      ? z.literal(listing.tablePartition)
      : z.string().check(z.regex(/^ARTICLE#[0-9a-f]{16}$/)),
    [SK]: z.string().check(z.regex(COMMENT_SORT_KEY)),
    [listing.index.partitionKey]: z.literal(listing.partition),
    [listing.index.sortKey]: z.string().check(z.regex(listing.sortKeyShape)),
  });
}
