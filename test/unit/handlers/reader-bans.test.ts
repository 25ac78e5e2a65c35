import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { apiEvent, editorClaims, lambdaContext, readerClaims } from '../../support/api-events';
import { handlerHarness, type HttpResult } from '../../support/handler-harness';

/**
 * `PUT` and `DELETE /readers/{readerId}/ban` (editors): validation at the edge, the editor as the
 * ban's author, the list of bans written with the reader's history entry, 204 without a body.
 */
const harness = handlerHarness();
const { dynamo } = harness;
const banReader = harness.handler('ban-reader');
const unbanReader = harness.handler('unban-reader');

const READER_ID = 'reader-to-ban-0001';
const LIST_KEY = { pk: 'READER_BANS', sk: 'ACTIVE' };

beforeEach(() => {
  dynamo.reset();
  harness.setBanList(undefined);
  dynamo.on(TransactWriteCommand).resolves({});
});

/** `claims` null: no token. */
const put = (body: unknown, claims: Record<string, string> | null = editorClaims, readerId = READER_ID) =>
  banReader(
    apiEvent({
      method: 'PUT',
      path: `/readers/${readerId}/ban`,
      pathParameters: { readerId },
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      ...(claims ? { claims } : {}),
    }),
    lambdaContext(),
  );
const remove = (claims: Record<string, string> | null = editorClaims, readerId = READER_ID) =>
  unbanReader(
    apiEvent({
      method: 'DELETE',
      path: `/readers/${readerId}/ban`,
      pathParameters: { readerId },
      ...(claims ? { claims } : {}),
    }),
    lambdaContext(),
  );
const errorOf = (reply: HttpResult) => JSON.parse(reply.body).error;
const transactions = () =>
  dynamo.commandCalls(TransactWriteCommand).map((call): TransactWriteCommandInput => call.args[0].input);
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

describe('PUT /readers/{readerId}/ban', () => {
  it('bans the reader with the editor as its author: 200 with the ban, the list and the history written together', async () => {
    const until = inAnHour();

    const reply = await put({ until, reason: '  Cafe\u0301 spam  ' });

    expect(reply.statusCode).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({
      readerId: READER_ID,
      until,
      reason: 'Caf\u00e9 spam',
      bannedBy: editorClaims.sub,
      bannedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const [list, history] = transactions()[0]!.TransactItems!.map((item) => item.Put!.Item!);
    expect(list).toEqual({ ...LIST_KEY, bans: [{ readerId: READER_ID, until: Date.parse(until) }], version: 1 });
    expect(history).toMatchObject({
      pk: `READER#${READER_ID}`,
      action: 'banned',
      reason: 'Caf\u00e9 spam',
      by: editorClaims.sub,
    });
  });

  it('bans until lifted with an empty body, or a null until and reason', async () => {
    const empty = await put({});
    const nulls = await put({ until: null, reason: null });

    expect([empty.statusCode, nulls.statusCode]).toEqual([200, 200]);
    expect(JSON.parse(nulls.body)).toMatchObject({ until: null, reason: null });
  });

  it.each([
    ['an until in the past', { until: '2020-01-01T00:00:00Z' }, 'body.until'],
    ['an until more than ten years ahead', { until: '2999-01-01T00:00:00Z' }, 'body.until'],
    ['an until without an offset', { until: '2030-01-01T00:00:00' }, 'body.until'],
    ['an until on a day that does not exist', { until: '2030-02-30T00:00:00Z' }, 'body.until'],
    ['an until that is a number', { until: 1_900_000_000_000 }, 'body.until'],
    ['a reason over 500 characters', { reason: 'x'.repeat(501) }, 'body.reason'],
    ['a reason of spaces', { reason: '   ' }, 'body.reason'],
    ['a reason with a control character', { reason: 'a\u0000b' }, 'body.reason'],
    ['an unknown field', { days: 3 }, 'body.days'],
  ])('refuses %s with 400 naming the field, writing nothing', async (_case, body, path) => {
    const reply = await put(body);

    expect(reply.statusCode).toBe(400);
    expect(errorOf(reply).details).toEqual([expect.objectContaining({ path })]);
    expect(transactions()).toEqual([]);
  });

  it('refuses a malformed reader id with 400, a body that is not JSON with 415', async () => {
    const badId = await put({}, editorClaims, 'short');
    const plain = await banReader(
      apiEvent({
        method: 'PUT',
        path: `/readers/${READER_ID}/ban`,
        pathParameters: { readerId: READER_ID },
        headers: { 'content-type': 'text/plain' },
        body: '{}',
        claims: editorClaims,
      }),
      lambdaContext(),
    );

    expect([badId.statusCode, plain.statusCode]).toEqual([400, 415]);
    expect(errorOf(badId).details[0].path).toBe('path.readerId');
  });

  it('answers 401 without a token and 403 to a caller outside the editors group, reading nothing', async () => {
    const anonymous = await put({}, null);
    const reader = await put({}, readerClaims);

    expect([anonymous.statusCode, reader.statusCode]).toEqual([401, 403]);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('answers 409 ban_list_full when the list holds as many bans as it may', async () => {
    const bans = Array.from({ length: 3_000 }, (_, i) => ({ readerId: `reader-${i}-banned`, until: null }));
    harness.setBanList({ bans, version: 3 });

    const reply = await put({ reason: 'one more' });

    expect(reply.statusCode).toBe(409);
    expect(errorOf(reply)).toMatchObject({ code: 'ban_list_full', message: expect.stringMatching(/expiry/) });
    expect(transactions()).toEqual([]);
  });
});

describe('DELETE /readers/{readerId}/ban', () => {
  it('lifts a ban: 204 with no body and no content type, the lifting recorded', async () => {
    harness.setBanList({ bans: [{ readerId: READER_ID, until: null }], version: 2 });

    const reply = await remove();

    expect(reply.statusCode).toBe(204);
    expect(reply.body).toBe('');
    expect(reply.headers['content-type']).toBeUndefined();
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    const [list, history] = transactions()[0]!.TransactItems!.map((item) => item.Put!.Item!);
    expect(list).toMatchObject({ bans: [], version: 3 });
    expect(history).toMatchObject({ action: 'unbanned', by: editorClaims.sub, until: null, reason: null });
  });

  it('answers 204 for a reader who is not banned, writing nothing', async () => {
    const reply = await remove();

    expect(reply.statusCode).toBe(204);
    expect(transactions()).toEqual([]);
  });

  it('answers 401 without a token, 403 outside the editors group and 400 for a malformed reader id', async () => {
    const replies = [await remove(null), await remove(readerClaims), await remove(editorClaims, 'no/such id')];

    expect(replies.map((reply) => reply.statusCode)).toEqual([401, 403, 400]);
    expect(transactions()).toEqual([]);
  });
});

harness.itSendsOnlyDeclaredTableOperations();
