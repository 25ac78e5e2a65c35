/**
 * The bans on the table, against a mocked DynamoDB: the list of bans in force read from its one
 * item, rewritten whole in one transaction with the reader's history entry, conditional on the
 * version read; another editor's write coming first makes the domain read and try again.
 */
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { StoredItemError } from '../../../shared/adapters/aws/stored-item';
import { readBanList } from '../../../shared/adapters/identity/dynamo-ban-list';
import { DynamoReaderBans } from '../../../shared/adapters/identity/dynamo-reader-bans';
import { BAN_RULES, banReader, unbanReader, type BanRecord } from '../../../shared/identity/reader-bans';

const TABLE = 'news';
const dynamo = mockClient(DynamoDBDocumentClient);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const bans = new DynamoReaderBans(db, TABLE);
const LIST_KEY = { pk: 'READER_BANS', sk: 'ACTIVE' };
const NOW = new Date('2026-03-02T10:00:00.000Z');
const clock = { now: () => NOW };
const HOUR = 3_600_000;

const listItem = (bans: unknown[], version: number) => ({ Item: { ...LIST_KEY, bans, version } });
const record: BanRecord = {
  readerId: 'reader-0001',
  action: 'banned',
  until: null,
  reason: 'Spam',
  by: 'editor-1',
  at: NOW.toISOString(),
};
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
const transactions = () =>
  dynamo.commandCalls(TransactWriteCommand).map((call): TransactWriteCommandInput => call.args[0].input);

beforeEach(() => dynamo.reset());

describe('readBanList', () => {
  it('reads the one list item, eventually consistent for the reader routes and strongly for editors', async () => {
    dynamo.on(GetCommand).resolves(listItem([{ readerId: 'reader-0001', until: null }], 3));

    const list = await readBanList(db, TABLE, false);
    await bans.read();

    expect(list).toEqual({ entries: [{ readerId: 'reader-0001', until: null }], version: 3 });
    expect(dynamo.commandCalls(GetCommand).map((call) => call.args[0].input)).toEqual([
      { TableName: TABLE, Key: LIST_KEY, ConsistentRead: false },
      { TableName: TABLE, Key: LIST_KEY, ConsistentRead: true },
    ]);
  });

  it('reads no item as an empty list at version 0', async () => {
    dynamo.on(GetCommand).resolves({});

    await expect(readBanList(db, TABLE, false)).resolves.toEqual({ entries: [], version: 0 });
  });

  it.each([
    ['bans that are not a list', { ...LIST_KEY, bans: { '__proto__-ish': null }, version: 1 }],
    ['an entry without a reader id', { ...LIST_KEY, bans: [{ until: null }], version: 1 }],
    [
      'an entry whose end is text',
      { ...LIST_KEY, bans: [{ readerId: 'secret-reader-42', until: 'soon' }], version: 1 },
    ],
    ['no version', { ...LIST_KEY, bans: [] }],
    ['no bans attribute', { ...LIST_KEY, version: 2 }],
  ])('refuses a list item with %s, naming the item but none of its values', async (_case, item) => {
    dynamo.on(GetCommand).resolves({ Item: item });

    const error = await readBanList(db, TABLE, false).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(StoredItemError);
    expect((error as Error).message).toMatch(/^Stored item READER_BANS \/ ACTIVE is malformed/);
    expect((error as Error).message).not.toContain('secret-reader-42');
  });
});

describe('DynamoReaderBans.replace', () => {
  it('writes the first list and the history entry in one transaction, the list only if there was none', async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    const written = await bans.replace([{ readerId: 'reader-0001', until: null }], 0, record);

    expect(written).toBe(true);
    expect(transactions()).toEqual([
      {
        TransactItems: [
          {
            Put: {
              TableName: TABLE,
              Item: { ...LIST_KEY, bans: [{ readerId: 'reader-0001', until: null }], version: 1 },
              ExpressionAttributeNames: { '#version': 'version' },
              ConditionExpression: 'attribute_not_exists(#version)',
            },
          },
          {
            Put: {
              TableName: TABLE,
              Item: { pk: 'READER#reader-0001', sk: `BAN#${NOW.toISOString()}#banned`, ...record },
              ConditionExpression: 'attribute_not_exists(#pk)',
              ExpressionAttributeNames: { '#pk': 'pk' },
            },
          },
        ],
      },
    ]);
  });

  it('writes a later list only if it is still at the version read', async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    await bans.replace([], 7, { ...record, action: 'unbanned', reason: null });

    expect(transactions()[0]!.TransactItems![0]!.Put).toMatchObject({
      Item: { ...LIST_KEY, bans: [], version: 8 },
      ConditionExpression: '#version = :version',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':version': 7 },
    });
    expect(transactions()[0]!.TransactItems![1]!.Put!.Item).toMatchObject({
      sk: `BAN#${NOW.toISOString()}#unbanned`,
    });
  });

  it.each([
    ['the list moved on', ['ConditionalCheckFailed', 'None']],
    ['another transaction was writing it', ['TransactionConflict', 'None']],
    ['the history entry of that millisecond exists', ['None', 'ConditionalCheckFailed']],
  ])('answers false, writing nothing, when %s', async (_case, codes) => {
    dynamo.on(TransactWriteCommand).rejects(cancelled(...codes));

    await expect(bans.replace([], 1, record)).resolves.toBe(false);
  });

  it('throws any other failure', async () => {
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelled('ValidationError', 'None')).rejects(new Error('network'));

    await expect(bans.replace([], 1, record)).rejects.toThrow('Transaction cancelled');
    await expect(bans.replace([], 1, record)).rejects.toThrow('network');
  });
});

