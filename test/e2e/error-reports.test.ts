/**
 * "Report an error on this story" through the local stack: a reader's report on a story page,
 * the editors' alert (events log, inbox, console), triage, the public correction on the story
 * (API and S3), counts, the contact's privacy and erasure, and the 4xx answers to bad input.
 *
 * The stack is shared by the file, the data is not: each test makes a story of its own and files
 * its own report on it, so it passes alone (`-t '<name>'`) as well as after the others, and reads
 * counts, listings and events of its own story or report only.
 */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BatchWriteItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ingestFiles, type FileOutcome } from '../../infra/cli/ingest-files';
import { REPO_ROOT, type RunningLocalStack } from '../../infra/local/local-stack';
import { TABLE_KEYS } from '../../shared/store/table-design';
import { indexedArticle, metaItemOf } from '../support/article-items';
import { testDynamoClient } from '../support/engines';
import { withLocalStack } from '../support/local-stack';
import { http, type HttpReply } from '../support/http';
import { STORY_PAGE_HEADLINE, storyPageTitled } from '../support/story-page';
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
/** The reader who files this file's reports. */
let asReader: Record<string, string>;

beforeAll(async () => {
  ({ stack, dataDir, api, s3 } = local);
  editor = await local.token('editor');
  reader = await local.token('reader');
  asReader = (await local.reader()).headers;
});

// Every request comes from this process, so from one source address, and the limiter counts
// reports per source and hour: start each test with that quota unused, so that no test is
// refused (or, for the 429 test, let through fewer times) because of the reports earlier ones filed.
beforeEach(() => forgetRateCounters());

async function forgetRateCounters(): Promise<void> {
  const counters = (await tableItems()).filter((item) => item[TABLE_KEYS.partitionKey]!.S!.startsWith('RATE#'));
  for (let i = 0; i < counters.length; i += 25) {
    const keys = counters.slice(i, i + 25).map((item) => ({
      [TABLE_KEYS.partitionKey]: item[TABLE_KEYS.partitionKey]!,
      [TABLE_KEYS.sortKey]: item[TABLE_KEYS.sortKey]!,
    }));
    await testDynamoClient().send(
      new BatchWriteItemCommand({
        RequestItems: { [stack.endpoints.table]: keys.map((Key) => ({ DeleteRequest: { Key } })) },
      }),
    );
  }
}

/** Drops the file in the drop zone and waits for its receipt (not for what the stream does next). */
async function ingest(file: string): Promise<FileOutcome> {
  const [outcome] = await ingestFiles({
    s3,
    bucket: stack.endpoints.bucket,
    files: [file],
    timeoutMs: 20_000,
    pollMs: 50,
  });
  return outcome!;
}

