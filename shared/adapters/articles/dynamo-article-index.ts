import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ZERO_COUNTS, type NormalizedArticle } from '../../articles/article';
import type { ArticleIndex, SaveResult } from '../../articles/article-index';
import type { ArticleCounts, FeedPage } from '../../articles/article-shapes';
import { correlationAttribute } from '../../observability/correlation';
import { decodeCursor, encodeCursor } from '../../store/cursor';
import { ARTICLE_SUMMARY_FIELDS, FEED_INDEX, TABLE_KEYS } from '../../store/table-design';
import * as z from '../../validation';
import { batchGetItems } from '../aws/dynamo-batch-get';
import { articleKeys } from '../../store/article-keys';
import { isConditionFailure } from '../aws/condition-failure';
import { parseStoredItem } from '../aws/stored-item';
import {
  articleSummarySchema,
  indexedArticleSchema,
  type ArticleSummary,
  type IndexedArticle,
} from '../../articles/indexed-article-schema';

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

const feedStartKeySchema = z.strictObject({
  [PK]: z.string().check(z.regex(/^ARTICLE#[0-9a-f]{16}$/)),
  [SK]: z.literal(articleKeys.meta),
  [FEED_INDEX.partitionKey]: z.literal(articleKeys.feedPartition),
  [FEED_INDEX.sortKey]: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[0-9a-f]{16}$/)),
});

const BOOKKEEPING = new Set<string>([PK, SK, FEED_INDEX.partitionKey, FEED_INDEX.sortKey]);

/**
 * The article index on the single table. A story is two items under its partition: `META`
 * (the normalized article, rewritten only when its content changes) and `COUNTS` (small,
 * updated often by later features), so frequent counter updates never pay for the article's size.
 */
