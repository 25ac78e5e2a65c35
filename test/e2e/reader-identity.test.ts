/**
 * Reader identity through the local stack (issue 12): the reader of every reader write is the
 * one a verified token names — ours from `POST /readers/anonymous`, or the news site's for a
 * reader signed in there — and minting is what is limited per address.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issueSiteReaderToken } from '../../infra/local/auth';
import { SITE_TOKEN_SECRET_FILE } from '../../infra/local/data-dir';
import { LOCAL_SITE_SIGN_IN } from '../../infra/local/function-environment';
import { http } from '../support/http';
import { withLocalStack } from '../support/local-stack';
import { mintReader, nextAddress } from '../support/reader-tokens';
import { SAMPLE_STORY_TEXT } from '../support/sample-story';

const local = withLocalStack({ name: 'reader-identity' });
let storyId: string;
let editor: string;

beforeAll(async () => {
  editor = await local.token('editor');
  const created = await http(`${local.api}/articles`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', authorization: `Bearer ${editor}` },
    body: SAMPLE_STORY_TEXT,
  });
  expect(created.status).toBe(201);
  storyId = created.body.id;
}, 60_000);

const vote = (authorization: string | undefined, option = 'interesting') =>
  http(`${local.api}/articles/${storyId}/poll/votes`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ option }),
  });

const siteToken = async (subject: string, site: { issuer: string; audience: string } = LOCAL_SITE_SIGN_IN) =>
  issueSiteReaderToken((await readFile(join(local.dataDir, SITE_TOKEN_SECRET_FILE), 'utf8')).trim(), site, {
    subject,
    name: `Reader ${subject}`,
  });

describe('anonymous readers', () => {
  it('get a token, a reader id and an expiry, and vote once with it', async () => {
    const minted = await http(`${local.api}/readers/anonymous`, {
      method: 'POST',
      headers: { 'x-forwarded-for': nextAddress() },
    });

    expect(minted.status).toBe(201);
    expect(minted.body).toEqual({
      token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      readerId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
      expiresAt: expect.any(String),
    });
    const days = (Date.parse(minted.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(364);
    expect(days).toBeLessThanOrEqual(365);
    const bearer = `Bearer ${minted.body.token}`;
    expect((await vote(bearer)).status).toBe(201);
    expect((await vote(bearer, 'sad')).status).toBe(409);
  });

  it('one address mints 20 readers an hour, so it adds at most 20 votes to a story', async () => {
    const address = nextAddress();
    const minted = [];
    for (let i = 0; i < 21; i++) {
      minted.push(
        await http(`${local.api}/readers/anonymous`, { method: 'POST', headers: { 'x-forwarded-for': address } }),
      );
    }

    expect(minted.slice(0, 20).map((reply) => reply.status)).toEqual(Array(20).fill(201));
    expect(minted[20]!.status).toBe(429);
    expect(Number(minted[20]!.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another address is not held back.
    expect((await mintReader(local.api)).token).toEqual(expect.any(String));
  });
});

describe('readers signed in on the news site', () => {
  it('vote with the site’s own token, once per reader across tokens and devices', async () => {
    const first = await siteToken('alice');
    const second = await siteToken('alice');
    const bob = await siteToken('bob');

    expect((await vote(`Bearer ${first}`)).status).toBe(201);
    expect((await vote(`Bearer ${second}`, 'sad')).status).toBe(409);
    expect((await vote(`Bearer ${bob}`)).status).toBe(201);
  });

  it('are refused with a token of another site, or one a reader forged', async () => {
    const otherSite = await siteToken('mallory', {
      issuer: 'https://other.example',
      audience: LOCAL_SITE_SIGN_IN.audience,
    });
    const otherAudience = await siteToken('mallory', { issuer: LOCAL_SITE_SIGN_IN.issuer, audience: 'someone-else' });
    const [header, payload, signature] = (await siteToken('mallory')).split('.') as [string, string, string];
    const asAlice = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'alice' }),
    ).toString('base64url');
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`;

    for (const token of [otherSite, otherAudience, `${header}.${asAlice}.${signature}`, unsigned]) {
      const reply = await vote(`Bearer ${token}`);
      expect(reply.status).toBe(401);
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });
});

describe('comments carry who wrote them', () => {
  const comment = (headers: Record<string, string>, body: unknown) =>
    http(`${local.api}/articles/${storyId}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const change = (method: 'PUT' | 'DELETE', path: string, headers: Record<string, string>, body?: unknown) =>
    http(`${local.api}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const listed = async (id: string) =>
    (await http(`${local.api}/articles/${storyId}/comments?limit=50`)).body.items.find(
      (item: { id: string }) => item.id === id,
    );

  it('a signed-in reader is shown by the site’s name, verified; an anonymous one by their own, and must give one', async () => {
    const site = { authorization: `Bearer ${await siteToken('carol')}` };
    const anonymous = await mintReader(local.api);

    const signedIn = await comment(site, { author: 'Someone Else Entirely', body: 'Signed in and vouched for.' });
    const named = await comment(anonymous.headers, { author: 'Dora', body: 'Anonymous, named by me.' });
    const nameless = await comment(anonymous.headers, { body: 'Who am I?' });
    const held = await comment(anonymous.headers, { author: 'Dora', body: 'More at example.com' });
    await local.stack.idle();

    expect(signedIn.status).toBe(201);
    expect(signedIn.body).toMatchObject({ author: 'Reader carol', verified: true, edited: false });
    expect(signedIn.body.readerId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(signedIn.body.readerId).not.toContain('carol');
    expect(named.body).toMatchObject({ author: 'Dora', verified: false, readerId: anonymous.readerId });
    expect(nameless.status).toBe(400);
    expect(nameless.body.error.details).toEqual([{ path: 'body.author', message: 'Required' }]);
    const publicView = await listed(signedIn.body.id);
    expect(publicView).toMatchObject({ author: 'Reader carol', verified: true });
    expect(publicView).not.toHaveProperty('readerId');
    const queue = await http(`${local.api}/moderation/comments?status=pending&limit=50`, {
      headers: { authorization: `Bearer ${editor}` },
    });
    expect(held.body.status).toBe('pending');
    expect(queue.body.items).toContainEqual(
      expect.objectContaining({ id: held.body.id, readerId: anonymous.readerId, author: 'Dora' }),
    );
  });

  it('the author changes or deletes their own comment for 15 minutes; anyone else is not_author', async () => {
    const author = await mintReader(local.api);
    const someoneElse = await mintReader(local.api);
    const posted = await comment(author.headers, { author: 'Eli', body: 'Frist!' });
    const id = posted.body.id as string;

    const byOther = await change('PUT', `/comments/${id}/text`, someoneElse.headers, { body: 'Hijacked.' });
    const deleteByOther = await change('DELETE', `/comments/${id}`, someoneElse.headers);
    const edited = await change('PUT', `/comments/${id}/text`, author.headers, { body: 'First!' });
    await local.stack.idle();
    const afterEdit = await listed(id);
    const deleted = await change('DELETE', `/comments/${id}`, author.headers);
    const deletedAgain = await change('DELETE', `/comments/${id}`, author.headers);
    await local.stack.idle();

    expect([byOther.status, byOther.body.error.code]).toEqual([403, 'not_author']);
    expect([deleteByOther.status, deleteByOther.body.error.code]).toEqual([403, 'not_author']);
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id, body: 'First!', edited: true, readerId: author.readerId });
    expect(afterEdit).toMatchObject({ body: 'First!', edited: true });
    expect([deleted.status, deleted.text, deletedAgain.status]).toEqual([204, '', 204]);
    expect(await listed(id)).toBeUndefined();
    const events = await local.events();
    expect(events.filter((e) => e.detail?.commentId === id).map((e) => e['detail-type'])).toEqual(
      expect.arrayContaining(['CommentPosted', 'CommentEdited', 'CommentModerated']),
    );
  });
});

describe('editors open a reader', () => {
  it('shows the ban and its history, the reader’s comments newest first with the texts they replaced, and their flags', async () => {
    const reader = await mintReader(local.api);
    const post = async (body: string) =>
      (
        await http(`${local.api}/articles/${storyId}/comments`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...reader.headers },
          body: JSON.stringify({ author: 'Fay', body }),
        })
      ).body.id as string;
    const first = await post('My first word.');
    const second = await post('My secnod word.');
    await http(`${local.api}/comments/${second}/text`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...reader.headers },
      body: JSON.stringify({ body: 'My second word.' }),
    });
    const target = await mintReader(local.api);
    const flagged = (
      await http(`${local.api}/articles/${storyId}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...target.headers },
        body: JSON.stringify({ author: 'Gil', body: 'Flag me if you must.' }),
      })
    ).body.id as string;
    await http(`${local.api}/comments/${flagged}/flags`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...reader.headers },
      body: JSON.stringify({ reason: 'spam' }),
    });
    const asEditor = { authorization: `Bearer ${editor}`, 'content-type': 'application/json' };
    const ban = await http(`${local.api}/readers/${reader.readerId}/ban`, {
      method: 'PUT',
      headers: asEditor,
      body: JSON.stringify({ reason: 'Spam in every thread' }),
    });
    await local.stack.idle();

    const record = await http(`${local.api}/moderation/readers/${reader.readerId}?limit=1`, { headers: asEditor });
    const next = await http(
      `${local.api}/moderation/readers/${reader.readerId}?limit=1&commentsCursor=${record.body.comments.nextCursor}`,
      { headers: asEditor },
    );
    const asReader = await http(`${local.api}/moderation/readers/${reader.readerId}`, { headers: reader.headers });
    const nobody = await http(`${local.api}/moderation/readers/nobody-yet-0001`, { headers: asEditor });

    expect(ban.status).toBe(200);
    expect(record.status).toBe(200);
    expect(record.body).toMatchObject({
      readerId: reader.readerId,
      ban: { until: null },
      banHistory: [{ action: 'banned', reason: 'Spam in every thread', until: null }],
      comments: {
        items: [
          {
            id: second,
            body: 'My second word.',
            edited: true,
            readerId: reader.readerId,
            replacedTexts: [{ body: 'My secnod word.' }],
          },
        ],
      },
      flags: { items: [{ commentId: flagged, reason: 'spam', counted: false }], nextCursor: null },
    });
    expect(next.body.comments).toMatchObject({ items: [{ id: first, replacedTexts: [] }], nextCursor: null });
    expect(asReader.status).toBe(401);
    expect(nobody.body).toMatchObject({ ban: null, banHistory: [], comments: { items: [] }, flags: { items: [] } });
  });
});

describe('flags from brand-new identities', () => {
  it('are recorded, count for nothing, and cannot hide a comment: three tokens minted to flag do not', async () => {
    const author = await mintReader(local.api);
    const posted = await http(`${local.api}/articles/${storyId}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...author.headers },
      body: JSON.stringify({ author: 'Ines', body: 'A comment someone would rather hide.' }),
    });
    expect(posted.status).toBe(201);

    const flaggers = [await mintReader(local.api), await mintReader(local.api), await mintReader(local.api)];
    const flags = [];
    for (const flagger of flaggers) {
      flags.push(
        await http(`${local.api}/comments/${posted.body.id}/flags`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...flagger.headers },
          body: JSON.stringify({ reason: 'abusive' }),
        }),
      );
    }
    await local.stack.idle();

    expect(flags.map((flag) => [flag.status, flag.body.counted])).toEqual([
      [201, false],
      [201, false],
      [201, false],
    ]);
    const listing = await http(`${local.api}/articles/${storyId}/comments`);
    expect(listing.body.items.map((item: { id: string }) => item.id)).toContain(posted.body.id);
  });
});

describe('a reader token is not an editor token, nor an editor token a reader token', () => {
  it('crosses every pair', async () => {
    const anonymous = (await mintReader(local.api)).token;
    const signedIn = await siteToken('carol');
    const editorRoute = (token: string) =>
      http(`${local.api}/moderation/comments?status=pending`, { headers: { authorization: `Bearer ${token}` } });

    expect((await editorRoute(anonymous)).status).toBe(401);
    expect((await editorRoute(signedIn)).status).toBe(401);
    expect((await editorRoute(editor)).status).toBe(200);
    expect((await vote(`Bearer ${editor}`)).status).toBe(401);
    expect((await vote(`Bearer ${await local.token('reader')}`)).status).toBe(401);
  });
});
