import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ReaderHasher } from '../../../shared/privacy/reader-hasher';
import { storedCommentItem } from '../../support/comment-items';
import { applyUpdate } from '../../support/apply-update';
import { apiEvent, editorClaims, lambdaContext, readerClaims } from '../../support/api-events';
import { handlerHarness, type HttpResult, type HttpHandler } from '../../support/handler-harness';
import { readerAuthorization, unusableReaderCredentials } from '../../support/reader-tokens';

const HASH_KEY = 'unit-test-reader-hash-key-0123456789abcdef';
const harness = handlerHarness({
  // The old per-source vote and flag limits, as a deployment may still set them: no longer read.
  env: { READER_HASH_KEY: HASH_KEY, RATE_LIMIT_COMMENT_VOTE: '1/60', RATE_LIMIT_COMMENT_FLAG: '1/60' },
});
const { dynamo } = harness;
type Result = HttpResult;
const handlers: Record<string, HttpHandler> = Object.fromEntries(
  [
    'post-comment',
    'list-comments',
    'list-comment-replies',
    'vote-on-comment',
    'flag-comment',
    'moderate-comment',
    'list-moderation-queue',
    'change-comment-settings',
  ].map((name) => [name, harness.handler(name)]),
);
beforeEach(() => dynamo.reset());

const ARTICLE_ID = '0123456789abcdef';
const SUFFIX = '0190000000000123456789ab';
const COMMENT_ID = `${ARTICLE_ID}.${SUFFIX}`;
const conditionFailed = () =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

const storedComment = (overrides: Record<string, unknown> = {}) => storedCommentItem(ARTICLE_ID, SUFFIX, overrides);

/** The reader the bearer token names; votes and flags are keyed by its keyed hash, never by the body. */
const READER_ID = 'unit-reader-0001';
const OTHER_READER_ID = 'unit-reader-0002';
const voterHashOf = (readerId: string) => new ReaderHasher(Buffer.from(HASH_KEY)).hash('voter', readerId);
/** `Authorization` for READER_ID, issued once for the file (tokens live a day). */
let asReader: { authorization: string };
beforeAll(async () => {
  asReader = await readerAuthorization(READER_ID);
});

const UNUSABLE_CREDENTIALS = unusableReaderCredentials(READER_ID);
/** Writes to per-source rate-limit counters (`RATE#<action>#<source>`, see dynamo-rate-limiter). */
const rateLimitWrites = () =>
  dynamo.commandCalls(UpdateCommand).filter((call) => String(call.args[0].input.Key?.pk).startsWith('RATE#'));

/** The story exists (META), with its counts and, optionally, closed comments. */
function storyExists(options: { comments?: number; open?: boolean } = {}) {
  dynamo.on(BatchGetCommand).resolves({
    Responses: {
      'test-table': [
        { sk: 'META' },
        { sk: 'COUNTS', comments: options.comments ?? 0 },
        ...(options.open === false ? [{ sk: 'COMMENT_SETTINGS', commentsOpen: false }] : []),
      ],
    },
  });
}

