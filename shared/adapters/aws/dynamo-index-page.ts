import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { encodeCursor } from '../../store/cursor';
import { TABLE_KEYS, type GlobalIndexDesign } from '../../store/table-design';

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

/**
 * One page of a query on a global index: which partition, optionally which sort keys (those with a
 * prefix, or those from a bound on), which way.
 */
export interface IndexPageQuery {
  index: GlobalIndexDesign;
  partition: string;
  sortKeyPrefix?: string;
  /** Only sort keys at or after this one (`>=`); not with `sortKeyPrefix`. */
  sortKeyFrom?: string;
  forward: boolean;
  limit: number;
  /** Where the previous page ended: its cursor, decoded and checked by the caller. */
  startKey?: Record<string, unknown>;
}

/**
 * One page of items of an index partition. It reads one item past the page, so a cursor is given
 * only when more follows (a client never gets an empty last page), and the cursor is the last
 * item's key (table and index keys): an item that arrives while a client pages is never returned
 * twice. A query returns at most 1 MB, so large items can cut a read short: it reads on until the
 * page and its look-ahead item are there, or the partition ends.
 */
export async function queryIndexPage(
  db: DynamoDBDocumentClient,
  tableName: string,
  query: IndexPageQuery,
): Promise<{ items: Record<string, unknown>[]; nextCursor: string | null }> {
  const { index } = query;
  const sortKeyCondition =
    query.sortKeyPrefix !== undefined
      ? { expression: ' AND begins_with(#isk, :sortKey)', value: query.sortKeyPrefix }
      : query.sortKeyFrom !== undefined
        ? { expression: ' AND #isk >= :sortKey', value: query.sortKeyFrom }
        : null;
  const items: Record<string, unknown>[] = [];
  let startKey = query.startKey;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: index.indexName,
        KeyConditionExpression: `#ipk = :partition${sortKeyCondition?.expression ?? ''}`,
        ExpressionAttributeNames: {
          '#ipk': index.partitionKey,
          ...(sortKeyCondition ? { '#isk': index.sortKey } : {}),
        },
        ExpressionAttributeValues: {
          ':partition': query.partition,
          ...(sortKeyCondition ? { ':sortKey': sortKeyCondition.value } : {}),
        },
        ScanIndexForward: query.forward,
        Limit: query.limit + 1 - items.length,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey && items.length <= query.limit);
  const shown = items.slice(0, query.limit);
  const last = shown.at(-1);
  const nextCursor =
    items.length > query.limit && last
      ? encodeCursor({
          [PK]: last[PK],
          [SK]: last[SK],
          [index.partitionKey]: last[index.partitionKey],
          [index.sortKey]: last[index.sortKey],
        })
      : null;
  return { items: shown, nextCursor };
}
