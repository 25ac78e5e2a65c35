import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { ingestFiles, type FileOutcome } from '../../infra/cli/ingest-files';
import { issueToken } from '../../infra/local/auth';
import { localS3ClientConfig } from '../../infra/local/engines/local-clients';
import { type RunningLocalStack } from '../../infra/local/local-stack';
import { testDynamoClient } from '../support/engines';
import { http, type HttpReply } from '../support/http';
import { withLocalStack } from '../support/local-stack';
import { nextAddress, type MintedReader } from '../support/reader-tokens';
import { SAMPLE_STORY_TEXT } from '../support/sample-story';
import { STORY_PAGE } from '../support/story-page';

/**
 * Comments as readers and editors meet them: the local stack (same handlers and topology as
 * AWS, the table stream read like Lambda does), driven over HTTP. Rate limits are off, as for
 * any load test: 100 concurrent posts come from one address here.
 */

type Listing = {
  items: Array<{ id: string; body: string; replyCount: number; replies: unknown[] }>;
  total: number;
  nextCursor: string | null;
};

// Its readers are minted during the run: their flags count at once (the ten-minute rule has its own test).
const local = withLocalStack({ name: 'comments', env: { RATE_LIMITS: 'off', FLAG_MIN_READER_AGE_SECONDS: '0' } });
let stack: RunningLocalStack;
let api: string;
let editorToken: string;
/** The subject of the editor whose decisions the comments must record. */
const EDITOR_SUBJECT = 'desk-editor-7';
let storyId: string;
/** The reader who posts the comments (its headers: its token and address). */
let asReader: Record<string, string>;

beforeAll(async () => {
  ({ stack, api } = local);
  asReader = (await local.reader()).headers;
  editorToken = await local.token('editor', EDITOR_SUBJECT);
  const created = await http(`${api}/articles`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', authorization: `Bearer ${editorToken}` },
    body: SAMPLE_STORY_TEXT,
  });
  expect(created.status).toBe(201);
  storyId = created.body.id;
}, 60_000);

const postComment = (articleId: string, body: unknown, headers: Record<string, string> = {}) =>
  http(`${api}/articles/${articleId}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...asReader, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** A vote or flag (`POST /comments/{id}/votes|flags`) as `reader`. */
const react = (path: string, body: unknown, reader: MintedReader) =>
  http(`${api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...reader.headers },
    body: JSON.stringify(body),
  });