/** A comment from READER_ID; `headers` add to, or replace, its content type and credentials. */
const postEvent = (body: unknown, headers: Record<string, string> = {}) =>
  apiEvent({
    method: 'POST',
    path: `/articles/${ARTICLE_ID}/comments`,
    pathParameters: { articleId: ARTICLE_ID },
    headers: { 'content-type': 'application/json', ...asReader, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const errorOf = (result: Result) => JSON.parse(result.body).error;

describe('POST /articles/{articleId}/comments', () => {
  it('stores the comment NFC-normalized and trimmed, as plain text, and answers 201 with it', async () => {
    storyExists();

    const result = await handlers['post-comment']!(
      postEvent({ author: '  Zoe\u0308  ', body: ' <b>Caf\u0065\u0301</b>\n ' }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(201);
    expect(result.headers['content-type']).toMatch(/^application\/json/);
    const comment = JSON.parse(result.body);
    expect(comment).toMatchObject({
      articleId: ARTICLE_ID,
      author: 'Zoë',
      body: '<b>Café</b>',
      parentId: null,
      status: 'approved',
      score: 0,
    });
    expect(comment.id).toMatch(new RegExp(`^${ARTICLE_ID}\\.[0-9a-f]{24}$`));
    expect(comment.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const stored = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input);
    const item = stored.find((input) => String(input.Item?.sk).startsWith('COMMENT#'))!;
    expect(item).toMatchObject({
      ConditionExpression: 'attribute_not_exists(#pk)',
      Item: { gsi2pk: `CNEW#${ARTICLE_ID}`, countedVisible: false },
    });
    // The reader's address is only ever stored hashed.
    expect(JSON.stringify(stored)).not.toContain('192.0.2.1');
  });

  it('holds a comment with a link as pending, out of the listings and in the queue', async () => {
    storyExists();

    const result = await handlers['post-comment']!(
      postEvent({ author: 'Ann', body: 'Read https://spam.example/x' }),
      lambdaContext(),
    );

    expect(JSON.parse(result.body)).toMatchObject({ status: 'pending' });
    const item = dynamo
      .commandCalls(PutCommand)
      .map((call) => call.args[0].input.Item!)
      .find((i) => String(i.sk).startsWith('COMMENT#'))!;
    expect(item).toMatchObject({ gsi1pk: 'MODQ#pending', heldFor: 'link' });
    expect(item.gsi2pk).toBeUndefined();
  });

  it.each([
    ['a missing author', { body: 'x' }, 'body.author'],
    ['an empty body after trimming', { author: 'A', body: ' \n ' }, 'body.body'],
    ['a control character in the body', { author: 'A', body: 'a\u0000b' }, 'body.body'],
    ['a line break in the author', { author: 'A\nB', body: 'x' }, 'body.author'],
    ['an author over 50 characters', { author: 'é'.repeat(51), body: 'x' }, 'body.author'],
    ['a body over 5000 characters', { author: 'A', body: '😀'.repeat(3001) + 'x'.repeat(2000) }, 'body.body'],
    ['a parent that is not a comment id', { author: 'A', body: 'x', parentId: 'nope' }, 'body.parentId'],
    ['an unknown field', { author: 'A', body: 'x', status: 'approved' }, 'body.status'],
    ['a voter id, which only the token gives now', { author: 'A', body: 'x', voterId: READER_ID }, 'body.voterId'],
  ])('answers 400 naming the field for %s, writing nothing', async (_name, body, path) => {
    const result = await handlers['post-comment']!(postEvent(body), lambdaContext());

    expect(result.statusCode).toBe(400);
    expect(errorOf(result).details.map((d: { path: string }) => d.path)).toContain(path);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('answers 400 for malformed JSON, 413 for an oversize body and 415 for another media type', async () => {
    const malformed = await handlers['post-comment']!(postEvent('{"author":'), lambdaContext());
    const oversize = await handlers['post-comment']!(
      postEvent({ author: 'A', body: 'x'.repeat(17_000) }),
      lambdaContext(),
    );
    const text = await handlers['post-comment']!(postEvent('hi', { 'content-type': 'text/plain' }), lambdaContext());

    expect([malformed.statusCode, oversize.statusCode, text.statusCode]).toEqual([400, 413, 415]);
    expect(errorOf(malformed).details).toEqual([{ path: 'body', message: 'Malformed JSON' }]);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('answers 404 for an unknown story and 409 when comments are closed, storing nothing', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': [] } });
    const unknown = await handlers['post-comment']!(postEvent({ author: 'A', body: 'x' }), lambdaContext());
    storyExists({ open: false });
    const closed = await handlers['post-comment']!(postEvent({ author: 'A', body: 'x' }), lambdaContext());

    expect([unknown.statusCode, closed.statusCode]).toEqual([404, 409]);
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('refuses a banned word with 422 and a reason', async () => {
    storyExists();

    const result = await handlers['post-comment']!(postEvent({ author: 'A', body: 'Go die' }), lambdaContext());

    expect(result.statusCode).toBe(422);
    expect(errorOf(result)).toMatchObject({
      code: 'comment_refused',
      message: expect.stringContaining('go die'),
      details: [{ path: 'body.body' }],
    });
    expect(dynamo).not.toHaveReceivedCommand(PutCommand);
  });

  it('answers 409 when the same source posted the same body within the window', async () => {
    storyExists();
    dynamo.on(PutCommand).callsFake((input) => {
      if (String(input.Item.pk).startsWith('RECENT#')) throw conditionFailed();
      return {};
    });

    const result = await handlers['post-comment']!(postEvent({ author: 'A', body: 'Again' }), lambdaContext());

    expect(result.statusCode).toBe(409);
    expect(
      dynamo.commandCalls(PutCommand).some((call) => String(call.args[0].input.Item?.sk).startsWith('COMMENT#')),
    ).toBe(false);
  });

  it('answers 429 with Retry-After over the per-source limit', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());

    const result = await handlers['post-comment']!(postEvent({ author: 'A', body: 'Fast' }), lambdaContext());

    expect(result.statusCode).toBe(429);
    expect(Number(result.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: expect.stringMatching(/^RATE#comment#/), sk: expect.any(String) },
    });
  });

  it('replays the first response for a repeated Idempotency-Key, and refuses the key with another body', async () => {
    // Prepare: the story, and idempotency records kept in memory as the table would keep them.
    storyExists();
    const records = new Map<string, Record<string, any>>();
    const locks: Array<{ lockOwner: string; lockedUntil: number }> = [];
    const isRecord = (input: { Key?: Record<string, unknown>; Item?: Record<string, unknown> }) =>
      String((input.Key ?? input.Item)?.pk).startsWith('IDEMPOTENCY#');
    dynamo.on(PutCommand).callsFake((input) => {
      if (!isRecord(input)) return {};
      locks.push({ lockOwner: input.Item.lockOwner, lockedUntil: input.Item.lockedUntil });
      if (records.has(input.Item.pk)) throw conditionFailed();
      records.set(input.Item.pk, { ...input.Item });
      return {};
    });
    dynamo.on(GetCommand).callsFake((input) => (isRecord(input) ? { Item: records.get(input.Key.pk) } : {}));
    dynamo.on(UpdateCommand).callsFake((input) => {
      if (isRecord(input)) records.set(input.Key.pk, applyUpdate(records.get(input.Key.pk), input));
      return {};
    });
    const post = (body: string) =>
      handlers['post-comment']!(postEvent({ author: 'A', body }, { 'idempotency-key': 'k-1' }), lambdaContext());

    // Act
    const before = Date.now();
    const first = await post('Once');
    const after = Date.now();
    const replay = await post('Once');
    const reused = await post('Twice');

    // Assess
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(replay.statusCode).toBe(201);
    expect(JSON.parse(replay.body)).toEqual(JSON.parse(first.body));
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(reused.statusCode).toBe(422);
    expect(errorOf(reused).code).toBe('idempotency_key_reused');
    const comments = dynamo.commandCalls(PutCommand).filter((call) => !isRecord(call.args[0].input));
    expect(comments.filter((call) => String(call.args[0].input.Item?.sk).startsWith('COMMENT#'))).toHaveLength(1);
    // Each attempt locks the key under its own owner for the invocation's time left (10 s here).
    expect(locks[0]!.lockedUntil).toBeGreaterThanOrEqual(before + 10_000);
    expect(locks[0]!.lockedUntil).toBeLessThanOrEqual(after + 10_000);
    expect(locks[0]!.lockOwner).toEqual(expect.any(String));
    expect(new Set(locks.map((lock) => lock.lockOwner)).size).toBe(3);
  });

  it('answers 400 for an Idempotency-Key that is not visible ASCII', async () => {
    const result = await handlers['post-comment']!(
      postEvent({ author: 'A', body: 'x' }, { 'idempotency-key': 'a b' }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(400);
    expect(errorOf(result).details[0].path).toBe('header.idempotency-key');
  });
});

describe('GET /articles/{articleId}/comments', () => {
  const listEvent = (query: Record<string, string> = {}) =>
    apiEvent({ path: `/articles/${ARTICLE_ID}/comments`, pathParameters: { articleId: ARTICLE_ID }, query });

  it('returns the page, the maintained total and a cursor only when more follows', async () => {
    storyExists({ comments: 61 });
    const second = storedComment({
      sk: 'COMMENT#0190000000000123456789aa',
      id: `${ARTICLE_ID}.0190000000000123456789aa`,
      gsi2pk: `CNEW#${ARTICLE_ID}`,
      gsi2sk: '0190000000000123456789aa',
    });
    dynamo
      .on(QueryCommand)
      .resolves({ Items: [storedComment({ gsi2pk: `CNEW#${ARTICLE_ID}`, gsi2sk: SUFFIX }), second] });

    const result = await handlers['list-comments']!(listEvent({ limit: '1' }), lambdaContext());

    const listing = JSON.parse(result.body);
    expect(listing).toMatchObject({
      total: 61,
      commentsOpen: true,
      items: [{ id: COMMENT_ID, body: 'Hello', replies: [], repliesCursor: null }],
    });
    expect(listing.items[0]).not.toHaveProperty('pk');
    expect(listing.items[0]).not.toHaveProperty('countedVisible');
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, { IndexName: 'gsi2', Limit: 2, ScanIndexForward: false });
    const cursor = JSON.parse(Buffer.from(listing.nextCursor, 'base64url').toString());
    expect(cursor).toEqual({
      pk: `ARTICLE#${ARTICLE_ID}`,
      sk: `COMMENT#${SUFFIX}`,
      gsi2pk: `CNEW#${ARTICLE_ID}`,
      gsi2sk: SUFFIX,
    });
  });

  it('reads sort=top from the score index and says there is no next page at the end', async () => {
    storyExists({ comments: 1 });
    dynamo.on(QueryCommand).resolves({ Items: [storedComment()] });

    const listing = JSON.parse((await handlers['list-comments']!(listEvent({ sort: 'top' }), lambdaContext())).body);

    expect(listing.nextCursor).toBeNull();
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'gsi1',
      ExpressionAttributeValues: { ':partition': `CTOP#${ARTICLE_ID}` },
      Limit: 21,
    });
  });

  it.each([
    [
      'another story',
      { pk: 'ARTICLE#ffffffffffffffff', sk: `COMMENT#${SUFFIX}`, gsi2pk: `CNEW#${ARTICLE_ID}`, gsi2sk: SUFFIX },
    ],
    [
      'another listing',
      {
        pk: `ARTICLE#${ARTICLE_ID}`,
        sk: `COMMENT#${SUFFIX}`,
        gsi1pk: `CTOP#${ARTICLE_ID}`,
        gsi1sk: `1000000000000#${SUFFIX}`,
      },
    ],
    [
      'an extra field',
      { pk: `ARTICLE#${ARTICLE_ID}`, sk: `COMMENT#${SUFFIX}`, gsi2pk: `CNEW#${ARTICLE_ID}`, gsi2sk: SUFFIX, x: 1 },
    ],
  ])('answers 400 naming query.cursor for a cursor of %s, without querying', async (_name, key) => {
    storyExists();

    const result = await handlers['list-comments']!(
      listEvent({ cursor: Buffer.from(JSON.stringify(key)).toString('base64url') }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(400);
    expect(errorOf(result).details).toEqual([{ path: 'query.cursor', message: expect.any(String) }]);
    expect(dynamo).not.toHaveReceivedCommand(QueryCommand);
  });

  it('answers 404 for an unknown story', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': [] } });
    dynamo.on(QueryCommand).resolves({ Items: [] });

    expect((await handlers['list-comments']!(listEvent(), lambdaContext())).statusCode).toBe(404);
  });
});

describe('reader reactions', () => {
  const reactionEvent = (kind: 'votes' | 'flags', body: unknown, credentials: Record<string, string> = asReader) =>
    apiEvent({
      method: 'POST',
      path: `/comments/${COMMENT_ID}/${kind}`,
      pathParameters: { commentId: COMMENT_ID },
      headers: { 'content-type': 'application/json', ...credentials },
      body: JSON.stringify(body),
    });
  const voteWrites = () =>
    dynamo
      .commandCalls(UpdateCommand)
      .map((call) => call.args[0].input)
      .filter((input) => String(input.Key!.pk).startsWith('CVOTE#'));
  const flagWrites = () =>
    dynamo
      .commandCalls(PutCommand)
      .map((call) => call.args[0].input)
      .filter((input) => String(input.Item!.pk).startsWith('CFLAG#'));

  it('records a first vote (201) under the hashed voter, and a replacing vote (200) with the value it replaced', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedComment() });
    let votes = 0;
    // The vote record has nothing to replace, then the first vote.
    dynamo
      .on(UpdateCommand)
      .callsFake((input) =>
        String(input.Key.pk).startsWith('CVOTE#') && votes++ > 0 ? { Attributes: { value: 1 } } : {},
      );

    const first = await handlers['vote-on-comment']!(reactionEvent('votes', { value: 1 }), lambdaContext());
    const second = await handlers['vote-on-comment']!(reactionEvent('votes', { value: -1 }), lambdaContext());

    expect([first.statusCode, second.statusCode]).toEqual([201, 200]);
    expect(JSON.parse(second.body)).toEqual({ commentId: COMMENT_ID, value: -1, previousValue: 1 });
    const writes = voteWrites();
    expect(writes).toHaveLength(2);
    expect(writes[0]!.Key).toEqual({ pk: `CVOTE#${COMMENT_ID}#${voterHashOf(READER_ID)}`, sk: expect.any(String) });
    expect(JSON.stringify(writes)).not.toContain(READER_ID);
    expect(writes[0]).toMatchObject({ ConditionExpression: 'attribute_not_exists(#pk) OR #value <> :value' });
  });

  it('answers 404 for a vote on a comment readers cannot see, and 400 for a value other than 1 or -1', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedComment({ status: 'pending' }) });

    const hidden = await handlers['vote-on-comment']!(reactionEvent('votes', { value: 1 }), lambdaContext());
    const bad = await handlers['vote-on-comment']!(reactionEvent('votes', { value: 0 }), lambdaContext());

    expect([hidden.statusCode, bad.statusCode]).toEqual([404, 400]);
    expect(errorOf(bad).details[0].path).toBe('body.value');
    expect(voteWrites()).toHaveLength(0);
  });

  it('counts a flag only from a reader whose token is ten minutes old: a newer one is recorded as counting for nothing', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedComment() });
    dynamo.on(PutCommand).resolves({});
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

    const fresh = await handlers['flag-comment']!(
      reactionEvent('flags', { reason: 'spam' }, await readerAuthorization('unit-reader-0201', minutesAgo(9))),
      lambdaContext(),
    );
    const settled = await handlers['flag-comment']!(
      reactionEvent('flags', { reason: 'spam' }, await readerAuthorization('unit-reader-0202', minutesAgo(11))),
      lambdaContext(),
    );

    expect([fresh.statusCode, settled.statusCode]).toEqual([201, 201]);
    expect([JSON.parse(fresh.body).counted, JSON.parse(settled.body).counted]).toEqual([false, true]);
    expect(flagWrites().map((item) => item.Item!.counts)).toEqual([false, true]);
  });

  it('records one flag per reader: 201, then 409', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedComment() });
    dynamo.on(PutCommand).resolvesOnce({}).rejects(conditionFailed());

    const first = await handlers['flag-comment']!(reactionEvent('flags', { reason: 'spam' }), lambdaContext());
    const again = await handlers['flag-comment']!(reactionEvent('flags', { reason: 'spam' }), lambdaContext());

    expect([first.statusCode, again.statusCode]).toEqual([201, 409]);
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({
        pk: `CFLAG#${COMMENT_ID}#${voterHashOf(READER_ID)}`,
        reason: 'spam',
        commentId: COMMENT_ID,
      }),
      ConditionExpression: 'attribute_not_exists(#pk)',
    });
  });

  it.each([
    ['vote-on-comment', 'votes', { value: 1 }],
    ['flag-comment', 'flags', { reason: 'spam' }],
  ] as const)(
    '%s sends no rate-limit write: what one source does is bounded by the reader tokens it can mint',
    async (name, kind, body) => {
      // Prepare: any per-source counter would be over its limit (the old limits are 1/60 here).
      dynamo.on(GetCommand).resolves({ Item: storedComment() });
      dynamo.on(PutCommand).resolves({});
      dynamo.on(UpdateCommand).callsFake((input) => {
        if (!String(input.Key.pk).startsWith('CVOTE#')) throw conditionFailed();
        return {};
      });

      // Act: three readers from the same address.
      const replies = [];
      for (const readerId of [READER_ID, OTHER_READER_ID, 'unit-reader-0003']) {
        replies.push(
          await handlers[name]!(reactionEvent(kind, body, await readerAuthorization(readerId)), lambdaContext()),
        );
      }

      // Assess: each reader's reaction is recorded, and no counter was written or even tried.
      expect(replies.map((reply) => reply.statusCode)).toEqual([201, 201, 201]);
      expect(voteWrites().length + flagWrites().length).toBe(3);
      expect(rateLimitWrites()).toHaveLength(0);
    },
  );

  it('keys votes by the reader the token names: the same reader with any token, one key; another reader, another', async () => {
    // Prepare: one vote record per key, kept in memory as the table would.
    dynamo.on(GetCommand).resolves({ Item: storedComment() });
    const stored = new Map<string, number>();
    dynamo.on(UpdateCommand).callsFake((input) => {
      const previous = stored.get(input.Key.pk);
      stored.set(input.Key.pk, input.ExpressionAttributeValues[':value']);
      return previous === undefined ? {} : { Attributes: { value: previous } };
    });
    const vote = async (value: 1 | -1, credentials: Record<string, string>) =>
      handlers['vote-on-comment']!(reactionEvent('votes', { value }, credentials), lambdaContext());

    // Act: the reader votes, replaces the vote with the same token, then again with a fresh one; then another reader.
    const first = await vote(1, asReader);
    const sameToken = await vote(-1, asReader);
    const freshToken = await vote(1, await readerAuthorization(READER_ID, new Date(Date.now() - 60_000)));
    const other = await vote(1, await readerAuthorization(OTHER_READER_ID));

    // Assess
    expect([first, sameToken, freshToken, other].map((reply) => reply.statusCode)).toEqual([201, 200, 200, 201]);
    expect(JSON.parse(freshToken.body)).toMatchObject({ value: 1, previousValue: -1 });
    const ours = `CVOTE#${COMMENT_ID}#${voterHashOf(READER_ID)}`;
    const theirs = `CVOTE#${COMMENT_ID}#${voterHashOf(OTHER_READER_ID)}`;
    expect(voteWrites().map((input) => input.Key!.pk)).toEqual([ours, ours, ours, theirs]);
    expect(theirs).not.toBe(ours);
  });

  it('keys flags by the reader the token names: a fresh token does not flag twice, another reader does', async () => {
    // Prepare: one flag record per key, refused on its condition as the table would.
    dynamo.on(GetCommand).resolves({ Item: storedComment() });
    const stored = new Set<string>();
    dynamo.on(PutCommand).callsFake((input) => {
      if (stored.has(input.Item.pk)) throw conditionFailed();
      stored.add(input.Item.pk);
      return {};
    });
    const flag = async (credentials: Record<string, string>) =>
      handlers['flag-comment']!(reactionEvent('flags', { reason: 'spam' }, credentials), lambdaContext());

    // Act
    const first = await flag(asReader);
    const freshToken = await flag(await readerAuthorization(READER_ID, new Date(Date.now() - 60_000)));
    const other = await flag(await readerAuthorization(OTHER_READER_ID));

    // Assess
    expect([first, freshToken, other].map((reply) => reply.statusCode)).toEqual([201, 409, 201]);
    expect(flagWrites().map((input) => input.Item!.pk)).toEqual([
      `CFLAG#${COMMENT_ID}#${voterHashOf(READER_ID)}`,
      `CFLAG#${COMMENT_ID}#${voterHashOf(READER_ID)}`,
      `CFLAG#${COMMENT_ID}#${voterHashOf(OTHER_READER_ID)}`,
    ]);
  });

  it.each([
    ['vote-on-comment', 'votes', { value: 1, voterId: OTHER_READER_ID }],
    ['flag-comment', 'flags', { reason: 'spam', voterId: OTHER_READER_ID }],
  ] as const)(
    '%s lets no body name the voter: voterId is refused with 400, writing nothing',
    async (name, kind, body) => {
      dynamo.on(GetCommand).resolves({ Item: storedComment() });

      const reply = await handlers[name]!(reactionEvent(kind, body), lambdaContext());

      expect(reply.statusCode).toBe(400);
      expect(errorOf(reply).details).toEqual([expect.objectContaining({ path: 'body.voterId' })]);
      expect(dynamo).not.toHaveReceivedCommand(PutCommand);
      expect(dynamo).not.toHaveReceivedCommand(UpdateCommand);
    },
  );
});

