import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ZERO_COUNTS, type ArticleCounts, type NormalizedArticle } from '../articles/article';
import type { ArticleIndex, ArticleSummary, FeedPage, IndexedArticle, SaveResult } from '../articles/article-index';
import { correlationAttribute } from '../observability/correlation';
import { decodeCursor, encodeCursor } from '../store/cursor';
import { FEED_INDEX, TABLE_KEYS } from '../store/table-design';
import * as z from '../validation';
import { batchGetItems } from './dynamo-batch-get';

/** Item keys of the article index; see `shared/store/table-design.ts` for the table itself. */
export const articleKeys = {
  partition: (id: string) => `ARTICLE#${id}`,
  meta: 'META',
  counts: 'COUNTS',
  /** Every story is in the one feed partition, ordered by publication time. */
  feedPartition: 'ARTICLES',
  feedSort: (article: Pick<NormalizedArticle, 'publishedAt' | 'id'>) => `${article.publishedAt}#${article.id}`,
} as const;

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

  async save(article: NormalizedArticle, at: Date): Promise<SaveResult> {
    const now = at.toISOString();
    const fields: Record<string, unknown> = {
      ...article,
      [FEED_INDEX.partitionKey]: articleKeys.feedPartition,
      [FEED_INDEX.sortKey]: articleKeys.feedSort(article),
      updatedAt: now,
      // Set only by the conditional write below, so an unchanged re-ingest still writes nothing.
      ...correlationAttribute(),
    };
    const names: Record<string, string> = {
      '#pk': PK,
      '#hash': 'contentHash',
      '#version': 'version',
      '#createdAt': 'createdAt',
    };
    const values: Record<string, unknown> = { ':zero': 0, ':one': 1, ':now': now, ':hash': article.contentHash };
    const sets = Object.entries(fields).map(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:f${i}`] = value;
      return `#f${i} = :f${i}`;
    });
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [PK]: articleKeys.partition(article.id), [SK]: articleKeys.meta },
          UpdateExpression: `SET ${sets.join(', ')}, #version = if_not_exists(#version, :zero) + :one, #createdAt = if_not_exists(#createdAt, :now)`,
          // Same content hash: nothing to write, and no stream record, so no duplicate event.
          ConditionExpression: 'attribute_not_exists(#pk) OR #hash <> :hash',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const version = Number(out.Attributes?.version);
      return { outcome: version === 1 ? 'created' : 'updated', version };
    } catch (error) {
      if (
        error instanceof ConditionalCheckFailedException ||
        (error as Error).name === 'ConditionalCheckFailedException'
      ) {
        const old = (error as ConditionalCheckFailedException).Item as Record<string, { N?: string }> | undefined;
        const version = old?.version?.N ? Number(old.version.N) : await this.currentVersion(article.id);
        return { outcome: 'unchanged', version };
      }
      throw error;
    }
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
    return { article: withoutBookkeeping(meta) as unknown as IndexedArticle, counts: countsFrom(countsItem) };
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
    const items = (out.Items ?? []).map((item) => toSummary(item));
    // DynamoDB returns a start key whenever a page is full, even if nothing follows; a client
    // that follows it gets an empty last page, which is correct and cheaper than a look-ahead read.
    const nextCursor = out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : null;
    return { items, nextCursor };
  }

  private async currentVersion(id: string): Promise<number> {
    const found = await this.find(id);
    return found?.article.version ?? 0;
  }
}

function withoutBookkeeping(item: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([key]) => !BOOKKEEPING.has(key)));
}

function toSummary(item: Record<string, unknown>): ArticleSummary {
  return {
    id: item.id as string,
    slug: item.slug as string,
    headline: item.headline as string,
    subheadline: (item.subheadline as string | null | undefined) ?? null,
    byline: item.byline as ArticleSummary['byline'],
    publishedAt: item.publishedAt as string,
    version: Number(item.version),
    updatedAt: item.updatedAt as string,
  };
}

function countsFrom(item: Record<string, unknown> | undefined): ArticleCounts {
  if (!item) return { ...ZERO_COUNTS };
  return {
    comments: Number(item.comments ?? 0),
    votes: Number(item.votes ?? 0),
    errorReports: Number(item.errorReports ?? 0),
  };
}
