import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { EMPTY_TALLY, type PollDefinition, type PollSource, type PollTally } from '../../polls/poll';
import type { PollStore, RecordVoteOutcome, StoredPoll, Vote, VoteStore } from '../../polls/ports';
import { TABLE_KEYS } from '../../store/table-design';
import { batchGetItems } from '../aws/dynamo-batch-get';
import { optionCounts, pollKeys, TALLY_SHARDS } from '../../store/poll-keys';
import { articleKeys } from '../../store/article-keys';
import { isConditionFailure } from '../aws/condition-failure';

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

/** The keys of a story's definition and tally shards: what results are read from. */
export function pollReadKeys(articleId: string): Array<Record<string, string>> {
  const partition = pollKeys.partition(articleId);
  return [
    { [PK]: partition, [SK]: pollKeys.definition },
    ...Array.from({ length: TALLY_SHARDS }, (_, shard) => ({ [PK]: partition, [SK]: pollKeys.tally(shard) })),
  ];
}

/** The tally: the sum of the story's tally shards (its version, the sum of theirs, only grows). */
export function sumTallyShards(items: ReadonlyArray<Record<string, unknown>>): PollTally {
  const shards = items.filter((item) => String(item[SK]).startsWith(pollKeys.tallyPrefix));
  if (shards.length === 0) return EMPTY_TALLY;
  const counts = new Map<string, number>();
  let totalVotes = 0;
  let version = 0;
  let updatedAt: string | null = null;
  for (const shard of shards) {
    for (const [option, votes] of optionCounts(shard)) counts.set(option, (counts.get(option) ?? 0) + votes);
    totalVotes += Number(shard.totalVotes ?? 0);
    version += Number(shard.version ?? 0);
    const at = typeof shard.updatedAt === 'string' ? shard.updatedAt : null;
    if (at && (!updatedAt || at > updatedAt)) updatedAt = at;
  }
  return { counts, totalVotes, version, updatedAt };
}

export function definitionFrom(item: Record<string, unknown> | undefined): PollDefinition | null {
  if (!item || typeof item.question !== 'string' || !Array.isArray(item.options)) return null;
  return {
    articleId: String(item.articleId),
    question: item.question,
    options: (item.options as Array<{ id: string; label: string }>).map(({ id, label }) => ({ id, label })),
    headline: typeof item.headline === 'string' ? item.headline : '',
    definedAt: typeof item.definedAt === 'string' ? item.definedAt : '',
  };
}

/**
 * Polls and votes on the table. Results are one BatchGetItem of the definition and the tally
 * shards — a constant five small items, whatever the number of votes. A vote is one conditional
 * put of its own item, keyed by story and hashed voter, so no two votes write the same item (the
 * voting path's other writes, the rate-limit window and an old story's poll, are not per vote).
 */
export class DynamoPollStore implements PollStore, VoteStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async load(articleId: string): Promise<StoredPoll> {
    const items = await batchGetItems(this.db, this.tableName, pollReadKeys(articleId));
    return {
      definition: definitionFrom(items.find((item) => item[SK] === pollKeys.definition)),
      tally: sumTallyShards(items),
    };
  }

  async findDefinition(articleId: string): Promise<PollDefinition | null> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [PK]: pollKeys.partition(articleId), [SK]: pollKeys.definition },
      }),
    );
    return definitionFrom(out?.Item);
  }

  async findSource(articleId: string): Promise<PollSource | null> {
    // Only for a story indexed before polls were defined at ingest, until its first vote defines it.
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { [PK]: articleKeys.partition(articleId), [SK]: articleKeys.meta },
        ProjectionExpression: '#headline, #poll',
        ExpressionAttributeNames: { '#headline': 'headline', '#poll': 'poll' },
      }),
    );
    if (!out.Item) return null;
    const poll = out.Item.poll as { question?: unknown; options?: unknown } | null | undefined;
    return {
      articleId,
      headline: String(out.Item.headline ?? ''),
      poll:
        poll && typeof poll.question === 'string'
          ? { question: poll.question, options: Array.isArray(poll.options) ? poll.options.map(String) : [] }
          : null,
    };
  }

  async define(definition: PollDefinition): Promise<PollDefinition> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { [PK]: pollKeys.partition(definition.articleId), [SK]: pollKeys.definition, ...definition },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return definition;
    } catch (error) {
      // Defined meanwhile by a concurrent request: the stored definition wins.
      if (!isConditionFailure(error)) throw error;
      return definitionFrom(oldItemOf(error)) ?? definition;
    }
  }

  async record(vote: Vote): Promise<RecordVoteOutcome> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            [PK]: pollKeys.votePartition(vote.articleId, vote.voterHash),
            [SK]: pollKeys.voteSort,
            articleId: vote.articleId,
            option: vote.option,
            votedAt: vote.votedAt,
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
          // The recorded vote comes back with the refusal: no second read for a repeat vote.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { recorded: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const old = oldItemOf(error) ?? {};
      return {
        recorded: false,
        existing: {
          option: typeof old.option === 'string' ? old.option : '',
          votedAt: typeof old.votedAt === 'string' ? old.votedAt : '',
        },
      };
    }
  }
}

/** The item a failed conditional write returned (ReturnValuesOnConditionCheckFailure), unmarshalled. */
function oldItemOf(error: unknown): Record<string, unknown> | undefined {
  const item = (error as { Item?: Record<string, AttributeValue> }).Item;
  return item ? unmarshall(item) : undefined;
}
