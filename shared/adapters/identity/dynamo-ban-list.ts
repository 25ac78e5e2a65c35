import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BanEntry, BanList } from '../../identity/reader-bans';
import { BAN_LIST_KEY } from '../../store/reader-ban-keys';
import { StoredItemError } from '../aws/stored-item';

/**
 * The list of bans in force, from its one item `{ bans: [{ readerId, until }], version }` (no
 * item: no ban yet, version 0). Every reader write reads it (through a cache, see
 * `readerAuthenticatorFromEnvironment`), so it is checked by hand, not with a schema: a schema
 * would be built in every reader route's bundle, whose bytes are budgeted.
 */
export async function readBanList(
  db: DynamoDBDocumentClient,
  tableName: string,
  consistent: boolean,
): Promise<BanList> {
  const { Item = { bans: [], version: 0 } } = await db.send(
    new GetCommand({ TableName: tableName, Key: BAN_LIST_KEY, ConsistentRead: consistent }),
  );
  const { bans, version } = Item as { bans?: unknown; version?: unknown };
  if (Array.isArray(bans) && bans.every(isEntry) && Number.isInteger(version)) {
    return { entries: bans, version: version as number };
  }
  throw new StoredItemError(BAN_LIST_KEY, [{ path: '', message: 'Not { bans: [{ readerId, until }], version }' }]);
}

const isEntry = (entry: BanEntry | null): entry is BanEntry =>
  typeof entry?.readerId === 'string' && (entry.until === null || Number.isFinite(entry.until));
