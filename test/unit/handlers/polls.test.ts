import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ReaderHasher } from '../../../shared/privacy/reader-hasher';
import { apiEvent, lambdaContext } from '../../support/api-events';
import { handlerHarness, type HttpResult } from '../../support/handler-harness';
import { readerAuthorization, unusableReaderCredentials } from '../../support/reader-tokens';

const HASH_KEY = 'unit-test-reader-hash-key-of-at-least-32-bytes';
const harness = handlerHarness({
  // RATE_LIMIT_VOTE as a deployment may still set it: poll votes are no longer limited per source.
  env: { READER_HASH_KEY: HASH_KEY, RATE_LIMIT_VOTE: '1/60', RATE_LIMITS: undefined },
});
const { dynamo } = harness;
type Reply = HttpResult;
const castVote = harness.handler('cast-poll-vote');

/**
 * The vote handler remembers what it read of a poll for a second (CachedPollStore). Each test
 * starts two seconds after the one before, as if the function instance had been idle, so each
 * sees the table its mocks describe; only Date moves, every timer stays real.
 */
let clockMs = Date.now();
beforeAll(() =>
  jest.useFakeTimers({
    doNotFake: [
      'nextTick',
      'setImmediate',
      'setTimeout',
      'setInterval',
      'clearTimeout',
      'clearInterval',
      'clearImmediate',
      'queueMicrotask',
      'performance',
      'hrtime',
    ],
  }),
);
afterAll(() => jest.useRealTimers());
beforeEach(() => {
  clockMs += 2_000;
  jest.setSystemTime(clockMs);
});
const getResults = harness.handler('get-poll-results');
const listTop = harness.handler('list-top-polls');
const listArticles = harness.handler('list-articles');

const ARTICLE_ID = '0123456789abcdef';
/** The reader the bearer token names; the vote is keyed by its keyed hash, never by the body. */
const READER_ID = 'unit-reader-0001';
const OTHER_READER_ID = 'unit-reader-0002';
const voterHashOf = (readerId: string) => new ReaderHasher(Buffer.from(HASH_KEY)).hash('voter', readerId);
const voterHash = voterHashOf(READER_ID);
const definitionItem = {
  pk: `ARTICLE#${ARTICLE_ID}`,
  sk: 'POLL',
  articleId: ARTICLE_ID,
  question: 'Old Lighthouse Logbooks Fill a Gap in Storm Records is...',
  options: [
    { id: 'sad', label: 'Sad' },
    { id: 'scary', label: 'Scary' },
  ],
  headline: 'Old Lighthouse Logbooks Fill a Gap in Storm Records',
  definedAt: '2024-03-14T00:00:00.000Z',
};
const tallyItem = (shard: number, counts: Record<string, number>, version: number) => ({
  pk: `ARTICLE#${ARTICLE_ID}`,
  sk: `POLL#TALLY#${shard}`,
  ...Object.fromEntries(Object.entries(counts).map(([id, n]) => [`opt#${id}`, n])),
  totalVotes: Object.values(counts).reduce((a, b) => a + b, 0),
  version,
  updatedAt: `2024-03-14T0${shard}:00:00.000Z`,
});

beforeEach(() => {
  dynamo.reset();
  dynamo.on(BatchGetCommand).resolves({
    Responses: { 'test-table': [definitionItem, tallyItem(0, { sad: 2 }, 1), tallyItem(2, { sad: 1, scary: 1 }, 2)] },
  });
  dynamo.on(PutCommand).resolves({});
  dynamo.on(UpdateCommand).resolves({});
});

/** A vote carrying exactly `headers`: no reader credentials unless they are among them. */
const send = (payload: unknown, headers: Record<string, string>, articleId = ARTICLE_ID) =>
  castVote(
    apiEvent({
      method: 'POST',
      path: `/articles/${articleId}/poll/votes`,
      pathParameters: { articleId },
      headers,
      body: typeof payload === 'string' ? payload : JSON.stringify(payload),
    }),
    lambdaContext(),
  );
/** A vote from READER_ID, with a token freshly issued for it. */
const post = async (
  payload: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
  articleId = ARTICLE_ID,
) => send(payload, { ...(await readerAuthorization(READER_ID)), ...headers }, articleId);
const parsed = (reply: Reply) => JSON.parse(reply.body);
const voteWrites = () =>
  dynamo.commandCalls(PutCommand).filter((call) => String(call.args[0].input.Item?.pk).startsWith('VOTE#'));
