import {
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  DeleteObjectCommand,
} from '@aws-sdk/client-s3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ensureBucket } from '../../infra/local/create-bucket';
import { ensureTable } from '../../infra/local/create-table';
import { localS3ClientConfig } from '../../infra/local/engines/local-clients';
import { startS3Emulator, type ObjectCreatedEvent } from '../../infra/local/engines/s3-emulator';
import { FEED_INDEX, TABLE_KEYS } from '../../shared/store/table-design';
import { createTestBucket, createTestTable, testDynamoClient, testS3Client } from '../support/engines';
import { waitFor } from '../support/wait-for';

describe('DynamoDB Local', () => {
  const dynamo = testDynamoClient();
  let table: string;

  beforeAll(async () => {
    table = await createTestTable('engines');
  });

  it('creates the table idempotently, with the feed index, the stream and TTL', async () => {
    await ensureTable(dynamo, table);
    await Promise.all([ensureTable(dynamo, table), ensureTable(dynamo, table)]);

    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: table }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    const feed = Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === FEED_INDEX.indexName);
    expect(feed?.KeySchema).toEqual([
      { AttributeName: FEED_INDEX.partitionKey, KeyType: 'HASH' },
      { AttributeName: FEED_INDEX.sortKey, KeyType: 'RANGE' },
    ]);
    expect(feed?.Projection?.ProjectionType).toBe('INCLUDE');
    expect([...(feed?.Projection?.NonKeyAttributes ?? [])].sort()).toEqual(
      [...(FEED_INDEX.nonKeyAttributes ?? [])].sort(),
    );
    expect(Table?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(Table?.LatestStreamArn).toBeDefined();

    const ttl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: table }));
    expect(ttl.TimeToLiveDescription).toMatchObject({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: TABLE_KEYS.timeToLive,
    });
  });

  it('raises ConditionalCheckFailedException when a condition fails', async () => {
    const put = () =>
      dynamo.send(
        new PutItemCommand({
          TableName: table,
          Item: { pk: { S: 'story#1' }, sk: { S: 'meta' } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    await put();
    await expect(put()).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
  });

  it('runs transactions', async () => {
    await dynamo.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: table, Item: { pk: { S: 'tx#1' }, sk: { S: 'a' } } } },
          { Put: { TableName: table, Item: { pk: { S: 'tx#1' }, sk: { S: 'b' } } } },
        ],
      }),
    );
    const b = await dynamo.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'tx#1' }, sk: { S: 'b' } } }));
    expect(b.Item).toBeDefined();

    // All or nothing: a failing condition on one item cancels the other put.
    await expect(
      dynamo.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { pk: { S: 'tx#2' }, sk: { S: 'a' } } } },
            {
              Put: {
                TableName: table,
                Item: { pk: { S: 'tx#1' }, sk: { S: 'a' } },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      ),
    ).rejects.toMatchObject({ name: 'TransactionCanceledException' });
    const a2 = await dynamo.send(new GetItemCommand({ TableName: table, Key: { pk: { S: 'tx#2' }, sk: { S: 'a' } } }));
    expect(a2.Item).toBeUndefined();
  });
});

describe('S3 emulator', () => {
  const s3 = testS3Client();
  let bucket: string;

  beforeAll(async () => {
    bucket = await createTestBucket('engines');
  });

  it('keeps bodies byte-exact, also streamed ones with non-ASCII text', async () => {
    const text = 'Pöll résults — 投票 ✓ «quoted»\n'.repeat(200);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/plain.txt', Body: text }));
    // A stream of unknown length is what the SDK would send aws-chunked without the fix.
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: 'a/streamed.txt',
        Body: Readable.from([Buffer.from(text, 'utf8')]),
        ContentLength: Buffer.byteLength(text),
      }),
    );
    for (const key of ['a/plain.txt', 'a/streamed.txt']) {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const bytes = Buffer.from(await got.Body!.transformToByteArray());
      expect(bytes.equals(Buffer.from(text, 'utf8'))).toBe(true);
    }
  });

  it('pages ListObjectsV2 with continuation tokens', async () => {
    const keys = Array.from({ length: 12 }, (_, i) => `page/${String(i).padStart(3, '0')}.json`);
    await Promise.all(keys.map((Key) => s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body: '{}' }))));

    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: 'page/', MaxKeys: 5, ContinuationToken: token }),
      );
      pages += 1;
      seen.push(...(page.Contents ?? []).map((o) => o.Key!));
      expect(page.KeyCount).toBe(page.Contents?.length);
      if (token) expect(page.ContinuationToken).toBe(token);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (page.IsTruncated) expect(token).toBeDefined();
    } while (token);

    expect(pages).toBe(3);
    expect(seen).toEqual(keys);
  });

  it('rejects a continuation token for another bucket', async () => {
    const other = await createTestBucket('engines-other');
    const first = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1 }));
    expect(first.IsTruncated).toBe(true);
    await expect(
      s3.send(new ListObjectsV2Command({ Bucket: other, ContinuationToken: first.NextContinuationToken })),
    ).rejects.toMatchObject({ name: 'InvalidArgument' });
  });
});

describe('S3 emulator notifications', () => {
  let dataDir: string;
  let emulator: Awaited<ReturnType<typeof startS3Emulator>>;
  let s3: S3Client;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'engines-test-'));
    emulator = await startS3Emulator({ dataDir, buckets: ['inbox'] });
    s3 = new S3Client(localS3ClientConfig(emulator.endpoint));
  });

  afterAll(async () => {
    s3.destroy();
    await emulator.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reports object creations, not deletions', async () => {
    const events: ObjectCreatedEvent[] = [];
    emulator.onObjectCreated((e) => events.push(e));
    await ensureBucket(s3, 'inbox'); // already there: idempotent

    await s3.send(new PutObjectCommand({ Bucket: 'inbox', Key: 'incoming/a b/ü.txt', Body: 'héllo' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'inbox', Key: 'incoming/a b/ü.txt' }));
    // The deletion's would-be notification is ordered behind this later creation's.
    await s3.send(new PutObjectCommand({ Bucket: 'inbox', Key: 'incoming/later.txt', Body: 'x' }));
    await waitFor(() => events.some((e) => e.key === 'incoming/later.txt'), {
      description: 'the notification of the later creation',
    });

    expect(events).toEqual([
      {
        bucket: 'inbox',
        key: 'incoming/a b/ü.txt',
        size: Buffer.byteLength('héllo'),
        eTag: expect.stringMatching(/^[0-9a-f]{32}$/),
      },
      { bucket: 'inbox', key: 'incoming/later.txt', size: 1, eTag: expect.stringMatching(/^[0-9a-f]{32}$/) },
    ]);
  });
});
