/** The local stack's TTL sweeper against DynamoDB Local, which keeps expired items forever by itself. */
import { PutItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { TtlSweeper } from '../../infra/local/ttl-sweeper';
import { createTestTable, testDynamoClient } from '../support/engines';

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

  it('keeps sweeping every interval once started, until stopped', async () => {
    const tableName = await createTestTable('ttl-sweeper-loop');
    let clock = new Date(NOW);
    const sweeper = new TtlSweeper({ client: testDynamoClient(), tableName, intervalMs: 50, now: () => clock });
    await put(tableName, 'later', { N: String(nowSeconds + 3600) });
    sweeper.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(await remaining(tableName)).toEqual(['later']);

      clock = new Date(NOW.getTime() + 2 * 3600 * 1000);
      const deadline = Date.now() + 5000;
      while ((await remaining(tableName)).length > 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));

      expect(await remaining(tableName)).toEqual([]);
    } finally {
      await sweeper.stop();
    }
    await put(tableName, 'after-stop', { N: String(nowSeconds - 1) });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await remaining(tableName)).toEqual(['after-stop']);
  });
});
