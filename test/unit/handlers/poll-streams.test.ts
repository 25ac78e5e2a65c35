import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { BatchGetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { injectedFaultCount } from '../../../shared/faults';
import { lambdaContext } from '../../support/api-events';
import { applyUpdate } from '../../support/apply-update';
import { handlerHarness, type StreamBatchResult } from '../../support/handler-harness';
import { queueEvent } from '../../support/queue-events';

const harness = handlerHarness();
const { dynamo, eventBridge } = harness;
type StreamHandler = (event: DynamoDBStreamEvent | SQSEvent, context: unknown) => Promise<StreamBatchResult>;
const aggregate = harness.handler<StreamHandler>('aggregate-poll-votes');
const publish = harness.handler<StreamHandler>('publish-poll-tallies');

beforeEach(() => {
  dynamo.reset();
  eventBridge.reset();
  delete process.env.FAULT_INJECTION;
});

const A = 'aaaaaaaaaaaaaaaa';
const B = 'bbbbbbbbbbbbbbbb';
const C = 'cccccccccccccccc';
const SEQ = (n: number) => String(100000000000000000000n + BigInt(n));

function voteRecord(n: number, articleId: string, option: string): DynamoDBRecord {
  const keys = { pk: `VOTE#${articleId}#voter${n}`, sk: 'VOTE' };
  return {
    eventID: `event-${n}`,
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: SEQ(n),
      Keys: marshall(keys) as never,
      NewImage: marshall({ ...keys, articleId, option, votedAt: '2024-03-14T12:00:00.000Z' }) as never,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

const transactions = () => dynamo.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems!);

function markerExists(lastSequence: string) {
  return new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: [
      { Code: 'ConditionalCheckFailed', Item: marshall({ pk: 'x', sk: 'y', lastSequence }) },
      { Code: 'None' },
    ],
  });
}

