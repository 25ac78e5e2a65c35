import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AlertPage, EditorAlert } from '../../alerts/alert-shapes';
import { editorAlertSchema } from '../../alerts/alert-shapes';
import type { EditorAlertStore } from '../../alerts/ports';
import { alertKeys } from '../../store/alert-keys';
import { decodeCursor } from '../../store/cursor';
import { GSI1, TABLE_KEYS } from '../../store/table-design';
import * as z from '../../validation';
import { isConditionFailure } from '../aws/condition-failure';
import { queryIndexPage } from '../aws/dynamo-index-page';
import { parseStoredItem } from '../aws/stored-item';

const { partitionKey: PK, sortKey: SK, timeToLive: TTL } = TABLE_KEYS;

const TIME = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z`;
const EVENT_ID = '[A-Za-z0-9-]{1,64}';

/** A cursor must be a key of the alert list: an alert's item and its list entry. */
const cursorSchema = z.strictObject({
  [PK]: z.string().check(z.regex(new RegExp(`^ALERT#${EVENT_ID}$`))),
  [SK]: z.literal(alertKeys.sort),
  [GSI1.partitionKey]: z.literal(alertKeys.list),
  [GSI1.sortKey]: z.string().check(z.regex(new RegExp(`^${TIME}#${EVENT_ID}$`))),
});

/** The editors' alerts on the single table; see `shared/store/alert-keys.ts` for the keys. */
export class DynamoEditorAlerts implements EditorAlertStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(alert: EditorAlert, expiresAt: Date): Promise<'recorded' | 'exists'> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            [PK]: alertKeys.partition(alert.id),
            [SK]: alertKeys.sort,
            [GSI1.partitionKey]: alertKeys.list,
            [GSI1.sortKey]: alertKeys.listSort(alert),
            [TTL]: Math.ceil(expiresAt.getTime() / 1000),
            ...alert,
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }),
      );
      return 'recorded';
    } catch (error) {
      if (isConditionFailure(error)) return 'exists';
      throw error;
    }
  }

  async list(query: { from: string; limit: number; cursor?: string }): Promise<AlertPage> {
    const { items, nextCursor } = await queryIndexPage(this.db, this.tableName, {
      index: GSI1,
      partition: alertKeys.list,
      sortKeyFrom: query.from,
      forward: false,
      limit: query.limit,
      ...(query.cursor === undefined ? {} : { startKey: decodeCursor(query.cursor, cursorSchema) }),
    });
    return { items: items.map(fromAlertItem), nextCursor };
  }
}

/** An alert from its item: the table's attributes taken off, the rest parsed as the alert it was. */
function fromAlertItem(item: Record<string, unknown>): EditorAlert {
  const {
    [PK]: _pk,
    [SK]: _sk,
    [GSI1.partitionKey]: _listPartition,
    [GSI1.sortKey]: _listSort,
    [TTL]: _expiresAt,
    ...fields
  } = item;
  return parseStoredItem(editorAlertSchema, fields, item);
}
