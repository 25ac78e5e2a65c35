import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent, EventBridgeEvent, SQSEvent } from 'aws-lambda';
import { lambdaContext } from '../../support/api-events';
import { applyUpdate } from '../../support/apply-update';
import { deliverLikeLambda } from '../../support/lambda-stream-retry';
import { handlerHarness, type StreamBatchResult } from '../../support/handler-harness';
import { queueEvent } from '../../support/queue-events';
import { rememberPuts } from '../../support/remembering-bucket';
import { indexedArticle, metaItemOf } from '../../support/article-items';

const harness = handlerHarness({ env: { ERROR_REPORT_CONTACT_RETENTION_DAYS: '2' } });
const { dynamo, eventBridge, s3 } = harness;
type StreamHandler = (event: DynamoDBStreamEvent | SQSEvent, context: unknown) => Promise<StreamBatchResult>;
type EventHandler = (event: EventBridgeEvent<string, Record<string, unknown>>, context: unknown) => Promise<void>;
const followUp = harness.handler<StreamHandler>('follow-up-error-reports');
const publishCorrections = harness.handler<EventHandler>('publish-corrections');

beforeEach(() => {
  dynamo.reset();
  eventBridge.reset();
  s3.reset();
  dynamo.on(TransactWriteCommand).resolves({});
  dynamo.on(UpdateCommand).resolves({});
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
  // The bucket remembers what was put, so the render's check after writing sees the write.
  rememberPuts(s3);
});

const ARTICLE_ID = 'aaaaaaaaaaaaaaaa';
const REPORT_ID = `${ARTICLE_ID}-0000000000000001`;

function report(status: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    pk: `ARTICLE#${ARTICLE_ID}`,
    sk: `REPORT#${REPORT_ID}`,
    reportId: REPORT_ID,
    articleId: ARTICLE_ID,
    category: 'factual',
    description: 'The vote was on Sunday; write to me at reader@example.org',
    quote: null,
    status,
    hasContact: true,
    statusVersion: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    closedAt: null,
    correction: null,
    history: [],
    ...overrides,
  };
}

function record(sequence: string, next: Record<string, unknown>, previous?: Record<string, unknown>): DynamoDBRecord {
  const image = (item: Record<string, unknown>) => marshall(item, { removeUndefinedValues: true }) as never;
  return {
    eventID: sequence,
    eventName: previous ? 'MODIFY' : 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      SequenceNumber: sequence,
      Keys: image({ pk: next.pk, sk: next.sk }),
      NewImage: image(next),
      ...(previous ? { OldImage: image(previous) } : {}),
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  };
}

const publishedDetails = () =>
  eventBridge
    .commandCalls(PutEventsCommand)
    .flatMap((call) => call.args[0].input.Entries!.map((e) => ({ type: e.DetailType, detail: JSON.parse(e.Detail!) })));