export class DynamoArticleIndex implements ArticleIndex {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async save(article: NormalizedArticle, revision: string, at: Date): Promise<SaveResult> {
    const now = at.toISOString();
    const fields: Record<string, unknown> = {
      ...article,
      [FEED_INDEX.partitionKey]: articleKeys.feedPartition,
      [FEED_INDEX.sortKey]: articleKeys.feedSort(article),
      revision,
      updatedAt: now,
      // Set only by the conditional write below, so an unchanged re-ingest still writes nothing.
      ...correlationAttribute(),
    };
    const names: Record<string, string> = {
      '#pk': PK,
      '#hash': 'contentHash',
      '#revision': 'revision',
      '#version': 'version',
      '#createdAt': 'createdAt',
    };
    const values: Record<string, unknown> = {
      ':zero': 0,
      ':one': 1,
      ':now': now,
      ':hash': article.contentHash,
      ':revision': revision,
    };
    const sets = Object.entries(fields).map(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:f${i}`] = value;
      return `#f${i} = :f${i}`;
    });
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.metaKey(article.id),
          UpdateExpression: `SET ${sets.join(', ')}, #version = if_not_exists(#version, :zero) + :one, #createdAt = if_not_exists(#createdAt, :now)`,
          // Only other content from a newer input is written: the same content writes nothing (no
          // stream record, so no duplicate event), and an older input never replaces a newer one,
          // whatever order retries and concurrent ingests arrive in. Items from before revisions
          // existed have none, and any input is newer than them.
          ConditionExpression:
            'attribute_not_exists(#pk) OR (#hash <> :hash AND (attribute_not_exists(#revision) OR #revision < :revision))',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const version = Number(out.Attributes?.version);
      return { outcome: version === 1 ? 'created' : 'updated', version };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const stored = storedStateOf(error) ?? (await this.storedState(article.id));
      // Gone between the write and the read: the story was removed meanwhile; let the caller retry.
      if (!stored) throw new Error(`Article ${article.id} changed while it was saved; save it again`, { cause: error });
      if (stored.contentHash !== article.contentHash) return { outcome: 'stale', version: stored.version };
      await this.recordNewerRevision(article, revision);
      return { outcome: 'unchanged', version: stored.version };
    }
  }

  /**
   * The same content came again from a newer input: remember that input's revision (and nothing
   * else, so no new version and no event), or an input between the two could still replace it.
   */
  private async recordNewerRevision(article: NormalizedArticle, revision: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.metaKey(article.id),
          UpdateExpression: 'SET #revision = :revision',
          ConditionExpression: '#hash = :hash AND (attribute_not_exists(#revision) OR #revision < :revision)',
          ExpressionAttributeNames: { '#hash': 'contentHash', '#revision': 'revision' },
          ExpressionAttributeValues: { ':hash': article.contentHash, ':revision': revision },
        }),
      );
    } catch (error) {
      // Already as new or newer (this input's retry, or a newer input got there first): nothing to do.
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** What decides a save, read consistently: the stored content hash and version. */
  private async storedState(id: string): Promise<StoredState | null> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: this.metaKey(id),
        ConsistentRead: true,
        ProjectionExpression: '#hash, #version',
        ExpressionAttributeNames: { '#hash': 'contentHash', '#version': 'version' },
      }),
    );
    return out.Item ? { contentHash: String(out.Item.contentHash), version: Number(out.Item.version) } : null;
  }

  private metaKey(id: string): Record<string, string> {
    return { [PK]: articleKeys.partition(id), [SK]: articleKeys.meta };
  }

  async find(id: string): Promise<{ article: IndexedArticle; counts: ArticleCounts } | null> {
    const partition = articleKeys.partition(id);
    // Read through the helper: under throttling DynamoDB may leave keys unprocessed, which must
    // not read as "no such article".
    const items = await batchGetItems(this.db, this.tableName, [
      { [PK]: partition, [SK]: articleKeys.meta },
      { [PK]: partition, [SK]: articleKeys.counts },
    ]);
    const meta = items.find((item) => item[SK] === articleKeys.meta);
    if (!meta) return null;
    const countsItem = items.find((item) => item[SK] === articleKeys.counts);
    return { article: indexedArticleOf(meta), counts: countsFrom(countsItem) };
  }

  async exists(id: string): Promise<boolean> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [PK]: articleKeys.partition(id), [SK]: articleKeys.meta },
        ProjectionExpression: '#pk',
        ExpressionAttributeNames: { '#pk': PK },
      }),
    );
    return out.Item !== undefined;
  }

  async listNewest(page: { limit: number; cursor?: string }): Promise<FeedPage> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: FEED_INDEX.indexName,
        KeyConditionExpression: '#feedPk = :feed',
        ExpressionAttributeNames: { '#feedPk': FEED_INDEX.partitionKey },
        ExpressionAttributeValues: { ':feed': articleKeys.feedPartition },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(page.cursor ? { ExclusiveStartKey: decodeCursor(page.cursor, feedStartKeySchema) } : {}),
      }),
    );
    const items = (out.Items ?? []).map(toSummary);
    // DynamoDB returns a start key whenever a page is full, even if nothing follows; a client
    // that follows it gets an empty last page, which is correct and cheaper than a look-ahead read.
    const nextCursor = out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : null;
    return { items, nextCursor };
  }
}

interface StoredState {
  contentHash: string;
  version: number;
}

/** The stored item DynamoDB returned with a failed condition (`ALL_OLD`, in wire format), if it did. */
function storedStateOf(error: unknown): StoredState | null {
  const old = (error as ConditionalCheckFailedException).Item as Record<string, { N?: string; S?: string }> | undefined;
  if (!old?.version?.N || old.contentHash?.S === undefined) return null;
  return { contentHash: old.contentHash.S, version: Number(old.version.N) };
}

/**
 * A story's `META` item as the article it holds, without the table's keys.
 *
 * @throws StoredItemError when the item is not an indexed article
 */
export function indexedArticleOf(item: Record<string, unknown>): IndexedArticle {
  const fields = Object.fromEntries(Object.entries(item).filter(([key]) => !BOOKKEEPING.has(key)));
  return parseStoredItem(indexedArticleSchema, fields, item);
}

/**
 * A feed index entry as the summary of its story: the summary fields the index projects, without
 * the keys it carries.
 *
 * @throws StoredItemError when the entry is not a summary
 */
function toSummary(item: Record<string, unknown>): ArticleSummary {
  return parseStoredItem(articleSummarySchema, z.pickFields(item, ARTICLE_SUMMARY_FIELDS), item);
}

function countsFrom(item: Record<string, unknown> | undefined): ArticleCounts {
  if (!item) return { ...ZERO_COUNTS };
  return {
    comments: Number(item.comments ?? 0),
    votes: Number(item.votes ?? 0),
    errorReports: Number(item.errorReports ?? 0),
  };
}
