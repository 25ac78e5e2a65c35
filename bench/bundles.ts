/**
 * Bundle size and load time of every function, side by side with a bundle that holds only the
 * DynamoDB client — the floor any function that touches the table pays. Each bundle is built
 * with the exact options the CDK construct uses, and loaded in a fresh Node process, rounds
 * interleaved so that machine noise falls on all bundles alike.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { NEWS_FUNCTION_BUNDLING, REPO_ROOT } from '../infra/constructs/news-function';
import { handlerEntry, topology } from '../infra/topology';

const OUT_DIR = resolve(REPO_ROOT, '.bench', 'bundles');
const BASELINE = 'baseline: DynamoDB client only';

interface Measured {
  name: string;
  bytes: number;
  gzipBytes: number;
  loadMs: number[];
}

export async function benchBundles(options: { rounds: number }): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const baselineEntry = join(OUT_DIR, 'baseline-entry.ts');
  writeFileSync(
    baselineEntry,
    [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
      'export const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));',
      'export const handler = async () => client;',
    ].join('\n'),
  );
  const targets = [
    { name: BASELINE, entry: baselineEntry },
    ...topology.functions.map((fn) => ({ name: fn.name, entry: resolve(REPO_ROOT, handlerEntry(fn)) })),
  ];

  const results: Measured[] = [];
  for (const target of targets) {
    const outfile = join(OUT_DIR, `${target.name.replace(/[^a-z0-9-]+/gi, '-')}.mjs`);
    await build({
      entryPoints: [target.entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: NEWS_FUNCTION_BUNDLING.target,
      minify: NEWS_FUNCTION_BUNDLING.minify,
      mainFields: NEWS_FUNCTION_BUNDLING.mainFields,
      banner: { js: NEWS_FUNCTION_BUNDLING.banner },
      logLevel: 'silent',
    });
    const code = readFileSync(outfile);
    results.push({ name: target.name, bytes: statSync(outfile).size, gzipBytes: gzipSync(code).length, loadMs: [] });
    (results.at(-1) as Measured & { outfile?: string }).outfile = outfile;
  }

  for (let round = 0; round < options.rounds; round++) {
    for (const result of results) result.loadMs.push(loadTime((result as Measured & { outfile: string }).outfile));
  }

  const baseline = results[0]!;
  const rows = results.map((r) => ({
    bundle: r.name,
    'minified KB': (r.bytes / 1024).toFixed(0),
    'gzip KB': (r.gzipBytes / 1024).toFixed(0),
    'size ×': (r.bytes / baseline.bytes).toFixed(2),
    'load ms (median)': median(r.loadMs).toFixed(1),
    'load ×': (median(r.loadMs) / median(baseline.loadMs)).toFixed(2),
  }));
  console.log(
    `Bundles built with the CDK construct's options (esbuild, minified ESM, node22), loaded in a fresh Node ${process.version} process, median of ${options.rounds} interleaved rounds:`,
  );
  console.table(rows);
}

/** Milliseconds to import the bundle in a new process: module evaluation, i.e. the init phase's code share. */
function loadTime(file: string): number {
  const script = `const t=performance.now();await import(${JSON.stringify(`file://${file}`)});process.stdout.write(String(performance.now()-t));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH,
      AWS_REGION: 'us-east-1',
      TABLE_NAME: 'bench',
      BUCKET_NAME: 'bench',
      EVENT_BUS_NAME: 'bench',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
  return Number(out.toString());
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