const send = (method: string, path: string, body: unknown, token?: string) =>
  http(`${api}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });

const list = (articleId: string, query = '') => http<Listing>(`${api}/articles/${articleId}/comments${query}`);

async function total(articleId: string): Promise<number> {
  return (await list(articleId, '?limit=1')).body.total;
}

async function countsOf(articleId: string): Promise<number> {
  return (await http(`${api}/articles/${articleId}`)).body.counts.comments;
}

const events = () => local.events<{ 'detail-type': string; detail: Record<string, unknown> }>();

/** Every item of the table, each as canonical JSON, sorted: equal snapshots mean nothing was written. */
async function tableSnapshot(): Promise<Array<{ json: string; expiresAt: number | null }>> {
  const items: Array<{ json: string; expiresAt: number | null }> = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await testDynamoClient().send(
      new ScanCommand({ TableName: stack.endpoints.table, ConsistentRead: true, ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? []) {
      const plain = unmarshall(item);
      const json = JSON.stringify(Object.fromEntries(Object.entries(plain).sort(([a], [b]) => (a < b ? -1 : 1))));
      items.push({ json, expiresAt: typeof plain.expiresAt === 'number' ? plain.expiresAt : null });
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.sort((a, b) => (a.json < b.json ? -1 : 1));
}

/** The snapshot without items expired by `nowSeconds`: the TTL sweeper may remove those at any time. */
const unexpired = (snapshot: Array<{ json: string; expiresAt: number | null }>, nowSeconds: number) =>
  snapshot.filter((item) => item.expiresAt === null || item.expiresAt > nowSeconds).map((item) => item.json);

describe('comments through the local stack', () => {
  let flaggedId: string;

  it('pages through 60 comments with limit=3: 20 pages, 60 distinct ids, total 60 on every page', async () => {
    for (let i = 0; i < 60; i += 10) {
      const replies = await Promise.all(
        Array.from({ length: 10 }, (_, j) =>
          postComment(storyId, { author: `Reader ${i + j}`, body: `Comment number ${i + j}` }),
        ),
      );
      expect(replies.map((r) => r.status)).toEqual(Array(10).fill(201));
    }
    await stack.idle();

    const ids: string[] = [];
    const totals: number[] = [];
    let pages = 0;
    let cursor: string | null = null;
    do {
      const page: HttpReply<Listing> = await list(storyId, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      pages++;
      ids.push(...page.body.items.map((item) => item.id));
      totals.push(page.body.total);
      cursor = page.body.nextCursor;
    } while (cursor);

    expect(pages).toBe(20);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
    expect(new Set(totals)).toEqual(new Set([60]));
    expect([...ids].sort().reverse()).toEqual(ids); // newest first
    expect(await countsOf(storyId)).toBe(60);
    flaggedId = ids[10]!;
  });

  it('hides a comment flagged past the threshold (total 59) until an editor approves it (60)', async () => {
    const flaggers = await Promise.all([1, 2, 3].map(() => local.reader()));
    const flags = await Promise.all(
      flaggers.map((reader) => react(`/comments/${flaggedId}/flags`, { reason: 'offensive' }, reader)),
    );
    expect(flags.map((f) => f.status)).toEqual([201, 201, 201]);
    await stack.idle();

    expect(await total(storyId)).toBe(59);
    expect(await countsOf(storyId)).toBe(59);
    const queue = await http(`${api}/moderation/comments?status=flagged`, {
      headers: { authorization: `Bearer ${editorToken}` },
    });
    expect(queue.status).toBe(200);
    expect(queue.body.items).toEqual([
      expect.objectContaining({ id: flaggedId, status: 'flagged', flags: expect.objectContaining({ count: 3 }) }),
    ]);
    expect((await react(`/comments/${flaggedId}/votes`, { value: 1 }, await local.reader())).status).toBe(404);

    const approved = await send('PATCH', `/comments/${flaggedId}`, { status: 'approved' }, editorToken);
    await stack.idle();

    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ id: flaggedId, status: 'approved', moderatedBy: EDITOR_SUBJECT });
    expect(await total(storyId)).toBe(60);
    expect(await countsOf(storyId)).toBe(60);
    const asReader = await send(
      'PATCH',
      `/comments/${flaggedId}`,
      { status: 'deleted' },
      await issueToken(stack.signingKey, { role: 'reader' }),
    );
    expect(asReader.status).toBe(403);
  });

  it('cannot be hidden by readers minted behind one address: three flag, nothing changes; one from elsewhere hides it', async () => {
    const posted = await postComment(storyId, {
      author: 'Target',
      body: 'Someone in one office would rather hide this.',
    });
    await stack.idle();
    const office = nextAddress();
    const colleagues = [await local.reader(office), await local.reader(office), await local.reader(office)];

    const flags = await Promise.all(
      colleagues.map((reader) => react(`/comments/${posted.body.id}/flags`, { reason: 'abusive' }, reader)),
    );
    await stack.idle();
    const afterOffice = await list(storyId);
    const outsider = await react(`/comments/${posted.body.id}/flags`, { reason: 'abusive' }, await local.reader());
    await stack.idle();
    const afterOutsider = await list(storyId);

    expect(flags.map((flag) => [flag.status, flag.body.counted])).toEqual(Array(3).fill([201, true]));
    expect(afterOffice.body.items.map((item) => item.id)).toContain(posted.body.id);
    expect(outsider.status).toBe(201);
    expect(afterOutsider.body.items.map((item) => item.id)).not.toContain(posted.body.id);
    const approved = await send('PATCH', `/comments/${posted.body.id}`, { status: 'approved' }, editorToken);
    expect(approved.body.flags).toMatchObject({ count: 4, sourcesSinceReview: 0 });
    await stack.idle();
  });

  it('counts 100 concurrent posts exactly: total +100', async () => {
    const before = await total(storyId);

    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) => postComment(storyId, { author: 'Crowd', body: `Concurrent comment ${i}` })),
    );
    await stack.idle();

    expect(replies.filter((r) => r.status === 201)).toHaveLength(100);
    expect(await total(storyId)).toBe(before + 100);
    expect(await countsOf(storyId)).toBe(before + 100);
  });

  it('stores one comment for the same Idempotency-Key sent 10 times, and refuses the key with another body', async () => {
    const before = await total(storyId);
    const body = { author: 'Careful reader', body: 'Posted on a flaky connection' };

    const replies = await Promise.all(
      Array.from({ length: 10 }, () => postComment(storyId, body, { 'idempotency-key': 'retry-me-123' })),
    );
    const other = await postComment(
      storyId,
      { ...body, body: 'Something else' },
      { 'idempotency-key': 'retry-me-123' },
    );
    await stack.idle();

    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(replies.map((r) => r.body.id)).size).toBe(1);
    expect(replies.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect(await total(storyId)).toBe(before + 1);
  });

  it('returns markup literally, as a JSON string with Content-Type application/json', async () => {
    const script = '<script>alert(1)</script>';

    const posted = await postComment(storyId, { author: 'Tester', body: script });
    await stack.idle();
    const newest = await list(storyId, '?limit=1');

    expect(posted.status).toBe(201);
    expect(posted.headers.get('content-type')).toMatch(/^application\/json/);
    expect(posted.headers.get('x-content-type-options')).toBe('nosniff');
    expect(posted.body.body).toBe(script);
    expect(newest.headers.get('content-type')).toMatch(/^application\/json/);
    expect(newest.body.items[0]!.body).toBe(script);
  });

  it('answers bad input with the right 4xx JSON error, and changes nothing', async () => {
    await stack.idle();
    // Minted before the snapshot: issuing a token may write the source's issuance counter.
    const someone = await local.reader();
    const itemsBefore = await tableSnapshot();
    const eventsBefore = (await events()).length;
    const totalBefore = await total(storyId);
    const unknownComment = `${storyId}.${'0'.repeat(24)}`;
    const cursor = (await list(storyId, '?limit=1')).body.nextCursor!;
    const tampered = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(cursor, 'base64url').toString()), gsi2pk: 'CNEW#0000000000000000' }),
    ).toString('base64url');

    const cases: Array<[string, HttpReply, number, string | undefined]> = [
      ['malformed JSON', await postComment(storyId, '{"author": "x", "body": '), 400, 'body'],
      ['missing body', await postComment(storyId, { author: 'x' }), 400, 'body.body'],
      ['missing author', await postComment(storyId, { body: 'x' }), 400, 'body.author'],
      ['unknown field', await postComment(storyId, { author: 'x', body: 'y', admin: true }), 400, 'body.admin'],
      ['empty after trimming', await postComment(storyId, { author: '   ', body: 'y' }), 400, 'body.author'],
      ['author too long', await postComment(storyId, { author: 'a'.repeat(51), body: 'y' }), 400, 'body.author'],
      ['body too long', await postComment(storyId, { author: 'x', body: 'b'.repeat(5001) }), 400, 'body.body'],
      ['control character', await postComment(storyId, { author: 'x', body: 'bell\u0007' }), 400, 'body.body'],
      // Refused by the body parser (path `body`) or by the text rules (`body.body`), whichever sees it first.
      [
        'unpaired surrogate',
        await postComment(storyId, '{"author":"x","body":"half \\ud800 a character"}'),
        400,
        undefined,
      ],
      ['wrong type', await postComment(storyId, { author: ['x'], body: 'y' }), 400, 'body.author'],
      ['oversize request', await postComment(storyId, { author: 'x', body: 'z'.repeat(20_000) }), 413, undefined],
      [
        'not JSON',
        await http(`${api}/articles/${storyId}/comments`, {
          method: 'POST',
          headers: { ...asReader, 'content-type': 'text/plain' },
          body: 'hi',
        }),
        415,
        undefined,
      ],
      [
        'no reader token',
        await http(`${api}/articles/${storyId}/comments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ author: 'x', body: 'y' }),
        }),
        401,
        undefined,
      ],
      [
        'an editor token as a reader',
        await postComment(storyId, { author: 'x', body: 'y' }, { authorization: `Bearer ${editorToken}` }),
        401,
        undefined,
      ],
      ['unknown article', await postComment('0000000000000000', { author: 'x', body: 'y' }), 404, undefined],
      ['malformed article id', await postComment('not-an-id', { author: 'x', body: 'y' }), 400, 'path.articleId'],
      [
        'unknown parent',
        await postComment(storyId, { author: 'x', body: 'y', parentId: unknownComment }),
        404,
        'body.parentId',
      ],
      [
        'unknown comment (vote)',
        await react(`/comments/${unknownComment}/votes`, { value: 1 }, someone),
        404,
        undefined,
      ],
      ['bad vote value', await react(`/comments/${unknownComment}/votes`, { value: 2 }, someone), 400, 'body.value'],
      [
        'unknown comment (flag)',
        await react(`/comments/${unknownComment}/flags`, { reason: 'spam' }, someone),
        404,
        undefined,
      ],
      [
        'bad flag reason',
        await react(`/comments/${unknownComment}/flags`, { reason: 'meh' }, someone),
        400,
        'body.reason',
      ],
      ['unknown comment (replies)', await http(`${api}/comments/${unknownComment}/replies`), 404, undefined],
      ['malformed comment id', await http(`${api}/comments/nope/replies`), 400, 'path.commentId'],
      ['traversal in a path id', await http(`${api}/comments/..%2F..%2Fx/replies`), 400, 'path.commentId'],
      ['NUL in a path id', await http(`${api}/comments/${unknownComment}%00/replies`), 400, 'path.commentId'],
      [
        'extra field (moderate)',
        await send('PATCH', `/comments/${unknownComment}`, { status: 'hidden', by: 'me' }, editorToken),
        400,
        'body.by',
      ],
      [
        'bad queue status',
        await http(`${api}/moderation/comments?status=approved`, {
          headers: { authorization: `Bearer ${editorToken}` },
        }),
        400,
        'query.status',
      ],
      [
        'wrong type (settings)',
        await send('PATCH', `/articles/${storyId}/comment-settings`, { commentsOpen: 'no' }, editorToken),
        400,
        'body.commentsOpen',
      ],
      [
        'unknown comment (moderate)',
        await send('PATCH', `/comments/${unknownComment}`, { status: 'hidden' }, editorToken),
        404,
        undefined,
      ],
      [
        'bad decision',
        await send('PATCH', `/comments/${unknownComment}`, { status: 'pending' }, editorToken),
        400,
        'body.status',
      ],
      ['tampered cursor', await list(storyId, `?cursor=${tampered}`), 400, 'query.cursor'],
      ['garbage cursor', await list(storyId, '?cursor=not-a-cursor!'), 400, 'query.cursor'],
      ['bad sort', await list(storyId, '?sort=random'), 400, 'query.sort'],
      ['bad limit', await list(storyId, '?limit=101'), 400, 'query.limit'],
      ['unknown article (list)', await list('0000000000000000'), 404, undefined],
    ];

    for (const [name, reply, status, path] of cases) {
      expect([name, reply.status]).toEqual([name, status]);
      expect([name, reply.headers.get('content-type')]).toEqual([name, expect.stringMatching(/^application\/json/)]);
      expect([name, typeof reply.body?.error?.code]).toEqual([name, 'string']);
      if (path)
        expect([name, reply.body.error.details?.map((d: { path: string }) => d.path)]).toEqual([
          name,
          expect.arrayContaining([path]),
        ]);
    }
    await stack.idle();
    const itemsAfter = await tableSnapshot();
    const now = Math.ceil(Date.now() / 1000);
    expect(unexpired(itemsAfter, now)).toEqual(unexpired(itemsBefore, now));
    expect((await events()).length).toBe(eventsBefore);
    expect(await total(storyId)).toBe(totalBefore);
  });

  it('threads replies two levels deep, and sorts by votes, one vote per reader', async () => {
    const articleId = (
      await http(`${api}/articles`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', authorization: `Bearer ${editorToken}` },
        body: SAMPLE_STORY_TEXT.replace('Harbor Town Votes', 'Harbor City Votes'),
      })
    ).body.id as string;
    const root = (await postComment(articleId, { author: 'A', body: 'Root' })).body;
    const other = (await postComment(articleId, { author: 'B', body: 'Other root' })).body;
    const reply = (await postComment(articleId, { author: 'C', body: 'Reply', parentId: root.id })).body;
    const deeper = (await postComment(articleId, { author: 'D', body: 'Reply to reply', parentId: reply.id })).body;
    const [readerA, readerB] = [await local.reader(), await local.reader()];
    const votes = [
      await react(`/comments/${root.id}/votes`, { value: 1 }, readerA),
      await react(`/comments/${root.id}/votes`, { value: -1 }, readerA),
      await react(`/comments/${other.id}/votes`, { value: 1 }, readerA),
      await react(`/comments/${other.id}/votes`, { value: 1 }, readerB),
    ];
    await stack.idle();

    expect(votes.map((v) => v.status)).toEqual([201, 200, 201, 201]);
    expect(deeper).toMatchObject({ threadId: root.id, parentId: reply.id });
    const top = await list(articleId, '?sort=top');
    expect(top.body.items.map((c) => [c.id, (c as unknown as { score: number }).score])).toEqual([
      [other.id, 2],
      [root.id, -1],
    ]);
    expect(top.body.total).toBe(4);
    expect(top.body.items[1]).toMatchObject({ replyCount: 2, replies: [{ id: reply.id }, { id: deeper.id }] });
    const replies = await http(`${api}/comments/${root.id}/replies?limit=1`);
    expect(replies.body).toMatchObject({ total: 2, items: [{ id: reply.id }], nextCursor: expect.any(String) });
  });

  it('holds links for review, refuses banned words, and lets editors close and reopen comments', async () => {
    const held = await postComment(storyId, { author: 'Promoter', body: 'Great deals at www.example.com today' });
    const refused = await postComment(storyId, { author: 'Troll', body: 'kys' });
    const close = await send('PATCH', `/articles/${storyId}/comment-settings`, { commentsOpen: false }, editorToken);
    const whileClosed = await postComment(storyId, { author: 'Late', body: 'Too late?' });
    const closedListing = await list(storyId, '?limit=1');
    const reopen = await send('PATCH', `/articles/${storyId}/comment-settings`, { commentsOpen: true }, editorToken);
    const afterReopen = await postComment(storyId, { author: 'Late', body: 'Too late?' });
    await stack.idle();

    expect(held.status).toBe(201);
    expect(held.body.status).toBe('pending');
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'comment_refused', details: [{ path: 'body.body' }] });
    expect([close.status, whileClosed.status, reopen.status, afterReopen.status]).toEqual([200, 409, 200, 201]);
    expect(closedListing.body).toMatchObject({ commentsOpen: false });
    const queue = await http(`${api}/moderation/comments?status=pending`, {
      headers: { authorization: `Bearer ${editorToken}` },
    });
    expect(queue.body.items.map((c: { id: string }) => c.id)).toContain(held.body.id);
    expect((await http(`${api}/moderation/comments`)).status).toBe(401);
  });

  it("imports a story page's comments once, with their original times, however often it is ingested", async () => {
    const s3 = new S3Client(localS3ClientConfig(stack.endpoints.s3));
    const ingest = async () => {
      const [outcome] = await ingestFiles({
        s3,
        bucket: stack.endpoints.bucket,
        files: [STORY_PAGE],
        timeoutMs: 20_000,
        pollMs: 50,
      });
      await stack.idle();
      return outcome as Extract<FileOutcome, { status: 'ingested' }>;
    };

    const first = await ingest();
    const again = await ingest();
    const listing = await http(`${api}/articles/${first.articleId}/comments?sort=oldest`);
    const article = await http(`${api}/articles/${first.articleId}`);

    expect(again.outcome).toBe('unchanged');
    expect(listing.body.total).toBe(3);
    expect(listing.body.items.map((c: { createdAt: string }) => c.createdAt)).toEqual([
      '2022-10-08T02:52:00.000Z',
      '2022-10-08T12:05:00.000Z',
      '2022-10-08T16:20:00.000Z',
    ]);
    expect(article.body).toMatchObject({ sourceCommentTotal: 41, counts: { comments: 3 } });
  });

  it('puts CommentPosted, CommentFlagged and CommentModerated on the bus, with ids and no reader secrets', async () => {
    const all = await events();
    const ofType = (type: string) => all.filter((e) => e['detail-type'] === type);

    expect(ofType('CommentPosted').length).toBeGreaterThanOrEqual(160);
    expect(ofType('CommentFlagged').filter((e) => e.detail.commentId === flaggedId)).toHaveLength(3);
    expect(
      ofType('CommentModerated')
        .filter((e) => e.detail.commentId === flaggedId)
        .map((e) => [e.detail.status, e.detail.by]),
    ).toEqual([
      ['flagged', 'readers'],
      ['approved', EDITOR_SUBJECT],
    ]);
    for (const event of [...ofType('CommentPosted'), ...ofType('CommentFlagged'), ...ofType('CommentModerated')]) {
      expect(event.detail).toMatchObject({
        articleId: expect.stringMatching(/^[0-9a-f]{16}$/),
        commentId: expect.any(String),
      });
    }
    const text = JSON.stringify(all);
    expect(text).not.toMatch(/reader-token|voter-aaaa|127\.0\.0\.1/);
  });
});
