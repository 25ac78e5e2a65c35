import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { batchGetItems } from '../aws/dynamo-batch-get';
import { type Comment, COMMENT_SUFFIX_PATTERN, type QueueStatus } from '../../comments/comment';
import type { ArticleCommentState, CommentStore, Page, PageRequest, ThreadOrder } from '../../comments/ports';
import { correlationAttribute, currentCorrelationId } from '../../observability/correlation';
import { decodeCursor, encodeCursor } from '../../store/cursor';
import { GSI1, GSI2, TABLE_KEYS, type GlobalIndexDesign } from '../../store/table-design';
import * as z from '../../validation';
import { commentItemKey, fromCommentItem, toCommentItem, versionedCommentUpdate } from './dynamo-comment-items';
import { articleKeys } from '../../store/article-keys';
import { commentKeys } from '../../store/comment-keys';
import { isConditionFailure } from '../aws/condition-failure';

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