describe('reader credentials', () => {
  /** The three comment routes a reader writes through, each with a request that is otherwise valid. */
  const routes = [
    ['post-comment', () => postEvent({ author: 'Ann', body: 'Fine story' })],
    [
      'vote-on-comment',
      () =>
        apiEvent({
          method: 'POST',
          path: `/comments/${COMMENT_ID}/votes`,
          pathParameters: { commentId: COMMENT_ID },
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ value: 1 }),
        }),
    ],
    [
      'flag-comment',
      () =>
        apiEvent({
          method: 'POST',
          path: `/comments/${COMMENT_ID}/flags`,
          pathParameters: { commentId: COMMENT_ID },
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ reason: 'spam' }),
        }),
    ],
  ] as const;
  const withCredentials = (event: ReturnType<typeof apiEvent>, credentials: Record<string, string>) => {
    const { authorization: _dropped, ...headers } = event.headers ?? {};
    event.headers = { ...headers, ...credentials };
    return event;
  };

  describe.each(routes)('%s', (name, request) => {
    it.each(UNUSABLE_CREDENTIALS)('answers 401 for %s, reading and writing nothing', async (_case, credentials) => {
      storyExists();
      dynamo.on(GetCommand).resolves({ Item: storedComment() });

      const result = await handlers[name]!(withCredentials(request(), await credentials()), lambdaContext());

      expect(result.statusCode).toBe(401);
      expect(JSON.parse(result.body)).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      // Why the token failed is for the logs, not the caller.
      expect(result.body).not.toMatch(/expired|signature|issuer|malformed|key/i);
      expect(dynamo).not.toHaveReceivedCommand(PutCommand);
      expect(dynamo).not.toHaveReceivedCommand(UpdateCommand);
      expect(dynamo).not.toHaveReceivedCommand(TransactWriteCommand);
      expect(dynamo).not.toHaveReceivedAnyCommand();
    });

    it('answers 401 before validating anything else: an invalid body without a token', async () => {
      const event = withCredentials(request(), {});
      event.body = '{"voterId":';

      const result = await handlers[name]!(event, lambdaContext());

      expect(result.statusCode).toBe(401);
      expect(dynamo).not.toHaveReceivedAnyCommand();
    });

    it('accepts the same request with a valid token', async () => {
      storyExists();
      dynamo.on(GetCommand).resolves({ Item: storedComment() });
      dynamo.on(PutCommand).resolves({});
      dynamo.on(UpdateCommand).resolves({});

      const result = await handlers[name]!(withCredentials(request(), asReader), lambdaContext());

      expect(result.statusCode).toBe(201);
    });
  });
});

