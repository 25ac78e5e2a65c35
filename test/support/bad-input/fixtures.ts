/**
 * The data the bad-input suite and the contract test run against, created through the local
 * stack's own routes: stories, a comment, poll votes and error reports, plus real cursors.
 */
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SignJWT, importJWK } from 'jose';
import { ingestFiles } from '../../../infra/cli/ingest-files';
import { issueToken, loadOrCreateSigningKey, LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../../infra/local/auth';
import { localS3ClientConfig } from '../../../infra/local/engines/local-clients';
import type { RunningLocalStack } from '../../../infra/local/local-stack';
import { EDITOR_GROUP, GROUPS_CLAIM } from '../../../shared/http/caller';
import { http } from '../http';
import { mintReader } from '../reader-tokens';
import { SAMPLE_STORY_TEXT } from '../sample-story';
import { STORY_PAGE } from '../story-page';
import type { Tokens } from './cases';
import type { Fixtures } from './route-specs';

/** A valid editor and reader token, and two the gateway must refuse (expired, signed with another key). */
export async function issueTokens(stack: RunningLocalStack, dataDir: string): Promise<Tokens> {
  const key = stack.signingKey;
  const expired = await new SignJWT({ [GROUPS_CLAIM]: [EDITOR_GROUP], token_use: 'access' })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject('expired-editor')
    .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
    .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
    .sign(await importJWK(key.privateJwk, 'ES256'));
  const otherKey = await loadOrCreateSigningKey(join(dataDir, 'other-key'));
  return {
    editor: await issueToken(key, { role: 'editor' }),
    reader: await issueToken(key, { role: 'reader' }),
    expired,
    foreignKey: await issueToken(otherKey, { role: 'editor' }),
    anonymousReader: (await mintReader(stack.endpoints.api)).token,
  };
}

/** Two stories, a comment, poll votes and two error reports, and a real cursor from each listing that has one. */
export async function createFixtures(stack: RunningLocalStack, tokens: Tokens): Promise<Fixtures> {
  const api = stack.endpoints.api;
  const s3 = new S3Client(localS3ClientConfig(stack.endpoints.s3));
  const [dropped] = await ingestFiles({
    s3,
    bucket: stack.endpoints.bucket,
    files: [STORY_PAGE],
    timeoutMs: 20_000,
    pollMs: 50,
  });
  if (dropped?.status !== 'ingested') throw new Error(`Story page not ingested: ${JSON.stringify(dropped)}`);
  const articleId = dropped.articleId;
  const editor = { authorization: `Bearer ${tokens.editor}` };
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    http(`${api}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const created = await post('/articles', SAMPLE_STORY_TEXT, { ...editor, 'content-type': 'text/plain' });
  const otherArticleId = created.body.id as string;
  // The fixtures' own reader: the suite's reader (tokens.anonymousReader) has not voted yet.
  const { headers: asReader } = await mintReader(api);
  const comment = await post(
    `/articles/${articleId}/comments`,
    { author: 'Fixture', body: 'A fixture comment.' },
    asReader,
  );
  // The suite's reader's own comments, for the author's routes.
  const asSuiteReader = { authorization: `Bearer ${tokens.anonymousReader}` };
  const own = [];
  for (const body of ['Mine to change.', 'Mine to delete.']) {
    own.push(await post(`/articles/${articleId}/comments`, { author: 'Suite reader', body }, asSuiteReader));
  }
  const poll = await http(`${api}/articles/${articleId}/poll`);
  const pollOptions = (poll.body.options as { id: string }[]).map((o) => o.id);
  await post(`/articles/${articleId}/poll/votes`, { option: pollOptions[0] }, asReader);
  await post(`/articles/${otherArticleId}/poll/votes`, { option: pollOptions[1] }, asReader);
  const reports = [];
  for (const description of ['The headline date looks wrong.', 'The second paragraph has a typo.']) {
    reports.push(await post(`/articles/${articleId}/error-reports`, { category: 'typo', description }, asReader));
  }
  await stack.idle();
  for (const reply of [created, comment, ...own, poll, ...reports]) {
    if (reply.status >= 300) throw new Error(`Fixture request failed: ${reply.status} ${reply.text}`);
  }

  const cursorOf = async (path: string, headers: Record<string, string> = {}): Promise<string> => {
    const page = await http(`${api}${path}`, { headers });
    if (typeof page.body?.nextCursor !== 'string') throw new Error(`No cursor from ${path}: ${page.text}`);
    return page.body.nextCursor;
  };
  return {
    articleId,
    commentId: comment.body.id,
    ownCommentIds: { edit: own[0]!.body.id, remove: own[1]!.body.id },
    reportId: reports[0]!.body.reportId,
    articleIds: [articleId, otherArticleId],
    pollOptions,
    readerId: 'bad-input-banned-reader',
    cursors: {
      'GET /articles': [await cursorOf('/articles?limit=1')],
      // Another listing's cursor on the same route: it must not be taken for a feed cursor.
      'GET /articles?sort=votes': [await cursorOf('/articles?limit=1&sort=votes')],
      'GET /articles/{articleId}/comments': [await cursorOf(`/articles/${articleId}/comments?limit=1`)],
      'GET /error-reports': [await cursorOf('/error-reports?limit=1', editor)],
    },
  };
}
