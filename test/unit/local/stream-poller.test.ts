/**
 * Stream situations DynamoDB Local does not produce on demand (closing shards, expired
 * iterators, trimmed checkpoints), played by a fake stream behind a mocked Streams client.
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
  type DescribeStreamCommandOutput,
  type GetRecordsCommandInput,
  type GetShardIteratorCommandInput,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { InMemoryCheckpointStore } from '../../../infra/local/checkpoint-store';
import { StreamPoller, type PollerLogger } from '../../../infra/local/stream-poller';
import { toLambdaRecord } from '../../../infra/local/stream-records';
import type { StreamTrigger } from '../../../infra/topology/types';

const STREAM_ARN = 'arn:aws:dynamodb:ddblocal:000000000000:table/t/stream/2026-01-01T00:00:00.000';
const silent: PollerLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
const trigger: StreamTrigger = {
  kind: 'stream',
  batchSize: 100,
  maxBatchingWindowSeconds: 0,
  filters: [],
  retryAttempts: 0,
  bisectBatchOnError: false,
  startingPosition: 'TRIM_HORIZON',
};

function awsError(name: string): Error {
  return Object.assign(new Error(name), { name });
}

let nextSequence = 1;
function record(pk: string): _Record {
  const SequenceNumber = String(nextSequence++).padStart(21, '0');
  return {
    eventID: `id-${SequenceNumber}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'ddblocal',
    dynamodb: {
      ApproximateCreationDateTime: new Date('2026-05-01T12:00:00Z'),
      Keys: { pk: { S: pk } },
      NewImage: { pk: { S: pk } },
      SequenceNumber,
      SizeBytes: 10,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

interface FakeShard {
  id: string;
  parent?: string;
  records: _Record[];
  closed: boolean;
  /** Sequence numbers below this were trimmed away. */
  trimmedBelow?: string;
}

/** A stream with iterators of the form `<shard>|<index>`. */
class FakeStream {
  shards: FakeShard[] = [];
  /** Errors the next GetRecords calls throw, in order. */
  readErrors: Error[] = [];

  describe(): DescribeStreamCommandOutput['StreamDescription'] {
    return {
      StreamArn: STREAM_ARN,
      StreamStatus: 'ENABLED',
      Shards: this.shards.map((s) => ({
        ShardId: s.id,
        ParentShardId: s.parent,
        SequenceNumberRange: {
          StartingSequenceNumber: s.records[0]?.dynamodb?.SequenceNumber,
          EndingSequenceNumber: s.closed ? s.records.at(-1)?.dynamodb?.SequenceNumber : undefined,
        },
      })),
    };
  }

  iterator(input: GetShardIteratorCommandInput): string {
    const shard = this.shard(input.ShardId);
    if (input.ShardIteratorType === 'TRIM_HORIZON') return `${shard.id}|0`;
    const sequence = input.SequenceNumber ?? '';
    if (shard.trimmedBelow !== undefined && BigInt(sequence) < BigInt(shard.trimmedBelow)) {
      throw awsError('TrimmedDataAccessException');
    }
    const index = shard.records.findIndex((r) => r.dynamodb?.SequenceNumber === sequence);
    if (index < 0) throw awsError('ValidationException');
    return `${shard.id}|${index + 1}`;
  }

  read(input: GetRecordsCommandInput): { Records: _Record[]; NextShardIterator?: string } {
    const error = this.readErrors.shift();
    if (error) throw error;
    const [id, position] = (input.ShardIterator ?? '').split('|');
    const shard = this.shard(id);
    const start = Number(position);
    const records = shard.records.slice(start, start + (input.Limit ?? 1000));
    const end = start + records.length;
    const exhausted = shard.closed && end >= shard.records.length;
    return { Records: records, NextShardIterator: exhausted ? undefined : `${shard.id}|${end}` };
  }

  private shard(id: string | undefined): FakeShard {
    const shard = this.shards.find((s) => s.id === id);
    if (!shard) throw awsError('ResourceNotFoundException');
    return shard;
  }
}

interface Harness {
  poller: StreamPoller;
  delivered: DynamoDBRecord[];
  /** GetRecords calls so far. */
  reads(): number;
}

