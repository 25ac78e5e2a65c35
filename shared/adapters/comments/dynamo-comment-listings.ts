import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { queryIndexPage } from '../aws/dynamo-index-page';
import { type Comment, COMMENT_SUFFIX_PATTERN, type QueueStatus } from '../../comments/comment';
import type { CommentListings, Page, PageRequest, ThreadOrder } from '../../comments/ports';
import { decodeCursor } from '../../store/cursor';
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
   * Counts the queue's index partition, page by page (a query counts at most 1 MB of entries at
   * a time). Its cost grows with the queue, about one read unit per 8 KB of queued comments: a
   * queue of a thousand costs some hundred units a count, which an editor's desk can afford.
   */
  async countQueue(status: QueueStatus): Promise<number> {
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: GSI1.indexName,
          KeyConditionExpression: '#ipk = :partition',
          ExpressionAttributeNames: { '#ipk': GSI1.partitionKey },
          ExpressionAttributeValues: { ':partition': commentKeys.queue(status) },
          Select: 'COUNT',
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      count += out.Count ?? 0;
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return count;
  }

  /** One page of a listing; see `queryIndexPage`. */
  private async list(listing: Listing, page: PageRequest): Promise<Page<Comment>> {
    const { items, nextCursor } = await queryIndexPage(this.db, this.tableName, {
      index: listing.index,
      partition: listing.partition,
      forward: listing.forward,
      limit: page.limit,
      ...(page.cursor === undefined ? {} : { startKey: decodeCursor(page.cursor, cursorSchema(listing)) }),
    });
    return { items: items.map(fromCommentItem), nextCursor };
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