describe('editor routes', () => {
  const patchEvent = (body: unknown, claims?: Record<string, string>) =>
    apiEvent({
      method: 'PATCH',
      path: `/comments/${COMMENT_ID}`,
      pathParameters: { commentId: COMMENT_ID },
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      ...(claims ? { claims } : {}),
    });

  it('lets only editors moderate: 401 without a token, 403 for a reader', async () => {
    const anonymous = await handlers['moderate-comment']!(patchEvent({ status: 'hidden' }), lambdaContext());
    const reader = await handlers['moderate-comment']!(patchEvent({ status: 'hidden' }, readerClaims), lambdaContext());

    expect([anonymous.statusCode, reader.statusCode]).toEqual([401, 403]);
    expect(dynamo).not.toHaveReceivedAnyCommand();
  });

  it('approves a flagged comment with a write conditional on the version read, marking its flags reviewed', async () => {
    dynamo
      .on(GetCommand)
      .resolves({ Item: storedComment({ status: 'flagged', flagCount: 3, version: 7, gsi1pk: 'MODQ#flagged' }) });
    dynamo.on(UpdateCommand).resolves({});

    const result = await handlers['moderate-comment']!(
      patchEvent({ status: 'approved' }, editorClaims),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({
      status: 'approved',
      moderatedBy: editorClaims.sub,
      flags: { count: 3, sinceReview: 0 },
    });
    expect(dynamo).toHaveReceivedCommandWith(UpdateCommand, {
      ConditionExpression: 'attribute_exists(#pk) AND #version = :expected',
      ExpressionAttributeValues: expect.objectContaining({
        ':expected': 7,
        ':k0': `CTOP#${ARTICLE_ID}`,
        ':k2': `CNEW#${ARTICLE_ID}`,
      }),
    });
  });

  it('retries when the comment moved on between read and write', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: storedComment({ version: 1 }) })
      .resolves({ Item: storedComment({ version: 2 }) });
    dynamo.on(UpdateCommand).rejectsOnce(conditionFailed()).resolves({});

    const result = await handlers['moderate-comment']!(patchEvent({ status: 'hidden' }, editorClaims), lambdaContext());

    expect(result.statusCode).toBe(200);
    expect(
      dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input.ExpressionAttributeValues![':expected']),
    ).toEqual([1, 2]);
  });

  it('refuses to change a deleted comment (409) and answers 404 for an unknown one', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: storedComment({ status: 'deleted' }) })
      .resolves({});

    const deleted = await handlers['moderate-comment']!(
      patchEvent({ status: 'approved' }, editorClaims),
      lambdaContext(),
    );
    const unknown = await handlers['moderate-comment']!(
      patchEvent({ status: 'approved' }, editorClaims),
      lambdaContext(),
    );

    expect([deleted.statusCode, unknown.statusCode]).toEqual([409, 404]);
    expect(dynamo).not.toHaveReceivedCommand(UpdateCommand);
  });

  it('lists the flagged queue oldest first for editors', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { 'test-table': [] } });
    dynamo.on(QueryCommand, { Select: 'COUNT' }).resolves({ Count: 1 });
    dynamo.on(QueryCommand, { ScanIndexForward: true }).resolves({
      Items: [
        storedComment({
          status: 'flagged',
          flagCount: 4,
          flagReasons: { offensive: 4, abusive: 0, spam: 0, other: 0 },
        }),
      ],
    });

    const result = await handlers['list-moderation-queue']!(
      apiEvent({ path: '/moderation/comments', query: { status: 'flagged' }, claims: editorClaims }),
      lambdaContext(),
    );

    expect(JSON.parse(result.body)).toMatchObject({
      items: [{ id: COMMENT_ID, flags: { count: 4, reasons: { offensive: 4 } } }],
      nextCursor: null,
    });
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'gsi1',
      ScanIndexForward: true,
      ExpressionAttributeValues: { ':partition': 'MODQ#flagged' },
    });
  });

  it('closes comments on a story on the settings item, not on the story', async () => {
    storyExists();
    dynamo.on(PutCommand).resolves({});

    const result = await handlers['change-comment-settings']!(
      apiEvent({
        method: 'PATCH',
        pathParameters: { articleId: ARTICLE_ID },
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ commentsOpen: false }),
        claims: editorClaims,
      }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({
      articleId: ARTICLE_ID,
      commentsOpen: false,
      updatedBy: 'editor-1',
    });
    expect(dynamo).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ pk: `ARTICLE#${ARTICLE_ID}`, sk: 'COMMENT_SETTINGS', commentsOpen: false }),
    });
  });
});

describe('GET /comments/{commentId}/replies', () => {
  it('pages the replies of a visible top-level comment, with its reply count as total', async () => {
    dynamo.on(GetCommand).resolves({ Item: storedComment({ replyCount: 5 }) });
    dynamo
      .on(QueryCommand)
      .resolves({ Items: [storedComment({ id: `${ARTICLE_ID}.0190000000000123456789ff`, parentId: COMMENT_ID })] });

    const result = await handlers['list-comment-replies']!(
      apiEvent({ pathParameters: { commentId: COMMENT_ID }, query: { limit: '5' } }),
      lambdaContext(),
    );

    expect(JSON.parse(result.body)).toMatchObject({ total: 5, nextCursor: null, items: [{ parentId: COMMENT_ID }] });
    expect(dynamo).toHaveReceivedCommandWith(QueryCommand, {
      IndexName: 'gsi2',
      ScanIndexForward: true,
      ExpressionAttributeValues: { ':partition': `CREPLIES#${COMMENT_ID}` },
    });
  });
});

harness.itSendsOnlyDeclaredTableOperations();