describe('banning and lifting through the table', () => {
  it('reads again and writes on the new version when another editor’s write came first, keeping their ban', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce(listItem([], 4))
      .resolves(listItem([{ readerId: 'other-0001', until: null }], 5));
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelled('ConditionalCheckFailed', 'None')).resolves({});

    await banReader({ bans, clock }, { readerId: 'reader-0001', until: null, reason: null, editor: 'editor-1' });

    const [first, second] = transactions().map((input) => input.TransactItems![0]!.Put!);
    expect(first).toMatchObject({ ExpressionAttributeValues: { ':version': 4 } });
    expect(second).toMatchObject({
      Item: {
        bans: [
          { readerId: 'other-0001', until: null },
          { readerId: 'reader-0001', until: null },
        ],
        version: 6,
      },
      ExpressionAttributeValues: { ':version': 5 },
    });
  });

  it('drops expired bans from the list it writes', async () => {
    dynamo.on(GetCommand).resolves(
      listItem(
        [
          { readerId: 'expired-0001', until: NOW.getTime() - 1 },
          { readerId: 'lasting-0001', until: NOW.getTime() + HOUR },
        ],
        2,
      ),
    );
    dynamo.on(TransactWriteCommand).resolves({});

    await banReader({ bans, clock }, { readerId: 'reader-0001', until: null, reason: null, editor: 'editor-1' });

    expect(transactions()[0]!.TransactItems![0]!.Put!.Item!.bans).toEqual([
      { readerId: 'lasting-0001', until: NOW.getTime() + HOUR },
      { readerId: 'reader-0001', until: null },
    ]);
  });

  it(`refuses a ban beyond ${BAN_RULES.maxActiveBans} in force, writing nothing`, async () => {
    const full = Array.from({ length: BAN_RULES.maxActiveBans }, (_, i) => ({
      readerId: `reader-${i}-full`,
      until: null,
    }));
    dynamo.on(GetCommand).resolves(listItem(full, 9));

    await expect(
      banReader({ bans, clock }, { readerId: 'one-too-many', until: null, reason: null, editor: 'editor-1' }),
    ).rejects.toMatchObject({ statusCode: 409, code: 'ban_list_full' });
    expect(transactions()).toEqual([]);
  });

  it('lifts a ban with one transaction, and nothing at all for a reader who is not banned', async () => {
    dynamo.on(GetCommand).resolves(listItem([{ readerId: 'reader-0001', until: null }], 2));
    dynamo.on(TransactWriteCommand).resolves({});

    const lifted = await unbanReader({ bans, clock }, { readerId: 'reader-0001', editor: 'editor-1' });
    const again = await unbanReader({ bans, clock }, { readerId: 'reader-0002', editor: 'editor-1' });

    expect([lifted, again]).toEqual([true, false]);
    expect(transactions()).toHaveLength(1);
    expect(transactions()[0]!.TransactItems![0]!.Put!.Item!.bans).toEqual([]);
  });
});

describe('what editors read of a reader', () => {
  it('the ban in force, from a consistent read of the list', async () => {
    dynamo.on(GetCommand).resolves(
      listItem(
        [
          { readerId: 'reader-0001', until: NOW.getTime() + HOUR },
          { readerId: 'expired-0001', until: NOW.getTime() },
        ],
        3,
      ),
    );

    expect(await bans.activeBan('reader-0001', NOW)).toEqual({ until: new Date(NOW.getTime() + HOUR) });
    expect(await bans.activeBan('expired-0001', NOW)).toBeNull();
    expect(await bans.activeBan('__proto__', NOW)).toBeNull();
  });

  it('the history, newest first, from a query of the reader’s partition', async () => {
    const older = { ...record, at: '2026-03-01T10:00:00.000Z' };
    const newer = { ...record, action: 'unbanned' as const, reason: null };
    dynamo.on(QueryCommand).resolves({
      Items: [
        { pk: 'READER#reader-0001', sk: `BAN#${newer.at}#unbanned`, ...newer },
        { pk: 'READER#reader-0001', sk: `BAN#${older.at}#banned`, ...older },
      ],
    });

    const history = await bans.banHistory('reader-0001');

    expect(history).toEqual([newer, older]);
    expect(dynamo.commandCalls(QueryCommand)[0]!.args[0].input).toEqual({
      TableName: TABLE,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
      ExpressionAttributeValues: { ':pk': 'READER#reader-0001', ':prefix': 'BAN#' },
      ScanIndexForward: false,
      Limit: 100,
      ConsistentRead: true,
    });
  });

  it('refuses a malformed history entry without naming the reader, whose id is never logged', async () => {
    dynamo.on(QueryCommand).resolves({
      Items: [{ pk: 'READER#secret-reader-42', sk: 'BAN#x#banned', ...record, readerId: 'secret-reader-42', by: 7 }],
    });

    const error = await bans.banHistory('secret-reader-42').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(StoredItemError);
    expect((error as Error).message).toContain('by');
    expect((error as Error).message).not.toContain('secret-reader-42');
  });
});
