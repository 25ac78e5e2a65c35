import { execFile } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { ingestFiles, type FileOutcome } from '../../infra/cli/ingest-files';
import { issueToken } from '../../infra/local/auth';
import { REPO_ROOT, type RunningLocalStack } from '../../infra/local/local-stack';
import { describeSamples, loadSamplesOnce, SAMPLES_DIR } from '../../infra/local/samples';
import { isHttp, topology, type HttpTrigger } from '../../infra/topology';
import { testDynamoClient } from '../support/engines';
import { withLocalStack } from '../support/local-stack';
import { http, type HttpReply } from '../support/http';
import { nowSeconds, signWithLocalKey } from '../support/tokens';

type FeedPage = { items: { id: string }[]; nextCursor: string | null };
import { SAMPLE_STORY_TEXT } from '../support/sample-story';
import { STORY_PAGE } from '../support/story-page';

/**
 * The product as a user meets it: the local stack (same handlers, same topology as AWS), driven
 * over HTTP and through the S3 drop zone, with events read back from events.jsonl.
 */
const GARBAGE = resolve(REPO_ROOT, 'test', 'fixtures', 'garbage', 'not-a-story.txt');
const HTML_STORY = resolve(REPO_ROOT, 'samples', 'stories', 'port-calder-light-rail-tax.html');
const ATOM_FEED = resolve(REPO_ROOT, 'test', 'fixtures', 'stories', 'formats', 'atom-valley-courier.xml');

let stack: RunningLocalStack;
let dataDir: string;
let s3: S3Client;
let api: string;

const local = withLocalStack({ name: 'local-stack' });
beforeAll(() => {
  ({ stack, dataDir, api, s3 } = local);
});

async function ingest(...files: string[]): Promise<FileOutcome[]> {
  const outcomes = await ingestFiles({ s3, bucket: stack.endpoints.bucket, files, timeoutMs: 20_000, pollMs: 50 });
  await stack.idle();
  return outcomes;
}

/** `npm run ingest -- FILE` as a user runs it, against this test's stack (found through LOCAL_DATA_DIR). */
function runIngestCli(file: string): Promise<{ code: number; stdout: string }> {
  return new Promise((settle) => {
    execFile(
      join(REPO_ROOT, 'node_modules', '.bin', 'tsx'),
      [join(REPO_ROOT, 'infra', 'cli', 'ingest.ts'), '--timeout', '20', file],
      { cwd: REPO_ROOT, env: { ...process.env, LOCAL_DATA_DIR: dataDir } },
      (error, stdout) => settle({ code: error ? Number(error.code) : 0, stdout }),
    );
  });
}

