/**
 * Reader bans through the local stack (issue 12): editors ban and unban a reader; a banned
 * reader's every write — posting, voting on a comment and in a poll, flagging, reporting an
 * error — gets 403 `reader_banned`, and is accepted again once the ban is lifted or ends. A ban on
 * a signed-in reader holds for every token the site signs for them. Each function instance reads
 * the bans at most once a second, so every check waits for that second to pass.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issueSiteReaderToken } from '../../infra/local/auth';
import { SITE_TOKEN_SECRET_FILE } from '../../infra/local/data-dir';
import { LOCAL_SITE_SIGN_IN } from '../../infra/local/function-environment';
import { BAN_LIST_MAX_AGE_MS } from '../../shared/adapters/identity/reader-authenticator';
import { bannedReaderResponses } from '../../shared/http/contracts/readers';
import { siteReaderId } from '../../shared/identity/reader-identity';
import { ReaderHasher } from '../../shared/privacy/reader-hasher';
import { http, type HttpReply } from '../support/http';
import { withLocalStack } from '../support/local-stack';
import { mintReader, nextAddress } from '../support/reader-tokens';
import { SAMPLE_STORY_TEXT } from '../support/sample-story';

const local = withLocalStack({ name: 'reader-bans' });
let editor: Record<string, string>;
let storyId: string;
let pollOption: string;
/** A comment of a reader nobody bans, for the votes and flags. */
let commentId: string;

beforeAll(async () => {
  editor = { authorization: `Bearer ${await local.token('editor')}` };
  const created = await http(`${local.api}/articles`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', ...editor },
    body: SAMPLE_STORY_TEXT,
  });
  expect(created.status).toBe(201);
  storyId = created.body.id;
  pollOption = (await http(`${local.api}/articles/${storyId}/poll`)).body.options[0].id;
  const author = await mintReader(local.api);
  const comment = await post(`/articles/${storyId}/comments`, author.headers, { author: 'Ines', body: 'A comment.' });
  expect(comment.status).toBe(201);
  commentId = comment.body.id;
}, 60_000);

