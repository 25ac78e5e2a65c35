import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { logger } from '../../../shared/observability/logger';
import { apiEvent, editorClaims, lambdaContext, readerClaims } from '../../support/api-events';
import { applyUpdate } from '../../support/apply-update';
import { handlerHarness, type HttpResult } from '../../support/handler-harness';
import { indexedArticle, metaItemOf } from '../../support/article-items';
import { readerAuthorization, unusableReaderCredentials } from '../../support/reader-tokens';

const harness = handlerHarness({
  env: { READER_HASH_KEY: 'unit-test-reader-hash-key-of-at-least-32-bytes', RATE_LIMIT_ERROR_REPORT: '3/60' },
});
const { dynamo } = harness;
type Reply = HttpResult;
const submit = harness.handler('submit-error-report');
const list = harness.handler('list-error-reports');
const getReport = harness.handler('get-error-report');
const update = harness.handler('update-error-report');
const getArticle = harness.handler('get-article');

const ARTICLE_ID = '0123456789abcdef';
const REPORT_ID = `${ARTICLE_ID}-fedcba9876543210`;
const CONTACT = 'reader@example.org';
/** The reader the bearer token names. */
const READER_ID = 'unit-reader-0001';
/** `Authorization` for READER_ID, issued once for the file (tokens live a day). */
let asReader: { authorization: string };
beforeAll(async () => {
  asReader = await readerAuthorization(READER_ID);
});

const UNUSABLE_CREDENTIALS = unusableReaderCredentials(READER_ID);

beforeEach(() => {
  dynamo.reset();
  // The story exists and the source is under its limit, unless a test says otherwise.
  dynamo
    .on(GetCommand, { Key: { pk: `ARTICLE#${ARTICLE_ID}`, sk: 'META' } })
    .resolves({ Item: { pk: `ARTICLE#${ARTICLE_ID}` } });
  dynamo.on(UpdateCommand).resolves({});
  dynamo.on(PutCommand).resolves({});
  dynamo.on(TransactWriteCommand).resolves({});
});

const body = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
/** A report carrying exactly `headers`: no reader credentials unless they are among them. */
const send = (payload: unknown, headers: Record<string, string>) =>
  submit(
    apiEvent({
      method: 'POST',
      path: `/articles/${ARTICLE_ID}/error-reports`,
      pathParameters: { articleId: ARTICLE_ID },
      headers,
      body: body(payload),
    }),
    lambdaContext(),
  );
/** A report from READER_ID. */
const post = (payload: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  send(payload, { ...asReader, ...headers });
const validReport = {
  category: 'factual',
  description: 'The vote took place on Sunday, not Saturday.',
  quote: 'on Saturday',
};
const parsed = (reply: Reply) => JSON.parse(reply.body);
const writes = () =>
  dynamo.calls().filter((call) => {
    const input = call.args[0] as { constructor: { name: string } };
    return ['PutCommand', 'TransactWriteCommand'].includes(input.constructor.name);
  });

function storedReport(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    pk: `ARTICLE#${ARTICLE_ID}`,
    sk: `REPORT#${REPORT_ID}`,
    gsi1pk: 'REPORTS#received',
    gsi1sk: `2026-01-01T00:00:00.000Z#${REPORT_ID}`,
    reportId: REPORT_ID,
    articleId: ARTICLE_ID,
    category: 'factual',
    description: validReport.description,
    quote: 'on Saturday',
    status: 'received',
    hasContact: true,
    statusVersion: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    closedAt: null,
    correction: null,
    history: [{ status: 'received', at: '2026-01-01T00:00:00.000Z' }],
    ...overrides,
  };
}

