/**
 * Bundle size and load time of every function, side by side with a bundle that holds only the
 * DynamoDB client — the floor any function that touches the table pays. Each bundle is built
 * with the exact options the CDK construct uses, and loaded in a fresh Node process, rounds
 * interleaved so that machine noise falls on all bundles alike.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundleLikeTheConstruct } from '../infra/constructs/bundle-like-the-construct';
import { REPO_ROOT } from '../infra/constructs/news-function';
import { BASELINE, BUNDLE_CLASS_OF, BUNDLE_GOALS, bundleTargets } from './bundle-goals';

const OUT_DIR = resolve(REPO_ROOT, '.bench', 'bundles');

interface Measured {
  name: string;
  outfile: string;
  bytes: number;
  gzipBytes: number;
  loadMs: number[];
}

export async function benchBundles(options: { rounds: number }): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  const bundles = await bundleLikeTheConstruct(bundleTargets());
  const results: Measured[] = [...bundles].map(([name, code]) => {
    const outfile = join(OUT_DIR, `${name.replace(/[^a-z0-9-]+/gi, '-')}.mjs`);
    writeFileSync(outfile, code);
    return { name, outfile, bytes: code.length, gzipBytes: gzipSync(code).length, loadMs: [] };
  });

  for (let round = 0; round < options.rounds; round++) {
    for (const result of results) result.loadMs.push(loadTime(result.outfile));
  }

  const baseline = results[0]!;
  const rows = results.map((r) => ({
    bundle: r.name,
    'goal ×': r.name === BASELINE ? '' : BUNDLE_GOALS[BUNDLE_CLASS_OF.get(r.name) ?? 'other'].toFixed(1),
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
      // The router reads its routes at load: one route, as the stack would give it.
      STREAM_ROUTES: JSON.stringify([
        {
          feature: 'bench',
          queueUrl: 'https://sqs.us-east-1.amazonaws.com/000000000000/bench.fifo',
          filters: [{ eventName: ['INSERT'] }],
        },
      ]),
      // The live-update publisher is told the Event API's publish endpoint at load.
      LIVE_EVENTS_HTTP_URL: 'https://bench.appsync-api.us-east-1.amazonaws.com/event',
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