describe('follow-up-error-reports (table stream)', () => {
  it('emits ErrorReportSubmitted under the correlation id of the request that wrote the report', async () => {
    await followUp(
      { Records: [record('1', report('received', { correlationId: 'req-trace-0003' }))] },
      lambdaContext(),
    );

    const [entry] = eventBridge.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries!;
    expect(entry).toEqual(
      expect.objectContaining({
        DetailType: 'ErrorReportSubmitted',
        Resources: ['newsroom:correlation-id/req-trace-0003'],
      }),
    );
  });

  it('on a new report: adds one to the open count, once for its status version, and emits ErrorReportSubmitted without any contact', async () => {
    const result = await followUp({ Records: [record('1', report('received'))] }, lambdaContext());

    expect(result.batchItemFailures).toEqual([]);
    const [marker, count] = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(marker!.Put).toMatchObject({
      Item: { pk: `ARTICLE#${ARTICLE_ID}`, sk: `OPENCOUNT#${REPORT_ID}#1`, delta: 1 },
      ConditionExpression: 'attribute_not_exists(#pk)',
    });
    expect(count!.Update!.Key).toEqual({ pk: `ARTICLE#${ARTICLE_ID}`, sk: 'COUNTS' });
    expect(applyUpdate({ comments: 3, errorReports: 2 }, count!.Update!)).toEqual({ comments: 3, errorReports: 3 });
    // Counted from the change alone: the story's other reports are not read.
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
    const [event] = publishedDetails();
    expect(event).toEqual({
      type: 'ErrorReportSubmitted',
      detail: {
        schemaVersion: 1,
        articleId: ARTICLE_ID,
        reportId: REPORT_ID,
        category: 'factual',
        excerpt: 'The vote was on Sunday; write to me at [e-mail]',
        submittedAt: '2026-01-01T00:00:00.000Z',
      },
    });
    expect(JSON.stringify(eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input))).not.toContain(
      'reader@example.org',
    );
  });

  it('takes a change whose count marker exists as counted, and still emits its event', async () => {
    dynamo.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
    );

    const result = await followUp({ Records: [record('1', report('received'))] }, lambdaContext());

    expect(result.batchItemFailures).toEqual([]);
    expect(dynamo).toHaveReceivedCommandTimes(TransactWriteCommand, 1);
    expect(publishedDetails().map((event) => event.type)).toEqual(['ErrorReportSubmitted']);
  });

  it("follows a batch in stream order, so a report's events leave in the order of its changes", async () => {
    // The submission waits on the count; the move that follows it in the stream does not.
    const records = [
      record('1', report('received')),
      record('2', report('reviewing', { statusVersion: 2 }), report('received')),
    ];

    const result = await followUp({ Records: records }, lambdaContext());

    expect(result.batchItemFailures).toEqual([]);
    expect(publishedDetails().map((event) => event.type)).toEqual(['ErrorReportSubmitted', 'ErrorReportUpdated']);
  });

  it('on received → reviewing: emits ErrorReportUpdated and leaves the count and the contact alone', async () => {
    await followUp(
      {
        Records: [
          record(
            '2',
            report('reviewing', { statusVersion: 2, updatedAt: '2026-01-02T00:00:00.000Z' }),
            report('received'),
          ),
        ],
      },
      lambdaContext(),
    );

    expect(dynamo).not.toHaveReceivedAnyCommand();
    expect(publishedDetails()).toEqual([
      {
        type: 'ErrorReportUpdated',
        detail: expect.objectContaining({
          status: 'reviewing',
          previousStatus: 'received',
          statusVersion: 2,
          updatedAt: '2026-01-02T00:00:00.000Z',
        }),
      },
    ]);
  });

  it('on closing: schedules the contact erasure after the retention, takes one from the open count and emits ErrorReportResolved with the correction', async () => {
    const closedAt = '2026-01-03T00:00:00.000Z';
    const correction = { text: 'The vote was on Sunday.', correctedAt: closedAt };

    await followUp(
      {
        Records: [
          record(
            '3',
            report('corrected', { statusVersion: 3, updatedAt: closedAt, closedAt, correction }),
            report('reviewing'),
          ),
        ],
      },
      lambdaContext(),
    );

    const expiry = dynamo
      .commandCalls(UpdateCommand)
      .map((call) => call.args[0].input)
      .find((input) => input.Key?.sk === `CONTACT#${REPORT_ID}`)!;
    expect(expiry).toMatchObject({
      Key: { pk: `ARTICLE#${ARTICLE_ID}` },
      ConditionExpression: 'attribute_exists(#pk)',
    });
    const contact = { pk: `ARTICLE#${ARTICLE_ID}`, sk: `CONTACT#${REPORT_ID}`, contact: 'reader@example.org' };
    expect(applyUpdate(contact, expiry)).toEqual({ ...contact, expiresAt: Date.parse(closedAt) / 1000 + 2 * 86_400 });
    const [marker, count] = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(marker!.Put!.Item).toMatchObject({ sk: `OPENCOUNT#${REPORT_ID}#3`, delta: -1 });
    expect(applyUpdate({ errorReports: 2 }, count!.Update!)).toEqual({ errorReports: 1 });
    expect(publishedDetails()).toEqual([
      {
        type: 'ErrorReportResolved',
        detail: expect.objectContaining({
          status: 'corrected',
          previousStatus: 'reviewing',
          resolvedAt: closedAt,
          correction,
        }),
      },
    ]);
  });

  it('treats an already erased contact as done', async () => {
    dynamo
      .on(UpdateCommand, { Key: { pk: `ARTICLE#${ARTICLE_ID}`, sk: `CONTACT#${REPORT_ID}` } })
      .rejects(new ConditionalCheckFailedException({ message: 'gone', $metadata: {} }));
    const closedAt = '2026-01-03T00:00:00.000Z';

    const result = await followUp(
      { Records: [record('3', report('rejected', { closedAt, updatedAt: closedAt }), report('received'))] },
      lambdaContext(),
    );

    expect(result.batchItemFailures).toEqual([]);
    expect(publishedDetails()[0]!.type).toBe('ErrorReportResolved');
  });

  it('does nothing when the status did not change (a redelivery or another write)', async () => {
    await followUp(
      { Records: [record('4', report('reviewing', { updatedAt: 'x' }), report('reviewing'))] },
      lambdaContext(),
    );

    expect(dynamo).not.toHaveReceivedAnyCommand();
    expect(eventBridge).not.toHaveReceivedAnyCommand();
  });

  it('fails the record with a StoredItemError, without effects, when its new image is not a whole report', async () => {
    const { category: _category, ...withoutCategory } = report('received', { statusVersion: 'one' });

    const result = followUp({ Records: [record('1', withoutCategory)] }, lambdaContext());

    await expect(result).rejects.toMatchObject({
      name: 'StoredItemError',
      key: { pk: `ARTICLE#${ARTICLE_ID}`, sk: `REPORT#${REPORT_ID}` },
      issues: [expect.objectContaining({ path: 'category' }), expect.objectContaining({ path: 'statusVersion' })],
    });
    // The reader's text stays out of the error, which the logs carry.
    await expect(result).rejects.not.toHaveProperty('message', expect.stringContaining('reader@example.org'));
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(eventBridge).not.toHaveReceivedCommand(PutEventsCommand);
  });

  it('stops at the first failed record and reports it and every record after it', async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: 'x' }] })
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'y' }] });
    const other = (n: number) => report('received', { reportId: `${ARTICLE_ID}-000000000000000${n}` });

    const result = await followUp(
      { Records: [record('5', report('received')), record('6', other(2)), record('7', other(3))] },
      lambdaContext(),
    );

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '6' }, { itemIdentifier: '7' }]);
    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 2);
  });

  it("keeps a report's events in the order of its changes, each once, across Lambda's redelivery", async () => {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] })
      .resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'y' }] });
    const closedAt = '2026-01-03T00:00:00.000Z';
    const records = [
      record('7', report('reviewing', { statusVersion: 2 }), report('received')),
      record('8', report('rejected', { statusVersion: 3, closedAt }), report('reviewing', { statusVersion: 2 })),
    ];

    const deliveries = await deliverLikeLambda(followUp, records);

    expect(deliveries.map((batch) => batch.map((r) => r.dynamodb!.SequenceNumber))).toEqual([
      ['7', '8'],
      ['7', '8'],
    ]);
    // The first attempt at the update failed; then the update and the resolution, once each.
    expect(publishedDetails().map((event) => event.type)).toEqual([
      'ErrorReportUpdated',
      'ErrorReportUpdated',
      'ErrorReportResolved',
    ]);
  });
});