async function events(): Promise<Array<{ 'detail-type': string; source: string; detail: any }>> {
  const text = await readFile(join(dataDir, 'events.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

/** Every item's key, as `pk|sk`. */
async function tableKeys(): Promise<string[]> {
  const out = await testDynamoClient().send(
    new ScanCommand({ TableName: stack.endpoints.table, ProjectionExpression: 'pk, sk' }),
  );
  return (out.Items ?? []).map((item) => `${item.pk!.S}|${item.sk!.S}`);
}

async function tableItemCount(): Promise<number> {
  const out = await testDynamoClient().send(new ScanCommand({ TableName: stack.endpoints.table, Select: 'COUNT' }));
  return out.Count ?? 0;
}

describe('the local stack, end to end', () => {
  let storyId: string;

  it('ingests a story page dropped in S3 and serves every extracted field over HTTP', async () => {
    // Act
    const [outcome] = await ingest(STORY_PAGE);

    // Assess
    expect(outcome).toMatchObject({ status: 'ingested', outcome: 'created', version: 1 });
    storyId = (outcome as Extract<FileOutcome, { status: 'ingested' }>).articleId;
    const reply = await http(`${api}/articles/${storyId}`);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    const article = reply.body;
    expect(article).toMatchObject({
      id: storyId,
      headline: 'Old Lighthouse Logbooks Fill a Gap in Storm Records',
      subheadline: "'Nobody thought anyone would read these again,' says the museum's archivist",
      byline: { authors: ['Nora Halvorsen'], organization: 'Dispatch' },
      publishedAt: '2022-10-07T21:48:00.000Z',
      photo: { credit: 'AP Photo/Teresa Vang, File' },
      sources: ['Boston Globe', 'NPR', 'Atlantic'],
      poll: { question: 'Old Lighthouse Logbooks Fill a Gap in Storm Records is...' },
      sourceCommentTotal: 41,
      // The page's three embedded comments are imported as comments (see test/e2e/comments.test.ts).
      counts: { comments: 3, votes: 0, errorReports: 0 },
    });
    expect(article.photo.caption).toMatch(/^Volunteer Marcus Bell, left,.*on Thursday\.$/);
    expect(article.body).toHaveLength(2);
    expect(article.body[0]).toMatch(/^For more than a century, the keepers/);
    expect(article.body.join(' ')).not.toMatch(
      /Dispatch\)|More From Dispatch|My Take on This Story|notify our editors|You Might Like/,
    );
    expect(article.embeddedComments.map((c: { postedAt: string }) => c.postedAt)).toEqual([
      '2022-10-08T16:20:00.000Z',
      '2022-10-08T12:05:00.000Z',
      '2022-10-08T02:52:00.000Z',
    ]);

    // The normalized article is in the bucket, and the raw input stays retrievable.
    const stored = await s3.send(
      new GetObjectCommand({ Bucket: stack.endpoints.bucket, Key: `articles/${storyId}.json` }),
    );
    expect(JSON.parse(await stored.Body!.transformToString())).toMatchObject({
      id: storyId,
      headline: article.headline,
    });
    const ingested = (await events()).filter(
      (e) => e['detail-type'] === 'ArticleIngested' && e.detail.articleId === storyId,
    );
    expect(ingested).toHaveLength(1);
    expect(ingested[0]).toMatchObject({ source: 'newsroom', detail: { change: 'created', version: 1 } });
  });

  it('changes nothing when the same page is ingested again', async () => {
    const itemsBefore = await tableItemCount();
    const eventsBefore = (await events()).length;

    const [outcome] = await ingest(STORY_PAGE);

    expect(outcome).toMatchObject({ status: 'ingested', articleId: storyId, outcome: 'unchanged', version: 1 });
    expect(await tableItemCount()).toBe(itemsBefore);
    expect((await events()).length).toBe(eventsBefore);
  });

  it('keeps garbage under rejected/ with a reason and an ArticleRejected event, indexing nothing', async () => {
    await stack.idle();
    const keysBefore = new Set(await tableKeys());

    const [outcome] = await ingest(GARBAGE);

    expect(outcome).toMatchObject({ status: 'rejected', code: expect.any(String) });
    const rejectedKey = (outcome as Extract<FileOutcome, { status: 'rejected' }>).rejectedKey;
    expect(rejectedKey).toMatch(/^rejected\/cli\/.+not-a-story\.txt$/);
    const kept = await s3.send(new GetObjectCommand({ Bucket: stack.endpoints.bucket, Key: rejectedKey }));
    expect(await kept.Body!.transformToString()).toBe(await readFile(GARBAGE, 'utf8'));
    const reason = await s3.send(
      new GetObjectCommand({ Bucket: stack.endpoints.bucket, Key: `${rejectedKey}.reason.json` }),
    );
    expect(JSON.parse(await reason.Body!.transformToString())).toMatchObject({
      code: expect.any(String),
      message: expect.any(String),
    });
    expect(
      (await events()).filter((e) => e['detail-type'] === 'ArticleRejected').map((e) => e.detail.rejectedKey),
    ).toContain(rejectedKey);
    // No story, only the editors' alert about the rejection (GET /editor/alerts).
    await stack.idle();
    expect((await tableKeys()).filter((key) => !keysBefore.has(key))).toEqual([
      expect.stringMatching(/^ALERT#[^|]+\|ALERT$/),
    ]);
  });

  it('lets only editors post articles: 401 without a token, 403 for a reader, 201 for an editor', async () => {
    const post = (token?: string, headers: Record<string, string> = {}) =>
      http(`${api}/articles`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        body: SAMPLE_STORY_TEXT,
      });

    const anonymous = await post();
    const forged = await post('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.');
    const reader = await post(await issueToken(stack.signingKey, { role: 'reader' }));
    const editor = await post(await issueToken(stack.signingKey, { role: 'editor' }), {
      'x-correlation-id': 'e2e-trace-0001',
    });

    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorized');
    expect(forged.status).toBe(401);
    expect(reader.status).toBe(403);
    expect(editor.status).toBe(201);
    const fetched = await http(`${api}/articles/${editor.body.id}`);
    expect(fetched.body.headline).toBe('Harbor Town Votes to Rebuild Its Old Ferry Pier');
    // The caller's correlation id follows the write through the table stream to its event,
    // and stays out of what the API returns.
    await stack.idle();
    const ingested = (await events()).find(
      (e) => e['detail-type'] === 'ArticleIngested' && e.detail.articleId === editor.body.id,
    ) as { resources?: string[] } | undefined;
    expect(ingested?.resources).toContain('newsroom:correlation-id/e2e-trace-0001');
    expect(JSON.stringify(fetched.body)).not.toContain('e2e-trace-0001');
  });

  it('pages through the feed newest first, each article exactly once', async () => {
    await ingest(HTML_STORY);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const reply: HttpReply<FeedPage> = await http<FeedPage>(
        `${api}/articles?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(reply.status).toBe(200);
      seen.push(...reply.body.items.map((item) => item.id));
      cursor = reply.body.nextCursor;
    } while (cursor);

    expect(seen.length).toBe(3);
    expect(new Set(seen).size).toBe(3);
    const all = await http(`${api}/articles?limit=100`);
    const times = all.body.items.map((item: { publishedAt: string }) => item.publishedAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('answers bad input with JSON 4xx errors', async () => {
    const badLimit = await http(`${api}/articles?limit=0`);
    const tampered = await http(`${api}/articles?cursor=${Buffer.from('{"pk":"x"}').toString('base64url')}`);
    const unknown = await http(`${api}/articles/0000000000000000`);
    const noRoute = await http(`${api}/nowhere`);

    expect([badLimit.status, tampered.status, unknown.status, noRoute.status]).toEqual([400, 400, 404, 404]);
    for (const reply of [badLimit, tampered, unknown, noRoute])
      expect(reply.body.error.code).toEqual(expect.any(String));
    expect(badLimit.body.error.details[0].path).toBe('query.limit');
  });
  // After the paging test, which counts the stories: this one adds two.
  it('ingests a feed dropped with npm run ingest: a line per item, and exit code 1 for the one item that is not a story', async () => {
    // Prepare: the Atom fixture plus a third entry without a title
    const feed = (await readFile(ATOM_FEED, 'utf8')).replace(
      '</feed>',
      '<entry><id>tag:valleycourier.example,2026:untitled</id><updated>2026-03-07T12:00:00-07:00</updated>' +
        '<content type="text">Text.</content></entry></feed>',
    );
    const file = join(dataDir, 'courier-with-untitled.atom');
    await writeFile(file, feed);

    // Act: the command a user runs
    const run = await runIngestCli(file);
    await stack.idle();

    // Assess
    const at = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(run.code).toBe(1);
    expect(run.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${at} item 1: [0-9a-f]{16} \\(created, version 1\\)$`)),
      expect.stringMatching(new RegExp(`^${at} item 2: [0-9a-f]{16} \\(created, version 1\\)$`)),
      expect.stringMatching(new RegExp(`^${at} item 3: rejected — missing-headline: `)),
    ]);
    const id = run.stdout.split('\n')[0]!.split(' ')[3]!;
    const article = await http(`${api}/articles/${id}`);
    expect(article.status).toBe(200);
    expect(article.body).toMatchObject({
      format: 'atom-item',
      headline: 'Orchard growers & the irrigation board reach a water deal',
      byline: { authors: ['Theo Marchetti', 'Wen Okafor'] },
      language: 'en-CA',
    });
  });
});

