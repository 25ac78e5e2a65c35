/**
 * The editors' alerts list: `record-editor-alerts` (on the editor-alert rule) keeps one alert per
 * bus event in the table, and `GET /editor/alerts` lists those recorded since a time, the same
 * list for every editor. The table is mocked; each test asserts what is written or asked for.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { EventBridgeEvent } from 'aws-lambda';
import { apiEvent, editorClaims, lambdaContext, readerClaims } from '../../support/api-events';
import { handlerHarness, type HttpHandler } from '../../support/handler-harness';
import { busEvent as sharedBusEvent } from '../../support/bus-events';

const harness = handlerHarness();
const { dynamo } = harness;
type BusHandler = (event: EventBridgeEvent<string, unknown>, context: unknown) => Promise<void>;
const recordAlert = harness.handler<BusHandler>('record-editor-alerts');
const listAlerts = harness.handler<HttpHandler>('list-editor-alerts');
beforeEach(() => dynamo.reset());

const ARTICLE_ID = '0123456789abcdef';
const REPORT_ID = `${ARTICLE_ID}-fedcba9876543210`;
const EVENT_ID = '6a7e2f44-0b1c-4d2e-9f3a-5b6c7d8e9f01';
const FOURTEEN_DAYS_S = 14 * 24 * 3600;

const busEvent = (detailType: string, detail: Record<string, unknown>, id = EVENT_ID) =>
  sharedBusEvent(detailType, detail, id);

const reportSubmitted = (overrides: Record<string, unknown> = {}) =>
  busEvent('ErrorReportSubmitted', {
    schemaVersion: 1,
    articleId: ARTICLE_ID,
    reportId: REPORT_ID,
    category: 'factual',
    excerpt: 'The survey figure in the second paragraph is wrong.',
    submittedAt: '2026-03-14T15:09:25.123Z',
    ...overrides,
  });

const ingestRejected = busEvent('ArticleRejected', {
  schemaVersion: 1,
  rejectedKey: 'rejected/2026/03/14/story.txt',
  reasonKey: 'rejected/2026/03/14/story.txt.reason.json',
  sourceKey: 'incoming/story.txt',
  reason: { code: 'no_headline', message: 'The page names no headline' },
});

const putItems = () => dynamo.commandCalls(PutCommand).map((call) => call.args[0].input.Item!);

describe('record-editor-alerts (bus rule)', () => {
  it('keeps an error report alert naming the story by its headline, keyed by the event, for 14 days', async () => {
    dynamo.on(GetCommand).resolves({ Item: { headline: 'Tidal snails keep time' } });
    dynamo.on(PutCommand).resolves({});

    await recordAlert(reportSubmitted(), lambdaContext());

    expect(dynamo).toHaveReceivedCommandWith(GetCommand, {
      Key: { pk: `ARTICLE#${ARTICLE_ID}`, sk: 'META' },
      ProjectionExpression: '#headline',
    });
    const [item] = putItems();
    const recordedAt = item!.recordedAt as string;
    expect(item).toEqual({
      pk: `ALERT#${EVENT_ID}`,
      sk: 'ALERT',
      gsi1pk: 'EDITOR_ALERTS',
      gsi1sk: `${recordedAt}#${EVENT_ID}`,
      expiresAt: Math.ceil(Date.parse(recordedAt) / 1000) + FOURTEEN_DAYS_S,
      kind: 'error-report',
      id: EVENT_ID,
      recordedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      occurredAt: '2026-03-14T15:09:26.000Z',
      articleId: ARTICLE_ID,
      headline: 'Tidal snails keep time',
      reportId: REPORT_ID,
      category: 'factual',
      excerpt: 'The survey figure in the second paragraph is wrong.',
    });
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, { ConditionExpression: 'attribute_not_exists(#pk)' });
  });

  it('keeps a refused ingest with where the input and its reason are, reading no story', async () => {
    dynamo.on(PutCommand).resolves({});

    await recordAlert(ingestRejected, lambdaContext());

    expect(putItems()).toEqual([
      expect.objectContaining({
        kind: 'ingest-rejected',
        sourceKey: 'incoming/story.txt',
        rejectedKey: 'rejected/2026/03/14/story.txt',
        reasonKey: 'rejected/2026/03/14/story.txt.reason.json',
        reason: { code: 'no_headline', message: 'The page names no headline' },
      }),
    ]);
    expect(dynamo).not.toHaveReceivedCommand(GetCommand);
  });

  it('records a redelivered event once: the second put finds the alert and succeeds without writing', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo
      .on(PutCommand)
      .resolvesOnce({})
      .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));

    await recordAlert(reportSubmitted(), lambdaContext());
    await expect(recordAlert(reportSubmitted(), lambdaContext())).resolves.toBeUndefined();

    expect(putItems().map((item) => item.pk)).toEqual([`ALERT#${EVENT_ID}`, `ALERT#${EVENT_ID}`]);
    expect(putItems()[0]).toMatchObject({ headline: null });
  });

  it('carries only the catalogue’s fields: a contact or source slipped into the detail is not kept', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).resolves({});

    await recordAlert(reportSubmitted({ contact: 'me@example.org', sourceIp: '192.0.2.7' }), lambdaContext());

    expect(JSON.stringify(putItems())).not.toMatch(/me@example\.org|192\.0\.2\.7/);
  });

  it.each([
    ['an article id that is not one', reportSubmitted({ articleId: '../../x' })],
    ['a report id that is not one', reportSubmitted({ reportId: 'nope' })],
    ['an event id that could not be a key', { ...reportSubmitted(), id: 'a#b' }],
    ['a detail type it is not for', busEvent('CommentPosted', { articleId: ARTICLE_ID })],
  ])('ignores %s, writing nothing', async (_name, event) => {
    await recordAlert(event, lambdaContext());

    expect(dynamo).not.toHaveReceivedAnyCommand();
  });
});

describe('GET /editor/alerts', () => {
  const alertItem = (recordedAt: string, id: string) => ({
    pk: `ALERT#${id}`,
    sk: 'ALERT',
    gsi1pk: 'EDITOR_ALERTS',
    gsi1sk: `${recordedAt}#${id}`,
    expiresAt: 1_900_000_000,
    kind: 'error-report',
    id,
    recordedAt,
    occurredAt: '2026-03-14T15:09:26.000Z',
    articleId: ARTICLE_ID,
    headline: 'Tidal snails keep time',
    reportId: REPORT_ID,
    category: 'factual',
    excerpt: 'The figure is wrong.',
  });
  const list = (query?: Record<string, string>, claims: Record<string, string> = editorClaims) =>
    listAlerts(apiEvent({ path: '/editor/alerts', ...(query ? { query } : {}), claims }), lambdaContext());

  it('lists the alerts recorded since `since`, newest first, as the desk shows them, without table keys', async () => {
    const since = new Date(Date.now() - 60_000);
    dynamo.on(QueryCommand).resolves({
      Items: [alertItem(new Date().toISOString(), 'event-2'), alertItem(since.toISOString(), 'event-1')],
    });

    const result = await list({ since: since.toISOString().replace('Z', '+00:00') });

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({
      items: [
        expect.objectContaining({ id: 'event-2', kind: 'error-report', headline: 'Tidal snails keep time' }),
        expect.objectContaining({ id: 'event-1' }),
      ],
      nextCursor: null,
    });
    expect(JSON.parse(result.body).items[0]).not.toHaveProperty('pk');
    expect(JSON.parse(result.body).items[0]).not.toHaveProperty('expiresAt');
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'gsi1',
      KeyConditionExpression: '#ipk = :partition AND #isk >= :sortKey',
      ExpressionAttributeValues: { ':partition': 'EDITOR_ALERTS', ':sortKey': since.toISOString() },
      ScanIndexForward: false,
      Limit: 21,
    });
  });

  it('lists every alert still kept without `since`, and never one older than 14 days', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    const before = Date.now();

    await list();
    await list({ since: '2020-01-01T00:00:00Z', limit: '5' });

    const bounds = dynamo
      .commandCalls(QueryCommand)
      .map((call) => Date.parse(call.args[0].input.ExpressionAttributeValues![':sortKey'] as string));
    for (const bound of bounds) {
      expect(bound).toBeGreaterThanOrEqual(before - FOURTEEN_DAYS_S * 1000);
      expect(bound).toBeLessThanOrEqual(Date.now() - FOURTEEN_DAYS_S * 1000);
    }
    expect(dynamo.commandCalls(QueryCommand)[1]!.args[0].input.Limit).toBe(6);
  });

  it.each([
    ['a since that is no time', { since: 'yesterday' }, 'query.since'],
    ['a limit above the page size', { limit: '101' }, 'query.limit'],
    [
      'a cursor from another listing',
      { cursor: Buffer.from('{"pk":"ARTICLE#x"}').toString('base64url') },
      'query.cursor',
    ],
    ['an unknown parameter', { status: 'new' }, 'query.status'],
  ])('answers 400 naming the field for %s, reading nothing', async (_name, query, path) => {
    const result = await list(query);

    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).error.details.map((detail: { path: string }) => detail.path)).toEqual([path]);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('is for editors only: 401 without a token, 403 for a reader', async () => {
    const anonymous = await listAlerts(apiEvent({ path: '/editor/alerts' }), lambdaContext());
    const reader = await list(undefined, readerClaims);

    expect([anonymous.statusCode, reader.statusCode]).toEqual([401, 403]);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });
});

harness.itSendsOnlyDeclaredTableOperations();
