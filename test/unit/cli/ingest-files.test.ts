import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import {
  describeOutcome,
  everyStoryIngested,
  ingestFiles,
  type FileOutcome,
  type StoryOutcome,
} from '../../../infra/cli/ingest-files';
import type { IngestReceipt } from '../../../shared/articles/ingest';

const s3 = mockClient(S3Client);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ingest-files-'));
  await writeFile(join(dir, 'wire.xml'), '<rss version="2.0"><channel/></rss>');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  s3.reset();
  s3.on(PutObjectCommand).resolves({});
});

const FEED_RECEIPT: IngestReceipt = {
  sourceKey: 'incoming/cli/x/0-wire.xml',
  at: '2026-03-10T09:00:00.000Z',
  status: 'feed',
  format: 'rss',
  items: [
    {
      item: 1,
      sourceKey: 'incoming/cli/x/0-wire.xml/items/1',
      status: 'ingested',
      articleId: '0123456789abcdef',
      version: 1,
      outcome: 'created',
      articleKey: 'articles/0123456789abcdef.json',
      rawKey: 'raw/0123456789abcdef/x.xml',
    },
    {
      item: 2,
      sourceKey: 'incoming/cli/x/0-wire.xml/items/2',
      status: 'rejected',
      reason: { code: 'missing-published-at', message: 'The item has no pubDate or dc:date' },
      rejectedKey: 'rejected/cli/x/0-wire.xml/items/2',
      reasonKey: 'rejected/cli/x/0-wire.xml/items/2.reason.json',
    },
  ],
};

describe('npm run ingest with a feed', () => {
  it('reads the feed’s receipt into one outcome per item, prints a line per item and fails the run', async () => {
    // Prepare: the pipeline has written the feed's receipt
    s3.on(GetObjectCommand).resolves({
      Body: { transformToString: async () => JSON.stringify(FEED_RECEIPT) } as never,
    });
    const file = join(dir, 'wire.xml');

    // Act
    const outcomes = await ingestFiles({
      s3: new S3Client({}),
      bucket: 'b',
      files: [file],
      timeoutMs: 1000,
      pollMs: 1,
    });

    // Assess
    expect(s3.commandCalls(PutObjectCommand)[0]!.args[0].input).toMatchObject({ ContentType: 'application/xml' });
    expect(outcomes).toEqual([
      {
        file,
        status: 'feed',
        format: 'rss',
        items: [
          { item: 1, status: 'ingested', articleId: '0123456789abcdef', outcome: 'created', version: 1 },
          {
            item: 2,
            status: 'rejected',
            code: 'missing-published-at',
            message: 'The item has no pubDate or dc:date',
            rejectedKey: 'rejected/cli/x/0-wire.xml/items/2',
          },
        ],
      },
    ]);
    expect(describeOutcome(outcomes[0]!)).toEqual([
      `${file} item 1: 0123456789abcdef (created, version 1)`,
      `${file} item 2: rejected — missing-published-at: The item has no pubDate or dc:date (kept at rejected/cli/x/0-wire.xml/items/2)`,
    ]);
    expect(everyStoryIngested(outcomes)).toBe(false);
  });
});

describe('everyStoryIngested (the exit code of npm run ingest)', () => {
  const story = (status: 'ingested' | 'rejected'): StoryOutcome & { file: string } =>
    status === 'ingested'
      ? { file: 'a.txt', status, articleId: 'a', outcome: 'created', version: 1 }
      : { file: 'a.txt', status, code: 'empty-body', message: 'm', rejectedKey: 'k' };
  const feed = (...statuses: Array<'ingested' | 'rejected'>): FileOutcome => ({
    file: 'f.xml',
    status: 'feed',
    format: 'atom',
    items: statuses.map((status, i) => ({ item: i + 1, ...story(status) })),
  });

  const timedOut: FileOutcome = { file: 'a.txt', status: 'timed-out', sourceKey: 'k' };

  it.each<[string, FileOutcome[], boolean]>([
    ['stories and a feed all ingested', [story('ingested'), feed('ingested', 'ingested')], true],
    ['one rejected item of a feed', [story('ingested'), feed('ingested', 'rejected')], false],
    ['a rejected file', [story('rejected')], false],
    ['a file without an outcome in time', [timedOut], false],
  ])('%s → %s', (_case, outcomes, expected) => {
    expect(everyStoryIngested(outcomes)).toBe(expected);
  });
});
