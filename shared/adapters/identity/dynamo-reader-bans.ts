import { QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { banRecordSchema } from '../../identity/identity-shapes';
import {
  inForce,
  type ActiveBan,
  type BanEntry,
  type BanList,
  type BanListStore,
  type BanRecord,
  type ReaderBans,
} from '../../identity/reader-bans';
import { BAN_LIST_KEY, banHistoryKeys } from '../../store/reader-ban-keys';
import { TABLE_KEYS } from '../../store/table-design';
import { isConditionFailure } from '../aws/condition-failure';
import { parseStoredItem } from '../aws/stored-item';
import { readBanList } from './dynamo-ban-list';

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

/** The most history entries `banHistory` returns, newest first. */
export const BAN_HISTORY_LIMIT = 100;

/**
 * The bans on the table, for editors: the list of bans in force (one item, rewritten whole,
 * conditional on its `version`) and each reader's history (`READER#<readerId>` / `BAN#<at>#<action>`).
 * Reads are strongly consistent: an editor sees the ban they just wrote.
 *
 * - `get`: the list; `put`: a change of the list and its history entry, in one transaction.
 * - `query`: a reader's history (`banHistory`, for the moderation view).
 */
export class DynamoReaderBans implements BanListStore, ReaderBans {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  read(): Promise<BanList> {
    return readBanList(this.db, this.tableName, true);
  }

  async replace(entries: readonly BanEntry[], expectedVersion: number, record: BanRecord): Promise<boolean> {
    const list = {
      TableName: this.tableName,
      Item: { ...BAN_LIST_KEY, bans: entries, version: expectedVersion + 1 },
      ExpressionAttributeNames: { '#version': 'version' },
      // Version 0: there was no list, and none may have appeared meanwhile.
      ...(expectedVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(#version)' }
        : { ConditionExpression: '#version = :version', ExpressionAttributeValues: { ':version': expectedVersion } }),
    };
    const history = {
      TableName: this.tableName,
      Item: {
        [PK]: banHistoryKeys.partition(record.readerId),
        [SK]: banHistoryKeys.sort(record.at, record.action),
        ...record,
      },
      // Two entries of one reader in the same millisecond: the later is refused and tried again.
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': PK },
    };
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [{ Put: list }, { Put: history }] }));
      return true;
    } catch (error) {
      if (anotherWriteCameFirst(error)) return false;
      throw error;
    }
  }

  async activeBan(readerId: string, now: Date): Promise<ActiveBan | null> {
    const { entries } = await this.read();
    const entry = entries.find((candidate) => candidate.readerId === readerId);
    if (!entry || !inForce(entry, now.getTime())) return null;
    return { until: entry.until === null ? null : new Date(entry.until) };
  }

  /** The reader's bans and liftings, newest first (at most {@link BAN_HISTORY_LIMIT}). */
  async banHistory(readerId: string): Promise<BanRecord[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
        ExpressionAttributeValues: {
          ':pk': banHistoryKeys.partition(readerId),
          ':prefix': banHistoryKeys.prefix,
        },
        ScanIndexForward: false,
        Limit: BAN_HISTORY_LIMIT,
        ConsistentRead: true,
      }),
    );
    return Items.map(({ [PK]: _pk, [SK]: sk, ...fields }: Record<string, unknown>) =>
      // The key names the item without its reader id, which is never logged.
      parseStoredItem(banRecordSchema, fields, { [PK]: banHistoryKeys.partition('…'), [SK]: sk }),
    );
  }
}

/**
 * The transaction was cancelled only because the list moved on (its version condition), another
 * transaction was writing it at that moment, or the reader's history entry of that millisecond
 * exists: reading the list again and retrying is the answer to each.
 */
function anotherWriteCameFirst(error: unknown): boolean {
  if (isConditionFailure(error)) return true;
  const { name, CancellationReasons } = error as { name?: string; CancellationReasons?: { Code?: string }[] };
  return (
    name === 'TransactionCanceledException' &&
    Array.isArray(CancellationReasons) &&
    CancellationReasons.some(
      (reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict',
    ) &&
    CancellationReasons.every((reason) =>
      ['ConditionalCheckFailed', 'TransactionConflict', 'None', undefined].includes(reason.Code),
    )
  );
}