const voteKeys = () => voteWrites().map((call) => String(call.args[0].input.Item!.pk));
/** Writes to per-source rate-limit counters (`RATE#<action>#<source>`, see dynamo-rate-limiter). */
const rateLimitWrites = () =>
  dynamo.commandCalls(UpdateCommand).filter((call) => String(call.args[0].input.Key?.pk).startsWith('RATE#'));

const UNUSABLE_CREDENTIALS = unusableReaderCredentials(READER_ID);

describe('POST /articles/{articleId}/poll/votes', () => {
  it('records the vote as one conditional put keyed by story and hashed voter, and answers 201 with the results and yourVote', async () => {
    const reply = await post({ option: 'scary' });

    expect(reply.statusCode).toBe(201);
    expect(parsed(reply)).toMatchObject({
      question: 'Old Lighthouse Logbooks Fill a Gap in Storm Records is...',
      options: [
        { id: 'sad', label: 'Sad', votes: 3, percent: 60 },
        { id: 'scary', label: 'Scary', votes: 2, percent: 40 },
      ],
      totalVotes: 5,
      yourVote: { option: 'scary', label: 'Scary' },
    });
    expect(voteWrites()).toHaveLength(1);
    const write = voteWrites()[0]!.args[0].input;
    expect(write).toMatchObject({
      Item: { pk: `VOTE#${ARTICLE_ID}#${voterHash}`, sk: 'VOTE', articleId: ARTICLE_ID, option: 'scary' },
      ConditionExpression: 'attribute_not_exists(#pk)',
    });
    // The reader id itself is never stored, nor anything else that is not the keyed hash.
    expect(JSON.stringify(dynamo.calls().map((call) => call.args[0].input))).not.toContain(READER_ID);
  });

  const alreadyVoted = (option: string, votedAt: string) =>
    new ConditionalCheckFailedException({
      message: 'The conditional request failed',
      $metadata: {},
      Item: marshall({ pk: `VOTE#${ARTICLE_ID}#${voterHash}`, sk: 'VOTE', option, votedAt }),
    });

  it('answers a second vote 409 with the recorded choice, from the refused write itself, counted in the results', async () => {
    // Prepare: the tally was last updated at 02:00, before the vote of 10:00, so it cannot hold it yet.
    dynamo.on(PutCommand).rejects(alreadyVoted('sad', '2024-03-14T10:00:00.000Z'));

    const reply = await post({ option: 'scary' });

    expect(reply.statusCode).toBe(409);
    expect(parsed(reply)).toMatchObject({
      error: { code: 'already_voted' },
      yourVote: { option: 'sad', label: 'Sad', votedAt: '2024-03-14T10:00:00.000Z' },
      options: [
        { id: 'sad', votes: 4, percent: 80 },
        { id: 'scary', votes: 1, percent: 20 },
      ],
      totalVotes: 5,
    });
    // The one error shape, with the results beside it and nothing else.
    expect(parsed(reply)).toEqual({
      error: {
        code: 'already_voted',
        message: 'This reader has already voted on this story; the vote stands as recorded',
      },
      question: expect.any(String),
      options: expect.any(Array),
      totalVotes: 5,
      updatedAt: expect.any(String),
      yourVote: expect.any(Object),
    });
    // Nothing is read for the answer (the list of bans is every reader route's own read).
    expect(harness.getsBesideBans()).toEqual([]);
  });

  it("shows the reader's own vote in a 409 that comes right after their 201, before any vote is aggregated", async () => {
    // Prepare: the poll has no tally yet; the reader's first vote is recorded, the second refused.
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': [definitionItem] } });
    dynamo.on(PutCommand).resolvesOnce({}).rejects(alreadyVoted('scary', new Date().toISOString()));

    // Act: the same reader twice, each time with a token of its own.
    const first = await post({ option: 'scary' });
    const second = await post({ option: 'scary' });

    // Assess: both answers show the same vote, counted once, at 100 %.
    expect([first.statusCode, second.statusCode]).toEqual([201, 409]);
    for (const reply of [first, second]) {
      expect(parsed(reply)).toMatchObject({
        options: [
          { id: 'sad', votes: 0, percent: 0 },
          { id: 'scary', votes: 1, percent: 100 },
        ],
        totalVotes: 1,
        yourVote: { option: 'scary' },
      });
    }
  });

  it("never shows a 409 voter's option below their own vote, even when the tally changed since the vote", async () => {
    // Prepare: the tally was updated at 02:00 with no vote for `scary`; the vote of 01:00 waits in a later batch.
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': [definitionItem, tallyItem(2, { sad: 2 }, 1)] } });
    dynamo.on(PutCommand).rejects(alreadyVoted('scary', '2024-03-14T01:00:00.000Z'));

    const reply = await post({ option: 'scary' });

    expect(reply.statusCode).toBe(409);
    expect(parsed(reply)).toMatchObject({
      options: [
        { id: 'sad', votes: 2, percent: 67 },
        { id: 'scary', votes: 1, percent: 33 },
      ],
      totalVotes: 3,
      updatedAt: '2024-03-14T02:00:00.000Z',
    });
  });

  it('stores the poll of a story indexed before polls were defined at ingest, then its first vote', async () => {
    // Prepare: no poll items yet, only the story.
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': [] } });
    dynamo.on(GetCommand, { Key: { pk: `ARTICLE#${ARTICLE_ID}`, sk: 'META' } }).resolves({
      Item: { headline: 'Harbor Town Votes', poll: { question: 'Harbor Town Votes is...', options: [] } },
    });

    const reply = await post({ option: 'silly' });

    expect(reply.statusCode).toBe(201);
    const puts = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input);
    expect(puts.map((put) => `${put.Item!.pk} ${put.Item!.sk}`)).toEqual([
      `ARTICLE#${ARTICLE_ID} POLL`,
      `VOTE#${ARTICLE_ID}#${voterHash} VOTE`,
    ]);
    expect(puts[0]).toMatchObject({
      Item: { question: 'Harbor Town Votes is...', options: expect.arrayContaining([{ id: 'silly', label: 'Silly' }]) },
      ConditionExpression: 'attribute_not_exists(#pk)',
    });
  });

  it.each([
    ['an unknown option', 'body.option', { option: 'happy' }],
    ['a voter id, which only the token gives now', 'body.voterId', { option: 'sad', voterId: READER_ID }],
    ['a missing option', 'body.option', {}],
    ['an unknown field', 'body.weight', { option: 'sad', weight: 10 }],
    ['a body that is not an object', 'body', '[1,2]'],
    ['malformed JSON', 'body', '{"option":'],
  ])('refuses %s with 400 naming %s, writing nothing', async (_case, path, payload) => {
    const reply = await post(payload);

    expect(reply.statusCode).toBe(400);
    expect(parsed(reply).error).toMatchObject({
      code: 'validation_failed',
      details: [expect.objectContaining({ path })],
    });
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
    expect(dynamo).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('refuses a malformed story id with 400 and an unknown story with 404, writing nothing', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': [] } });
    dynamo.on(GetCommand).resolves({});

    const malformed = await post({ option: 'sad' }, undefined, 'not-an-id');
    const unknown = await post({ option: 'sad' });

    expect(malformed.statusCode).toBe(400);
    expect(parsed(malformed).error.details[0].path).toBe('path.articleId');
    expect(unknown.statusCode).toBe(404);
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('refuses a body that is not JSON with 415, and one over 16 KB with 413', async () => {
    const plain = await post({ option: 'sad' }, { 'content-type': 'text/plain' });
    const large = await post({ option: 'sad', padding: 'x'.repeat(17 * 1024) });

    expect([plain.statusCode, large.statusCode]).toEqual([415, 413]);
  });

  it('reads a poll once a second at most: votes within the second write their vote and read nothing', async () => {
    const readers = ['unit-reader-0101', 'unit-reader-0102', 'unit-reader-0103'];
    const replies = [];
    for (const readerId of readers) {
      replies.push(
        await send(
          { option: 'scary' },
          { ...(await readerAuthorization(readerId)), 'content-type': 'application/json' },
        ),
      );
    }
    jest.setSystemTime(Date.now() + 1_001);
    replies.push(await post({ option: 'sad' }));

    expect(replies.map((reply) => reply.statusCode)).toEqual([201, 201, 201, 201]);
    expect(voteWrites()).toHaveLength(4);
    // One read for the three votes of the first second, one more after it.
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(2);
    // Each voter sees the tally as last read plus their own vote.
    expect(replies.slice(0, 3).map((reply) => parsed(reply).totalVotes)).toEqual([5, 5, 5]);
  });

  it('sends no rate-limit write: what one source casts is bounded by the reader tokens it can mint', async () => {
    // Prepare: any per-source counter would be over its limit (RATE_LIMIT_VOTE is 1/60 here).
    dynamo.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'limit', $metadata: {} }));

    // Act: three readers vote from the same address.
    const replies = [];
    for (const readerId of [READER_ID, OTHER_READER_ID, 'unit-reader-0003']) {
      replies.push(
        await send({ option: 'sad' }, { 'content-type': 'application/json', ...(await readerAuthorization(readerId)) }),
      );
    }

    // Assess: every vote is recorded, and no counter was written or even tried.
    expect(replies.map((reply) => reply.statusCode)).toEqual([201, 201, 201]);
    expect(voteWrites()).toHaveLength(3);
    expect(rateLimitWrites()).toHaveLength(0);
    expect(dynamo).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('answers a failure of the store with a 500 that shows no internals', async () => {
    dynamo
      .on(PutCommand)
      .rejects(
        Object.assign(new Error('Internal server error at dynamodb.us-east-1'), { name: 'InternalServerError' }),
      );

    const reply = await post({ option: 'sad' });

    expect(reply.statusCode).toBe(500);
    expect(reply.body).not.toMatch(/dynamodb|InternalServerError/);
  });
  describe('the reader, from the bearer token', () => {
    it.each(UNUSABLE_CREDENTIALS)('answers 401 for %s, reading and writing nothing', async (_case, credentials) => {
      const reply = await send({ option: 'sad' }, { 'content-type': 'application/json', ...(await credentials()) });

      expect(reply.statusCode).toBe(401);
      expect(parsed(reply)).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      // Why the token failed is for the logs, not the caller.
      expect(reply.body).not.toMatch(/expired|signature|issuer|malformed|key/i);
      expect(dynamo).not.toHaveReceivedCommand(PutCommand);
      expect(dynamo).not.toHaveReceivedCommand(UpdateCommand);
      expect(dynamo).not.toHaveReceivedAnyCommand();
    });

    it('answers 401 before validating anything else: an invalid story and body without a token', async () => {
      const reply = await send({ option: 'happy', voterId: 'x' }, { 'content-type': 'text/plain' }, 'not-an-id');

      expect(reply.statusCode).toBe(401);
      expect(dynamo).not.toHaveReceivedAnyCommand();
    });

    it('keys the vote by the reader the token names: one vote per reader, whatever token it comes with', async () => {
      // Prepare: the vote records kept in memory, refused on their condition as the table would.
      const stored = new Map<string, Record<string, unknown>>();
      dynamo.on(PutCommand).callsFake((input) => {
        const pk = String(input.Item.pk);
        const existing = stored.get(pk);
        if (existing) {
          throw new ConditionalCheckFailedException({
            message: 'The conditional request failed',
            $metadata: {},
            Item: marshall(existing),
          });
        }
        stored.set(pk, input.Item);
        return {};
      });
      const json = { 'content-type': 'application/json' };
      const token = await readerAuthorization(READER_ID);

      // Act: the reader votes, then again with the same token and with a fresh one; then another reader.
      const first = await send({ option: 'sad' }, { ...json, ...token });
      const sameToken = await send({ option: 'scary' }, { ...json, ...token });
      const freshToken = await send(
        { option: 'scary' },
        { ...json, ...(await readerAuthorization(READER_ID, new Date(Date.now() - 60_000))) },
      );
      const other = await send({ option: 'scary' }, { ...json, ...(await readerAuthorization(OTHER_READER_ID)) });

      // Assess
      expect([first, sameToken, freshToken, other].map((reply) => reply.statusCode)).toEqual([201, 409, 409, 201]);
      expect(parsed(freshToken).yourVote).toMatchObject({ option: 'sad' });
      expect(voteKeys()).toEqual([
        `VOTE#${ARTICLE_ID}#${voterHash}`,
        `VOTE#${ARTICLE_ID}#${voterHash}`,
        `VOTE#${ARTICLE_ID}#${voterHash}`,
        `VOTE#${ARTICLE_ID}#${voterHashOf(OTHER_READER_ID)}`,
      ]);
      expect(voterHashOf(OTHER_READER_ID)).not.toBe(voterHash);
    });

    it.each([
      ['voterId', { option: 'sad', voterId: OTHER_READER_ID }, 'body.voterId'],
      ['readerId', { option: 'sad', readerId: OTHER_READER_ID }, 'body.readerId'],
    ])('lets no body name the voter: %s is refused with 400, writing nothing', async (_field, payload, path) => {
      const reply = await post(payload);

      expect(reply.statusCode).toBe(400);
      expect(parsed(reply).error.details).toEqual([expect.objectContaining({ path })]);
      expect(voteWrites()).toHaveLength(0);
      expect(JSON.stringify(dynamo.calls().map((call) => call.args[0].input))).not.toContain(
        voterHashOf(OTHER_READER_ID),
      );
    });
  });
});

describe('GET /articles/{articleId}/poll', () => {
  const get = (articleId = ARTICLE_ID) =>
    getResults(apiEvent({ path: `/articles/${articleId}/poll`, pathParameters: { articleId } }), lambdaContext());

  it('returns the results from one batch read of the definition and the tally shards, writing nothing', async () => {
    const reply = await get();

    expect(reply.statusCode).toBe(200);
    expect(parsed(reply)).toEqual({
      question: 'Old Lighthouse Logbooks Fill a Gap in Storm Records is...',
      options: [
        { id: 'sad', label: 'Sad', votes: 3, percent: 75 },
        { id: 'scary', label: 'Scary', votes: 1, percent: 25 },
      ],
      totalVotes: 4,
      updatedAt: '2024-03-14T02:00:00.000Z',
    });
    expect(dynamo).toHaveReceivedCommandTimes(BatchGetCommand, 1);
    const keys = dynamo.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems!['test-table']!.Keys!;
    expect(keys.map((key) => key.sk)).toEqual(['POLL', 'POLL#TALLY#0', 'POLL#TALLY#1', 'POLL#TALLY#2', 'POLL#TALLY#3']);
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('shows a story indexed before polls were defined at ingest its question and the default reactions, writing nothing', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': [] } });
    dynamo.on(GetCommand, { Key: { pk: `ARTICLE#${ARTICLE_ID}`, sk: 'META' } }).resolves({
      Item: { headline: 'Harbor Town Votes', poll: { question: 'Harbor Town Votes is...', options: [] } },
    });

    const reply = await get();

    expect(reply.statusCode).toBe(200);
    expect(parsed(reply).question).toBe('Harbor Town Votes is...');
    expect(parsed(reply).options.map((o: { id: string }) => o.id)).toEqual([
      'important',
      'interesting',
      'encouraging',
      'sad',
      'scary',
      'infuriating',
      'silly',
    ]);
    expect(parsed(reply).totalVotes).toBe(0);
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
    expect(dynamo).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('counts options named like Object.prototype members exactly, and those without votes as zero', async () => {
    // Prepare: a poll whose options are `constructor`, `tostring` and `valueof`; only `tostring` has votes.
    const named = {
      ...definitionItem,
      options: [
        { id: 'constructor', label: 'Constructor' },
        { id: 'tostring', label: 'toString' },
        { id: 'valueof', label: 'valueOf' },
      ],
    };
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': [named, tallyItem(1, { tostring: 3 }, 1)] } });

    const reply = await get();

    expect(parsed(reply)).toMatchObject({
      options: [
        { id: 'constructor', votes: 0, percent: 0 },
        { id: 'tostring', votes: 3, percent: 100 },
        { id: 'valueof', votes: 0, percent: 0 },
      ],
      totalVotes: 3,
    });
  });

  it('answers 404 for an unknown story', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': [] } });
    dynamo.on(GetCommand).resolves({});

    expect((await get()).statusCode).toBe(404);
    expect((await get('xyz')).statusCode).toBe(400);
  });
});

/** Every timer stays real; only `Date` is faked. */
const NOT_THE_CLOCK = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] satisfies Extract<Parameters<typeof jest.useFakeTimers>[0], { legacyFakeTimers?: false }>['doNotFake'];

describe('GET /polls/top', () => {
  const top = (query: Record<string, string>) => listTop(apiEvent({ path: '/polls/top', query }), lambdaContext());
  // The handler reads the clock per request: fixed here, so "today" cannot change mid-test.
  const today = '2024-03-14';
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date(`${today}T12:00:00.000Z`), doNotFake: NOT_THE_CLOCK });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it("reads today's ranking lists on gsi1 and names the leading reaction", async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    // In one of the day's lists; whichever it is, the handler reads them all.
    dynamo
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': `POLLTOP#${today}#0` } })
      .resolves({ Items: [{ articleId: ARTICLE_ID, totalVotes: 3, counts: { sad: 1, scary: 2 } }] });
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': [definitionItem] } });

    const reply = await top({ limit: '3' });

    expect(reply.statusCode).toBe(200);
    expect(parsed(reply)).toEqual({
      from: today,
      to: today,
      items: [
        {
          articleId: ARTICLE_ID,
          headline: 'Old Lighthouse Logbooks Fill a Gap in Storm Records',
          question: 'Old Lighthouse Logbooks Fill a Gap in Storm Records is...',
          totalVotes: 3,
          leadingReaction: { id: 'scary', label: 'Scary', votes: 2, percent: 67 },
        },
      ],
    });
    expect(dynamo).toHaveReceivedCommandTimes(QueryCommand, 4);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, { IndexName: 'gsi1', ScanIndexForward: false, Limit: 3 });
  });

  it.each([
    [{ since: 'yesterday' }, 'query.since'],
    [{ since: '2024-02-30' }, 'query.since'],
    [{ since: '2000-01-01' }, 'query.since'],
    [{ limit: '0' }, 'query.limit'],
    [{ limit: '51' }, 'query.limit'],
    [{ sort: 'votes' }, 'query.sort'],
  ])('refuses %p with 400 naming %s', async (query, path) => {
    const reply = await top(query);

    expect(reply.statusCode).toBe(400);
    expect(parsed(reply).error.details[0].path).toBe(path);
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });
});

