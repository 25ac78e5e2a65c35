import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { batchGetItems } from '../aws/dynamo-batch-get';
import type { ErrorReportStore, ReportListing } from '../../error-reports/error-report-store';
import type { ErrorReportWithContact, ReportPage } from '../../error-reports/report-shapes';
import type { OpenCountChange } from '../../error-reports/report-changes';
import { articleIdOfReport } from '../../error-reports/report-id';
import { correlationAttribute } from '../../observability/correlation';
import { systemClock, type Clock } from '../../ports';
import { decodeCursor, encodeCursor } from '../../store/cursor';
import { APPLIED_MARKER_LIFETIME_SECONDS, GSI1, GSI2, TABLE_KEYS } from '../../store/table-design';
import * as z from '../../validation';
import { correctionKeys, articleKeys } from '../../store/article-keys';
import { reportKeys } from '../../store/report-keys';
import { conditionFailureItem, isConditionFailure } from '../aws/condition-failure';
import { parseStoredItem } from '../aws/stored-item';
import { errorReportSchema, type ErrorReport } from '../../error-reports/report-schema';

const { partitionKey: PK, sortKey: SK, timeToLive: TTL } = TABLE_KEYS;

/** Attempts when concurrent changes of one story collide on its counts item. */
const MAX_CONFLICT_ATTEMPTS = 5;

const ID = '[0-9a-f]{16}-[0-9a-f]{16}';
const TIME = '\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z';
/** What a report item holds beside the table's keys and bookkeeping. */
const REPORT_FIELDS = Object.keys(errorReportSchema.shape);

