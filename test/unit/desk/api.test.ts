/**
 * The desk's API client (web/desk/src/api.ts) with the network replaced: what it sends for each
 * route, and what the desk shows for each kind of refusal (the API's words and field details, a
 * 429's wait, a 5xx, no network, an ended session).
 */
import { SignInRequired } from '../../../web/desk/src/auth';
import { ApiError, DeskApi, describeError } from '../../../web/desk/src/api';

interface Sent {
  url: string;
  method: string;
  body: unknown;
  cache: string | undefined;
}

function deskApi(answer: (sent: Sent) => Response | Promise<Response>) {
  const sent: Sent[] = [];
  const api = new DeskApi('https://api.example/', {
    fetch: async (url: string, init: RequestInit = {}) => {
      const request = {
        url,
        method: init.method ?? 'GET',
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
        cache: (init as { cache?: string }).cache,
      };
      sent.push(request);
      return answer(request);
    },
  });
  return { api, sent };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

describe("the desk's API client", () => {
  it('calls each route with its query and body, never from the browser cache', async () => {
    const { api, sent } = deskApi(({ method }) =>
      method === 'DELETE' ? new Response(null, { status: 204 }) : json(200, {}),
    );

    await api.queue('flagged', 'c1');
    await api.decide('abc.def', 'hidden');
    await api.undo('abc.def', 'hidden', '2030-01-01T00:00:00.000Z');
    await api.reader('r 1', { flagsCursor: 'f2' });
    await api.ban('r1', new Date('2030-02-01T00:00:00.000Z'), 'Spam');
    await api.ban('r1', null, null);
    await api.unban('r1');
    await api.reports('received', '0123456789abcdef');
    await api.moveReport('rep1', { status: 'corrected', note: null, correction: 'Fixed.' });
    await api.alerts('2030-01-01T00:00:00.000Z');
    await api.setCommentsOpen('0123456789abcdef', false);

    expect(sent.map(({ method, url, body }) => [method, url, body])).toEqual([
      ['GET', 'https://api.example/moderation/comments?status=flagged&limit=25&cursor=c1', undefined],
      ['PATCH', 'https://api.example/comments/abc.def', { status: 'hidden' }],
      [
        'PATCH',
        'https://api.example/comments/abc.def',
        { undo: { status: 'hidden', moderatedAt: '2030-01-01T00:00:00.000Z' } },
      ],
      ['GET', 'https://api.example/moderation/readers/r%201?limit=20&flagsCursor=f2', undefined],
      ['PUT', 'https://api.example/readers/r1/ban', { until: '2030-02-01T00:00:00.000Z', reason: 'Spam' }],
      ['PUT', 'https://api.example/readers/r1/ban', {}],
      ['DELETE', 'https://api.example/readers/r1/ban', undefined],
      ['GET', 'https://api.example/error-reports?status=received&articleId=0123456789abcdef&limit=20', undefined],
      ['PATCH', 'https://api.example/error-reports/rep1', { status: 'corrected', correction: 'Fixed.' }],
      ['GET', 'https://api.example/editor/alerts?since=2030-01-01T00%3A00%3A00.000Z&limit=100', undefined],
      ['PATCH', 'https://api.example/articles/0123456789abcdef/comment-settings', { commentsOpen: false }],
    ]);
    expect(new Set(sent.map(({ cache }) => cache))).toEqual(new Set(['no-store']));
  });

  it("shows the API's message with its field details", async () => {
    const { api } = deskApi(() =>
      json(400, {
        error: {
          code: 'validation_failed',
          message: 'The request is not valid',
          details: [{ path: 'body.reason', message: 'Must not be empty' }],
        },
      }),
    );

    const error = await api.ban('r1', null, 'x').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ApiError);
    expect(describeError(error)).toBe('The request is not valid reason: Must not be empty');
  });

  it('says when to try again after a 429, and what failed on a 5xx or without a network', async () => {
    const limited = await deskApi(() =>
      json(429, { error: { code: 'rate_limited', message: 'Slow down' } }, { 'retry-after': '42' }),
    )
      .api.queue('pending')
      .catch((caught: unknown) => caught);
    const longer = new ApiError(429, 'rate_limited', '', [], 150);
    const failed = await deskApi(() => new Response('<html>Bad gateway</html>', { status: 502 }))
      .api.queue('pending')
      .catch((caught: unknown) => caught);
    const offline = await deskApi(() => Promise.reject(new TypeError('Failed to fetch')))
      .api.queue('pending')
      .catch((caught: unknown) => caught);

    expect(describeError(limited)).toBe('Too many requests. Try again in 42 seconds.');
    expect(describeError(longer)).toBe('Too many requests. Try again in 3 minutes.');
    expect(describeError(failed)).toBe('The API failed (502). Try again; if it goes on, quote this: http_502');
    expect(describeError(offline)).toBe('The newsroom API could not be reached. Check the connection and try again.');
    expect(describeError(new SignInRequired())).toBe('Your session has ended. Sign in again to go on.');
  });

  it("reads API Gateway's own refusals, which are { message }", async () => {
    const error = await deskApi(() => json(403, { message: 'Forbidden' }))
      .api.reports('received')
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ status: 403, code: 'http_403', message: 'Forbidden' });
    expect(describeError(error)).toBe('Forbidden');
  });
});
