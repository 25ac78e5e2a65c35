import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ArticleSummary, MostVotedPage } from '../../articles/article-index';
import type { PollDefinition } from '../../polls/poll';
import type { VoteCounts } from '../../polls/tally-projections';
import type { DayRankingSource, RankingPage } from '../../polls/top-polls';
import { decodeCursor, encodeCursor } from '../../store/cursor';
import { GSI1, GSI2, TABLE_KEYS, type GlobalIndexDesign } from '../../store/table-design';
import * as z from '../../validation';
import { batchGetItems } from '../aws/dynamo-batch-get';
import { pollKeys, RANKING_SHARDS } from '../../store/poll-keys';
import { definitionFrom } from './dynamo-poll-store';
import { articleKeys } from '../../store/article-keys';
import { voteCountsOf } from './poll-items';

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

const mostVotedCursorSchema = z.strictObject({
  [GSI2.sortKey]: z.string().check(z.regex(/^\d{12}#[0-9a-f]{16}$/)),
});

const SUMMARY_FIELDS = [
  'id',
  'slug',
  'headline',
  'subheadline',
  'byline',
  'publishedAt',
  'version',
  'updatedAt',
] as const;

/**
 * Reads of the poll rankings: day lists on `gsi1` for `GET /polls/top`, the all-time list on
 * `gsi2` for `GET /articles?sort=votes`. Both read index entries written once per story per
 * aggregation batch; neither touches a vote record.
 */
export class DynamoPollRankings implements DayRankingSource {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  readonly shards = RANKING_SHARDS;

  async page(day: string, shard: number, limit: number, after: string | null): Promise<RankingPage> {
    const out = await this.queryIndex(GSI1, pollKeys.dayIndexPartition(day, shard), limit, {
      ...(after ? { startKey: JSON.parse(after) as Record<string, unknown> } : {}),
    });
    return {
      entries: (out.Items ?? []).map((item) => ({ articleId: String(item.articleId), ...voteCountsOf(item) })),
      next: out.LastEvaluatedKey ? JSON.stringify(out.LastEvaluatedKey) : null,
    };
  }

  async totals(articleIds: readonly string[], days: readonly string[]): Promise<Map<string, VoteCounts>> {
    const keys = articleIds.flatMap((id) =>
      days.map((day) => ({ [PK]: pollKeys.partition(id), [SK]: pollKeys.dayRanking(day) })),
    );
    const totals = new Map(articleIds.map((id) => [id, { counts: new Map<string, number>(), totalVotes: 0 }]));
    for (const item of await batchGetItems(this.db, this.tableName, keys)) {
      const sum = totals.get(String(item.articleId));
      if (!sum) continue;
      const { counts, totalVotes } = voteCountsOf(item);
      sum.totalVotes += totalVotes;
      for (const [option, votes] of counts) sum.counts.set(option, (sum.counts.get(option) ?? 0) + votes);
    }
    return totals;
  }

  async definitions(articleIds: readonly string[]): Promise<Map<string, PollDefinition>> {
    const keys = articleIds.map((id) => ({ [PK]: pollKeys.partition(id), [SK]: pollKeys.definition }));
    const found = new Map<string, PollDefinition>();
    for (const item of await batchGetItems(this.db, this.tableName, keys)) {
      const definition = definitionFrom(item);
      if (definition) found.set(definition.articleId, definition);
    }
    return found;
  }

  /**
   * Stories by all-time votes, most first. Each shard list is read from the cursor on, `limit`
   * entries each; the best `limit` of those are the page, exactly, since every story is in one
   * list. Stories nobody voted on have no entry and are not listed.
   */
  async mostVoted(page: { limit: number; cursor?: string }): Promise<MostVotedPage> {
    const after = page.cursor ? decodeCursor(page.cursor, mostVotedCursorSchema)[GSI2.sortKey] : undefined;
    const lists = await Promise.all(
      Array.from({ length: RANKING_SHARDS }, (_, shard) =>
        this.queryIndex(GSI2, pollKeys.allTimeIndexPartition(shard), page.limit, after ? { before: after } : {}),
      ),
    );
    const merged = lists
      .flatMap((out) => out.Items ?? [])
      .sort((a, b) => (String(a[GSI2.sortKey]) < String(b[GSI2.sortKey]) ? 1 : -1));
    const taken = merged.slice(0, page.limit);
    const more = merged.length > page.limit || lists.some((out) => out.LastEvaluatedKey !== undefined);
    const summaries = await this.summaries(taken.map((item) => String(item.articleId)));
    const items = taken.flatMap((item) => {
      const summary = summaries.get(String(item.articleId));
      return summary ? [{ ...summary, votes: Number(item.totalVotes ?? 0) }] : [];
    });
    const last = taken.at(-1);
    return { items, nextCursor: more && last ? encodeCursor({ [GSI2.sortKey]: last[GSI2.sortKey] as unknown }) : null };
  }

  private queryIndex(
    index: GlobalIndexDesign,
    partition: string,
    limit: number,
    from: { startKey?: Record<string, unknown>; before?: string },
  ) {
    return this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: from.before ? '#ipk = :pk AND #isk < :before' : '#ipk = :pk',
        ExpressionAttributeNames: { '#ipk': index.partitionKey, ...(from.before ? { '#isk': index.sortKey } : {}) },
        ExpressionAttributeValues: { ':pk': partition, ...(from.before ? { ':before': from.before } : {}) },
        ScanIndexForward: false,
        Limit: limit,
        ...(from.startKey ? { ExclusiveStartKey: from.startKey } : {}),
      }),
    );
  }

  private async summaries(articleIds: readonly string[]): Promise<Map<string, ArticleSummary>> {
    const keys = articleIds.map((id) => ({ [PK]: articleKeys.partition(id), [SK]: articleKeys.meta }));
    const found = new Map<string, ArticleSummary>();
    if (keys.length === 0) return found;
    const items = await batchGetItems(this.db, this.tableName, keys, {
      projection: {
        expression: SUMMARY_FIELDS.map((_, i) => `#f${i}`).join(', '),
        names: Object.fromEntries(SUMMARY_FIELDS.map((f, i) => [`#f${i}`, f])),
      },
    });
    for (const item of items) {
      found.set(String(item.id), {
        id: String(item.id),
        slug: String(item.slug),
        headline: String(item.headline),
        subheadline: (item.subheadline as string | null | undefined) ?? null,
        byline: item.byline as ArticleSummary['byline'],
        publishedAt: String(item.publishedAt),
        version: Number(item.version),
        updatedAt: String(item.updatedAt),
      });
    }
    return found;
  }
}