describe('editor routes of the local stack, with tokens signed by its own key', () => {
  const editorRoutes = topology.functions
    .filter(isHttp)
    .map((fn) => fn.trigger)
    .filter((trigger) => trigger.access === 'editor');

  /** Calls an editor route; the ids in its path need not exist, the token is checked first. */
  const callRoute = (trigger: HttpTrigger, token: string) =>
    http(`${api}${trigger.path.replace(/\{[^}]+\}/g, '0000000000000000')}`, {
      method: trigger.method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(trigger.method === 'GET' ? {} : { body: '{}' }),
    });

  const statusesOnEveryEditorRoute = async (claims: Record<string, unknown>) => {
    const token = await signWithLocalKey(stack.signingKey, claims);
    const statuses: Record<string, number> = {};
    for (const trigger of editorRoutes)
      statuses[`${trigger.method} ${trigger.path}`] = (await callRoute(trigger, token)).status;
    return statuses;
  };
  const every = (status: number) => Object.fromEntries(editorRoutes.map((t) => [`${t.method} ${t.path}`, status]));
  const fresh = () => ({ iat: nowSeconds(), exp: nowSeconds() + 3600 });

  it.each([
    ['an array holding one group named "readers,editors"', ['readers,editors']],
    ['the string "readers,editors"', 'readers,editors'],
    ['the string "editors"', 'editors'],
    ['an array holding a group named "editors,"', ['editors,']],
  ])('refuses a member of %s with 403 on every editor route', async (_case, groups) => {
    // Act
    const statuses = await statusesOnEveryEditorRoute({ sub: 'not-an-editor', 'cognito:groups': groups, ...fresh() });

    // Assess
    expect(editorRoutes.length).toBeGreaterThanOrEqual(7);
    expect(statuses).toEqual(every(403));
  });

  it('admits a member of editors among other groups', async () => {
    // Prepare
    const token = await signWithLocalKey(stack.signingKey, {
      sub: 'desk-editor',
      'cognito:groups': ['readers', 'editors'],
      ...fresh(),
    });

    // Act
    const reply = await http(`${api}/error-reports`, { headers: { authorization: `Bearer ${token}` } });

    // Assess
    expect(reply.status).toBe(200);
  });

  it.each([
    ['without exp', { iat: nowSeconds() }],
    ['without iat', { exp: nowSeconds() + 3600 }],
    ['that lives over 24 hours', { iat: nowSeconds(), exp: nowSeconds() + 24 * 3600 + 60 }],
  ])('refuses an editor token %s with 401 on every editor route', async (_case, times) => {
    // Act
    const statuses = await statusesOnEveryEditorRoute({ sub: 'editor', 'cognito:groups': ['editors'], ...times });

    // Assess
    expect(statuses).toEqual(every(401));
  });
});

describe('the sample stories npm start loads', () => {
  it('ingests every sample story on the first start, and the banner says so', async () => {
    // Prepare
    const sampleCount = (await readdir(SAMPLES_DIR)).length;

    // Act
    const first = await loadSamplesOnce(stack, dataDir);
    const later = await loadSamplesOnce(stack, dataDir);

    // Assess
    expect(first.kind === 'loaded-now' && first.outcomes.map((outcome) => outcome.status)).toEqual(
      Array(sampleCount).fill('ingested'),
    );
    expect(describeSamples(first)).toEqual([`${sampleCount} sample stories loaded from samples/stories/`]);
    expect(describeSamples(later)).toEqual([
      expect.stringMatching(
        /^sample stories loaded on the first start \(\d{4}-.*\); delete .*samples-loaded to load them again$/,
      ),
    ]);
  });
});
