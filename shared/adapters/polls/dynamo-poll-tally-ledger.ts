import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../ports';
import { countVotes, type ApplyOutcome, type StreamedVote, type TallyLedger } from '../../polls/vote-batches';
import { APPLIED_MARKER_LIFETIME_SECONDS, TABLE_KEYS } from '../../store/table-design';
import { optionAttribute, pollKeys, tallyShardFor } from '../../store/poll-keys';

const { partitionKey: PK, sortKey: SK, timeToLive: TTL } = TABLE_KEYS;

/** Attempts when concurrent aggregations of one story collide on a tally shard. */
const MAX_CONFLICT_ATTEMPTS = 5;

/**
 * Applies a story's votes from one stream batch as a single two-item transaction: the
 * applied-marker (conditional on not existing) and the increments of one tally shard. Per story
 * and batch — never per vote — so its doubled write cost is spread over the whole group.
 */
export class DynamoTallyLedger implements TallyLedger {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async apply(articleId: string, votes: readonly StreamedVote[]): Promise<ApplyOutcome> {
    const first = votes[0];
    const last = votes[votes.length - 1];
    if (!first || !last) return { applied: true };
    const partition = pollKeys.partition(articleId);
    const markerKey = { [PK]: partition, [SK]: pollKeys.marker(first.eventId) };
    const { counts, total } = countVotes(votes);
    const now = this.clock.now();
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {
      ':total': total,
      ':one': 1,
      ':now': now.toISOString(),
      ':articleId': articleId,
    };
    // Option ids are attribute names here only through placeholders: an id is story text.
    const adds = [...counts].map(([option, n], i) => {
      names[`#o${i}`] = optionAttribute(option);
      values[`:o${i}`] = n;
      return `#o${i} :o${i}`;
    });
    const command = new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: this.tableName,
            Item: {
              ...markerKey,
              articleId,
              lastSequence: last.sequence,
              votes: total,
              appliedAt: now.toISOString(),
              [TTL]: Math.ceil(now.getTime() / 1000) + APPLIED_MARKER_LIFETIME_SECONDS,
            },
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': PK },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        {
          Update: {
            TableName: this.tableName,
            Key: { [PK]: partition, [SK]: pollKeys.tally(tallyShardFor(first.eventId)) },
            UpdateExpression: `ADD totalVotes :total, version :one, ${adds.join(', ')} SET updatedAt = :now, articleId = :articleId`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
      ],
    });
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(command);
        return { applied: true };
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        if (reasons[0]?.Code === 'ConditionalCheckFailed') {
          const marker = reasons[0].Item ? unmarshall(reasons[0].Item) : await this.readMarker(markerKey);
          if (typeof marker?.lastSequence !== 'string')
            throw new Error(`Applied-marker ${markerKey[SK]} has no lastSequence`, { cause: error });
          return { applied: false, markerLastSequence: marker.lastSequence };
        }
        const conflicted = reasons.some((reason) => reason.Code === 'TransactionConflict');
        if (!conflicted || attempt >= MAX_CONFLICT_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt * Math.random()));
      }
    }
  }

  private async readMarker(key: Record<string, string>): Promise<Record<string, unknown> | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return out.Item;
  }
}

type CancellationReason = { Code?: string; Item?: Record<string, AttributeValue> };

function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  if ((error as Error | null)?.name !== 'TransactionCanceledException') return undefined;
  return (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
}
