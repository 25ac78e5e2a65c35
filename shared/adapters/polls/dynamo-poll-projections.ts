import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AllTimeRanking, DayRanking, PollProjections, ProjectionState } from '../../polls/tally-projections';
import { GSI1, GSI2, TABLE_KEYS } from '../../store/table-design';
import { batchGetItems } from '../aws/dynamo-batch-get';
import { DAY_RANKING_LIFETIME_SECONDS, pollKeys, rankingShardOf } from '../../store/poll-keys';
import { definitionFrom, pollReadKeys, sumTallyShards } from './dynamo-poll-store';
import { articleKeys } from '../../store/article-keys';
import { voteCountsOf } from './poll-items';
import { isConditionFailure } from '../aws/condition-failure';

const { partitionKey: PK, sortKey: SK, timeToLive: TTL } = TABLE_KEYS;

/**
 * What follows from a story's tally, on the table: ranking entries on the overloaded indexes and
 * `votes` on the article's COUNTS item. Every write is conditional on a newer tally version.
 */
export class DynamoPollProjections implements PollProjections {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async read(articleId: string, day: string): Promise<ProjectionState> {
    const partition = pollKeys.partition(articleId);
    // Strongly consistent: the stream record that started this may be newer than a replica.
    const items = await batchGetItems(
      this.db,
      this.tableName,
      [
        ...pollReadKeys(articleId),
        { [PK]: partition, [SK]: articleKeys.counts },
        { [PK]: partition, [SK]: pollKeys.allTimeRanking },
        { [PK]: partition, [SK]: pollKeys.dayRanking(day) },
      ],
      { consistentRead: true },
    );
    const find = (sk: string) => items.find((item) => item[SK] === sk);
    const allTime = find(pollKeys.allTimeRanking);
    const dayEntry = find(pollKeys.dayRanking(day));
    return {
      definition: definitionFrom(find(pollKeys.definition)),
      tally: sumTallyShards(items),
      projectedVersion: Number(find(articleKeys.counts)?.pollVersion ?? 0),
      allTime: allTime ? { ...voteCountsOf(allTime), version: Number(allTime.version ?? 0) } : null,
      day: dayEntry
        ? {
            ...voteCountsOf(dayEntry),
            day: String(dayEntry.day),
            base: voteCountsOf((dayEntry.base ?? {}) as Record<string, unknown>),
            version: Number(dayEntry.version ?? 0),
          }
        : null,
    };
  }

  async saveDay(articleId: string, ranking: DayRanking): Promise<void> {
    const day = new Date(`${ranking.day}T00:00:00.000Z`).getTime() / 1000;
    await this.putIfNewer({
      [PK]: pollKeys.partition(articleId),
      [SK]: pollKeys.dayRanking(ranking.day),
      [GSI1.partitionKey]: pollKeys.dayIndexPartition(ranking.day, rankingShardOf(articleId)),
      [GSI1.sortKey]: pollKeys.rankSort(ranking.totalVotes, articleId),
      articleId,
      day: ranking.day,
      counts: ranking.counts,
      totalVotes: ranking.totalVotes,
      base: { counts: ranking.base.counts, totalVotes: ranking.base.totalVotes },
      version: ranking.version,
      [TTL]: day + DAY_RANKING_LIFETIME_SECONDS,
    });
  }

  async saveAllTime(articleId: string, ranking: AllTimeRanking): Promise<void> {
    await this.putIfNewer({
      [PK]: pollKeys.partition(articleId),
      [SK]: pollKeys.allTimeRanking,
      [GSI2.partitionKey]: pollKeys.allTimeIndexPartition(rankingShardOf(articleId)),
      [GSI2.sortKey]: pollKeys.rankSort(ranking.totalVotes, articleId),
      articleId,
      counts: ranking.counts,
      totalVotes: ranking.totalVotes,
      version: ranking.version,
    });
  }

  async saveVoteCount(articleId: string, totalVotes: number, version: number): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [PK]: articleKeys.partition(articleId), [SK]: articleKeys.counts },
          // Set, not added: the count follows the tally, and a repeat cannot drift it.
          UpdateExpression: 'SET votes = :total, pollVersion = :version',
          ConditionExpression: 'attribute_not_exists(pollVersion) OR pollVersion < :version',
          ExpressionAttributeValues: { ':total': totalVotes, ':version': version },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  private async putIfNewer(item: Record<string, unknown>): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: withoutEmptyMaps(item),
          ConditionExpression: 'attribute_not_exists(#pk) OR #version < :version',
          ExpressionAttributeNames: { '#pk': PK, '#version': 'version' },
          ExpressionAttributeValues: { ':version': item.version },
        }),
      );
    } catch (error) {
      // A newer (or the same) version is stored already: this write is stale or repeated.
      if (!isConditionFailure(error)) throw error;
    }
  }
}

/**
 * The item without empty maps (`counts` of a story nobody voted on yet): the DynamoDB Streams
 * client reads an empty map back as a value of no type, which stream readers choke on. Readers
 * take a missing map as empty.
 *
 * Per-option counts stay a `Map` on their way to the SDK: it marshals a `Map` by its entries,
 * while a plain object with an own `constructor` key (an option id) is refused as no known type.
 */
function withoutEmptyMaps(value: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field instanceof Map) {
      if (field.size > 0) kept[key] = field;
    } else if (field && typeof field === 'object' && !Array.isArray(field)) {
      const inner = withoutEmptyMaps(field as Record<string, unknown>);
      if (Object.keys(inner).length > 0) kept[key] = inner;
    } else {
      kept[key] = field;
    }
  }
  return kept;
}