const jsonLines = (name: string) => local.jsonLines<{ 'detail-type': string; detail: any }>(name);

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
/** A report from the file's reader (its token and address); `headers` may replace either. */
const report = (articleId: string, body: unknown, headers = asJson()) =>
  http(`${api}/articles/${articleId}/error-reports`, {
    method: 'POST',
    headers: { ...asReader, ...headers },
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
const THE_CORRECTION = 'An earlier version of this story misstated the share of visitors in the museum survey.';

/**
 * A story of the calling test's own, written to the table as ingest indexes one. These tests are
 * about reports, not ingest, whose work per story would about double the file's time; the one
 * test that is about ingesting a reported story again brings its story through the drop zone.
 */
async function newStory(): Promise<string> {
  const article = indexedArticle({ id: randomBytes(8).toString('hex') });
  await testDynamoClient().send(
    new PutItemCommand({ TableName: stack.endpoints.table, Item: marshall(metaItemOf(article)) }),
  );
  return article.id;
}

/** The reader's report on the story, accepted; its id. */
async function reportOn(storyId: string): Promise<string> {
  const reply = await report(storyId, THE_REPORT);
  expect(reply.status).toBe(202);
  return reply.body.reportId;
}

/** The editors close the report as corrected, publishing THE_CORRECTION. */
async function closeAsCorrected(reportId: string): Promise<void> {
  const reply = await patch(reportId, { status: 'corrected', correction: THE_CORRECTION });
  expect(reply.status).toBe(200);
}

/**
 * Waits until nothing in the background is left to change the table or the events log: the
 * stream consumers, and the TTL sweep of contacts that closed reports (this test's or earlier
 * ones') left expired.
 */
async function settle(): Promise<void> {
  await stack.idle();
  const anyExpired = async () => (await tableItems()).some(isExpired);
  if (!(await anyExpired())) return;
  await waitFor(async () => !(await anyExpired()), { description: 'the TTL sweep of expired items' });
  await stack.idle(); // and the consumers of what it deleted
}

describe('error reports through the local stack', () => {
  it('accepts a report on the story with 202', async () => {
    const storyId = await newStory();

    const reply = await report(storyId, THE_REPORT);

    expect(reply.status).toBe(202);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(reply.body).toEqual({
      reportId: expect.stringMatching(new RegExp(`^${storyId}-[0-9a-f]{16}$`)),
      status: 'received',
    });
  });

  it('alerts the editors with ErrorReportSubmitted, in the events log, the inbox and on the console, never with the contact', async () => {
    const storyId = await newStory();
    const reportId = await reportOn(storyId);

    await stack.idle();

    const submitted = (await jsonLines('events.jsonl')).filter(
      (e) => e['detail-type'] === 'ErrorReportSubmitted' && e.detail.articleId === storyId,
    );
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
    const storyId = await newStory();
    const reportId = await reportOn(storyId);

    const list = await http(`${api}/error-reports`, { headers: bearer(editor) });
    const forStory = await http(`${api}/error-reports?articleId=${storyId}&status=received`, {
      headers: bearer(editor),
    });
    const one = await http(`${api}/error-reports/${reportId}`, { headers: bearer(editor) });

    expect(list.status).toBe(200);
    // Other tests' reports may be listed too; the list is newest first, so this one leads it, once.
    expect(list.body.items[0]).toMatchObject({ reportId });
    expect(
      list.body.items
        .filter((r: { articleId: string }) => r.articleId === storyId)
        .map((r: { reportId: string }) => r.reportId),
    ).toEqual([reportId]);
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
    const storyId = await newStory();
    await reportOn(storyId);
    await stack.idle(); // the open count follows the report through the table's stream

    const story = await http(`${api}/articles/${storyId}`);

    expect(story.body.counts.errorReports).toBe(1);
    expect(story.body.corrections).toEqual([]);
  });

  it('takes the same report posted twice as one report', async () => {
    const storyId = await newStory();
    const reportId = await reportOn(storyId);

    const again = await report(storyId, { ...THE_REPORT, description: `  ${THE_REPORT.description}  ` });
    await stack.idle();

    expect(again.status).toBe(202);
    expect(again.body).toEqual({ reportId, status: 'received' });
    const list = await http(`${api}/error-reports?articleId=${storyId}`, { headers: bearer(editor) });
    expect(list.body.items).toHaveLength(1);
    expect(
      (await jsonLines('events.jsonl')).filter(
        (e) => e['detail-type'] === 'ErrorReportSubmitted' && e.detail.articleId === storyId,
      ),
    ).toHaveLength(1);
    expect((await http(`${api}/articles/${storyId}`)).body.counts.errorReports).toBe(1);
  });

  it('answers 401 without a token and 403 with a reader token on every editor route', async () => {
    const reportId = await reportOn(await newStory());
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
    const reportId = await reportOn(await newStory());

    const reviewing = await patch(reportId, { status: 'reviewing', note: 'Checking the museum survey' });
    const backwards = await patch(reportId, { status: 'received' });
    const corrected = await patch(reportId, { status: 'corrected', correction: THE_CORRECTION });
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
    const storyId = await newStory();
    await closeAsCorrected(await reportOn(storyId));
    await stack.idle();

    const story = await http(`${api}/articles/${storyId}`);
    const stored = await storedArticle(storyId);

    const expected = [{ text: THE_CORRECTION, correctedAt: expect.any(String) }];
    expect(story.body.corrections).toEqual(expected);
    expect(stored.corrections).toEqual(story.body.corrections);
    expect(stored).toMatchObject({ id: storyId, headline: story.body.headline, body: story.body.body });
    expect(story.body.counts.errorReports).toBe(0);
  });

  it("erases the reader's contact once the report is closed (here with no retention)", async () => {
    const storyId = await newStory();
    const reportId = await reportOn(storyId);
    const contactItems = async () =>
      (await tableItems()).filter((item) => item.pk.S === `ARTICLE#${storyId}` && item.sk.S.startsWith('CONTACT#'));
    expect(await contactItems()).toHaveLength(1);

    await closeAsCorrected(reportId);
    await waitFor(async () => (await contactItems()).length === 0, {
      description: "the follow-up to erase the closed report's contact",
      intervalMs: 100,
    });

    expect(await contactItems()).toEqual([]);
    const one = await http(`${api}/error-reports/${reportId}`, { headers: bearer(editor) });
    expect(one.body).toMatchObject({ reportId, status: 'corrected', contact: null, hasContact: true });
  });

  it('keeps the correction when the story is ingested again, unchanged or changed', async () => {
    // A story page of this test's own, through the drop zone.
    const text = storyPageTitled(`${STORY_PAGE_HEADLINE}, Reported and Ingested Again`);
    const pagePath = join(dataDir, 'story-ingested-again.txt');
    const editedPath = join(dataDir, 'story-ingested-again-edited.txt');
    await writeFile(pagePath, text);
    await writeFile(editedPath, text.replace('the results are ... surprisingly useful', 'the results are ... useful'));
    const first = await ingest(pagePath);
    expect(first).toMatchObject({ status: 'ingested', outcome: 'created' });
    const storyId = (first as Extract<FileOutcome, { status: 'ingested' }>).articleId;
    await closeAsCorrected(await reportOn(storyId));
    await stack.idle(); // the correction is on the story before it comes in again

    const unchanged = await ingest(pagePath);
    const changed = await ingest(editedPath);
    await stack.idle();

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
    await stack.idle();

    expect(outcome.status).toBe('rejected');
    const rejectedKey = (outcome as Extract<FileOutcome, { status: 'rejected' }>).rejectedKey;
    const inbox = await jsonLines('editor-inbox.jsonl');
    expect(inbox.filter((e) => e['detail-type'] === 'ArticleRejected').map((e) => e.detail.rejectedKey)).toContain(
      rejectedKey,
    );
    expect(consoleLines.some((line) => line.startsWith('editor alert ArticleRejected'))).toBe(true);
  });

  it('answers malformed and oversize input with JSON 4xx errors naming the field, changing nothing', async () => {
    const storyId = await newStory();
    const reportId = await reportOn(storyId);
    await settle();
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
    const storyId = await newStory();

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

/** Whether the item's time to live has passed: the TTL sweeper may delete it at any moment. */
function isExpired(item: Record<string, any>): boolean {
  const expiresAt = item[TABLE_KEYS.timeToLive]?.N;
  return expiresAt !== undefined && Number(expiresAt) <= Date.now() / 1000;
}
