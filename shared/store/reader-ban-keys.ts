/**
 * Item keys of reader bans on the single table:
 *
 * | item                         | pk                   | sk                         | written by               |
 * |------------------------------|----------------------|----------------------------|--------------------------|
 * | the list of bans in force    | `READER_BANS`        | `ACTIVE`                   | ban-reader, unban-reader |
 * | a reader's ban history entry | `READER#<readerId>`  | `BAN#<ISO time>#<action>`  | ban-reader, unban-reader |
 *
 * Every reader write reads the list (cached for a second per function instance), so it is one
 * item rather than one per reader: a function instance learns of every ban with one read. Its
 * entries are a DynamoDB List of maps `{ readerId, until }`, never a map keyed by reader id: a
 * reader id may be `__proto__`, which must never become a key of a plain object. No stream filter
 * selects these keys (shared/store/stream-filters): no stream consumer sees a ban.
 */
import { TABLE_KEYS } from './table-design';

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

/** The key of the list of bans in force; its own export, as every reader route reads it and nothing else here. */
export const BAN_LIST_KEY = { [PK]: 'READER_BANS', [SK]: 'ACTIVE' } as const;

export const banHistoryKeys = {
  partition: (readerId: string) => `READER#${readerId}`,
  prefix: 'BAN#',
  /** `at` is an ISO time, so a reader's history sorts by time. */
  sort: (at: string, action: 'banned' | 'unbanned') => `BAN#${at}#${action}`,
} as const;
