/**
 * "Report an error on this story" through the local stack: a reader's report on a story page,
 * the editors' alert (events log, inbox, console), triage, the public correction on the story
 * (API and S3), counts, the contact's privacy and erasure, and the 4xx answers to bad input.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ingestFiles, type FileOutcome } from '../../infra/cli/ingest-files';
import { REPO_ROOT, type RunningLocalStack } from '../../infra/local/local-stack';
import { testDynamoClient } from '../support/engines';
import { withLocalStack } from '../support/local-stack';
import { http, type HttpReply } from '../support/http';
import { STORY_PAGE } from '../support/story-page';
import { waitFor } from '../support/wait-for';

const GARBAGE = resolve(REPO_ROOT, 'test', 'fixtures', 'garbage', 'not-a-story.txt');
const CONTACT = 'careful.reader@example.org';
const RATE_LIMIT = 8;

let stack: RunningLocalStack;
let dataDir: string;
let s3: S3Client;
let api: string;
let editor: string;
let reader: string;
const local = withLocalStack({
  name: 'error-reports',
  env: { RATE_LIMIT_ERROR_REPORT: `${RATE_LIMIT}/3600`, ERROR_REPORT_CONTACT_RETENTION_DAYS: '0' },
  ttlSweepIntervalMs: 100,
});
const consoleLines = local.logLines;

beforeAll(async () => {
  ({ stack, dataDir, api, s3 } = local);
  editor = await local.token('editor');
  reader = await local.token('reader');
});

async function ingest(file: string): Promise<FileOutcome> {
  const [outcome] = await ingestFiles({
    s3,
    bucket: stack.endpoints.bucket,
    files: [file],
    timeoutMs: 20_000,
    pollMs: 50,
  });
  await stack.idle();
  return outcome!;
}

async function jsonLines(name: string): Promise<Array<{ 'detail-type': string; detail: any }>> {
  const text = await readFile(join(dataDir, name), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

async function tableItems(): Promise<Array<Record<string, any>>> {
  const out = await testDynamoClient().send(
    new ScanCommand({ TableName: stack.endpoints.table, ConsistentRead: true }),
  );
  return out.Items ?? [];
}

async function storedArticle(id: string): Promise<any> {
  const object = await s3.send(new GetObjectCommand({ Bucket: stack.endpoints.bucket, Key: `articles/${id}.json` }));
  return JSON.parse(await object.Body!.transformToString());
}

const asJson = (token?: string): Record<string, string> => ({
  'content-type': 'application/json',
  ...(token ? { authorization: `Bearer ${token}` } : {}),
});
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const report = (articleId: string, body: unknown, headers = asJson()) =>
  http(`${api}/articles/${articleId}/error-reports`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const patch = (reportId: string, body: unknown, token = editor) =>
  http(`${api}/error-reports/${reportId}`, { method: 'PATCH', headers: asJson(token), body: JSON.stringify(body) });

const THE_REPORT = {
  category: 'factual',
  description: 'The story gives the survey figure as 58% of visitors; the museum published 48%.',
  quote: 'most visitors (58%) had no idea',
  contact: CONTACT,
};

describe('error reports through the local stack', () => {
  let storyId: string;
  let reportId: string;

  beforeAll(async () => {
    const outcome = await ingest(STORY_PAGE);
    expect(outcome.status).toBe('ingested');
    storyId = (outcome as Extract<FileOutcome, { status: 'ingested' }>).articleId;
  }, 30_000);

  it('accepts a report on the story with 202', async () => {
    const reply = await report(storyId, THE_REPORT);

    expect(reply.status).toBe(202);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(reply.body).toEqual({
      reportId: expect.stringMatching(new RegExp(`^${storyId}-[0-9a-f]{16}$`)),
      status: 'received',
    });
    reportId = reply.body.reportId;
  });

  it('alerts the editors with ErrorReportSubmitted, in the events log, the inbox and on the console, never with the contact', async () => {
    await stack.idle();

    const submitted = (await jsonLines('events.jsonl')).filter((e) => e['detail-type'] === 'ErrorReportSubmitted');
    expect(submitted).toHaveLength(1);
    expect(submitted[0]!.detail).toEqual({
      schemaVersion: 1,
      articleId: storyId,
      reportId,
      category: 'factual',
      excerpt: THE_REPORT.description,
      submittedAt: expect.any(String),
    });
    const inbox = await jsonLines('editor-inbox.jsonl');
    expect(inbox.map((e) => [e['detail-type'], e.detail.reportId])).toContainEqual(['ErrorReportSubmitted', reportId]);
    expect(
      consoleLines.some((line) => line.startsWith('editor alert ErrorReportSubmitted') && line.includes(reportId)),
    ).toBe(true);
    for (const file of ['events.jsonl', 'editor-inbox.jsonl'])
      expect(await readFile(join(dataDir, file), 'utf8')).not.toContain(CONTACT);
    expect(consoleLines.join('\n')).not.toContain(CONTACT);
  });

  it('lists it for editors (without the contact) and shows the contact only on the report itself', async () => {
    const list = await http(`${api}/error-reports`, { headers: bearer(editor) });
    const forStory = await http(`${api}/error-reports?articleId=${storyId}&status=received`, {
      headers: bearer(editor),
    });
    const one = await http(`${api}/error-reports/${reportId}`, { headers: bearer(editor) });

    expect(list.status).toBe(200);
    expect(list.body.items.map((r: { reportId: string }) => r.reportId)).toEqual([reportId]);
    expect(list.text).not.toContain(CONTACT);
    expect(forStory.body.items).toEqual([
      expect.objectContaining({
        reportId,
        articleId: storyId,
        status: 'received',
        hasContact: true,
        quote: THE_REPORT.quote,
      }),
    ]);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ reportId, contact: CONTACT, description: THE_REPORT.description });
  });

  it('counts it as an open report on the story', async () => {
    const story = await http(`${api}/articles/${storyId}`);

    expect(story.body.counts.errorReports).toBe(1);
    expect(story.body.corrections).toEqual([]);
  });

  it('takes the same report posted twice as one report', async () => {
    const again = await report(storyId, { ...THE_REPORT, description: `  ${THE_REPORT.description}  ` });
    await stack.idle();

    expect(again.status).toBe(202);
    expect(again.body).toEqual({ reportId, status: 'received' });
    const list = await http(`${api}/error-reports?articleId=${storyId}`, { headers: bearer(editor) });
    expect(list.body.items).toHaveLength(1);
    expect((await jsonLines('events.jsonl')).filter((e) => e['detail-type'] === 'ErrorReportSubmitted')).toHaveLength(
      1,
    );
    expect((await http(`${api}/articles/${storyId}`)).body.counts.errorReports).toBe(1);
  });

  it('answers 401 without a token and 403 with a reader token on every editor route', async () => {
    const routes = (token?: string) => {
      const headers = token ? bearer(token) : {};
      return Promise.all([
        http(`${api}/error-reports`, { headers }),
        http(`${api}/error-reports/${reportId}`, { headers }),
        http(`${api}/error-reports/${reportId}`, {
          method: 'PATCH',
          headers: asJson(token),
          body: '{"status":"rejected"}',
        }),
      ]);
    };

    const anonymous = await routes();
    const asReader = await routes(reader);

    expect(anonymous.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(asReader.map((r) => r.status)).toEqual([403, 403, 403]);
    for (const reply of [...anonymous, ...asReader]) expect(reply.body.error.code).toEqual(expect.any(String));
    expect(asReader.some((reply) => reply.text.includes(CONTACT))).toBe(false);
    expect((await http(`${api}/error-reports/${reportId}`, { headers: bearer(editor) })).body.status).toBe('received');
  });

  it('moves received → reviewing, refuses a backwards move with 409, and closes as corrected', async () => {
    const reviewing = await patch(reportId, { status: 'reviewing', note: 'Checking the museum survey' });
    const backwards = await patch(reportId, { status: 'received' });
    const corrected = await patch(reportId, {
      status: 'corrected',
      correction: 'An earlier version of this story misstated the share of visitors in the museum survey.',
    });
    const afterClose = await patch(reportId, { status: 'rejected' });
    await stack.idle();

    expect(reviewing.status).toBe(200);
    expect(reviewing.body).toMatchObject({
      status: 'reviewing',
      history: [{ status: 'received' }, { status: 'reviewing', note: 'Checking the museum survey' }],
    });
    expect(backwards.status).toBe(409);
    expect(backwards.body.error.code).toBe('conflict');
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ status: 'corrected', closedAt: expect.any(String) });
    expect(afterClose.status).toBe(409);
    const events = await jsonLines('events.jsonl');
    expect(events.filter((e) => e.detail.reportId === reportId).map((e) => e['detail-type'])).toEqual([
      'ErrorReportSubmitted',
      'ErrorReportUpdated',
      'ErrorReportResolved',
    ]);
    expect(JSON.stringify(events)).not.toContain(CONTACT);
  });

  it('publishes the correction on the story, in the API and in S3, and no longer counts the report', async () => {
    const story = await http(`${api}/articles/${storyId}`);
    const stored = await storedArticle(storyId);

    const expected = [
      {
        text: 'An earlier version of this story misstated the share of visitors in the museum survey.',
        correctedAt: expect.any(String),
      },
    ];
    expect(story.body.corrections).toEqual(expected);
    expect(stored.corrections).toEqual(story.body.corrections);
    expect(stored).toMatchObject({ id: storyId, headline: story.body.headline, body: story.body.body });
    expect(story.body.counts.errorReports).toBe(0);
  });

  it("erases the reader's contact once the report is closed (here with no retention)", async () => {
    const contactItems = async () => (await tableItems()).filter((item) => item.sk.S.startsWith('CONTACT#'));

    await waitFor(async () => (await contactItems()).length === 0, {
      description: "the follow-up to erase the closed report's contact",
      intervalMs: 100,
    });

    expect(await contactItems()).toEqual([]);
    const one = await http(`${api}/error-reports/${reportId}`, { headers: bearer(editor) });
    expect(one.body).toMatchObject({ reportId, status: 'corrected', contact: null, hasContact: true });
  });

  it('keeps the correction when the story is ingested again, unchanged or changed', async () => {
    const unchanged = await ingest(STORY_PAGE);
    const editedPath = join(dataDir, 'story-edited.txt');
    await writeFile(
      editedPath,
      (await readFile(STORY_PAGE, 'utf8')).replace(
        'the results are ... surprisingly useful',
        'the results are ... useful',
      ),
    );
    const changed = await ingest(editedPath);

    expect(unchanged).toMatchObject({ status: 'ingested', outcome: 'unchanged' });
    expect(changed).toMatchObject({ status: 'ingested', articleId: storyId, outcome: 'updated' });
    const story = await http(`${api}/articles/${storyId}`);
    const stored = await storedArticle(storyId);
    expect(story.body.corrections).toHaveLength(1);
    expect(stored.body[0]).toMatch(/the results are \.\.\. useful/);
    expect(stored.corrections).toEqual(story.body.corrections);
  });

  it('routes ingest rejections to the same inbox', async () => {
    const outcome = await ingest(GARBAGE);

    expect(outcome.status).toBe('rejected');
    const rejectedKey = (outcome as Extract<FileOutcome, { status: 'rejected' }>).rejectedKey;
    const inbox = await jsonLines('editor-inbox.jsonl');
    expect(inbox.filter((e) => e['detail-type'] === 'ArticleRejected').map((e) => e.detail.rejectedKey)).toContain(
      rejectedKey,
    );
    expect(consoleLines.some((line) => line.startsWith('editor alert ArticleRejected'))).toBe(true);
  });

  it('answers malformed and oversize input with JSON 4xx errors naming the field, changing nothing', async () => {
    const itemsBefore = await tableItems();
    const eventsBefore = (await jsonLines('events.jsonl')).length;

    const replies: Array<[HttpReply, number, string | undefined]> = [
      [await report(storyId, '{"category":'), 400, 'body'],
      [await report(storyId, { ...THE_REPORT, category: 'rumour' }), 400, 'body.category'],
      [await report(storyId, { ...THE_REPORT, description: 'short' }), 400, 'body.description'],
      [await report(storyId, { ...THE_REPORT, quote: 'q'.repeat(501) }), 400, 'body.quote'],
      [await report(storyId, { ...THE_REPORT, contact: 'nobody' }), 400, 'body.contact'],
      [await report(storyId, { ...THE_REPORT, description: 'x'.repeat(20_000) }), 413, undefined],
      [
        await report(storyId, 'category=factual', { 'content-type': 'application/x-www-form-urlencoded' }),
        415,
        undefined,
      ],
      [await report('not-a-story-id', THE_REPORT), 400, 'path.articleId'],
      [await patch(reportId, { status: 'reviewing', extra: true }), 400, 'body.extra'],
      [await patch(reportId, { status: 'rejected', correction: 'Only when corrected' }), 400, 'body.correction'],
      [await patch('nope', { status: 'rejected' }), 400, 'path.reportId'],
      [await http(`${api}/error-reports?status=open`, { headers: bearer(editor) }), 400, 'query.status'],
      [
        await http(`${api}/error-reports?cursor=${Buffer.from('{"pk":"x"}').toString('base64url')}`, {
          headers: bearer(editor),
        }),
        400,
        'query.cursor',
      ],
    ];
    await stack.idle();

    for (const [reply, status, path] of replies) {
      expect([reply.status, reply.headers.get('content-type')]).toEqual([
        status,
        expect.stringMatching(/^application\/json/),
      ]);
      expect(reply.body.error.code).toEqual(expect.any(String));
      if (path) expect(reply.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect(await tableItems()).toEqual(itemsBefore);
    expect((await jsonLines('events.jsonl')).length).toBe(eventsBefore);
  });

  it('answers 404 for a story that does not exist, filing nothing', async () => {
    const reply = await report('0000000000000000', THE_REPORT);

    expect(reply.status).toBe(404);
    expect((await tableItems()).filter((item) => item.pk.S === 'ARTICLE#0000000000000000')).toEqual([]);
  });

  it('answers 429 with Retry-After once one source sends more reports than the limit', async () => {
    let limited: HttpReply | undefined;
    for (let i = 0; i <= RATE_LIMIT && !limited; i++) {
      const reply = await report(storyId, {
        category: 'typo',
        description: `Typo number ${i} in the second paragraph.`,
      });
      if (reply.status === 429) limited = reply;
      else expect(reply.status).toBe(202);
    }

    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited!.body.error.code).toBe('rate_limited');
  });
});