async function startPoller(
  stream: FakeStream,
  store = new InMemoryCheckpointStore(),
  options: { idlePollMaxMs?: number } = {},
): Promise<Harness> {
  const streamsClient = new DynamoDBStreamsClient({ region: 'us-east-1' });
  const streams = mockClient(streamsClient);
  streams.on(DescribeStreamCommand).callsFake(() => ({ StreamDescription: stream.describe() }));
  streams
    .on(GetShardIteratorCommand)
    .callsFake((input: GetShardIteratorCommandInput) => ({ ShardIterator: stream.iterator(input) }));
  streams.on(GetRecordsCommand).callsFake((input: GetRecordsCommandInput) => stream.read(input));
  const dynamoClient = new DynamoDBClient({ region: 'us-east-1' });
  mockClient(dynamoClient)
    .on(DescribeTableCommand)
    .resolves({ Table: { TableName: 't', LatestStreamArn: STREAM_ARN, StreamSpecification: { StreamEnabled: true } } });

  const delivered: DynamoDBRecord[] = [];
  const poller = new StreamPoller({
    streamsClient,
    dynamoClient,
    tableName: 't',
    trigger,
    invoke: async (event) => {
      delivered.push(...event.Records);
    },
    onFailure: async () => undefined,
    checkpointStore: store,
    pollIntervalMs: 10,
    retryDelayMs: 1,
    shardRefreshMs: 20,
    logger: silent,
    ...options,
  });
  await poller.start();
  pollers.push(poller);
  return { poller, delivered, reads: () => streams.commandCalls(GetRecordsCommand).length };
}

const pollers: StreamPoller[] = [];
afterEach(async () => {
  await Promise.all(pollers.splice(0).map((p) => p.stop()));
});

const pkOf = (r: DynamoDBRecord): string | undefined => r.dynamodb?.Keys?.pk?.S;

describe('StreamPoller on a changing stream', () => {
  it('reads a closed parent shard to its end before its child', async () => {
    const stream = new FakeStream();
    stream.shards = [
      { id: 'child', parent: 'parent', records: [record('c1'), record('c2')], closed: false },
      { id: 'parent', records: [record('p1'), record('p2')], closed: true },
    ];
    // The child's records were written later but listed first: order must come from lineage.
    stream.shards[0]?.records.forEach((r, i) => {
      if (r.dynamodb) r.dynamodb.SequenceNumber = String(1000 + i).padStart(21, '0');
    });

    const { poller, delivered } = await startPoller(stream);
    await poller.idle(2000);

    expect(delivered.map(pkOf)).toEqual(['p1', 'p2', 'c1', 'c2']);
  });

  it('finds the child of a shard that closes while being read, and reads it from its start', async () => {
    const stream = new FakeStream();
    const parent: FakeShard = { id: 'parent', records: [record('p1')], closed: false };
    stream.shards = [parent];
    const { poller, delivered } = await startPoller(stream);
    await poller.idle(2000);

    parent.records.push(record('p2'));
    parent.closed = true;
    stream.shards.push({ id: 'child', parent: 'parent', records: [record('c1')], closed: false });
    await poller.idle(2000);

    expect(delivered.map(pkOf)).toEqual(['p1', 'p2', 'c1']);
  });

  it('replaces an expired iterator without losing or repeating records', async () => {
    const stream = new FakeStream();
    const shard: FakeShard = { id: 'only', records: [record('r1')], closed: false };
    stream.shards = [shard];
    const { poller, delivered } = await startPoller(stream);
    await poller.idle(2000);

    stream.readErrors.push(awsError('ExpiredIteratorException'));
    shard.records.push(record('r2'));
    await poller.idle(2000);

    expect(delivered.map(pkOf)).toEqual(['r1', 'r2']);
  });

  it('reads from the oldest record left when the checkpoint was trimmed away', async () => {
    const stream = new FakeStream();
    const old = record('gone');
    const shard: FakeShard = { id: 'only', records: [record('kept-1'), record('kept-2')], closed: false };
    shard.trimmedBelow = shard.records[0]?.dynamodb?.SequenceNumber;
    stream.shards = [shard];
    const store = new InMemoryCheckpointStore();
    await store.save({ only: old.dynamodb?.SequenceNumber ?? '' });

    const { poller, delivered } = await startPoller(stream, store);
    await poller.idle(2000);

    expect(delivered.map(pkOf)).toEqual(['kept-1', 'kept-2']);
  });

  it('skips shards that are marked done and forgets shards no longer in the stream', async () => {
    const stream = new FakeStream();
    stream.shards = [
      { id: 'done', records: [record('old')], closed: true },
      { id: 'next', parent: 'done', records: [record('new')], closed: false },
    ];
    const store = new InMemoryCheckpointStore();
    await store.save({ done: 'SHARD_END', vanished: '000000000000000000001' });

    const { poller, delivered } = await startPoller(stream, store);
    await poller.idle(2000);

    expect(delivered.map(pkOf)).toEqual(['new']);
    expect(Object.keys(await store.load()).sort()).toEqual(['done', 'next']);
  });
});