describe('follow-up-error-reports (through its FIFO queue, one message group per report)', () => {
  it("holds back a report whose change failed, with its later changes, while other reports' go on", async () => {
    // The bus refuses the first report's events, however often they are sent.
    eventBridge
      .on(PutEventsCommand)
      .callsFake(async (input: { Entries: Array<{ Detail: string }> }) =>
        input.Entries[0]!.Detail.includes(`"reportId":"${REPORT_ID}"`)
          ? { FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] }
          : { FailedEntryCount: 0, Entries: [{ EventId: 'y' }] },
      );
    const otherId = `${ARTICLE_ID}-0000000000000002`;
    const other = report('received', { reportId: otherId, sk: `REPORT#${otherId}` });
    const records = [
      record('7', report('received')),
      record('8', other),
      record('9', report('reviewing', { statusVersion: 2 }), report('received')),
    ];
    const event = queueEvent(records);

    const result = await followUp(event, lambdaContext());

    expect(result.batchItemFailures).toEqual([0, 2].map((i) => ({ itemIdentifier: event.Records[i]!.messageId })));
    // The first report's submission was tried in the batch, with its report's changes, then alone;
    // nothing of its review; the other report's submission went out once.
    expect(publishedDetails().map((e) => [e.type, e.detail.reportId])).toEqual([
      ['ErrorReportSubmitted', REPORT_ID],
      ['ErrorReportSubmitted', REPORT_ID],
      ['ErrorReportSubmitted', REPORT_ID],
      ['ErrorReportSubmitted', otherId],
    ]);
  });
});

