/**
 * `npm run bench -- widget`: the reader widget's size per chunk; in Chromium against the local
 * stack, the time from navigation to a usable poll and the requests and bytes of a story view
 * (median of 7 fresh readers); and the cost per million story views with and without the CDN, for
 * a hot story and a long tail, from a model whose assumptions are printed beside it.
 */
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { S3Client } from '@aws-sdk/client-s3';
import { ingestFiles } from '../infra/cli/ingest-files';
import { localS3ClientConfig } from '../infra/local/engines/local-clients';
import { startDynamoDbLocal } from '../infra/local/engines/dynamodb-local';
import { REPO_ROOT, startLocalStack } from '../infra/local/local-stack';
import { CACHED_READS } from '../infra/topology/cdn';
import { buildWidget, INITIAL_LOAD_GZIP_BUDGET_BYTES, loadedBeforeInteraction } from '../infra/widget/build-widget';
import { launchChromium } from '../test/support/browser';
import { grouped } from './charts/bar-chart';
import { writeChart } from './charts/chart-files';

const STORY = resolve(REPO_ROOT, 'test', 'fixtures', 'stories', 'gull-point-lighthouse-logbooks.txt');
const ROUNDS = 7;

/** us-east-1 list prices (USD) the cost model assumes. */
const PRICES = {
  cloudFrontPerMillionHttpsRequests: 1.0, // $0.0100 per 10,000 HTTPS requests (North America)
  cloudFrontPerGb: 0.085,
  httpApiPerMillionRequests: 1.0,
  lambdaPerMillionRequests: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  dynamoPerMillionReadUnits: 0.125,
  s3PerMillionGets: 0.4,
  internetPerGb: 0.09,
} as const;
/** What one API read costs at the origin, assumed: a warm 256 MB arm64 function for 25 ms, and its reads. */
const API_READ = { lambdaMs: 25, memoryGb: 0.25, readUnits: 2 } as const;

/**
 * Isso's client, the comparison the widget's size goal was set against. Isso is not on npm, so
 * the bench cannot build it; these bytes were measured once, outside the bench, the way the bench
 * measures the widget: Isso's `isso/js/embed.js` at commit 9c24f9b (0.14.0 and 12 commits,
 * 2026-05-05) bundled and minified by esbuild 0.28.2, and the `isso/css/isso.css` that embed.js
 * loads by default (its `css` setting is on) minified the same way; each gzipped at level 9.
 * Isso's README publishes "65kB (20kB gzipped)" for the webpack build it ships, which agrees.
 */
export const ISSO_CLIENT = {
  release: 'Isso 0.14.0+12 (9c24f9b)',
  embedJs: { minifiedBytes: 78_777, gzipBytes: 21_383 },
  css: { minifiedBytes: 5_999, gzipBytes: 1_572 },
} as const;
const WIDGET_BUDGET_GZIP_KB = INITIAL_LOAD_GZIP_BUDGET_BYTES / 1024;