describe('toLambdaRecord', () => {
  it('encodes binaries in base64, converts the time to epoch seconds and keeps the TTL identity', () => {
    const raw: _Record = {
      eventID: 'e1',
      eventName: 'REMOVE',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'ddblocal',
      userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' },
      dynamodb: {
        ApproximateCreationDateTime: new Date('2026-05-01T12:00:00Z'),
        Keys: { pk: { S: 'k' } },
        OldImage: {
          pk: { S: 'k' },
          blob: { B: Buffer.from('hi') },
          blobs: { BS: [Buffer.from('a')] },
          nested: { M: { list: { L: [{ N: '1' }, { NULL: true }, { BOOL: false }, { SS: ['x'] }, { NS: ['2'] }] } } },
        },
        SequenceNumber: '000000000000000000009',
        SizeBytes: 30,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
    };

    const converted = toLambdaRecord(raw, STREAM_ARN, 'us-east-1');

    expect(converted).toEqual({
      eventID: 'e1',
      eventName: 'REMOVE',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
      dynamodb: {
        ApproximateCreationDateTime: Date.parse('2026-05-01T12:00:00Z') / 1000,
        Keys: { pk: { S: 'k' } },
        OldImage: {
          pk: { S: 'k' },
          blob: { B: 'aGk=' },
          blobs: { BS: ['YQ=='] },
          nested: { M: { list: { L: [{ N: '1' }, { NULL: true }, { BOOL: false }, { SS: ['x'] }, { NS: ['2'] }] } } },
        },
        SequenceNumber: '000000000000000000009',
        SizeBytes: 30,
        StreamViewType: 'NEW_AND_OLD_IMAGES',
      },
      eventSourceARN: STREAM_ARN,
    });
  });
});

describe('StreamPoller on a quiet stream', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('backs off while its reads come back empty, where steady polling reads every 10 ms', async () => {
    const steady = await startPoller(Object.assign(new FakeStream(), { shards: [shardOf('s')] }));
    const backingOff = await startPoller(
      Object.assign(new FakeStream(), { shards: [shardOf('b')] }),
      new InMemoryCheckpointStore(),
      { idlePollMaxMs: 60_000 },
    );

    await sleep(400);

    // 10, 20, 40, 80, 160 ms apart: six reads in 400 ms, against one every 10 ms.
    expect(backingOff.reads()).toBeLessThanOrEqual(8);
    expect(steady.reads()).toBeGreaterThan(2 * backingOff.reads());
  });

  it('reads at once when nudged, however far it has backed off', async () => {
    const shard = shardOf('q');
    const { poller, delivered } = await startPoller(
      Object.assign(new FakeStream(), { shards: [shard] }),
      new InMemoryCheckpointStore(),
      { idlePollMaxMs: 60_000 },
    );
    await sleep(300);

    shard.records.push(record('late'));
    poller.nudge();
    // Backed off towards a minute: only the nudge can have read it within seconds.
    for (const deadline = Date.now() + 5_000; delivered.length === 0 && Date.now() < deadline;) await sleep(10);

    expect(delivered.map(pkOf)).toEqual(['late']);
  });
});

function shardOf(id: string): FakeShard {
  return { id, records: [], closed: false };
}