describe('POST /articles/{articleId}/error-reports', () => {
  it('accepts a report with 202, storing it under the story on the condition that it is new', async () => {
    const reply = await post(validReport);

    expect(reply.statusCode).toBe(202);
    const { reportId, status } = parsed(reply);
    expect(status).toBe('received');
    expect(reportId).toMatch(new RegExp(`^${ARTICLE_ID}-[0-9a-f]{16}$`));
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      ConditionExpression: 'attribute_not_exists(#pk)',
      Item: expect.objectContaining({
        pk: `ARTICLE#${ARTICLE_ID}`,
        sk: `REPORT#${reportId}`,
        gsi1pk: 'REPORTS#received',
        gsi2pk: `ARTICLE#${ARTICLE_ID}#REPORTS`,
        gsi2sk: expect.stringMatching(/^received#/),
        status: 'received',
        hasContact: false,
      }),
    });
    expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
  });

  it('writes the contact in its own item, together with the report, and nowhere else', async () => {
    const reply = await post({ ...validReport, contact: `  ${CONTACT} ` });

    expect(reply.statusCode).toBe(202);
    const [transaction] = dynamo.commandCalls(TransactWriteCommand);
    const [reportPut, contactPut] = transaction!.args[0].input.TransactItems!;
    expect(reportPut!.Put!.Item).toMatchObject({ sk: `REPORT#${parsed(reply).reportId}`, hasContact: true });
    expect(JSON.stringify(reportPut)).not.toContain(CONTACT);
    expect(contactPut!.Put).toMatchObject({
      Item: { pk: `ARTICLE#${ARTICLE_ID}`, sk: `CONTACT#${parsed(reply).reportId}`, contact: CONTACT },
      ConditionExpression: 'attribute_not_exists(#pk)',
    });
  });

  it('gives the same report sent again the same id, answering with the stored report', async () => {
    const first = parsed(await post(validReport));
    dynamo.on(PutCommand).rejects(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        Item: marshall(storedReport({ reportId: first.reportId, status: 'reviewing' }), {
          removeUndefinedValues: true,
        }),
      }),
    );

    const again = await post({ ...validReport, description: `  ${validReport.description.toUpperCase()} ` });

    expect(again.statusCode).toBe(202);
    expect(parsed(again)).toEqual({ reportId: first.reportId, status: 'reviewing' });
  });

  it('treats a repeat with a contact as the same report when the transaction finds it', async () => {
    dynamo.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        message: 'Transaction cancelled',
        $metadata: {},
        CancellationReasons: [
          { Code: 'ConditionalCheckFailed', Item: marshall(storedReport(), { removeUndefinedValues: true }) },
          { Code: 'ConditionalCheckFailed' },
        ],
      }),
    );

    const reply = await post({ ...validReport, contact: CONTACT });

    expect(reply.statusCode).toBe(202);
    expect(parsed(reply)).toEqual({ reportId: REPORT_ID, status: 'received' });
  });

  it('derives different ids for different sources, categories and texts', async () => {
    const ids = new Set<string>();
    for (const payload of [validReport, { ...validReport, category: 'typo' }, { ...validReport, quote: 'Sunday' }]) {
      ids.add(parsed(await post(payload)).reportId);
    }
    const otherSource = apiEvent({
      method: 'POST',
      pathParameters: { articleId: ARTICLE_ID },
      headers: { 'content-type': 'application/json', ...asReader },
      body: body(validReport),
    });
    otherSource.requestContext.http.sourceIp = '198.51.100.7';
    ids.add(parsed(await submit(otherSource, lambdaContext())).reportId);

    expect(ids.size).toBe(4);
  });

  it.each([
    ['an unknown category', { ...validReport, category: 'opinion' }, 'body.category'],
    ['a short description', { ...validReport, description: 'too short' }, 'body.description'],
    [
      'a description short once cleaned',
      { ...validReport, description: '   \u0000\u0001\u0085\u009f  short   ' },
      'body.description',
    ],
    ['a description over 2,000 characters', { ...validReport, description: 'x'.repeat(2001) }, 'body.description'],
    ['a quote over 500 characters', { ...validReport, quote: 'q'.repeat(501) }, 'body.quote'],
    ['a contact that is no address', { ...validReport, contact: 'not an address' }, 'body.contact'],
    ['a contact over 254 characters', { ...validReport, contact: `${'a'.repeat(250)}@example.org` }, 'body.contact'],
    ['an unknown field', { ...validReport, reporter: 'me' }, 'body.reporter'],
    ['a voter id, which only the token gives now', { ...validReport, voterId: READER_ID }, 'body.voterId'],
    ['a missing category', { description: validReport.description }, 'body.category'],
    ['malformed JSON', '{"category": "factual",', 'body'],
  ])('answers 400 naming the field for %s, writing nothing', async (_label, payload, path) => {
    const reply = await post(payload);

    expect(reply.statusCode).toBe(400);
    expect(parsed(reply).error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('takes null for the optional quote and contact as absent', async () => {
    const reply = await post({ ...validReport, quote: null, contact: null });

    expect(reply.statusCode).toBe(202);
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ quote: null, hasContact: false }),
    });
  });

  it('counts 2,000 characters, not UTF-16 units, as the description limit', async () => {
    const reply = await post({ ...validReport, description: '😀'.repeat(2000) });

    expect(reply.statusCode).toBe(202);
  });

  it('answers 413 for an oversize body and 415 for another media type, writing nothing', async () => {
    const oversize = await post({ ...validReport, description: 'x'.repeat(17 * 1024) });
    const form = await post('category=factual', { 'content-type': 'application/x-www-form-urlencoded' });

    expect([oversize.statusCode, form.statusCode]).toEqual([413, 415]);
    expect(parsed(oversize).error.code).toBe('payload_too_large');
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('answers 400 for a malformed story id and 404 for an unknown story, storing no report', async () => {
    const malformed = await submit(
      apiEvent({
        method: 'POST',
        pathParameters: { articleId: 'nope' },
        headers: { 'content-type': 'application/json', ...asReader },
        body: body(validReport),
      }),
      lambdaContext(),
    );
    dynamo.on(GetCommand).resolves({});
    const unknown = await post(validReport);

    expect(malformed.statusCode).toBe(400);
    expect(parsed(malformed).error.details[0].path).toBe('path.articleId');
    expect(unknown.statusCode).toBe(404);
    expect(writes()).toHaveLength(0);
  });

  it('answers 429 with Retry-After once the source is over its limit, counted under a hashed source', async () => {
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'limit', $metadata: {} }));

    const reply = await post(validReport);

    expect(reply.statusCode).toBe(429);
    expect(Number(reply.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    const [limit] = dynamo.commandCalls(UpdateCommand);
    expect(limit!.args[0].input.Key!.pk).toMatch(/^RATE#error-report#[A-Za-z0-9_-]{32}$/);
    expect(JSON.stringify(limit!.args[0].input)).not.toContain('192.0.2.1');
    expect(limit!.args[0].input.ExpressionAttributeValues).toMatchObject({ ':limit': 3 });
    expect(writes()).toHaveLength(0);
  });

  it.each(UNUSABLE_CREDENTIALS)('answers 401 for %s, reading and writing nothing', async (_case, credentials) => {
    const reply = await send(
      { ...validReport, contact: CONTACT },
      {
        'content-type': 'application/json',
        ...(await credentials()),
      },
    );

    expect(reply.statusCode).toBe(401);
    expect(parsed(reply)).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    // Why the token failed is for the logs, not the caller.
    expect(reply.body).not.toMatch(/expired|signature|issuer|malformed|key/i);
    expect(writes()).toHaveLength(0);
    expect(dynamo).not.toHaveReceivedCommand(UpdateCommand);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('answers 401 before validating anything else: an invalid body without a token', async () => {
    const reply = await send('{"category": "factual",', { 'content-type': 'application/json' });

    expect(reply.statusCode).toBe(401);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('never logs the contact, not even when the store fails', async () => {
    dynamo.on(TransactWriteCommand).rejects(new Error('Throughput exceeded for the item'));
    const logged: string[] = [];
    const capture = (...args: unknown[]) =>
      void logged.push(
        JSON.stringify(args, (_key, value) =>
          value instanceof Error ? { message: value.message, stack: value.stack } : value,
        ),
      );
    const spies = (['debug', 'info', 'warn', 'error', 'critical'] as const).map((level) =>
      jest.spyOn(logger, level).mockImplementation(capture),
    );
    try {
      const reply = await post({ ...validReport, contact: CONTACT });

      expect(reply.statusCode).toBe(500);
      expect(reply.body).not.toContain(CONTACT);
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
    expect(logged.join('\n')).toMatch(/Unhandled error/);
    expect(logged.join('\n')).not.toContain(CONTACT);
  });
});

describe('editor routes', () => {
  const asEditor = { claims: editorClaims };

  it.each([
    ['GET /error-reports', () => list(apiEvent({ path: '/error-reports' }), lambdaContext())],
    [
      'GET /error-reports/{id}',
      () => getReport(apiEvent({ pathParameters: { reportId: REPORT_ID } }), lambdaContext()),
    ],
    [
      'PATCH /error-reports/{id}',
      () =>
        update(
          apiEvent({
            method: 'PATCH',
            pathParameters: { reportId: REPORT_ID },
            headers: { 'content-type': 'application/json' },
            body: '{"status":"reviewing"}',
          }),
          lambdaContext(),
        ),
    ],
  ])('%s answers 401 without a caller', async (_route, call) => {
    const reply = await call();
    expect(reply.statusCode).toBe(401);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('answers 403 to a reader on every editor route', async () => {
    const replies = await Promise.all([
      list(apiEvent({ path: '/error-reports', claims: readerClaims }), lambdaContext()),
      getReport(apiEvent({ pathParameters: { reportId: REPORT_ID }, claims: readerClaims }), lambdaContext()),
      update(
        apiEvent({
          method: 'PATCH',
          pathParameters: { reportId: REPORT_ID },
          claims: readerClaims,
          headers: { 'content-type': 'application/json' },
          body: '{"status":"reviewing"}',
        }),
        lambdaContext(),
      ),
    ]);
    expect(replies.map((r) => r.statusCode)).toEqual([403, 403, 403]);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  describe('GET /error-reports', () => {
    it('lists received reports newest first from gsi1 by default, without contacts', async () => {
      dynamo.on(QueryCommand).resolves({
        Items: [storedReport()],
        LastEvaluatedKey: {
          pk: `ARTICLE#${ARTICLE_ID}`,
          sk: `REPORT#${REPORT_ID}`,
          gsi1pk: 'REPORTS#received',
          gsi1sk: `2026-01-01T00:00:00.000Z#${REPORT_ID}`,
        },
      });

      const reply = await list(apiEvent({ path: '/error-reports', ...asEditor }), lambdaContext());

      expect(reply.statusCode).toBe(200);
      const page = parsed(reply);
      expect(page.items).toEqual([
        expect.objectContaining({ reportId: REPORT_ID, status: 'received', hasContact: true }),
      ]);
      expect(page.items[0]).not.toHaveProperty('contact');
      expect(page.items[0]).not.toHaveProperty('gsi1pk');
      expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
        IndexName: 'gsi1',
        ScanIndexForward: false,
        Limit: 20,
        ExpressionAttributeValues: { ':p': 'REPORTS#received' },
      });

      const next = await list(
        apiEvent({ path: '/error-reports', query: { cursor: page.nextCursor }, ...asEditor }),
        lambdaContext(),
      );
      expect(next.statusCode).toBe(200);
      expect(dynamo).toHaveReceivedNthCommandWith(2, QueryCommand, {
        ExclusiveStartKey: expect.objectContaining({ gsi1pk: 'REPORTS#received' }),
      });
    });

    it("narrows to one story's reports of a status through gsi2", async () => {
      dynamo.on(QueryCommand).resolves({ Items: [] });

      await list(
        apiEvent({
          path: '/error-reports',
          query: { status: 'corrected', articleId: ARTICLE_ID, limit: '5' },
          ...asEditor,
        }),
        lambdaContext(),
      );

      expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
        IndexName: 'gsi2',
        Limit: 5,
        ScanIndexForward: false,
        KeyConditionExpression: '#ipk = :p AND begins_with(#isk, :status)',
        ExpressionAttributeValues: { ':p': `ARTICLE#${ARTICLE_ID}#REPORTS`, ':status': 'corrected#' },
      });
    });

    it.each([
      [{ status: 'open' }, 'query.status'],
      [{ articleId: 'xyz' }, 'query.articleId'],
      [{ limit: '0' }, 'query.limit'],
      [{ sort: 'oldest' }, 'query.sort'],
      [{ cursor: 'not a cursor!' }, 'query.cursor'],
    ])('answers 400 for %j without querying', async (query, path) => {
      const reply = await list(apiEvent({ path: '/error-reports', query, ...asEditor }), lambdaContext());

      expect(reply.statusCode).toBe(400);
      expect(parsed(reply).error.details[0].path).toBe(path);
      expect(dynamo).not.toHaveReceivedAnyCommand();
    });

    it('refuses a cursor taken from another status listing', async () => {
      const cursor = Buffer.from(
        JSON.stringify({
          pk: `ARTICLE#${ARTICLE_ID}`,
          sk: `REPORT#${REPORT_ID}`,
          gsi1pk: 'REPORTS#rejected',
          gsi1sk: `2026-01-01T00:00:00.000Z#${REPORT_ID}`,
        }),
      ).toString('base64url');

      const reply = await list(
        apiEvent({ path: '/error-reports', query: { status: 'received', cursor }, ...asEditor }),
        lambdaContext(),
      );

      expect(reply.statusCode).toBe(400);
      expect(parsed(reply).error.details).toEqual([{ path: 'query.cursor', message: expect.any(String) }]);
      expect(dynamo).not.toHaveReceivedAnyCommand();
    });
  });

  describe('GET /error-reports/{reportId}', () => {
    it('shows the report with the contact, read consistently', async () => {
      dynamo.on(BatchGetCommand).resolves({
        Responses: {
          'test-table': [storedReport(), { pk: `ARTICLE#${ARTICLE_ID}`, sk: `CONTACT#${REPORT_ID}`, contact: CONTACT }],
        },
      });

      const reply = await getReport(
        apiEvent({ pathParameters: { reportId: REPORT_ID }, ...asEditor }),
        lambdaContext(),
      );

      expect(reply.statusCode).toBe(200);
      expect(parsed(reply)).toMatchObject({ reportId: REPORT_ID, contact: CONTACT, history: [{ status: 'received' }] });
      expect(dynamo).toHaveReceivedCommandWith(BatchGetCommand, {
        RequestItems: { 'test-table': expect.objectContaining({ ConsistentRead: true }) },
      });
    });

    it('hides a contact whose erasure time has passed, before TTL gets to it', async () => {
      const past = Math.floor(Date.now() / 1000) - 10;
      dynamo.on(BatchGetCommand).resolves({
        Responses: {
          'test-table': [
            storedReport({ status: 'rejected' }),
            { sk: `CONTACT#${REPORT_ID}`, contact: CONTACT, expiresAt: past },
          ],
        },
      });

      const reply = await getReport(
        apiEvent({ pathParameters: { reportId: REPORT_ID }, ...asEditor }),
        lambdaContext(),
      );

      expect(parsed(reply).contact).toBeNull();
      expect(reply.body).not.toContain(CONTACT);
    });

    it('answers 404 for an unknown report and 400 for a malformed id', async () => {
      dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': [] } });

      const unknown = await getReport(
        apiEvent({ pathParameters: { reportId: REPORT_ID }, ...asEditor }),
        lambdaContext(),
      );
      const malformed = await getReport(
        apiEvent({ pathParameters: { reportId: 'REPORT#x' }, ...asEditor }),
        lambdaContext(),
      );

      expect([unknown.statusCode, malformed.statusCode]).toEqual([404, 400]);
      expect(parsed(malformed).error.details[0].path).toBe('path.reportId');
    });
  });

  describe('PATCH /error-reports/{reportId}', () => {
    const patch = (payload: unknown) =>
      update(
        apiEvent({
          method: 'PATCH',
          pathParameters: { reportId: REPORT_ID },
          headers: { 'content-type': 'application/json' },
          body: body(payload),
          ...asEditor,
        }),
        lambdaContext(),
      );
    const current = (overrides: Record<string, unknown> = {}) =>
      dynamo
        .on(GetCommand, { Key: { pk: `ARTICLE#${ARTICLE_ID}`, sk: `REPORT#${REPORT_ID}` } })
        .resolves({ Item: storedReport(overrides) });

    it('moves a report forward on the condition that nobody moved it meanwhile', async () => {
      current();

      const reply = await patch({ status: 'reviewing', note: 'Checking the wire copy' });

      expect(reply.statusCode).toBe(200);
      expect(parsed(reply)).toMatchObject({ status: 'reviewing', statusVersion: 2, closedAt: null });
      expect(parsed(reply).history[1]).toMatchObject({
        status: 'reviewing',
        by: 'editor-1',
        note: 'Checking the wire copy',
      });
      expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
        ConditionExpression: '#status = :from AND #version = :version',
        ExpressionAttributeValues: { ':from': 'received', ':version': 1 },
        Item: expect.objectContaining({
          status: 'reviewing',
          gsi1pk: 'REPORTS#reviewing',
          gsi2sk: expect.stringMatching(/^reviewing#/),
        }),
      });
    });

    it('closes as corrected and publishes the correction on the story in the same transaction', async () => {
      current({ status: 'reviewing', statusVersion: 2 });

      const reply = await patch({
        status: 'corrected',
        correction: 'An earlier version said the vote was on Saturday.',
      });

      expect(reply.statusCode).toBe(200);
      expect(parsed(reply)).toMatchObject({
        status: 'corrected',
        correction: { text: 'An earlier version said the vote was on Saturday.' },
      });
      const [transaction] = dynamo.commandCalls(TransactWriteCommand);
      const [put, append] = transaction!.args[0].input.TransactItems!;
      expect(put!.Put).toMatchObject({ ExpressionAttributeValues: { ':from': 'reviewing', ':version': 2 } });
      expect(append!.Update!.Key).toEqual({ pk: `ARTICLE#${ARTICLE_ID}`, sk: 'CORRECTIONS' });
      // Appended to the story's corrections, whether it has some already or none yet.
      const entry = {
        reportId: REPORT_ID,
        text: 'An earlier version said the vote was on Saturday.',
        correctedAt: expect.any(String),
      };
      const earlier = { reportId: 'earlier', text: 'Earlier.', correctedAt: '2024-01-01T00:00:00.000Z' };
      expect(applyUpdate(undefined, append!.Update!)).toEqual({ corrections: [entry] });
      const before = { pk: `ARTICLE#${ARTICLE_ID}`, sk: 'CORRECTIONS', corrections: [earlier] };
      expect(applyUpdate(before, append!.Update!)).toEqual({ ...before, corrections: [earlier, entry] });
    });

    it.each([
      ['reviewing', 'received'],
      ['reviewing', 'reviewing'],
      ['corrected', 'rejected'],
      ['rejected', 'corrected'],
    ])('answers 409 to a move from %s to %s, writing nothing', async (from, to) => {
      current({ status: from });

      const reply = await patch({ status: to });

      expect(reply.statusCode).toBe(409);
      expect(parsed(reply).error.code).toBe('conflict');
      expect(writes()).toHaveLength(0);
    });

    it('answers 409 when another editor moved the report between the read and the write', async () => {
      current();
      dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));

      const reply = await patch({ status: 'rejected' });

      expect(reply.statusCode).toBe(409);
    });

    it.each([
      ['a correction without closing as corrected', { status: 'reviewing', correction: 'Fixed.' }, 'body.correction'],
      ['an unknown status', { status: 'done' }, 'body.status'],
      ['no status', { note: 'no status' }, 'body.status'],
      ['a correction over 2,000 characters', { status: 'corrected', correction: 'c'.repeat(2001) }, 'body.correction'],
      ['an unknown field', { status: 'reviewing', assignee: 'x' }, 'body.assignee'],
    ])('answers 400 for %s, writing nothing', async (_label, payload, path) => {
      current();

      const reply = await patch(payload);

      expect(reply.statusCode).toBe(400);
      expect(parsed(reply).error.details[0].path).toBe(path);
      expect(writes()).toHaveLength(0);
    });

    it('answers 404 for an unknown report', async () => {
      dynamo.on(GetCommand).resolves({});

      expect((await patch({ status: 'reviewing' })).statusCode).toBe(404);
    });
  });
});

describe('GET /articles/{articleId} with corrections', () => {
  /** The story's index item, whole: the store refuses a malformed one. */
  const STORY_META_ITEM = metaItemOf(
    indexedArticle({
      id: ARTICLE_ID,
      byline: { authors: [], organization: null },
      body: [],
      publishedAt: '2026-01-01T00:00:00.000Z',
    }),
  );

  it('includes the published corrections, without the reports behind them', async () => {
    dynamo.on(BatchGetCommand).resolves({
      Responses: {
        'test-table': [STORY_META_ITEM],
      },
    });
    dynamo.on(GetCommand, { Key: { pk: `ARTICLE#${ARTICLE_ID}`, sk: 'CORRECTIONS' } }).resolves({
      Item: {
        corrections: [
          { text: 'The vote was on Sunday.', correctedAt: '2026-01-02T00:00:00.000Z', reportId: REPORT_ID },
        ],
      },
    });

    const reply = await getArticle(apiEvent({ pathParameters: { articleId: ARTICLE_ID } }), lambdaContext());

    expect(parsed(reply).corrections).toEqual([
      { text: 'The vote was on Sunday.', correctedAt: '2026-01-02T00:00:00.000Z' },
    ]);
  });

  it('always has a corrections list', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': [STORY_META_ITEM] } });
    dynamo.on(GetCommand).resolves({});

    const reply = await getArticle(apiEvent({ pathParameters: { articleId: ARTICLE_ID } }), lambdaContext());

    expect(parsed(reply).corrections).toEqual([]);
  });
});

harness.itSendsOnlyDeclaredTableOperations();