const kb = (bytes: number) => (bytes / 1024).toFixed(1);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function benchWidget(): Promise<void> {
  const files = await buildWidget();
  const initial = new Set(loadedBeforeInteraction(files));
  const sizes = [...files].map(([name, file]) => ({
    chunk: name,
    'loaded before interaction': initial.has(name) ? 'yes' : 'on interaction',
    'minified KB': (file.bytes.length / 1024).toFixed(1),
    'gzip KB': (gzipSync(file.bytes, { level: 9 }).length / 1024).toFixed(1),
  }));
  const gzipBytes = (names: Iterable<string>) =>
    [...names].reduce((sum, name) => sum + gzipSync(files.get(name)!.bytes, { level: 9 }).length, 0);
  const initialGzip = gzipBytes(initial);
  const everyChunkGzip = gzipBytes(files.keys());
  const issoGzip = ISSO_CLIENT.embedJs.gzipBytes + ISSO_CLIENT.css.gzipBytes;
  console.log(
    `\nWIDGET SIZE (esbuild, minified ES modules, gzip level 9). Budget: ${WIDGET_BUDGET_GZIP_KB} KB gzip before interaction; ` +
      `${ISSO_CLIENT.release}'s client measured the same way: ${kb(issoGzip)} KB gzip (embed.js and the isso.css it loads; see ISSO_CLIENT).`,
  );
  console.table(sizes);
  console.log(`Before interaction: ${kb(initialGzip)} KB gzip; every chunk: ${kb(everyChunkGzip)} KB gzip.`);

  // A page with the snippet alone, on an origin of its own: every request after it is the widget's.
  let page = '';
  const site = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page);
  });
  await new Promise<void>((done) => site.listen(0, '127.0.0.1', done));
  const address = site.address();
  const pageUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
  process.env.LOCAL_CORS_ORIGINS = pageUrl.slice(0, -1);
  const dataDir = await mkdtemp(join(tmpdir(), 'newsroom-bench-widget-'));
  const dynamo = await startDynamoDbLocal({});
  const stack = await startLocalStack({ dataDir, port: 0, dynamoEndpoint: dynamo.endpoint, handlerLogLevel: 'ERROR' });
  const browser = await launchChromium();
  try {
    const api = stack.endpoints.api;
    const [outcome] = await ingestFiles({
      s3: new S3Client(localS3ClientConfig(stack.endpoints.s3)),
      bucket: stack.endpoints.bucket,
      files: [STORY],
      timeoutMs: 20_000,
      pollMs: 50,
    });
    if (outcome?.status !== 'ingested') throw new Error(`The story was not ingested: ${JSON.stringify(outcome)}`);
    const storyId = outcome.articleId;
    await stack.idle();
    page =
      `<!doctype html><html lang="en"><head><title>Bench</title><script type="module" src="${api}/widget/v1/newsroom.js"></script></head>` +
      `<body><newsroom-story article-id="${storyId}"></newsroom-story></body></html>`;

    const rounds: { interactiveMs: number; requests: number; apiReads: number; kb: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const context = await browser.newContext();
      const tab = await context.newPage();
      let requests = 0;
      let apiReads = 0;
      let bytes = 0;
      tab.on('requestfinished', (request) => {
        if (request.url() === pageUrl) return;
        requests++;
        if (!request.url().includes('/widget/')) apiReads++;
        void request.sizes().then((sizes) => (bytes += sizes.responseBodySize + sizes.responseHeadersSize));
      });
      await tab.goto(pageUrl);
      await tab.getByRole('button', { name: 'Show results without voting' }).waitFor();
      const interactiveMs = await tab.evaluate<number>('performance.now()');
      await tab.getByText(/^Showing \d+ of \d+ comments$/).waitFor();
      await tab.waitForLoadState('networkidle');
      rounds.push({ interactiveMs, requests, apiReads, kb: bytes / 1024 });
      await context.close();
    }
    console.log(
      `\nA STORY VIEW in Chromium ${browser.version()} against the local stack (the page on an origin of its own, the widget and the API on the stack's), a fresh reader each time, median of ${ROUNDS}:`,
    );
    console.table({
      'navigation → poll usable (ms)': median(rounds.map((r) => r.interactiveMs)).toFixed(0),
      'requests (widget files + API reads)': median(rounds.map((r) => r.requests)),
      'API reads (all GET, all cacheable at the CDN)': median(rounds.map((r) => r.apiReads)),
      'bytes transferred (KB, uncompressed locally)': median(rounds.map((r) => r.kb)).toFixed(1),
    });
    const apiReads = median(rounds.map((r) => r.apiReads));
    const widgetFiles = median(rounds.map((r) => r.requests)) - apiReads;
    printCosts(apiReads, widgetFiles, median(rounds.map((r) => r.kb)));
    await writeChart('widget-size.svg', {
      title: "The reader widget's size against Isso's client",
      description:
        'Kilobytes a page downloads, gzipped at level 9, for this reader widget (polls, comments, corrections and live updates) ' +
        "and for Isso's comments client, both minified by esbuild.",
      axisLabel: 'KB, minified and gzipped (level 9)',
      series: ['gzip KB'],
      groups: [
        {
          label: 'this widget, before interaction',
          detail: `loader + ${initial.size - 1} chunk${initial.size > 2 ? 's' : ''}, measured this run`,
          values: [Number(kb(initialGzip))],
        },
        // Chunks loaded on interaction, when there are any: Isso loads all of its client up front.
        ...(everyChunkGzip > initialGzip
          ? [
              {
                label: 'this widget, every chunk',
                detail: `${files.size} files, after interaction, measured this run`,
                values: [Number(kb(everyChunkGzip))],
              },
            ]
          : []),
        {
          label: `${ISSO_CLIENT.release.split(' (')[0]}, embed.js + isso.css`,
          detail: 'all before interaction; measured once, not by this bench',
          values: [Number(kb(issoGzip))],
        },
      ],
      format: (value) => `${grouped(value, 1)} KB`,
      tickFormat: (value) => `${grouped(value)} KB`,
      references: [{ value: WIDGET_BUDGET_GZIP_KB, label: `budget before interaction: ${WIDGET_BUDGET_GZIP_KB} KB` }],
      notes: [
        'Widget sizes from npm run bench -- widget, built as it ships (esbuild, minified ES modules). Isso: its js/embed.js at ' +
          'commit 9c24f9b bundled and minified by esbuild, and the isso.css it loads by default, minified the same way, measured ' +
          "once outside the bench (Isso is not on npm); Isso's README publishes 65 kB, 20 kB gzipped, for its own build.",
      ],
    });
  } finally {
    site.close();
    await browser.close();
    await stack.stop();
    await dynamo.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Cost per million story views. Without the CDN every API read reaches API Gateway, Lambda and
 * DynamoDB, and the widget's files come from S3. With it, every request pays CloudFront's request
 * fee; a hot story's reads reach the origin about once per TTL per edge location, a long tail's
 * (every view a different story) every time.
 */
function printCosts(apiReads: number, widgetFiles: number, kb: number): void {
  const million = 1_000_000;
  const origin =
    PRICES.httpApiPerMillionRequests +
    PRICES.lambdaPerMillionRequests +
    million * API_READ.memoryGb * (API_READ.lambdaMs / 1000) * PRICES.lambdaArmPerGbSecond +
    API_READ.readUnits * PRICES.dynamoPerMillionReadUnits;
  const gb = (kb * million) / (1024 * 1024);
  const hot = { viewsPerSecond: 1000, edges: 20 };
  // Seconds a hot story's reads are cached, on the three read paths a view makes.
  const ttls = ['/articles/*/poll', '/articles/*/comments', '/articles/*'].map(
    (path) => CACHED_READS.find((read) => read.pathPattern === path)!.ttlSeconds,
  );
  const hotOriginShare = ttls.reduce((sum, ttl) => sum + hot.edges / (ttl * hot.viewsPerSecond), 0) / ttls.length;
  const rows = {
    'no CDN (S3 for the widget, every read to the API)': {
      'API origin': apiReads * origin,
      'widget files': widgetFiles * PRICES.s3PerMillionGets,
      'CDN requests': 0,
      'data out': gb * PRICES.internetPerGb,
    },
    'CDN, hot story (1,000 views/s)': {
      'API origin': apiReads * origin * hotOriginShare,
      'widget files': 0,
      'CDN requests': (apiReads + widgetFiles) * PRICES.cloudFrontPerMillionHttpsRequests,
      'data out': gb * PRICES.cloudFrontPerGb,
    },
    'CDN, long tail (every view a new story)': {
      'API origin': apiReads * origin,
      'widget files': 0,
      'CDN requests': (apiReads + widgetFiles) * PRICES.cloudFrontPerMillionHttpsRequests,
      'data out': gb * PRICES.cloudFrontPerGb,
    },
  };
  console.log(
    `\nCOST per million story views, USD, us-east-1 list prices (CloudFront $${PRICES.cloudFrontPerMillionHttpsRequests}/M HTTPS requests and $${PRICES.cloudFrontPerGb}/GB; HTTP API $1/M; Lambda arm64 $0.2/M + ${API_READ.lambdaMs} ms at 256 MB; DynamoDB ${API_READ.readUnits} read units a read at $0.125/M; S3 $0.4/M GETs; internet $0.09/GB). ` +
      `Per view as measured: ${apiReads} API reads, ${widgetFiles} widget files (a returning reader's browser keeps the hashed chunk a year, so this is a first view), ${kb.toFixed(1)} KB. ` +
      `Hot story: ${hot.edges} edge locations each refresh a read once per its TTL (${ttls.join(' / ')} s), so ${(hotOriginShare * 100).toFixed(1)}% of reads reach the API.`,
  );
  console.table(
    Object.fromEntries(
      Object.entries(rows).map(([name, lines]) => {
        const total = Object.values(lines).reduce((a, b) => a + b, 0);
        return [
          name,
          {
            ...Object.fromEntries(Object.entries(lines).map(([k, v]) => [k, `$${v.toFixed(2)}`])),
            total: `$${total.toFixed(2)}`,
          },
        ];
      }),
    ),
  );
}