describe('aggregate-poll-votes (vote records from the table stream)', () => {
  it("applies each story's votes of the batch in one transaction: the applied-marker and one tally shard", async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    const result = await aggregate(
      {
        Records: [
          voteRecord(1, A, 'sad'),
          voteRecord(2, B, 'scary'),
          voteRecord(3, A, 'sad'),
          voteRecord(4, A, 'silly'),
        ],
      },
      lambdaContext(),
    );

    expect(result.batchItemFailures).toEqual([]);
    const [forA, forB] = transactions();
    expect(transactions()).toHaveLength(2);
    expect(forA![0]!.Put).toMatchObject({
      Item: { pk: `ARTICLE#${A}`, sk: 'POLL#APPLIED#event-1', lastSequence: SEQ(4), votes: 3 },
      ConditionExpression: 'attribute_not_exists(#pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    expect(forA![0]!.Put!.Item!.expiresAt).toBeGreaterThan(Date.now() / 1000 + 24 * 3600);
    const update = forA![1]!.Update!;
    expect(update.Key).toEqual({ pk: `ARTICLE#${A}`, sk: expect.stringMatching(/^POLL#TALLY#[0-3]$/) });
    const shard = { pk: `ARTICLE#${A}`, sk: update.Key!.sk, 'opt#sad': 5, 'opt#happy': 1, totalVotes: 6, version: 2 };
    expect(applyUpdate(shard, update)).toMatchObject({
      'opt#sad': 7,
      'opt#silly': 1,
      'opt#happy': 1,
      totalVotes: 9,
      version: 3,
      articleId: A,
    });
    expect(forB![0]!.Put!.Item).toMatchObject({
      pk: `ARTICLE#${B}`,
      sk: 'POLL#APPLIED#event-2',
      lastSequence: SEQ(2),
      votes: 1,
    });
  });

  it('adds votes for options named like Object.prototype members as numbers, each under a placeholder name', async () => {
    // Prepare: a batch of one story's votes for options that are Object.prototype member names.
    dynamo.on(TransactWriteCommand).resolves({});
    const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'constructor'];

    // Act
    const result = await aggregate(
      { Records: names.map((option, i) => voteRecord(i + 1, A, option)) },
      lambdaContext(),
    );

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    const update = transactions()[0]![1]!.Update!;
    expect(update.UpdateExpression).not.toMatch(/opt#|constructor|proto|toString|valueOf|hasOwnProperty/);
    const tally = applyUpdate(undefined, update);
    expect(Object.entries(tally).filter(([attribute]) => attribute.startsWith('opt#'))).toEqual([
      ['opt#constructor', 2],
      ['opt#__proto__', 1],
      ['opt#toString', 1],
      ['opt#hasOwnProperty', 1],
      ['opt#valueOf', 1],
    ]);
    expect(tally).toMatchObject({ totalVotes: 6, version: 1 });
  });

  it('changes nothing when a batch it already applied is delivered again', async () => {
    dynamo.on(TransactWriteCommand).rejects(markerExists(SEQ(3)));

    const result = await aggregate({ Records: [voteRecord(1, A, 'sad'), voteRecord(3, A, 'sad')] }, lambdaContext());

    expect(result.batchItemFailures).toEqual([]);
    // One attempt, refused by the marker; nothing else is written.
    expect(transactions()).toHaveLength(1);
  });

  it('applies only the records after those an earlier delivery applied, under a marker of their own', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(markerExists(SEQ(3)))
      .resolves({});

    await aggregate(
      { Records: [voteRecord(1, A, 'sad'), voteRecord(3, A, 'sad'), voteRecord(5, A, 'scary')] },
      lambdaContext(),
    );

    const [, retry] = transactions();
    expect(retry![0]!.Put!.Item).toMatchObject({ sk: 'POLL#APPLIED#event-5', lastSequence: SEQ(5), votes: 1 });
    expect(retry![1]!.Update!.ExpressionAttributeValues).toMatchObject({ ':total': 1 });
  });

  it('reports a failed story from a record where redelivery cannot count an applied story twice', async () => {
    dynamo
      .on(TransactWriteCommand)
      .callsFake(async (input: { TransactItems: Array<{ Put?: { Item: { pk: string } } }> }) => {
        if (input.TransactItems[0]!.Put!.Item.pk === `ARTICLE#${B}`) {
          throw Object.assign(new Error('Throughput exceeded'), { name: 'ProvisionedThroughputExceededException' });
        }
        return {};
      });

    const result = await aggregate(
      {
        Records: [
          voteRecord(0, C, 'sad'),
          voteRecord(1, A, 'sad'),
          voteRecord(2, B, 'scary'),
          voteRecord(3, A, 'sad'),
          voteRecord(4, B, 'sad'),
        ],
      },
      lambdaContext(),
    );

    // B failed from 2, but A's applied group spans 1..3: redelivery must start at A's first record,
    // and every record from there is reported.
    expect(result.batchItemFailures).toEqual([1, 2, 3, 4].map((n) => ({ itemIdentifier: SEQ(n) })));
  });

  it('retries a story whose tally shard another aggregation held, then applies it', async () => {
    const conflict = new TransactionCanceledException({
      message: 'Transaction cancelled',
      $metadata: {},
      CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
    });
    dynamo.on(TransactWriteCommand).rejectsOnce(conflict).resolves({});

    const result = await aggregate({ Records: [voteRecord(1, A, 'sad')] }, lambdaContext());

    expect(result.batchItemFailures).toEqual([]);
    expect(transactions()).toHaveLength(2);
  });

  it('fails after applying when the fault is injected, so the batch is redelivered', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    process.env.FAULT_INJECTION = 'poll-tally-after-apply:1';
    const before = injectedFaultCount('poll-tally-after-apply');

    await expect(aggregate({ Records: [voteRecord(1, A, 'sad')] }, lambdaContext())).rejects.toThrow(/Injected fault/);
    await expect(aggregate({ Records: [voteRecord(1, A, 'sad')] }, lambdaContext())).resolves.toEqual({
      batchItemFailures: [],
    });

    expect(transactions()).toHaveLength(2);
    expect(injectedFaultCount('poll-tally-after-apply')).toBe(before + 1);
  });

  it('skips a record that is not a vote rather than blocking the votes behind it', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const foreign: DynamoDBRecord = { ...voteRecord(2, A, 'sad'), eventName: 'MODIFY' };

    const result = await aggregate({ Records: [voteRecord(1, A, 'sad'), foreign] }, lambdaContext());

    expect(result.batchItemFailures).toEqual([]);
    expect(transactions()[0]![0]!.Put!.Item).toMatchObject({ votes: 1 });
  });
});

describe('publish-poll-tallies (tally shard changes from the table stream)', () => {
  function tallyRecord(n: number, articleId: string): DynamoDBRecord {
    return {
      eventID: `tally-${n}`,
      eventName: 'MODIFY',
      eventSource: 'aws:dynamodb',
      dynamodb: {
        SequenceNumber: SEQ(n),
        Keys: marshall({ pk: `ARTICLE#${articleId}`, sk: `POLL#TALLY#${n % 4}` }) as never,
      },
    };
  }
  const state = (articleId: string, version: number, projectedVersion: number) => [
    {
      pk: `ARTICLE#${articleId}`,
      sk: 'POLL',
      articleId,
      question: 'Q is...',
      options: [
        { id: 'sad', label: 'Sad' },
        { id: 'scary', label: 'Scary' },
      ],
      headline: 'Q',
      definedAt: '2024-03-14T00:00:00.000Z',
    },
    {
      pk: `ARTICLE#${articleId}`,
      sk: 'POLL#TALLY#0',
      'opt#sad': 5,
      totalVotes: 5,
      version: version - 1,
      updatedAt: '2024-03-14T12:00:00.000Z',
    },
    {
      pk: `ARTICLE#${articleId}`,
      sk: 'POLL#TALLY#3',
      'opt#scary': 2,
      totalVotes: 2,
      version: 1,
      updatedAt: '2024-03-14T12:00:01.000Z',
    },
    { pk: `ARTICLE#${articleId}`, sk: 'COUNTS', votes: 3, pollVersion: projectedVersion },
  ];

  beforeEach(() => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).resolves({});
  });

  it('publishes one PollTallyUpdated per story per batch, with absolute counts and the summed version', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': state(A, 4, 2) } });

    const result = await publish(
      { Records: [tallyRecord(1, A), tallyRecord(2, A), tallyRecord(3, A)] },
      lambdaContext(),
    );

    expect(result.batchItemFailures).toEqual([]);
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 1);
    const entry = eventBridge.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!;
    expect(entry.DetailType).toBe('PollTallyUpdated');
    expect(JSON.parse(entry.Detail!)).toEqual({
      schemaVersion: 1,
      articleId: A,
      version: 4,
      question: 'Q is...',
      options: [
        { id: 'sad', label: 'Sad', votes: 5 },
        { id: 'scary', label: 'Scary', votes: 2 },
      ],
      totalVotes: 7,
      updatedAt: '2024-03-14T12:00:01.000Z',
    });
    // Strongly consistent: the change that started this must be seen.
    expect(dynamo).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: { 'test-table': expect.objectContaining({ ConsistentRead: true }) },
    });
  });

  it('sets counts.votes and the ranking entries, each only if its version is newer', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': state(A, 4, 2) } });

    await publish({ Records: [tallyRecord(1, A)] }, lambdaContext());

    const [counts] = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(counts).toMatchObject({
      Key: { pk: `ARTICLE#${A}`, sk: 'COUNTS' },
      ConditionExpression: 'attribute_not_exists(pollVersion) OR pollVersion < :version',
      ExpressionAttributeValues: { ':version': 4 },
    });
    expect(applyUpdate({ comments: 2, votes: 5, pollVersion: 3 }, counts!)).toEqual({
      comments: 2,
      votes: 7,
      pollVersion: 4,
    });
    const puts = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input);
    expect(puts.map((put) => put.Item!.sk)).toEqual([
      expect.stringMatching(/^POLL#RANK#\d{4}-\d{2}-\d{2}$/),
      'POLL#RANK#ALL',
    ]);
    expect(puts[1]).toMatchObject({
      Item: {
        gsi2pk: expect.stringMatching(/^POLLTOP#ALL#[0-3]$/),
        gsi2sk: `000000000007#${A}`,
        totalVotes: 7,
        version: 4,
        counts: new Map([
          ['sad', 5],
          ['scary', 2],
        ]),
      },
      ConditionExpression: 'attribute_not_exists(#pk) OR #version < :version',
    });
    expect(puts[0]!.Item).toMatchObject({
      gsi1pk: expect.stringMatching(/^POLLTOP#\d{4}-\d{2}-\d{2}#[0-3]$/),
      totalVotes: 7,
    });
  });

  it('publishes and ranks options named like Object.prototype members with their exact counts', async () => {
    // Prepare: a poll whose options are `constructor` and `valueof`; only `constructor` has votes.
    const [definition, , , counts] = state(A, 4, 2);
    const named = {
      ...definition!,
      options: [
        { id: 'constructor', label: 'Constructor' },
        { id: 'valueof', label: 'valueOf' },
      ],
    };
    const shard = { pk: `ARTICLE#${A}`, sk: 'POLL#TALLY#1', 'opt#constructor': 3, totalVotes: 3, version: 4 };
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': [named, shard, counts!] } });

    // Act
    const result = await publish({ Records: [tallyRecord(1, A)] }, lambdaContext());

    // Assess
    expect(result.batchItemFailures).toEqual([]);
    const detail = JSON.parse(eventBridge.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!.Detail!);
    expect(detail).toMatchObject({
      options: [
        { id: 'constructor', votes: 3 },
        { id: 'valueof', votes: 0 },
      ],
      totalVotes: 3,
    });
    const rankings = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input.Item!);
    for (const ranking of rankings) {
      expect(ranking.counts).toEqual(new Map([['constructor', 3]]));
      expect(ranking.totalVotes).toBe(3);
    }
  });

  it('publishes and writes nothing for a version already projected', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': state(A, 4, 4) } });

    const result = await publish({ Records: [tallyRecord(1, A)] }, lambdaContext());

    expect(result.batchItemFailures).toEqual([]);
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
    expect(dynamo).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('takes a stale ranking write (a newer version is stored) as done', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': state(A, 4, 2) } });
    dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'newer', $metadata: {} }));

    expect((await publish({ Records: [tallyRecord(1, A)] }, lambdaContext())).batchItemFailures).toEqual([]);
  });

  /** Both stories have new tallies to publish; the bus refuses story B's event. */
  function storyBCannotBePublished(): void {
    dynamo
      .on(BatchGetCommand)
      .callsFake(async (input: { RequestItems: Record<string, { Keys: Array<{ pk: string }> }> }) => {
        const storyOf = input.RequestItems['test-table']!.Keys[0]!.pk === `ARTICLE#${B}` ? B : A;
        return { Responses: { 'test-table': state(storyOf, 4, 2) } };
      });
    eventBridge
      .on(PutEventsCommand)
      .callsFake(async (input: { Entries: Array<{ Detail: string }> }) =>
        input.Entries[0]!.Detail.includes(B)
          ? { FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] }
          : { FailedEntryCount: 0, Entries: [{ EventId: 'e' }] },
      );
  }

  it('reports from the first record of a story whose event could not be published, and every record after it', async () => {
    storyBCannotBePublished();

    const result = await publish(
      { Records: [tallyRecord(1, A), tallyRecord(2, B), tallyRecord(3, A), tallyRecord(4, B)] },
      lambdaContext(),
    );

    expect(result.batchItemFailures).toEqual([2, 3, 4].map((n) => ({ itemIdentifier: SEQ(n) })));
  });

  it("keeps only the failed story's messages when its standard queue delivers the changes", async () => {
    storyBCannotBePublished();
    const event = queueEvent([tallyRecord(1, A), tallyRecord(2, B), tallyRecord(3, A), tallyRecord(4, B)], {
      standard: true,
    });

    const result = await publish(event, lambdaContext());

    // Story A is done (its event published); both of B's changes come back, nothing else.
    expect(result.batchItemFailures).toEqual([1, 3].map((i) => ({ itemIdentifier: event.Records[i]!.messageId })));
    const published = eventBridge
      .commandCalls(PutEventsCommand)
      .map((call) => (JSON.parse(call.args[0].input.Entries![0]!.Detail!) as { articleId: string }).articleId);
    expect(published.filter((id) => id === A).length).toBeGreaterThanOrEqual(1);
  });
});

harness.itSendsOnlyDeclaredTableOperations();