/** Error reports, their contacts and the story's open count and corrections, on the single table. */
export class DynamoErrorReports implements ErrorReportStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly clock: Clock = systemClock,
  ) {}

  async create(report: ErrorReport, contact: string | null): Promise<{ created: boolean; report: ErrorReport }> {
    const put = {
      TableName: this.tableName,
      Item: this.itemOf(report),
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': PK },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };
    try {
      if (contact === null) {
        await this.db.send(new PutCommand(put));
      } else {
        // Report and contact are written together or not at all, so a contact never outlives
        // its report unerased, and a retried first submission cannot store only half.
        const contactItem = {
          [PK]: articleKeys.partition(report.articleId),
          [SK]: reportKeys.contact(report.reportId),
          reportId: report.reportId,
          contact,
        };
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: put },
              {
                Put: {
                  TableName: this.tableName,
                  Item: contactItem,
                  ConditionExpression: 'attribute_not_exists(#pk)',
                  ExpressionAttributeNames: { '#pk': PK },
                },
              },
            ],
          }),
        );
      }
      return { created: true, report };
    } catch (error) {
      const existing = conditionFailureItem(error, 0);
      if (existing === undefined) throw error;
      return {
        created: false,
        report: existing ? errorReportOf(existing) : await this.requireExisting(report.reportId),
      };
    }
  }

  async get(reportId: string): Promise<ErrorReport | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: this.reportKey(reportId), ConsistentRead: true }),
    );
    return out.Item ? errorReportOf(out.Item) : null;
  }

  async getWithContact(reportId: string, now: Date): Promise<ErrorReportWithContact | null> {
    const partition = articleKeys.partition(articleIdOfReport(reportId));
    const items = await batchGetItems(
      this.db,
      this.tableName,
      [this.reportKey(reportId), { [PK]: partition, [SK]: reportKeys.contact(reportId) }],
      { consistentRead: true },
    );
    const reportItem = items.find((item) => item[SK] === reportKeys.report(reportId));
    if (!reportItem) return null;
    const contactItem = items.find((item) => item[SK] === reportKeys.contact(reportId));
    // DynamoDB TTL deletes some time after expiry; an expired contact is already gone to readers.
    const expired = typeof contactItem?.[TTL] === 'number' && contactItem[TTL] <= now.getTime() / 1000;
    const contact = contactItem && !expired ? String(contactItem.contact) : null;
    return { ...errorReportOf(reportItem), contact };
  }

  async list(listing: ReportListing): Promise<ReportPage> {
    const byArticle = listing.articleId !== undefined;
    const index = byArticle ? GSI2 : GSI1;
    const partition = byArticle ? reportKeys.byArticle(listing.articleId!) : reportKeys.byStatus(listing.status);
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: byArticle ? '#ipk = :p AND begins_with(#isk, :status)' : '#ipk = :p',
        ExpressionAttributeNames: { '#ipk': index.partitionKey, ...(byArticle ? { '#isk': index.sortKey } : {}) },
        ExpressionAttributeValues: { ':p': partition, ...(byArticle ? { ':status': `${listing.status}#` } : {}) },
        ScanIndexForward: false,
        Limit: listing.limit,
        ...(listing.cursor ? { ExclusiveStartKey: decodeCursor(listing.cursor, cursorSchema(listing)) } : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map(errorReportOf),
      nextCursor: out.LastEvaluatedKey ? encodeCursor(out.LastEvaluatedKey) : null,
    };
  }

  async move(previous: ErrorReport, next: ErrorReport): Promise<boolean> {
    const put = {
      TableName: this.tableName,
      Item: this.itemOf(next),
      ConditionExpression: '#status = :from AND #version = :version',
      ExpressionAttributeNames: { '#status': 'status', '#version': 'statusVersion' },
      ExpressionAttributeValues: { ':from': previous.status, ':version': previous.statusVersion },
    };
    try {
      if (next.status === 'corrected' && next.correction) {
        // The correction reaches the story in the same write that closes the report: a retry
        // after a failure either finds both done (and gets a 409) or neither.
        const entry = { ...next.correction, reportId: next.reportId };
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: put },
              {
                Update: {
                  TableName: this.tableName,
                  Key: { [PK]: articleKeys.partition(next.articleId), [SK]: correctionKeys.sort },
                  UpdateExpression: 'SET #list = list_append(if_not_exists(#list, :empty), :entry)',
                  ExpressionAttributeNames: { '#list': correctionKeys.list },
                  ExpressionAttributeValues: { ':empty': [], ':entry': [entry] },
                },
              },
            ],
          }),
        );
      } else {
        await this.db.send(new PutCommand(put));
      }
      return true;
    } catch (error) {
      if (conditionFailureItem(error, 0) !== undefined) return false;
      throw error;
    }
  }

  /**
   * Adds a report's change to the story's `counts.errorReports` with `ADD`, in one transaction
   * with a marker named by the report and its status version (conditional on not existing): a
   * redelivered stream record finds the marker and changes nothing, while concurrent changes of
   * one story add up exactly, and no change needs the story's other reports.
   */
  async countOpenChange(change: OpenCountChange): Promise<boolean> {
    const partition = articleKeys.partition(change.articleId);
    const nowSeconds = Math.ceil(this.clock.now().getTime() / 1000);
    const command = new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: this.tableName,
            Item: {
              [PK]: partition,
              [SK]: reportKeys.openCountMarker(change.reportId, change.statusVersion),
              delta: change.delta,
              [TTL]: nowSeconds + APPLIED_MARKER_LIFETIME_SECONDS,
            },
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': PK },
          },
        },
        {
          Update: {
            TableName: this.tableName,
            Key: { [PK]: partition, [SK]: articleKeys.counts },
            UpdateExpression: 'ADD #count :delta',
            ExpressionAttributeNames: { '#count': 'errorReports' },
            ExpressionAttributeValues: { ':delta': change.delta },
          },
        },
      ],
    });
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(command);
        return true;
      } catch (error) {
        const reasons = (error as TransactionCanceledException).CancellationReasons;
        if ((error as Error | null)?.name !== 'TransactionCanceledException' || !reasons) throw error;
        if (reasons[0]?.Code === 'ConditionalCheckFailed') return false;
        // Another change of the story's counts was committing at the same moment: try again.
        const conflicted = reasons.some((reason) => reason.Code === 'TransactionConflict');
        if (!conflicted || attempt >= MAX_CONFLICT_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt * Math.random()));
      }
    }
  }

  /** Schedules the contact's erasure (the TTL attribute); nothing to do when there is none left. */
  async expireContact(reportId: string, expiresAt: number): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [PK]: articleKeys.partition(articleIdOfReport(reportId)), [SK]: reportKeys.contact(reportId) },
          UpdateExpression: 'SET #ttl = :at',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#ttl': TTL, '#pk': PK },
          ExpressionAttributeValues: { ':at': expiresAt },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  private reportKey(reportId: string): Record<string, string> {
    return { [PK]: articleKeys.partition(articleIdOfReport(reportId)), [SK]: reportKeys.report(reportId) };
  }

  private itemOf(report: ErrorReport): Record<string, unknown> {
    return {
      ...this.reportKey(report.reportId),
      [GSI1.partitionKey]: reportKeys.byStatus(report.status),
      [GSI1.sortKey]: reportKeys.byStatusSort(report),
      [GSI2.partitionKey]: reportKeys.byArticle(report.articleId),
      [GSI2.sortKey]: reportKeys.byArticleSort(report),
      ...report,
      ...correlationAttribute(),
    };
  }

  private async requireExisting(reportId: string): Promise<ErrorReport> {
    const existing = await this.get(reportId);
    if (!existing) throw new Error(`Report ${reportId} failed its condition but cannot be read`);
    return existing;
  }
}

/**
 * The stored item as a report, without keys or anything else the table keeps beside it. An
 * absent attribute reads as null, as it always has: a nullable field may be missing from an item,
 * while a missing required field fails the parse.
 *
 * @throws StoredItemError when the item is not a report
 */
export function errorReportOf(item: Record<string, unknown>): ErrorReport {
  const fields = Object.fromEntries(REPORT_FIELDS.map((field) => [field, item[field] ?? null]));
  return parseStoredItem(errorReportSchema, fields, item);
}

/** Listing cursors must be start keys of the very listing they are passed back to. */
function cursorSchema(listing: ReportListing) {
  const reportSk = z.string().check(z.regex(new RegExp(`^REPORT#${ID}$`)));
  if (listing.articleId !== undefined) {
    return z.strictObject({
      [PK]: z.literal(articleKeys.partition(listing.articleId)),
      [SK]: reportSk,
      [GSI2.partitionKey]: z.literal(reportKeys.byArticle(listing.articleId)),
      [GSI2.sortKey]: z.string().check(z.regex(new RegExp(`^${listing.status}#${TIME}#${ID}$`))),
    });
  }
  return z.strictObject({
    [PK]: z.string().check(z.regex(/^ARTICLE#[0-9a-f]{16}$/)),
    [SK]: reportSk,
    [GSI1.partitionKey]: z.literal(reportKeys.byStatus(listing.status)),
    [GSI1.sortKey]: z.string().check(z.regex(new RegExp(`^${TIME}#${ID}$`))),
  });
}
