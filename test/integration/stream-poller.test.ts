/**
 * The stream poller against DynamoDB Local's real stream: Lambda's event source mapping
 * semantics (shape, filters, batching, partial failures, retries, dead letters, checkpoints).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import {
  InMemoryCheckpointStore,
  JsonFileCheckpointStore,
  type CheckpointStore,
} from '../../infra/local/checkpoint-store';
import { localClientConfig } from '../../infra/local/engines/local-clients';
import { StreamPoller, type PollerLogger, type StreamFailure } from '../../infra/local/stream-poller';
import type { StreamTrigger } from '../../infra/topology/types';
import { createTestTable, testDynamoClient } from '../support/engines';
import { waitFor } from '../support/wait-for';

const silent: PollerLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

const baseTrigger: StreamTrigger = {
  kind: 'stream',
  batchSize: 10,
  maxBatchingWindowSeconds: 0,
  filters: [],
  retryAttempts: 2,
  bisectBatchOnError: false,
  startingPosition: 'TRIM_HORIZON',
};

let streamsClient: DynamoDBStreamsClient;
const pollers: StreamPoller[] = [];

beforeAll(() => {
  streamsClient = new DynamoDBStreamsClient(localClientConfig(process.env.TEST_DYNAMODB_ENDPOINT ?? ''));
});

afterEach(async () => {
  await Promise.all(pollers.splice(0).map((p) => p.stop()));
});

afterAll(() => {
  streamsClient.destroy();
});

/** What the handler saw, and a poller wired to record it. */
interface Harness {
  poller: StreamPoller;
  batches: DynamoDBRecord[][];
  failures: StreamFailure[];
}

function startPoller(
  tableName: string,
  trigger: Partial<StreamTrigger>,
  handler: (event: DynamoDBStreamEvent) => Promise<unknown> = async () => undefined,
  checkpointStore: CheckpointStore = new InMemoryCheckpointStore(),
): Promise<Harness> {
  const batches: DynamoDBRecord[][] = [];
  const failures: StreamFailure[] = [];
  const poller = new StreamPoller({
    streamsClient,
    dynamoClient: testDynamoClient(),
    tableName,
    trigger: { ...baseTrigger, ...trigger },
    invoke: async (event) => {
      batches.push(event.Records);
      return handler(event);
    },
    onFailure: async (failure) => {
      failures.push(failure);
    },
    checkpointStore,
    pollIntervalMs: 50,
    retryDelayMs: 10,
    logger: silent,
  });
  pollers.push(poller);
  return poller.start().then(() => ({ poller, batches, failures }));
}

async function putItem(tableName: string, pk: string, sk = 'META', extra: Record<string, string> = {}): Promise<void> {
  const item = {
    pk: { S: pk },
    sk: { S: sk },
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, { S: v }])),
  };
  await testDynamoClient().send(new PutItemCommand({ TableName: tableName, Item: item }));
}

async function putItems(tableName: string, pks: string[]): Promise<void> {
  for (const pk of pks) await putItem(tableName, pk);
}

const pkOf = (record: DynamoDBRecord): string | undefined => record.dynamodb?.Keys?.pk?.S;
const pks = (batches: DynamoDBRecord[][]): Array<string | undefined> => batches.flat().map(pkOf);
const range = (n: number, prefix = 'item'): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);

