/** The local stack's TTL sweeper against DynamoDB Local, which keeps expired items forever by itself. */
import { PutItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { TtlSweeper } from '../../infra/local/ttl-sweeper';
import { createTestTable, testDynamoClient } from '../support/engines';
import { waitFor } from '../support/wait-for';

const NOW = new Date('2026-06-01T00:00:00.000Z');
const nowSeconds = NOW.getTime() / 1000;

async function put(tableName: string, sk: string, expiresAt?: AttributeValue): Promise<void> {
  await testDynamoClient().send(
    new PutItemCommand({
      TableName: tableName,
      Item: { pk: { S: 'ITEM' }, sk: { S: sk }, ...(expiresAt ? { expiresAt } : {}) },
    }),
  );
}

async function remaining(tableName: string): Promise<string[]> {
  const out = await testDynamoClient().send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
  return (out.Items ?? []).map((item) => item.sk!.S!).sort();
}

describe('TtlSweeper', () => {
  it('deletes exactly the items whose TTL has passed, as AWS TTL would', async () => {
    const tableName = await createTestTable('ttl-sweeper');
    await put(tableName, 'expired', { N: String(nowSeconds - 60) });
    await put(tableName, 'expires-this-second', { N: String(nowSeconds) });
    await put(tableName, 'future', { N: String(nowSeconds + 60) });
    await put(tableName, 'no-ttl');
    await put(tableName, 'ttl-as-text', { S: String(nowSeconds - 60) });
    await put(tableName, 'older-than-five-years', { N: String(nowSeconds - 6 * 365 * 24 * 3600) });

    const deleted = await new TtlSweeper({ client: testDynamoClient(), tableName, now: () => NOW }).sweep();

    expect(deleted).toBe(2);
    expect(await remaining(tableName)).toEqual(['future', 'no-ttl', 'older-than-five-years', 'ttl-as-text']);
  });

  it('pages through a table larger than one scan page', async () => {
    const tableName = await createTestTable('ttl-sweeper-pages');
    // Items of ~20 KB each: 60 of them exceed the 1 MB a scan page holds.
    const padding = 'x'.repeat(20_000);
    for (let i = 0; i < 60; i++) {
      await testDynamoClient().send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            pk: { S: 'ITEM' },
            sk: { S: `i${String(i).padStart(2, '0')}` },
            expiresAt: { N: String(nowSeconds - 1) },
            padding: { S: padding },
          },
        }),
      );
    }

    const deleted = await new TtlSweeper({ client: testDynamoClient(), tableName, now: () => NOW }).sweep();

    expect(deleted).toBe(60);
    expect(await remaining(tableName)).toEqual([]);
  });

  it('sweeps again every interval once started: expired items go, unexpired ones stay', async () => {
    const tableName = await createTestTable('ttl-sweeper-loop');
    let clock = new Date(NOW);
    let sweeps = 0;
    const now = () => (sweeps++, clock);
    const sweeper = new TtlSweeper({ client: testDynamoClient(), tableName, intervalMs: 50, now });
    await put(tableName, 'in-one-hour', { N: String(nowSeconds + 3600) });
    await put(tableName, 'in-three-hours', { N: String(nowSeconds + 3 * 3600) });
    sweeper.start();
    try {
      await waitFor(() => sweeps >= 1, { description: 'the first sweep' });
      const before = sweeps;

      clock = new Date(NOW.getTime() + 2 * 3600 * 1000);
      await waitFor(async () => !(await remaining(tableName)).includes('in-one-hour'), {
        description: 'a later sweep to delete the item that expired an hour ago',
      });

      expect(sweeps).toBeGreaterThan(before);
      expect(await remaining(tableName)).toEqual(['in-three-hours']);
    } finally {
      await sweeper.stop();
    }
  });

  it('sweeps no more once stopped', async () => {
    const tableName = await createTestTable('ttl-sweeper-stop');
    let stoppedSweeps = 0;
    const stopped = new TtlSweeper({
      client: testDynamoClient(),
      tableName,
      intervalMs: 20,
      now: () => (stoppedSweeps++, NOW),
    });
    stopped.start();
    await waitFor(() => stoppedSweeps >= 1, { description: 'the first sweep' });
    await stopped.stop();
    const sweepsAtStop = stoppedSweeps;
    await put(tableName, 'expired-after-stop', { N: String(nowSeconds - 1) });

    // A running sweeper with the same interval is the clock: three of its sweeps are three
    // intervals in which the stopped one would have swept, had it not stopped.
    let runningSweeps = 0;
    const running = new TtlSweeper({
      client: testDynamoClient(),
      tableName: await createTestTable('ttl-sweeper-running'),
      intervalMs: 20,
      now: () => (runningSweeps++, NOW),
    });
    running.start();
    try {
      await waitFor(() => runningSweeps >= 3, { description: 'three sweeps of the running sweeper' });
    } finally {
      await running.stop();
    }

    expect(stoppedSweeps).toBe(sweepsAtStop);
    expect(await remaining(tableName)).toEqual(['expired-after-stop']);
  });
});
