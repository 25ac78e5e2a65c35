/**
 * `npm run bench [-- NAME...]`: performance figures, measured side by side in one run.
 * Benchmarks are scripts, never timed tests, which flake on shared machines.
 *   bundles  each function's minified bundle size and load time vs. a DynamoDB-client-only bundle
 *   html     our HTML tokenizer vs. htmlparser2 and parse5: time per MB on the story pages and on
 *            2 MB hostile pages, and bundle size
 *   poll     write units per vote, the hottest key and tally events, measured on the local stack and
 *            computed at 1,000 and 10,000 votes/s, beside a naive counter design, with costs
 *   live     vote → results on open pages (median, p95), messages per story per second under load,
 *            publish → receive on the Event API (median, p99), and the cost per million reader-minutes
 *            and updates beside an API Gateway WebSocket design
 *   widget   the reader widget's size per chunk, a story view in Chromium (time to a usable poll,
 *            requests, bytes) and the cost per million story views with and without the CDN
 */
// First, before any SDK client exists: see the module's comment.
import '../infra/local/quiet-sdk-node-warning';
import { benchBundles } from './bundles';
import { benchHtml } from './html';
import { benchLive } from './live';
import { benchPoll } from './poll';
import { benchWidget } from './widget';

const BENCHMARKS: Record<string, () => Promise<void>> = {
  bundles: () => benchBundles({ rounds: Number(process.env.BENCH_ROUNDS || 21) }),
  html: () =>
    benchHtml({
      rounds: Number(process.env.BENCH_ROUNDS || 5),
      limitSeconds: Number(process.env.BENCH_HTML_LIMIT_S || 60),
    }),
  poll: () =>
    benchPoll({
      seconds: Number(process.env.BENCH_POLL_SECONDS || 10),
      concurrency: Number(process.env.BENCH_POLL_CONCURRENCY || 32),
    }),
  live: () =>
    benchLive({
      runs: Number(process.env.BENCH_LIVE_RUNS || 7),
      subscribers: Number(process.env.BENCH_LIVE_SUBSCRIBERS || 50),
      loadSeconds: Number(process.env.BENCH_LIVE_LOAD_SECONDS || 10),
    }),
  widget: () => benchWidget(),
};

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  const selected = names.length ? names : Object.keys(BENCHMARKS);
  for (const name of selected) {
    const run = BENCHMARKS[name];
    if (!run) throw new Error(`Unknown benchmark ${name}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
    await run();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
