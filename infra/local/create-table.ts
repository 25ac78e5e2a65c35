import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { GLOBAL_INDEXES, TABLE_KEYS } from '../../shared/store/table-design';

/** How long to wait for the table and its indexes to become ACTIVE (instant on DynamoDB Local). */
const ACTIVE_TIMEOUT_MS = 30_000;

/**
 * Creates the application table from `shared/store/table-design.ts` if it does not exist, as
 * the CDK stack declares it: on-demand, string `pk`/`sk`, every global index with INCLUDE
 * projection of its non-key attributes, a stream with new and old images, and TTL on
 * `TABLE_KEYS.timeToLive`. Waits until the table is ACTIVE. Idempotent, also when several
 * callers race; an existing table is left as it is (no migration).
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  if (!(await describeTable(client, tableName))) {
    try {
      await client.send(new CreateTableCommand(tableDefinition(tableName)));
    } catch (err) {
      // Another caller created it between our describe and create.
      if (errorName(err) !== 'ResourceInUseException') throw err;
    }
  }
  await waitUntilActive(client, tableName);
  await ensureGlobalIndexes(client, tableName);
  await ensureTimeToLive(client, tableName);
}

/**
 * A data folder kept from an older version lacks indexes added since; add them one at a time
 * (DynamoDB allows one index creation per UpdateTable), as a CloudFormation update would.
 */
async function ensureGlobalIndexes(client: DynamoDBClient, tableName: string): Promise<void> {
  const definition = tableDefinition(tableName);
  for (;;) {
    const existing = new Set((await describeTable(client, tableName))?.GlobalSecondaryIndexes?.map((i) => i.IndexName));
    const missing = definition.GlobalSecondaryIndexes?.find((index) => !existing.has(index.IndexName));
    if (!missing) return;
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: definition.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: missing }],
      }),
    );
    await waitUntilActive(client, tableName);
  }
}

function tableDefinition(tableName: string): ConstructorParameters<typeof CreateTableCommand>[0] {
  // Every key attribute is a string in this design (index keys are composed strings too).
  const keyNames = new Set<string>([TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey]);
  for (const index of GLOBAL_INDEXES) keyNames.add(index.partitionKey).add(index.sortKey);
  const attributeDefinitions: AttributeDefinition[] = [...keyNames].map((name) => ({
    AttributeName: name,
    AttributeType: 'S',
  }));
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: attributeDefinitions,
    KeySchema: [
      { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: GLOBAL_INDEXES.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: index.nonKeyAttributes
        ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.nonKeyAttributes] }
        : { ProjectionType: 'ALL' },
    })),
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  };
}

async function describeTable(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}

/** Polls rather than using the SDK waiter, whose 20 s minimum delay is far too slow locally. */
async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + ACTIVE_TIMEOUT_MS;
  for (;;) {
    const table = await describeTable(client, tableName);
    const indexesActive = (table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (Date.now() > deadline) {
      throw new Error(`Table ${tableName} is not ACTIVE after ${ACTIVE_TIMEOUT_MS} ms (${table?.TableStatus})`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function ensureTimeToLive(client: DynamoDBClient, tableName: string): Promise<void> {
  const { TimeToLiveDescription: ttl } = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  if (ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING') return;
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TABLE_KEYS.timeToLive, Enabled: true },
      }),
    );
  } catch (err) {
    // A concurrent caller enabled it first: "TimeToLive is already enabled".
    if (!(errorName(err) === 'ValidationException' && /already enabled/i.test(String((err as Error).message)))) {
      throw err;
    }
  }
}

function errorName(err: unknown): string | undefined {
  return err instanceof Error ? err.name : undefined;
}