describe('StreamPoller', () => {
  it('delivers inserts, modifies and removes in order, shaped as Lambda delivers them', async () => {
    const table = await createTestTable('poller-shape');
    const { poller, batches } = await startPoller(table, {});

    await putItem(table, 'a1', 'META', { headline: 'First' });
    await testDynamoClient().send(
      new UpdateItemCommand({
        TableName: table,
        Key: { pk: { S: 'a1' }, sk: { S: 'META' } },
        UpdateExpression: 'SET headline = :h',
        ExpressionAttributeValues: { ':h': { S: 'Second' } },
      }),
    );
    await testDynamoClient().send(
      new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'a1' }, sk: { S: 'META' } } }),
    );
    await poller.idle();

    const records = batches.flat();
    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    const [insert, modify, remove] = records as [DynamoDBRecord, DynamoDBRecord, DynamoDBRecord];
    expect(modify).toEqual({
      eventID: expect.any(String),
      eventName: 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        ApproximateCreationDateTime: expect.any(Number),
        Keys: { pk: { S: 'a1' }, sk: { S: 'META' } },
        NewImage: { pk: { S: 'a1' }, sk: { S: 'META' }, headline: { S: 'Second' } },
        OldImage: { pk: { S: 'a1' }, sk: { S: 'META' }, headline: { S: 'First' } },
        SequenceNumber: expect.stringMatching(/^\d+$/),
        SizeBytes: expect.any(Number),
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: expect.stringContaining(`table/${table}/stream/`),
    });
    expect(insert.dynamodb).not.toHaveProperty('OldImage');
    expect(remove.dynamodb).not.toHaveProperty('NewImage');
    expect(remove.dynamodb?.OldImage?.headline).toEqual({ S: 'Second' });
    const sequences = records.map((r) => BigInt(r.dynamodb?.SequenceNumber ?? '0'));
    expect([...sequences].sort((a, b) => (a < b ? -1 : 1))).toEqual(sequences);
  });

  it('delivers empty maps and lists, and nested values, as Lambda does', async () => {
    const table = await createTestTable('poller-empty');
    const { poller, batches } = await startPoller(table, {});

    await testDynamoClient().send(
      new PutItemCommand({
        TableName: table,
        Item: {
          pk: { S: 'e1' },
          sk: { S: 'META' },
          emptyMap: { M: {} },
          emptyList: { L: [] },
          nested: { M: { inner: { M: {} }, list: { L: [{ N: '1' }, { M: {} }] } } },
        },
      }),
    );
    await poller.idle();

    expect(batches.flat()[0]?.dynamodb?.NewImage).toEqual({
      pk: { S: 'e1' },
      sk: { S: 'META' },
      emptyMap: { M: {} },
      emptyList: { L: [] },
      nested: { M: { inner: { M: {} }, list: { L: [{ N: '1' }, { M: {} }] } } },
    });
  });

  it('delivers only records matching the filter criteria', async () => {
    const table = await createTestTable('poller-filter');
    const store = new InMemoryCheckpointStore();
    const { poller, batches } = await startPoller(
      table,
      { filters: [{ eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { sk: { S: ['META'] } } } }] },
      undefined,
      store,
    );

    await putItem(table, 'a1', 'META');
    await putItem(table, 'a1', 'COMMENT#1');
    await testDynamoClient().send(
      new DeleteItemCommand({ TableName: table, Key: { pk: { S: 'a1' }, sk: { S: 'META' } } }),
    );
    await putItem(table, 'a2', 'META');
    await putItem(table, 'a2', 'COMMENT#1');
    await poller.idle();

    expect(batches.flat().map((r) => `${r.eventName} ${pkOf(r)} ${r.dynamodb?.Keys?.sk?.S}`)).toEqual([
      'INSERT a1 META',
      'INSERT a2 META',
    ]);
    // Filtered-out records are checkpointed past too: a restart would not read them again.
    const [checkpoint] = Object.values(await store.load());
    expect(checkpoint).toMatch(/^\d+$/);
  });

  it('invokes batches of at most batchSize records', async () => {
    const table = await createTestTable('poller-batch');
    await putItems(table, range(7));

    const { poller, batches } = await startPoller(table, { batchSize: 3 });
    await poller.idle();

    expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
    expect(pks(batches)).toEqual(range(7));
  });

  it('waits up to the batching window to fill a batch', async () => {
    const table = await createTestTable('poller-window');
    const { poller, batches } = await startPoller(table, { batchSize: 10, maxBatchingWindowSeconds: 1 });

    // Written one at a time, well within the window.
    await putItems(table, range(4));
    await poller.idle();

    expect(batches.map((b) => b.length)).toEqual([4]);
  });

  it('retries a partially failed batch from the first failed record only', async () => {
    const table = await createTestTable('poller-partial');
    await putItems(table, range(5));
    let calls = 0;
    const { poller, batches, failures } = await startPoller(table, { batchSize: 5 }, async (event) => {
      calls += 1;
      if (calls > 1) return { batchItemFailures: [] };
      // Report items 3 and 5: Lambda retries from the lower sequence number, item 3.
      const [, , third, , fifth] = event.Records;
      return {
        batchItemFailures: [
          { itemIdentifier: fifth?.dynamodb?.SequenceNumber },
          { itemIdentifier: third?.dynamodb?.SequenceNumber },
        ],
      };
    });
    await poller.idle();

    expect(batches.map((b) => b.map(pkOf))).toEqual([range(5), ['item-3', 'item-4', 'item-5']]);
    expect(failures).toEqual([]);
  });

  it('with bisection on, retries a partial failure from the reported record without splitting the batch', async () => {
    const table = await createTestTable('poller-partial-bisect');
    await putItems(table, range(4));
    let calls = 0;
    const { poller, batches } = await startPoller(table, { batchSize: 4, bisectBatchOnError: true }, async (event) =>
      ++calls === 1
        ? { batchItemFailures: [{ itemIdentifier: event.Records[1]?.dynamodb?.SequenceNumber }] }
        : undefined,
    );
    await poller.idle();

    // As Lambda: a partial response "bisects at the returned sequence number"; only errors halve.
    expect(batches.map((b) => b.map(pkOf))).toEqual([range(4), ['item-2', 'item-3', 'item-4']]);
  });

  it('treats an unknown itemIdentifier as a failure of the whole batch', async () => {
    const table = await createTestTable('poller-bad-id');
    await putItems(table, range(2));
    let calls = 0;
    const { poller, batches } = await startPoller(table, {}, async () =>
      ++calls === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-a-sequence-number' }] } : undefined,
    );
    await poller.idle();

    expect(batches.map((b) => b.map(pkOf))).toEqual([range(2), range(2)]);
  });

  it('dead-letters a poison record after its retries and goes on with the next records', async () => {
    const table = await createTestTable('poller-poison');
    await putItems(table, ['before', 'poison', 'after-1']);
    const { poller, batches, failures } = await startPoller(
      table,
      { batchSize: 1, retryAttempts: 2 },
      async (event) => {
        if (event.Records.some((r) => pkOf(r) === 'poison')) throw new Error('cannot handle poison');
      },
    );
    await putItem(table, 'after-2');
    await poller.idle();

    expect(pks(batches)).toEqual(['before', 'poison', 'poison', 'poison', 'after-1', 'after-2']);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.records.map(pkOf)).toEqual(['poison']);
    expect(failures[0]).toMatchObject({ attempts: 3, error: 'Error: cannot handle poison' });
  });

  it('sends the whole failing batch to onFailure when not bisecting', async () => {
    const table = await createTestTable('poller-whole');
    await putItems(table, ['ok-1', 'poison', 'ok-2']);
    const { poller, batches, failures } = await startPoller(
      table,
      { batchSize: 3, retryAttempts: 1 },
      async (event) => {
        if (event.Records.some((r) => pkOf(r) === 'poison')) throw new Error('boom');
      },
    );
    await poller.idle();

    expect(batches).toHaveLength(2);
    expect(failures.map((f) => f.records.map(pkOf))).toEqual([['ok-1', 'poison', 'ok-2']]);
    expect(failures[0]?.attempts).toBe(2);
  });

  it('bisects a failing batch so only the poison record is dead-lettered', async () => {
    const table = await createTestTable('poller-bisect');
    const items = range(8);
    items[5] = 'poison';
    await putItems(table, items);
    const succeeded: Array<string | undefined> = [];
    const { poller, failures } = await startPoller(
      table,
      { batchSize: 8, retryAttempts: 1, bisectBatchOnError: true },
      async (event) => {
        if (event.Records.some((r) => pkOf(r) === 'poison')) throw new Error('boom');
        succeeded.push(...event.Records.map(pkOf));
      },
    );
    await poller.idle();

    expect(failures.map((f) => f.records.map(pkOf))).toEqual([['poison']]);
    expect(failures[0]?.attempts).toBe(2);
    expect(succeeded).toEqual(items.filter((pk) => pk !== 'poison'));
  });

  it('resumes from the saved checkpoint after a restart without redelivering', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'poller-checkpoints-'));
    try {
      const table = await createTestTable('poller-restart');
      const checkpointPath = join(dir, 'checkpoints', 'consumer.json');
      await putItems(table, range(3, 'first'));
      const first = await startPoller(table, {}, undefined, new JsonFileCheckpointStore(checkpointPath));
      await first.poller.idle();
      await first.poller.stop();

      await putItems(table, range(2, 'second'));
      const second = await startPoller(table, {}, undefined, new JsonFileCheckpointStore(checkpointPath));
      await second.poller.idle();

      expect(pks(first.batches)).toEqual(range(3, 'first'));
      expect(pks(second.batches)).toEqual(range(2, 'second'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('redelivers a batch interrupted by stop during its retries', async () => {
    const table = await createTestTable('poller-stop');
    const store = new InMemoryCheckpointStore();
    await putItems(table, range(2));
    const first = await startPoller(
      table,
      { retryAttempts: 5 },
      async () => {
        throw new Error('down');
      },
      store,
    );
    await waitFor(() => first.batches.length > 0, { description: 'the first attempt at the batch' });
    await first.poller.stop();

    const second = await startPoller(table, {}, undefined, store);
    await second.poller.idle();

    expect(first.failures).toEqual([]);
    expect(pks(second.batches)).toEqual(range(2));
  });

  it('waits for the in-flight invocation when stopped', async () => {
    const table = await createTestTable('poller-inflight');
    await putItem(table, 'slow');
    let stopRequested = false;
    let finished = false;
    const { poller, batches } = await startPoller(table, {}, async () => {
      // Still working when stop() is called, and for a turn of the event loop after it.
      await waitFor(() => stopRequested, { description: 'stop() to be called' });
      await new Promise((resolve) => setImmediate(resolve));
      finished = true;
    });
    await waitFor(() => batches.length > 0, { description: 'the invocation with the batch' });

    stopRequested = true;
    await poller.stop();

    expect(finished).toBe(true);
  });

  it('starts after the existing records with LATEST', async () => {
    const table = await createTestTable('poller-latest');
    await putItems(table, ['old-1', 'old-2']);
    const { poller, batches } = await startPoller(table, { startingPosition: 'LATEST' });

    await putItem(table, 'new-1');
    await poller.idle();

    expect(pks(batches)).toEqual(['new-1']);
  });
});
