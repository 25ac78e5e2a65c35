/**
 * The industry's formats through the whole ingest pipeline, against DynamoDB Local and the S3
 * emulator: IPTC ninjs items (1.x, 2.x), an RSS feed of three items, an Atom feed of two and a
 * page whose article sits in a JSON-LD graph. Each becomes stories with every mapped field; a
 * second ingest changes nothing; an older ninjs version after a newer one is recorded as stale
 * and does not replace it; a feed leaves a receipt per item and one listing them all.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoArticleCorrections } from '../../shared/adapters/articles/dynamo-article-corrections';
import { DynamoArticleIndex } from '../../shared/adapters/articles/dynamo-article-index';
import { S3ObjectStore } from '../../shared/adapters/aws/s3-object-store';
import { DynamoPollStore } from '../../shared/adapters/polls/dynamo-poll-store';
import {
  ingestDocument,
  ingestDroppedObject,
  type IngestDependencies,
  type IngestResult,
  type StoryResult,
} from '../../shared/articles/ingest';
import { systemClock } from '../../shared/ports';
import type { DomainEvent } from '../../shared/ports';
import { createTestBucket, createTestTable, testDynamoClient, testS3Client } from '../support/engines';

const FORMATS = join(__dirname, '..', 'fixtures', 'stories', 'formats');
const fixture = (name: string) => readFileSync(join(FORMATS, name));

let bucket: string;
let index: DynamoArticleIndex;
let deps: IngestDependencies;
const published: DomainEvent[] = [];

beforeAll(async () => {
  const [tableName, bucketName] = await Promise.all([
    createTestTable('ingest-formats'),
    createTestBucket('ingest-formats'),
  ]);
  bucket = bucketName;
  const db = DynamoDBDocumentClient.from(testDynamoClient(), { marshallOptions: { removeUndefinedValues: true } });
  index = new DynamoArticleIndex(db, tableName);
  deps = {
    objects: new S3ObjectStore(testS3Client(), bucket),
    index,
    stories: new DynamoArticleCorrections(db, tableName),
    events: {
      publish: async (events) => {
        published.push(...events);
      },
    },
    clock: systemClock,
    polls: new DynamoPollStore(db, tableName),
    reactions: ['Fair', 'Unfair'],
  };
});

const at = (minute: number) => new Date(Date.UTC(2026, 2, 10, 9, minute));
const post = (body: Buffer | string, request: string, receivedAt = at(0)) =>
  ingestDocument(deps, { sourceKey: `api/${request}`, body: Buffer.from(body), receivedAt });

function ingested(result: IngestResult | StoryResult): Extract<StoryResult, { status: 'ingested' }> {
  if (result.status !== 'ingested') throw new Error(`expected an ingested story, got ${JSON.stringify(result)}`);
  return result;
}

function feedItems(result: IngestResult) {
  if (result.status !== 'feed') throw new Error(`expected a feed, got ${JSON.stringify(result)}`);
  return result.items;
}

async function storedJson(key: string): Promise<Record<string, any>> {
  const out = await testS3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await out.Body!.transformToString()) as Record<string, any>;
}

describe('IPTC ninjs items', () => {
  it('indexes a 1.x item with every mapped field, and a second ingest changes nothing', async () => {
    // Act
    const first = ingested(await post(fixture('ninjs-1x-ferry-timetable.json'), 'ninjs1-a', at(1)));
    const again = ingested(await post(fixture('ninjs-1x-ferry-timetable.json'), 'ninjs1-b', at(2)));

    // Assess
    expect(first).toMatchObject({ outcome: 'created', version: 1 });
    expect(again).toMatchObject({ articleId: first.articleId, outcome: 'unchanged', version: 1 });
    expect((await index.find(first.articleId))?.article).toMatchObject({
      format: 'ninjs',
      headline: 'Marrow Island ferry adds a dawn sailing after commuters petition the county',
      subheadline: 'The 5:40 a.m. crossing starts in April and runs on weekdays through October.',
      byline: { authors: ['Jane Roe', 'Amos Tillery'], organization: 'AP' },
      publishedAt: '2026-03-04T13:15:00.000Z',
      photo: { caption: expect.stringMatching(/^Commuters board/), credit: 'Pell Arnaud/AP' },
      canonicalUrl: 'urn:newsml:wire.example:20260304:ferry-timetable-0417',
      language: 'en',
      version: 1,
    });
    expect(first.rawKey).toMatch(new RegExp(`^raw/${first.articleId}/[0-9a-f]{32}\\.json$`));
    // The article object carries the language too.
    expect(await storedJson(first.articleKey)).toMatchObject({ language: 'en', format: 'ninjs' });
  });

  it('updates a 2.x item in place with a later version, and keeps it when an older version arrives after', async () => {
    // Prepare: version 1 and version 2 of one item (same uri), the older one with other text
    const v2 = JSON.parse(fixture('ninjs-2x-harbour-crane.json').toString('utf8'));
    const v1 = {
      ...v2,
      version: '1',
      versioncreated: '2026-03-05T10:05:00+01:00',
      headlines: [{ role: 'main', value: 'Hafenkran in Lindwerder soll Aussichtsturm werden' }],
    };
    const v3 = { ...v2, version: '10', versioncreated: '2026-03-05T12:00:00+01:00' };
    v3.bodies = [{ contenttype: 'text/html', value: '<p>Der Stadtrat hat den Umbau beschlossen.</p>' }];

    // Act: version 1, then 2 (updates in place), then 1 again, received last (must not replace 2)
    const first = ingested(await post(JSON.stringify(v1), 'ninjs2-v1', at(10)));
    const second = ingested(await post(JSON.stringify(v2), 'ninjs2-v2', at(11)));
    const late = ingested(await post(JSON.stringify(v1), 'ninjs2-v1-late', at(12)));
    const again = ingested(await post(JSON.stringify(v2), 'ninjs2-v2-again', at(13)));
    // Version 10 is newer than 2 as a number, though "10" < "2" as text.
    const tenth = ingested(await post(JSON.stringify(v3), 'ninjs2-v10', at(14)));
    const secondLate = ingested(await post(JSON.stringify(v2), 'ninjs2-v2-late', at(15)));

    // Assess
    expect(first).toMatchObject({ outcome: 'created', version: 1 });
    expect(second).toMatchObject({ articleId: first.articleId, outcome: 'updated', version: 2 });
    expect(late).toMatchObject({ articleId: first.articleId, outcome: 'stale', version: 2 });
    expect(again).toMatchObject({ outcome: 'unchanged', version: 2 });
    expect(tenth).toMatchObject({ outcome: 'updated', version: 3 });
    expect(secondLate).toMatchObject({ outcome: 'stale', version: 3 });
    const stored = (await index.find(first.articleId))?.article;
    expect(stored).toMatchObject({
      headline: 'Alter Hafenkran in Lindwerder wird zum Aussichtsturm',
      body: ['Der Stadtrat hat den Umbau beschlossen.'],
      byline: { authors: ['Jana Roth'], organization: 'dpa' },
      language: 'de',
      version: 3,
    });
    expect(await storedJson(first.articleKey)).toMatchObject({ body: ['Der Stadtrat hat den Umbau beschlossen.'] });
  });
});

describe('feeds', () => {
  it('turns an RSS drop of three items into three stories, with a receipt per item and one for the feed', async () => {
    // Prepare
    const key = 'incoming/wire/harbor-gazette.xml';
    const body = fixture('rss-harbor-gazette.xml');
    const put = await testS3Client().send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));

    // Act
    const result = await ingestDroppedObject(deps, {
      key,
      size: body.length,
      eTag: put.ETag!.replace(/"/g, ''),
      receivedAt: at(20),
    });

    // Assess: three stories, each with its own receipt
    const items = feedItems(result as IngestResult);
    expect(items.map((item) => [item.item, item.status, item.status === 'ingested' && item.outcome])).toEqual([
      [1, 'ingested', 'created'],
      [2, 'ingested', 'created'],
      [3, 'ingested', 'created'],
    ]);
    for (const item of items) {
      expect(await storedJson(`receipts/wire/harbor-gazette.xml/items/${item.item}.json`)).toMatchObject({
        status: 'ingested',
        articleId: ingested(item).articleId,
        sourceKey: `${key}/items/${item.item}`,
      });
    }
    expect(await storedJson('receipts/wire/harbor-gazette.xml.json')).toMatchObject({
      status: 'feed',
      format: 'rss',
      items: items.map((item) => ({ item: item.item, status: 'ingested', articleId: ingested(item).articleId })),
    });
    const second = (await index.find(ingested(items[1]!).articleId))?.article;
    expect(second).toMatchObject({
      format: 'rss-item',
      headline: 'Bay towns split the cost of a shared fire boat',
      subheadline: 'Three towns will each pay a third of the $1.1 million boat.',
      byline: { authors: ['Elias Montrose', 'Dana Kittredge'], organization: 'Harbor Gazette' },
      publishedAt: '2026-03-04T09:30:00.000Z',
      photo: { credit: 'Ruth Abernathy/Harbor Gazette' },
      canonicalUrl: 'https://harborgazette.example/2026/03/shared-fire-boat/',
      language: 'en-us',
    });
    // Each item's own markup is kept as received.
    const raw = await testS3Client().send(new GetObjectCommand({ Bucket: bucket, Key: ingested(items[1]!).rawKey }));
    expect(await raw.Body!.transformToString()).toMatch(/^<item>[\s\S]*shared fire boat[\s\S]*<\/item>$/);
  });

  it('changes nothing when the same Atom feed is posted twice', async () => {
    const first = feedItems(await post(fixture('atom-valley-courier.xml'), 'atom-a', at(30)));
    const again = feedItems(await post(fixture('atom-valley-courier.xml'), 'atom-b', at(31)));

    expect(first.map((item) => ingested(item).outcome)).toEqual(['created', 'created']);
    expect(again.map((item) => [ingested(item).articleId, ingested(item).outcome, ingested(item).version])).toEqual(
      first.map((item) => [ingested(item).articleId, 'unchanged', 1]),
    );
    expect((await index.find(ingested(first[0]!).articleId))?.article).toMatchObject({
      format: 'atom-item',
      byline: { authors: ['Theo Marchetti', 'Wen Okafor'] },
      language: 'en-CA',
    });
  });

  it('rejects the items that are not stories one by one, keeping each with its reason, and ingests the rest', async () => {
    // Prepare: the second item has no date
    const feed = fixture('rss-harbor-gazette.xml')
      .toString('utf8')
      .replace('<pubDate>Wed, 04 Mar 2026 09:30:00 GMT</pubDate>', '')
      .replace(/harborgazette\.example\/2026/g, 'harborgazette.example/partial/2026');
    published.length = 0;

    // Act
    const items = feedItems(await post(feed, 'rss-partial', at(40)));

    // Assess
    expect(items.map((item) => item.status)).toEqual(['ingested', 'rejected', 'ingested']);
    const rejected = items[1]!;
    expect(rejected).toMatchObject({
      status: 'rejected',
      reason: { code: 'missing-published-at' },
      rejectedKey: 'rejected/api/rss-partial/items/2',
    });
    expect(await storedJson('rejected/api/rss-partial/items/2.reason.json')).toMatchObject({
      code: 'missing-published-at',
      sourceKey: 'api/rss-partial/items/2',
    });
    expect(await storedJson('receipts/api/rss-partial.json')).toMatchObject({
      status: 'feed',
      items: [
        { status: 'ingested' },
        { status: 'rejected', reason: { code: 'missing-published-at' } },
        { status: 'ingested' },
      ],
    });
    expect(published.map((event) => [event.detailType, (event.detail as { sourceKey: string }).sourceKey])).toEqual([
      ['ArticleRejected', 'api/rss-partial/items/2'],
    ]);
  });

  it('rejects a feed of 10,000 items as a whole, with the reason, and ingests none of them', async () => {
    const item = (n: number) =>
      `<item><title>Story ${n}</title><guid>urn:flood:${n}</guid><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate>` +
      `<description>Text ${n}.</description></item>`;
    const feed = `<rss version="2.0"><channel>${Array.from({ length: 10_000 }, (_, n) => item(n)).join('')}</channel></rss>`;

    const result = await post(feed, 'rss-flood', at(50));

    expect(result).toMatchObject({ status: 'rejected', reason: { code: 'too-many-items' } });
    expect(await storedJson('receipts/api/rss-flood.json')).toMatchObject({ status: 'rejected' });
  });
});

describe('a page whose article sits in a JSON-LD graph', () => {
  it('indexes the publisher and author the graph references, and the description as the dek; again, nothing changes', async () => {
    const first = ingested(await post(fixture('jsonld-graph-page.html'), 'jsonld-a', at(55)));
    const again = ingested(await post(fixture('jsonld-graph-page.html'), 'jsonld-b', at(56)));

    expect(again).toMatchObject({ articleId: first.articleId, outcome: 'unchanged', version: 1 });
    expect((await index.find(first.articleId))?.article).toMatchObject({
      format: 'html-page',
      subheadline: 'Board members asked for a survey of parents before deciding in May.',
      byline: { authors: ['Miriam Okonkwo'], organization: 'Riverbend Ledger' },
    });
  });
});
