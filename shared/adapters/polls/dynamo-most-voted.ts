import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MostVotedPage } from '../../articles/article-shapes';
import { articleSummarySchema, type ArticleSummary } from '../../articles/indexed-article-schema';
import { articleKeys } from '../../store/article-keys';
import { decodeCursor, encodeCursor } from '../../store/cursor';
import { RANKING_SHARDS, pollKeys } from '../../store/poll-keys';
import { ARTICLE_SUMMARY_FIELDS, GSI2, TABLE_KEYS } from '../../store/table-design';
import * as z from '../../validation';
import { batchGetItems } from '../aws/dynamo-batch-get';
import { parseStoredItem } from '../aws/stored-item';
import { queryRankingIndex } from './dynamo-poll-rankings';

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

const mostVotedCursorSchema = z.strictObject({
  [GSI2.sortKey]: z.string().check(z.regex(/^\d{12}#[0-9a-f]{16}$/)),
});

/**
 * The all-time poll ranking on `gsi2`, for `GET /articles?sort=votes`: stories by votes, with
 * their summaries. Apart from the day rankings because only it reads stories, parsed with the
 * article's schema, which `GET /polls/top` has no use for and need not carry in its bundle.
 */
export class DynamoMostVoted {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Stories by all-time votes, most first. Each shard list is read from the cursor on, `limit`
   * entries each; the best `limit` of those are the page, exactly, since every story is in one
   * list. Stories nobody voted on have no entry and are not listed.
   */
  async mostVoted(page: { limit: number; cursor?: string }): Promise<MostVotedPage> {
    const after = page.cursor ? decodeCursor(page.cursor, mostVotedCursorSchema)[GSI2.sortKey] : undefined;
    const lists = await Promise.all(
      Array.from({ length: RANKING_SHARDS }, (_, shard) =>
        queryRankingIndex(
          this.db,
          this.tableName,
          GSI2,
          pollKeys.allTimeIndexPartition(shard),
          page.limit,
          after ? { before: after } : {},
        ),
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

  /** The summaries of the stories, read from their `META` items: the summary fields and the keys. */
  private async summaries(articleIds: readonly string[]): Promise<Map<string, ArticleSummary>> {
    const keys = articleIds.map((id) => ({ [PK]: articleKeys.partition(id), [SK]: articleKeys.meta }));
    const found = new Map<string, ArticleSummary>();
    if (keys.length === 0) return found;
    // The keys too, so that a malformed item is named in the error.
    const attributes = [PK, SK, ...ARTICLE_SUMMARY_FIELDS];
    const items = await batchGetItems(this.db, this.tableName, keys, {
      projection: {
        expression: attributes.map((_, i) => `#f${i}`).join(', '),
        names: Object.fromEntries(attributes.map((f, i) => [`#f${i}`, f])),
      },
    });
    for (const item of items) {
      const summary = parseStoredItem(articleSummarySchema, z.pickFields(item, ARTICLE_SUMMARY_FIELDS), item);
      found.set(summary.id, summary);
    }
    return found;
  }
}