describe('publish-corrections (bus rule)', () => {
  // With the feed keys the index writes beside the article: the render must leave them out.
  const meta = {
    ...metaItemOf(
      indexedArticle({
        id: ARTICLE_ID,
        contentHash: 'c'.repeat(64),
        version: 2,
        updatedAt: '2026-01-02T00:00:00.000Z',
      }),
    ),
    feedPk: 'ARTICLES',
    feedSk: `2014-03-14T17:34:00.000Z#${ARTICLE_ID}`,
  };
  const resolved = (articleId: unknown): EventBridgeEvent<string, Record<string, unknown>> =>
    ({ 'detail-type': 'ErrorReportResolved', detail: { articleId, status: 'corrected' } }) as never;

  it('rewrites articles/<id>.json from the index item with the corrections, keeping the content hash', async () => {
    dynamo.on(BatchGetCommand).resolves({
      Responses: {
        'test-table': [
          meta,
          {
            sk: 'CORRECTIONS',
            corrections: [{ text: 'Fixed the date.', correctedAt: '2026-01-03T00:00:00.000Z', reportId: REPORT_ID }],
          },
        ],
      },
    });

    await publishCorrections(resolved(ARTICLE_ID), lambdaContext());

    expect(dynamo).toHaveReceivedCommandWith(BatchGetCommand, {
      RequestItems: { 'test-table': expect.objectContaining({ ConsistentRead: true }) },
    });
    const [put, ...more] = s3.commandCalls(PutObjectCommand);
    expect(more).toHaveLength(0);
    expect(put!.args[0].input).toMatchObject({
      Key: `articles/${ARTICLE_ID}.json`,
      ContentType: 'application/json',
      Metadata: { 'content-hash': meta.contentHash, version: '2', 'document-hash': expect.any(String) },
    });
    const document = JSON.parse(put!.args[0].input.Body as string);
    expect(document.corrections).toEqual([{ text: 'Fixed the date.', correctedAt: '2026-01-03T00:00:00.000Z' }]);
    expect(document).toMatchObject({
      id: ARTICLE_ID,
      headline: 'A story',
      body: ['First paragraph.'],
      contentHash: meta.contentHash,
    });
    for (const bookkeeping of ['pk', 'sk', 'feedPk', 'feedSk', 'version', 'createdAt', 'updatedAt'])
      expect(document).not.toHaveProperty(bookkeeping);
  });

  it('leaves the object alone when it already shows the story as indexed, and ignores events without a valid story id', async () => {
    // Prepare: the object already holds this rendering of the story (no corrections)
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': [meta] } });
    const ingested = { 'detail-type': 'ArticleIngested', detail: { articleId: ARTICLE_ID, change: 'updated' } };
    await publishCorrections(ingested as never, lambdaContext());
    s3.resetHistory();
    dynamo.resetHistory();

    // Act
    await publishCorrections(ingested as never, lambdaContext());
    await publishCorrections(resolved('../../etc'), lambdaContext());

    // Assess
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
    expect(dynamo).toHaveReceivedCommandTimes(BatchGetCommand, 1);
  });

  it('renders a story without corrections as the normalized article the index holds, without bookkeeping', async () => {
    dynamo
      .on(BatchGetCommand)
      .resolves({ Responses: { 'test-table': [{ ...meta, revision: 'r', correlationId: 'c' }] } });

    await publishCorrections(
      { 'detail-type': 'ArticleIngested', detail: { articleId: ARTICLE_ID, change: 'created' } } as never,
      lambdaContext(),
    );

    const [put] = s3.commandCalls(PutObjectCommand);
    const document = JSON.parse(put!.args[0].input.Body as string);
    const { pk, sk, feedPk, feedSk, version, createdAt, updatedAt, ...normalized } = meta;
    void [pk, sk, feedPk, feedSk, version, createdAt, updatedAt];
    expect(document).toEqual(normalized);
  });

  it('fails, so EventBridge retries, when the story cannot be read in full', async () => {
    dynamo
      .on(BatchGetCommand)
      .resolves({ Responses: { 'test-table': [] }, UnprocessedKeys: { 'test-table': { Keys: [{}] } } });

    await expect(publishCorrections(resolved(ARTICLE_ID), lambdaContext())).rejects.toThrow(/unprocessed/);
    expect(s3).not.toHaveReceivedCommand(PutObjectCommand);
  });
});

harness.itSendsOnlyDeclaredTableOperations();
