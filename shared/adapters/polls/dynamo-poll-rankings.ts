import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PollDefinition } from '../../polls/poll';
import type { VoteCounts } from '../../polls/tally-projections';
import type { DayRankingSource, RankingPage } from '../../polls/top-polls';
import { GSI1, TABLE_KEYS, type GlobalIndexDesign } from '../../store/table-design';
import { batchGetItems } from '../aws/dynamo-batch-get';
import { pollKeys, RANKING_SHARDS } from '../../store/poll-keys';
import { definitionFrom } from './dynamo-poll-store';
import { voteCountsOf } from './poll-items';

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

/**
 * Reads of the day rankings on `gsi1`, for `GET /polls/top` (the all-time list is read by
 * `DynamoMostVoted`). They read index entries written once per story per aggregation batch,
 * never a vote record.
 */
export class DynamoPollRankings implements DayRankingSource {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  readonly shards = RANKING_SHARDS;

  async page(day: string, shard: number, limit: number, after: string | null): Promise<RankingPage> {
    const out = await queryRankingIndex(this.db, this.tableName, GSI1, pollKeys.dayIndexPartition(day, shard), limit, {
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
}

/** A page of a ranking index's partition, most votes first, from `from` on. */
export function queryRankingIndex(
  db: DynamoDBDocumentClient,
  tableName: string,
  index: GlobalIndexDesign,
  partition: string,
  limit: number,
  from: { startKey?: Record<string, unknown>; before?: string },
) {
  return db.send(
    new QueryCommand({
      TableName: tableName,
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