const post = (path: string, headers: Record<string, string>, body: unknown) =>
  http(`${local.api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

/** The five reader writes, by route, each as `headers` would send it for the first time. */
const WRITES: Array<[string, (headers: Record<string, string>) => Promise<HttpReply>]> = [
  [
    'POST /articles/{articleId}/comments',
    (headers) => post(`/articles/${storyId}/comments`, headers, { author: 'Ban test', body: `Posted ${Date.now()}` }),
  ],
  ['POST /comments/{commentId}/votes', (headers) => post(`/comments/${commentId}/votes`, headers, { value: 1 })],
  ['POST /comments/{commentId}/flags', (headers) => post(`/comments/${commentId}/flags`, headers, { reason: 'spam' })],
  [
    'POST /articles/{articleId}/poll/votes',
    (headers) => post(`/articles/${storyId}/poll/votes`, headers, { option: pollOption }),
  ],
  [
    'POST /articles/{articleId}/error-reports',
    (headers) =>
      post(`/articles/${storyId}/error-reports`, headers, {
        category: 'typo',
        description: `A typo in the second paragraph (${Date.now()}).`,
      }),
  ],
];

/** Each write's route and status, and for a refusal its code and `until` (its body as documented). */
async function attemptAll(headers: Record<string, string>) {
  const outcomes = [];
  for (const [route, write] of WRITES) {
    const reply = await write(headers);
    if (reply.status !== 403) {
      outcomes.push({ route, status: reply.status });
      continue;
    }
    expect([route, bannedReaderResponses[403].schema!.safeParse(reply.body).success]).toEqual([route, true]);
    outcomes.push({ route, status: reply.status, code: reply.body.error.code, until: reply.body.until });
  }
  return outcomes;
}

const ban = (readerId: string, body: Record<string, unknown> = {}) =>
  http(`${local.api}/readers/${readerId}/ban`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...editor },
    body: JSON.stringify(body),
  });
const unban = (readerId: string) => http(`${local.api}/readers/${readerId}/ban`, { method: 'DELETE', headers: editor });
/** Every function instance has read the bans again since the last change. */
const afterTheCachedSecond = () => new Promise((resolve) => setTimeout(resolve, BAN_LIST_MAX_AGE_MS + 100));

const refused = (until: string | null) =>
  WRITES.map(([route]) => ({ route, status: 403, code: 'reader_banned', until }));
const ACCEPTED = [
  { route: 'POST /articles/{articleId}/comments', status: 201 },
  { route: 'POST /comments/{commentId}/votes', status: 201 },
  { route: 'POST /comments/{commentId}/flags', status: 201 },
  { route: 'POST /articles/{articleId}/poll/votes', status: 201 },
  { route: 'POST /articles/{articleId}/error-reports', status: 202 },
];

describe('an anonymous reader', () => {
  it('banned, gets 403 reader_banned on every reader write; unbanned, is accepted again', async () => {
    const reader = await mintReader(local.api);
    const bystander = await mintReader(local.api);

    const banned = await ban(reader.readerId, { reason: 'Spam in every thread' });
    await afterTheCachedSecond();
    const whileBanned = await attemptAll(reader.headers);
    const others = await attemptAll(bystander.headers);
    const lifted = await unban(reader.readerId);
    await afterTheCachedSecond();
    const afterwards = await attemptAll(reader.headers);

    expect(banned.status).toBe(200);
    expect(banned.body).toEqual({
      readerId: reader.readerId,
      until: null,
      reason: 'Spam in every thread',
      bannedBy: expect.any(String),
      bannedAt: expect.any(String),
    });
    expect(whileBanned).toEqual(refused(null));
    expect(others).toEqual(ACCEPTED);
    expect([lifted.status, lifted.text]).toEqual([204, '']);
    expect(afterwards).toEqual(ACCEPTED);
  });

  it('banned for a while, is refused with the ban’s end and accepted once it has passed', async () => {
    const reader = await mintReader(local.api);
    const until = new Date(Date.now() + 3_000).toISOString();

    expect((await ban(reader.readerId, { until })).status).toBe(200);
    await afterTheCachedSecond();
    const [route, vote] = WRITES[3]!;
    const whileBanned = await vote(reader.headers);
    await new Promise((resolve) => setTimeout(resolve, Date.parse(until) - Date.now() + 100));
    const afterwards = await vote(reader.headers);

    expect([route, whileBanned.status, whileBanned.body.error.code, whileBanned.body.until]).toEqual([
      route,
      403,
      'reader_banned',
      until,
    ]);
    expect(afterwards.status).toBe(201);
  });

  it('lifting a ban twice, or one never made, answers 204 both times', async () => {
    const { readerId } = await mintReader(local.api);

    expect((await unban(readerId)).status).toBe(204);
    expect((await unban(readerId)).status).toBe(204);
  });
});

describe('a reader signed in on the news site', () => {
  it('banned while using one token, is refused with another token of the same subject; another subject is not', async () => {
    const secret = (await readFile(join(local.dataDir, SITE_TOKEN_SECRET_FILE), 'utf8')).trim();
    const token = (subject: string) =>
      issueSiteReaderToken(secret, LOCAL_SITE_SIGN_IN, { subject, name: `Reader ${subject}` });
    const asSiteReader = async (subject: string) => ({
      authorization: `Bearer ${await token(subject)}`,
      'x-forwarded-for': nextAddress(),
    });
    // The id editors would see on the reader's comments: the keyed hash of `site:<sub>`, derived
    // here with the stack's own hash key.
    const hashKey = (await readFile(join(local.dataDir, 'reader-hash-key'), 'utf8')).trim();
    const danaId = siteReaderId(new ReaderHasher(Buffer.from(hashKey, 'utf8')), 'dana');
    const onThePhone = await asSiteReader('dana');
    const [route, postComment] = WRITES[0]!;
    expect([route, (await postComment(onThePhone)).status]).toEqual([route, 201]);

    expect((await ban(danaId)).status).toBe(200);
    await afterTheCachedSecond();
    // A second later, a token the site signs anew, as on another device.
    const onTheLaptop = await asSiteReader('dana');

    expect(onTheLaptop.authorization).not.toBe(onThePhone.authorization);
    expect(await attemptAll(onTheLaptop)).toEqual(refused(null));
    expect((await postComment(onThePhone)).status).toBe(403);
    expect(await attemptAll(await asSiteReader('erin'))).toEqual(ACCEPTED);
  });
});