describe('GET /articles?sort=votes', () => {
  const list = (query: Record<string, string>) => listArticles(apiEvent({ path: '/articles', query }), lambdaContext());
  const entry = (id: string, votes: number) => ({
    articleId: id,
    totalVotes: votes,
    gsi2sk: `${String(votes).padStart(12, '0')}#${id}`,
  });
  const meta = (id: string) => ({
    id,
    slug: `s-${id}`,
    headline: `Story ${id}`,
    subheadline: null,
    byline: { authors: [], organization: null },
    publishedAt: '2024-03-14T00:00:00.000Z',
    version: 1,
    updatedAt: '2024-03-14T00:00:00.000Z',
  });

  it('merges the all-time ranking shards on gsi2, most votes first, with a cursor that resumes below the last', async () => {
    const [a, b, c] = ['000000000000000a', '000000000000000b', '000000000000000c'];
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'POLLTOP#ALL#2' } })
      .resolves({ Items: [entry(a, 50), entry(c, 7)] });
    dynamo
      .on(QueryCommand, { ExpressionAttributeValues: { ':pk': 'POLLTOP#ALL#3' } })
      .resolves({ Items: [entry(b, 20)] });
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': [meta(b), meta(a)] } });

    const reply = await list({ sort: 'votes', limit: '2' });
    const page = parsed(reply);
    const next = await list({ sort: 'votes', limit: '2', cursor: page.nextCursor });

    expect(reply.statusCode).toBe(200);
    expect(page.items.map((item: { id: string; votes: number }) => [item.id, item.votes])).toEqual([
      [a, 50],
      [b, 20],
    ]);
    expect(page.items[0]).toMatchObject({ headline: `Story ${a}`, slug: `s-${a}` });
    expect(next.statusCode).toBe(200);
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'gsi2',
      KeyConditionExpression: '#ipk = :pk AND #isk < :before',
      ExpressionAttributeValues: { ':pk': 'POLLTOP#ALL#0', ':before': entry(b, 20).gsi2sk },
    });
  });

  it('refuses an unknown sort and a cursor of the newest listing with 400', async () => {
    const badSort = await list({ sort: 'popular' });
    const foreignCursor = await list({
      sort: 'votes',
      cursor: Buffer.from('{"pk":"ARTICLE#0123456789abcdef","sk":"META"}').toString('base64url'),
    });

    expect(parsed(badSort).error.details[0].path).toBe('query.sort');
    expect(foreignCursor.statusCode).toBe(400);
    expect(parsed(foreignCursor).error.details[0].path).toBe('query.cursor');
  });
});

harness.itSendsOnlyDeclaredTableOperations();
